// End to end: the organisation-wide workflow in the README, run locally. Its scan job's script runs in three
// throw-away repositories and its merge job's script over the reports laid out as the artifacts would be (the
// built CLI stands in for the npm download); then `keyscan report merge` in each format, and its bad input.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { checksummedToken, openaiProjectKey } from "../../fixtures/fake-keys.js";
import { CLI, cliEnv, runCli } from "../helpers/cli.js";
import { type TempRepo, tempRepo } from "../helpers/git-repo.js";
import { multitoolProblems, sarifSchemaErrors } from "../helpers/sarif.js";

interface Step {
  name?: string;
  run?: string;
}
interface Workflow {
  jobs: Record<string, { steps: Step[] }>;
}

/** The organisation workflow, as the README shows it. */
function readmeWorkflow(): Workflow {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const block = /```yaml\n(name: keyscan across the organisation\n[\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error("the README has no organisation workflow");
  return parse(block) as Workflow;
}

/** A step's script with the built CLI in place of `npx --yes keyscan-cli@VERSION`. */
function script(job: string, index: number): string {
  const run = readmeWorkflow().jobs[job]?.steps.filter((step) => step.run)[index]?.run;
  if (!run) throw new Error(`no script in job ${job}`);
  expect(run).toMatch(/npx --yes keyscan-cli@\d+\.\d+\.\d+ /);
  return run.replace(/npx --yes keyscan-cli@\S+/g, `node "${CLI}"`);
}

function bash(command: string, cwd: string): { code: number; stderr: string } {
  const result = spawnSync("bash", ["-eo", "pipefail", "-c", command], { cwd, env: cliEnv(), encoding: "utf8" });
  return { code: result.status ?? -1, stderr: result.stderr };
}

const repos: TempRepo[] = [];
let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "keyscan-merge-"));
  const layout: [string, string | undefined][] = [
    ["https://github.com/acme/api.git", openaiProjectKey(401)],
    ["git@gitlab.com:acme/web.git", checksummedToken(402, "ghp")],
    ["https://github.com/acme/docs.git", undefined],
  ];
  for (const [remote, key] of layout) {
    const repo = tempRepo();
    repo.git("remote", "add", "origin", remote);
    repo.write("app.env", key ? `TOKEN=${key}\n` : "TOKEN=\n");
    repo.add("app.env");
    repo.commit();
    repos.push(repo);
  }
});

afterAll(() => {
  for (const repo of repos) repo.remove();
  rmSync(work, { recursive: true, force: true });
});

describe("the README's organisation workflow, run locally", () => {
  it("scan job: writes a JSON report in each repository and passes whether or not it found keys", () => {
    for (const [index, repo] of repos.entries()) {
      const result = bash(script("scan", 0), repo.dir);
      expect(result.code, result.stderr).toBe(0);
      // As download-artifact lays the artifacts out: one folder per artifact.
      const folder = join(work, "reports", `keyscan-${index}`);
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, "keyscan.json"), readFileSync(join(repo.dir, "keyscan.json")));
    }
  });

  it("scan job: fails on an error (keyscan exit code 2), though not on findings", () => {
    const notARepo = mkdtempSync(join(tmpdir(), "keyscan-merge-plain-"));
    try {
      expect(bash(script("scan", 0), notARepo).code).not.toBe(0);
    } finally {
      rmSync(notARepo, { recursive: true, force: true });
    }
  });

  it("merge job: one page with every repository, grouped", () => {
    const result = bash(script("merge", 0), work);
    expect(result.code, result.stderr).toBe(0);
    const html = readFileSync(join(work, "keyscan-org.html"), "utf8");
    expect(html).toContain("<title>keyscan: 3 repositories</title>");
    for (const name of ["acme/api", "acme/web", "acme/docs"]) expect(html).toContain(`<td>${name}</td>`);
    expect(html.match(/<tr class="secret /g)).toHaveLength(2);
    expect(html).toContain('href="https://gitlab.com/acme/web/-/commit/');
    expect(html).not.toContain(openaiProjectKey(401));
  });
});

describe("keyscan report merge", () => {
  const reports = () => [0, 1, 2].map((index) => join(work, "reports", `keyscan-${index}`, "keyscan.json"));

  it("merges into JSON grouped by repository, which merges again", () => {
    const result = runCli(["report", "merge", ...reports(), "--format", "json"], { cwd: work });
    expect(result.code, result.stderr).toBe(0);
    const merged = JSON.parse(result.stdout) as { mode: string; repositories: { repository: { name: string }; secrets: unknown[] }[] };
    expect(merged.mode).toBe("merged");
    expect(merged.repositories.map((report) => [report.repository.name, report.secrets.length])).toEqual([
      ["acme/api", 1],
      ["acme/web", 1],
      ["acme/docs", 0],
    ]);
    writeFileSync(join(work, "merged.json"), result.stdout);
    const again = runCli(["report", "merge", join(work, "merged.json"), "--format", "json"], { cwd: work });
    expect(JSON.parse(again.stdout).repositories).toHaveLength(3);
  });

  it("merges into SARIF with one run a repository, valid for GitHub", () => {
    const result = runCli(["report", "merge", ...reports(), "--format", "sarif"], { cwd: work });
    expect(result.code, result.stderr).toBe(0);
    const sarif = JSON.parse(result.stdout) as { runs: { automationDetails: { id: string }; results: { message: { text: string } }[] }[] };
    expect(sarif.runs.map((run) => run.automationDetails.id)).toEqual(["keyscan/acme/api/", "keyscan/acme/web/", "keyscan/acme/docs/"]);
    expect(sarif.runs[0]?.results[0]?.message.text).toContain("sk-p…(164 chars)");
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    expect(multitoolProblems(result.stdout).filter((problem) => problem.startsWith("error"))).toEqual([]);
  });

  it("refuses another tool's report, another version, and a missing file, naming the file (exit code 2)", () => {
    const gitleaks = join(work, "gitleaks.json");
    writeFileSync(gitleaks, JSON.stringify([{ RuleID: "generic-api-key", File: "a.env", Secret: "x" }]));
    const future = join(work, "future.json");
    writeFileSync(future, JSON.stringify({ version: 2, tool: { name: "keyscan", version: "9.0.0" }, findings: [], stats: {} }));
    const broken = join(work, "broken.json");
    writeFileSync(broken, "{ not json");
    for (const [file, said] of [
      [gitleaks, "is not a keyscan JSON report"],
      [future, "has JSON format version 2"],
      [broken, "it is not JSON"],
      [join(work, "missing.json"), "no such file"],
    ] as const) {
      const result = runCli(["report", "merge", reports()[0] as string, file], { cwd: work });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(file);
      expect(result.stderr).toContain(said);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
    }
  });

  it("refuses a pipe or a device in a report's place instead of waiting on it for ever or filling the memory", () => {
    // readFileSync of a FIFO blocked, deaf to SIGTERM; of /dev/zero it ended in std::bad_alloc.
    const fifo = join(work, "reports.fifo");
    spawnSync("mkfifo", [fifo]);
    for (const args of [["report", "merge", fifo], ["report", "merge", "/dev/zero"], ["fix", "--dry-run", "--from", fifo]]) {
      const result = runCli(args, { cwd: (repos[0] as TempRepo).dir });
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toMatch(/^keyscan: JSON report .* is not a regular file \(a device, pipe or folder\); refusing to read it\n$/);
    }
  });

  it("writes a page that says nothing was found when no repository had a secret", () => {
    const out = join(work, "clean.html");
    const result = runCli(["report", "merge", reports()[2] as string, "-o", out], { cwd: work });
    expect(result.code).toBe(0);
    expect(readFileSync(out, "utf8")).toContain("No secrets were found");
  });
});
