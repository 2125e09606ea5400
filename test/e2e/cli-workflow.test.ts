// End-to-end: living with findings — PR ranges, the pre-push hook, gitleaks migration and ignore files.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ALNUM, openaiProjectKey, randomString, rng } from "../../fixtures/fake-keys.js";
import { cliEnv, runCli } from "../helpers/cli.js";
import { useTempRepos } from "../helpers/git-repo.js";

const repo = useTempRepos();

type JsonFinding = { file: string; line: number; commit: string };
const files = (stdout: string): string[] => JSON.parse(stdout).findings.map((finding: JsonFinding) => finding.file);

describe("keyscan history over a pull request's range", () => {
  it("reports only what the branch adds, not what main already had", () => {
    const dir = repo();
    dir.write("old.env", `OLD=${openaiProjectKey(201)}\n`);
    dir.add("old.env");
    dir.commit();
    dir.git("checkout", "-q", "-b", "feature");
    dir.write("old.env", `OLD=${openaiProjectKey(201)}\nMORE=1\n`);
    dir.write("new.env", `NEW=${openaiProjectKey(202)}\n`);
    dir.add("old.env", "new.env");
    const branchCommit = dir.commit();
    const result = runCli(["history", "main..feature", "-f", "json"], { cwd: dir.dir });
    expect(result.code).toBe(1);
    const findings = JSON.parse(result.stdout).findings as JsonFinding[];
    expect(findings.map((finding) => [finding.file, finding.commit])).toEqual([["new.env", branchCommit]]);
    expect(files(runCli(["history", "-f", "json"], { cwd: dir.dir }).stdout).sort()).toEqual(["new.env", "old.env"]);
  });
});

it("history --since leaves out older commits", () => {
  const dir = repo();
  dir.write("old.env", `OLD=${openaiProjectKey(206)}\n`);
  dir.add("old.env");
  dir.commit({ date: "2020-01-01T00:00:00Z" });
  dir.write("new.env", `NEW=${openaiProjectKey(207)}\n`);
  dir.add("new.env");
  dir.commit({ date: "2024-01-01T00:00:00Z" });
  expect(files(runCli(["history", "--since", "2023-01-01", "-f", "json"], { cwd: dir.dir }).stdout)).toEqual(["new.env"]);
});

