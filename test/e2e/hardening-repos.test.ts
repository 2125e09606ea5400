// Any repository, and a hostile one: the CLI on empty, detached, shallow, bare, worktree, submodule
// and many-ref repositories, and on a repository whose config would run a program.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openaiProjectKey } from "../../fixtures/fake-keys.js";
import { cliEnv, runCli } from "../helpers/cli.js";
import { type TempRepo, useTempRepos } from "../helpers/git-repo.js";

const repo = useTempRepos();

/** A repository of three commits, each adding a file with a key. */
function threeLeaks(): TempRepo {
  const made = repo();
  for (let i = 1; i <= 3; i++) {
    made.write(`f${i}.py`, `KEY = "${openaiProjectKey(300 + i)}"\n`);
    made.add(`f${i}.py`);
    made.commit({ message: `c${i}`, date: `2024-01-0${i}T00:00:00Z` });
  }
  return made;
}

interface JsonFinding {
  file: string;
  line: number;
  commit?: { sha: string };
}

function findingsOf(stdout: string): JsonFinding[] {
  return (JSON.parse(stdout) as { findings: JsonFinding[] }).findings;
}

describe("any repository", () => {
  it("an empty repository (no commits): scan, staged and history all work", () => {
    const made = repo();
    for (const command of ["scan", "staged", "history"]) {
      expect(runCli([command, "--no-progress"], { cwd: made.dir }), command).toMatchObject({ code: 0 });
    }
    made.write("new.py", `KEY = "${openaiProjectKey(310)}"\n`);
    made.add("new.py");
    const staged = runCli(["staged", "-f", "json"], { cwd: made.dir });
    expect(staged.code).toBe(1);
    expect(findingsOf(staged.stdout)).toMatchObject([{ file: "new.py", line: 1 }]);
  });

  it("a detached HEAD: history of all refs, and staged against the detached commit", () => {
    const made = threeLeaks();
    made.git("checkout", "-q", "--detach", "HEAD~1");
    expect(findingsOf(runCli(["history", "-f", "json"], { cwd: made.dir }).stdout)).toHaveLength(3);
    made.write("f1.py", `KEY = "${openaiProjectKey(301)}"\nOTHER = "${openaiProjectKey(311)}"\n`);
    made.add("f1.py");
    expect(findingsOf(runCli(["staged", "-f", "json"], { cwd: made.dir }).stdout)).toMatchObject([{ file: "f1.py", line: 2 }]);
  });

  it("a shallow clone: history says it is partial, once, and scans what it has", () => {
    const source = threeLeaks();
    const clone = repo(false);
    clone.git("clone", "-q", "--depth", "1", `file://${source.dir}`, ".");
    const result = runCli(["history", "-f", "json"], { cwd: clone.dir });
    expect(result.code).toBe(1);
    expect(result.stderr.match(/shallow clone: history is partial/g)).toHaveLength(1);
    // The shallow boundary looks like a root commit: all three files appear in it.
    expect(findingsOf(result.stdout).map((finding) => finding.file).sort()).toEqual(["f1.py", "f2.py", "f3.py"]);
    const full = runCli(["history", "-f", "json"], { cwd: source.dir });
    expect(full.stderr).not.toMatch(/shallow/);
  });

  it("a bare repository: history works from inside it", () => {
    const source = threeLeaks();
    const bare = repo(false);
    bare.git("clone", "-q", "--bare", source.dir, ".");
    const result = runCli(["history", "-f", "json"], { cwd: bare.dir });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(1);
    expect(findingsOf(result.stdout).map((finding) => finding.file).sort()).toEqual(["f1.py", "f2.py", "f3.py"]);
    // Still refused where there is no repository at all.
    expect(runCli(["history"], { cwd: repo(false).dir }).code).toBe(2);
  });

  it("a linked worktree: scan, staged and history work in it", () => {
    const made = threeLeaks();
    const worktree = join(made.dir, "..", `${made.dir.split("/").pop()}-wt`);
    made.git("worktree", "add", "-q", worktree, "HEAD~2");
    try {
      const scan = runCli(["scan", "-f", "json"], { cwd: worktree });
      expect(findingsOf(scan.stdout).map((finding) => finding.file)).toEqual(["f1.py"]);
      expect(findingsOf(runCli(["history", "-f", "json"], { cwd: worktree }).stdout)).toHaveLength(3);
      expect(runCli(["staged"], { cwd: worktree }).code).toBe(0);
      made.write(`../${worktree.split("/").pop()}/wt.py`, `KEY = "${openaiProjectKey(312)}"\n`);
      made.git("-C", worktree, "add", "wt.py");
      expect(findingsOf(runCli(["staged", "-f", "json"], { cwd: worktree }).stdout)).toMatchObject([{ file: "wt.py", line: 1 }]);
      // The main checkout's index is its own.
      expect(runCli(["staged"], { cwd: made.dir }).code).toBe(0);
    } finally {
      rmSync(worktree, { recursive: true, force: true });
    }
  });

  it("submodules are skipped and said once, however many there are", () => {
    const sub = threeLeaks();
    const made = repo();
    for (const name of ["one", "two", "three"]) {
      made.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", sub.dir, `mods/${name}`);
    }
    made.commit({ message: "submodules" });
    const result = runCli(["scan", "-f", "json"], { cwd: made.dir });
    expect(result.code).toBe(0);
    expect(result.stderr.match(/submodules are not scanned/g)).toHaveLength(1);
    expect(result.stderr).toMatch(/submodules are not scanned: mods\/one and 2 more/);
    expect(JSON.parse(result.stdout).stats.skippedOther).toBe(3);
  });

  it("thousands of refs: history of 3,000 tags completes and reports each leak once", () => {
    const made = threeLeaks();
    const head = made.git("rev-parse", "HEAD").trim();
    const updates = Array.from({ length: 3000 }, (_, i) => `create refs/tags/t${i} ${head}\n`).join("");
    execFileSync("git", ["update-ref", "--stdin"], { cwd: made.dir, input: updates, env: cliEnv() });
    expect(made.git("tag", "--list").split("\n").filter(Boolean)).toHaveLength(3000);
    const started = Date.now();
    const result = runCli(["history", "-f", "json"], { cwd: made.dir });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(findingsOf(result.stdout)).toHaveLength(3);
  });
});

