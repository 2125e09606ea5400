import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
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

  it("runs the script with the runner's Node (no setup-node, no install), uploads SARIF, then fails on findings", () => {
    expect(steps.map((candidate) => candidate.uses ?? candidate.name)).toEqual([
      "Run keyscan",
      "github/codeql-action/upload-sarif@v4",
      "Fail on findings or errors",
    ]);
    expect(step("Run keyscan").run).toContain('node "$GITHUB_ACTION_PATH/scripts/action.mjs"');
    const upload = step("Upload SARIF to code scanning");
    expect(upload.if).toContain("inputs.sarif == 'true'");
    expect(upload.if).toContain("always()");
    // The category is in the SARIF itself (automationDetails.id), which upload-sarif gives precedence.
    expect(upload.with).toEqual({ sarif_file: "${{ steps.scan.outputs.sarif-file }}" });
    expect(step("Fail on findings or errors").if).toBe("always()");
  });

  it("passes inputs through env, never ${{ }} inside a script", () => {
    for (const candidate of steps) if (candidate.run) expect(candidate.run, candidate.name).not.toContain("${{");
    const env = step("Run keyscan").env ?? {};
    for (const input of ["mode", "range", "args", "sarif", "category", "version"]) {
      expect(Object.values(env)).toContain(`\${{ inputs.${input} }}`);
    }
  });

  it("has scripts bash accepts", () => {
    for (const candidate of steps) if (candidate.run) execFileSync("bash", ["-n"], { input: candidate.run });
  });

  it("says in one sentence that the runner needs Node when it has none", () => {
    const dir = mkdtempSync(join(tmpdir(), "keyscan-action-"));
    const output = join(dir, "output");
    writeFileSync(output, "");
    // A PATH with bash's own tools only: no node.
    const result = spawnSync("/bin/bash", ["-e", "-c", step("Run keyscan").run ?? ""], {
      env: { PATH: dir, GITHUB_OUTPUT: output, GITHUB_ACTION_PATH: process.cwd() },
      encoding: "utf8",
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("::error::keyscan needs Node.js 20 or later on the runner");
    expect(readFileSync(output, "utf8")).toBe("exit-code=2\n");
    rmSync(dir, { recursive: true, force: true });
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

  // Stage names that pre-commit before 3.2 (Debian 12's 3.0.4) accepts; e2e-hooks-pre-commit-framework runs them.
  it("offers keyscan staged at pre-commit and keyscan pre-push at pre-push", () => {
    expect(hooks).toHaveLength(2);
    const common = { language: "node", pass_filenames: false, always_run: true, minimum_pre_commit_version: "2.14.0" };
    expect(hooks[0]).toMatchObject({ ...common, id: "keyscan", entry: "keyscan staged", stages: ["commit"] });
    expect(hooks[1]).toMatchObject({ ...common, id: "keyscan-pre-push", entry: "keyscan pre-push", stages: ["push"] });
  });
});