it("history --since refuses a date git cannot read, rather than scanning no commit", () => {
  const dir = repo();
  dir.write("new.env", `NEW=${openaiProjectKey(208)}\n`);
  dir.add("new.env");
  dir.commit();
  for (const since of ["notadate", ""]) {
    const result = runCli(["history", "--since", since], { cwd: dir.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--since: git reads "${since}" as no date`);
  }
  expect(runCli(["baseline", "--history", "--since", "yesteday"], { cwd: dir.dir }).code).toBe(2);
  // Dates git reads are taken, the present too when the date says so ("now" selects no commit, and says no error).
  expect(files(runCli(["history", "--since", "20 years ago", "-f", "json"], { cwd: dir.dir }).stdout)).toEqual(["new.env"]);
  expect(runCli(["history", "--since", "now"], { cwd: dir.dir }).code).toBe(0);
});

it("history names the revision git cannot read, not the advice git prints before its error", () => {
  const dir = repo();
  dir.write("new.env", `NEW=${openaiProjectKey(209)}\n`);
  dir.add("new.env");
  dir.commit();
  // One commit: HEAD~5 does not exist. git prints hints first (keyscan's empty grafts file once gave one).
  const result = runCli(["history", "HEAD~5..HEAD"], { cwd: dir.dir });
  expect(result.code).toBe(2);
  expect(result.stderr).toContain("HEAD~5..HEAD");
  expect(result.stderr).not.toMatch(/hint|graft/);
});

describe("keyscan history --path", () => {
  it("scans only files at or under the paths (relative to the current folder), a merged side branch's too; a path no commit changes is exit 2", () => {
    const dir = repo();
    dir.write("services/api/.env", `API=${openaiProjectKey(211)}\n`);
    dir.write("web/.env", `WEB=${openaiProjectKey(212)}\n`);
    dir.add(".");
    dir.commit();
    // A side branch adds a key that its merge does not keep: git's default path simplification would skip it.
    const main = dir.git("rev-parse", "--abbrev-ref", "HEAD").trim();
    dir.git("checkout", "-q", "-b", "side");
    dir.write("services/api/side.env", `SIDE=${openaiProjectKey(213)}\n`);
    dir.add(".");
    dir.commit({ message: "side" });
    dir.git("rm", "-q", "services/api/side.env");
    dir.commit({ message: "side, undone" });
    dir.git("checkout", "-q", main);
    dir.git("-c", "user.name=T", "-c", "user.email=t@example.com", "merge", "-q", "--no-ff", "-m", "merge", "side");
    dir.git("branch", "-q", "-D", "side");
    const scanned = runCli(["history", "--path", "api", "--format", "json"], { cwd: join(dir.dir, "services") });
    expect(scanned.code).toBe(1);
    expect(files(scanned.stdout).sort()).toEqual(["services/api/.env", "services/api/side.env"]);
    expect(files(runCli(["history", "--path", "web", "--path", "services/api/.env", "--format", "json"], { cwd: dir.dir }).stdout).sort()).toEqual([
      "services/api/.env",
      "web/.env",
    ]);
    expect(files(runCli(["history", "--path", ".", "--format", "json"], { cwd: dir.dir }).stdout)).toHaveLength(3);
    for (const [path, said] of [["servics", "--path: no commit changes servics"], ["../elsewhere", "is outside the repository"]] as const) {
      const refused = runCli(["history", "--path", path], { cwd: dir.dir });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(said);
    }
  });
});

describe("keyscan install --pre-push", () => {
  it("scans exactly the commits being pushed and blocks the push", () => {
    const remote = repo(false);
    spawnSync("git", ["init", "-q", "--bare", "-b", "main", remote.dir], { env: cliEnv() });
    const dir = repo();
    dir.git("remote", "add", "origin", remote.dir);
    dir.write("a.txt", "first\n");
    dir.add("a.txt");
    dir.commit();
    dir.git("push", "-q", "origin", "main");
    expect(runCli(["install", "--pre-push"], { cwd: dir.dir }).code).toBe(0);
    // An old key that is already on the remote must not block a later push.
    dir.write("b.env", `KEY=${openaiProjectKey(203)}\n`);
    dir.add("b.env");
    dir.commit();
    dir.git("push", "-q", "--no-verify", "origin", "main");
    dir.write("c.txt", "clean\n");
    dir.add("c.txt");
    dir.commit();
    dir.write("d.env", `KEY=${openaiProjectKey(204)}\n`);
    dir.add("d.env");
    dir.commit();
    const push = spawnSync("git", ["push", "origin", "main"], { cwd: dir.dir, env: cliEnv(), encoding: "utf8" });
    expect(push.status).not.toBe(0);
    expect(push.stdout + push.stderr).toContain("d.env");
    expect(push.stdout + push.stderr).not.toContain("b.env");
    dir.git("reset", "-q", "--hard", "HEAD~1");
    const clean = spawnSync("git", ["push", "origin", "main"], { cwd: dir.dir, env: cliEnv(), encoding: "utf8" });
    expect(clean.status, clean.stderr).toBe(0);
  });

  it("refuses standard input that is not git's ref lines, rather than letting the push through unscanned", () => {
    const dir = repo();
    dir.write("d.env", `KEY=${openaiProjectKey(205)}\n`);
    dir.add("d.env");
    const tip = dir.commit();
    const result = runCli(["pre-push", "origin"], { cwd: dir.dir, input: `main ${tip}\n` });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("line 1 of standard input");
    // The same push as git writes it is scanned and blocked; no line at all pushes nothing.
    const zeros = "0".repeat(40);
    expect(runCli(["pre-push", "origin"], { cwd: dir.dir, input: `refs/heads/main ${tip} refs/heads/main ${zeros}\n` }).code).toBe(1);
    expect(runCli(["pre-push", "origin"], { cwd: dir.dir, input: "" }).code).toBe(0);
  });
});

describe("keyscan migrate gitleaks", () => {
  it("writes a keyscan.toml whose custom rule fires, keeping an existing config", () => {
    const dir = repo();
    dir.write(
      ".gitleaks.toml",
      `[[rules]]\nid = "acme-token"\ndescription = "Acme token"\nregex = '''acme_[a-zA-Z0-9]{24}'''\nkeywords = ["acme_"]\n`,
    );
    const result = runCli(["migrate", "gitleaks"], { cwd: dir.dir });
    expect(result.code).toBe(0);
    expect(existsSync(join(dir.dir, "keyscan.toml"))).toBe(true);
    dir.write("app.cfg", `token = acme_${randomString(rng(7), ALNUM, 24)}\n`);
    expect(runCli(["scan", "app.cfg", "-f", "json"], { cwd: dir.dir }).code).toBe(1);
    const before = readFileSync(join(dir.dir, "keyscan.toml"), "utf8");
    expect(runCli(["migrate", "gitleaks"], { cwd: dir.dir }).code).toBe(0);
    expect(readFileSync(join(dir.dir, "keyscan.toml"), "utf8")).toBe(before);
    expect(existsSync(join(dir.dir, "keyscan.toml.new"))).toBe(true);
  });

  it("exits 2 for a missing gitleaks config and an unknown tool", () => {
    const dir = repo();
    expect(runCli(["migrate", "gitleaks", "nope.toml"], { cwd: dir.dir }).code).toBe(2);
    expect(runCli(["migrate", "trufflehog"], { cwd: dir.dir }).code).toBe(2);
  });

  it("honours .gitleaksignore entries", () => {
    const dir = repo();
    dir.write("a.env", `\nKEY=${openaiProjectKey(205)}\n`);
    expect(runCli(["scan"], { cwd: dir.dir }).code).toBe(1);
    dir.write(".gitleaksignore", "a.env:openai-api-key:2\n");
    expect(runCli(["scan"], { cwd: dir.dir }).code).toBe(0);
  });
});