describe("a hostile repository", () => {
  it("runs none of the programs its config names, in scan, staged or history", () => {
    const made = repo();
    const marker = join(made.dir, "PWNED");
    const evil = join(made.dir, "evil.sh");
    made.write("evil.sh", `#!/bin/sh\ntouch "${marker}"\nexit 0\n`);
    chmodSync(evil, 0o755);
    for (const [key, value] of [
      ["core.fsmonitor", evil],
      ["core.pager", evil],
      ["core.hooksPath", made.dir],
      ["diff.external", evil],
      ["diff.evil.textconv", evil],
      ["core.sshCommand", evil],
    ]) {
      made.git("config", key ?? "", value ?? "");
    }
    for (const hook of ["pre-commit", "post-checkout", "reference-transaction", "fsmonitor-watchman"]) {
      made.write(hook, `#!/bin/sh\ntouch "${marker}"\n`);
      chmodSync(join(made.dir, hook), 0o755);
    }
    made.write(".gitattributes", "*.py diff=evil\n");
    made.write("a.py", `KEY = "${openaiProjectKey(320)}"\n`);
    made.add(".gitattributes", "a.py");
    rmSync(marker, { force: true });
    made.git("-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false", "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-qm", "c");
    made.write("a.py", `KEY = "${openaiProjectKey(320)}"\nKEY2 = "${openaiProjectKey(321)}"\n`);
    made.git("-c", "core.fsmonitor=false", "add", "a.py");
    rmSync(marker, { force: true });
    for (const command of ["scan", "staged", "history"]) {
      const result = runCli([command, "-f", "json"], { cwd: made.dir });
      expect(result.code, `${command}: ${result.stderr}`).toBe(1);
      expect(existsSync(marker), command).toBe(false);
    }
    // The trap is armed: plain git runs the repository's programs.
    execFileSync("git", ["diff", "--cached"], { cwd: made.dir, env: cliEnv(), stdio: "ignore" });
    expect(existsSync(marker)).toBe(true);
  });
});
