import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

interface Step {
  name: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, string | number>;
}

interface Action {
  inputs: Record<string, { default: string; description: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(readFileSync("action.yml", "utf8")) as Action;
const steps = action.runs.steps;
const step = (name: string): Step => {
  const found = steps.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no step "${name}"`);
  return found;
};

describe("action.yml", () => {
  it("is a composite action with the documented inputs", () => {
    expect(action.runs.using).toBe("composite");
    expect(Object.keys(action.inputs).sort()).toEqual(["args", "category", "mode", "range", "sarif", "version"]);
    expect(action.inputs.sarif?.default).toBe("true");
    expect(action.inputs.mode?.default).toBe("");
    expect(action.inputs.version?.default).toBe("");
  });

  it("sets up Node 20, runs keyscan, uploads SARIF with the category, then fails on findings", () => {
    expect(steps.map((candidate) => candidate.uses ?? candidate.name)).toEqual([
      "actions/setup-node@v4",
      "Build keyscan from the action's checkout",
      "Run keyscan",
      "github/codeql-action/upload-sarif@v4",
      "Fail on findings or errors",
    ]);
    expect(steps[0]?.with?.["node-version"]).toBe(20);
    const upload = step("Upload SARIF to code scanning");
    expect(upload.if).toContain("inputs.sarif == 'true'");
    expect(upload.if).toContain("always()");
    expect(upload.with).toEqual({ sarif_file: "${{ steps.scan.outputs.sarif-file }}", category: "${{ inputs.category }}" });
    expect(step("Fail on findings or errors").if).toBe("always()");
  });

  it("passes inputs and event data through env, never ${{ }} inside a script", () => {
    for (const candidate of steps) if (candidate.run) expect(candidate.run, candidate.name).not.toContain("${{");
    const env = step("Run keyscan").env ?? {};
    for (const input of ["mode", "range", "args", "sarif", "version"]) {
      expect(Object.values(env)).toContain(`\${{ inputs.${input} }}`);
    }
    expect(env.PR_BASE_SHA).toBe("${{ github.event.pull_request.base.sha }}");
  });

  it("has scripts bash accepts", () => {
    for (const candidate of steps) if (candidate.run) execFileSync("bash", ["-n"], { input: candidate.run });
  });
});

/** Runs the "Run keyscan" script with a stand-in keyscan that records its arguments and exits with FAKE_EXIT. */
describe("the Run keyscan script", () => {
  const dir = mkdtempSync(join(tmpdir(), "keyscan-action-"));
  mkdirSync(join(dir, "dist"));
  writeFileSync(
    join(dir, "dist", "cli.cjs"),
    `require("fs").writeFileSync(${JSON.stringify(join(dir, "argv.json"))}, JSON.stringify(process.argv.slice(2)));\nprocess.exit(Number(process.env.FAKE_EXIT || 0));\n`,
  );
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function run(inputs: Record<string, string>, event: Record<string, string>, fakeExit = 0) {
    const output = join(dir, "output");
    writeFileSync(output, "");
    rmSync(join(dir, "argv.json"), { force: true });
    const env = {
      PATH: process.env.PATH ?? "",
      GITHUB_ACTION_PATH: dir,
      GITHUB_OUTPUT: output,
      FAKE_EXIT: String(fakeExit),
      KEYSCAN_MODE: "",
      KEYSCAN_RANGE: "",
      KEYSCAN_ARGS: "",
      KEYSCAN_SARIF: "true",
      KEYSCAN_VERSION: "",
      KEYSCAN_SARIF_FILE: join(dir, "keyscan.sarif"),
      EVENT_NAME: "push",
      PR_BASE_SHA: "",
      PR_HEAD_SHA: "",
      PUSH_BEFORE: "",
      PUSH_AFTER: "",
      ...inputs,
      ...event,
    };
    const result = spawnSync("bash", ["-e", "-c", step("Run keyscan").run ?? ""], { env, encoding: "utf8" });
    let argv: string[] | undefined;
    try {
      argv = JSON.parse(readFileSync(join(dir, "argv.json"), "utf8")) as string[];
    } catch {
      argv = undefined;
    }
    return { status: result.status, stderr: result.stderr, argv, output: readFileSync(output, "utf8") };
  }

  const sarif = ["--format", "sarif", "--output", join(dir, "keyscan.sarif")];

  it("defaults to the PR's commits on pull_request", () => {
    const result = run({}, { EVENT_NAME: "pull_request", PR_BASE_SHA: "aaa", PR_HEAD_SHA: "bbb" });
    expect(result.argv).toEqual(["history", "aaa..bbb", ...sarif]);
    expect(result.output).toBe("exit-code=0\n");
  });

  it("defaults to the working tree elsewhere, and splits extra args", () => {
    expect(run({ KEYSCAN_ARGS: "--no-entropy  -c ci.toml" }, {}).argv).toEqual(["scan", ...sarif, "--no-entropy", "-c", "ci.toml"]);
  });

  it("history takes the range input; staged-range takes a push's before..after", () => {
    expect(run({ KEYSCAN_MODE: "history", KEYSCAN_RANGE: "v1..HEAD" }, {}).argv).toEqual(["history", "v1..HEAD", ...sarif]);
    expect(run({ KEYSCAN_MODE: "history" }, {}).argv).toEqual(["history", ...sarif]);
    expect(run({ KEYSCAN_MODE: "staged-range" }, { PUSH_BEFORE: "ccc", PUSH_AFTER: "ddd" }).argv).toEqual(["history", "ccc..ddd", ...sarif]);
  });

  it("annotates instead of writing SARIF when sarif is false", () => {
    expect(run({ KEYSCAN_SARIF: "false" }, {}).argv).toEqual(["scan", "--format", "github"]);
  });

  it("captures a failing exit code instead of failing before the upload", () => {
    writeFileSync(join(dir, "keyscan.sarif"), "{}");
    const result = run({}, {}, 1);
    expect(result.status).toBe(0);
    expect(result.output).toBe(`exit-code=1\nsarif-file=${join(dir, "keyscan.sarif")}\n`);
  });

  it("reports an unknown mode as exit code 2 without running keyscan", () => {
    const result = run({ KEYSCAN_MODE: "everything" }, {});
    expect(result.argv).toBeUndefined();
    expect(result.output).toBe("exit-code=2\n");
    expect(result.stderr).toContain('unknown mode "everything"');
  });

  it("an input cannot inject shell code", () => {
    const result = run({ KEYSCAN_ARGS: '$(touch pwned) ";touch pwned"' }, {});
    expect(result.argv).toEqual(["scan", ...sarif, "$(touch", "pwned)", '";touch', 'pwned"']);
  });

  it.each([
    ["0", 0],
    ["1", 1],
    ["2", 2],
    ["", 2],
  ])("the final step exits %j → %i", (code, expected) => {
    const result = spawnSync("bash", ["-e", "-c", step("Fail on findings or errors").run ?? ""], {
      env: { PATH: process.env.PATH ?? "", KEYSCAN_EXIT: code },
    });
    expect(result.status).toBe(expected);
  });
});

describe(".pre-commit-hooks.yaml", () => {
  const hooks = parse(readFileSync(".pre-commit-hooks.yaml", "utf8")) as Record<string, unknown>[];

  it("offers keyscan staged at pre-commit and keyscan pre-push at pre-push", () => {
    expect(hooks).toHaveLength(2);
    expect(hooks[0]).toMatchObject({ id: "keyscan", language: "node", entry: "keyscan staged", pass_filenames: false, always_run: true, stages: ["pre-commit"] });
    expect(hooks[1]).toMatchObject({ id: "keyscan-pre-push", language: "node", entry: "keyscan pre-push", pass_filenames: false, stages: ["pre-push"] });
  });
});
