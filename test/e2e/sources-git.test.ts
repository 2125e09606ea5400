import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { CatFile } from "../../src/sources/cat-file.js";
import { readWorkingTree } from "../helpers/working-tree.js";
import { git, gitStream, repoRoot, startGitAhead, stopGitStartedAhead } from "../../src/sources/git.js";
import { historySource } from "../../src/sources/history.js";
import { stagedItems } from "../../src/sources/staged.js";
import { type TempRepo, useTempRepos } from "../helpers/git-repo.js";

const repo = useTempRepos();

/**
 * A repository whose config and attributes ask git to run a program (fsmonitor, external diff,
 * textconv, pager, hooks); the program leaves a marker file if it ever runs.
 */
function hostileRepo(): { made: TempRepo; marker: string } {
  const made = repo();
  const marker = join(made.dir, "PWNED");
  made.write("evil.sh", `#!/bin/sh\ntouch "${marker}"\ncat "$1" 2>/dev/null\nexit 0\n`);
  chmodSync(join(made.dir, "evil.sh"), 0o755);
  const evil = join(made.dir, "evil.sh");
  const settings: [string, string][] = [
    ["core.fsmonitor", evil],
    ["core.pager", evil],
    ["core.hooksPath", made.dir],
    ["diff.external", evil],
    ["diff.evil.textconv", evil],
    ["diff.evil.command", evil],
  ];
  for (const [key, value] of settings) made.git("config", key, value);
  made.write(".gitattributes", "*.txt diff=evil\n");
  made.write("a.txt", "one\n");
  made.add(".gitattributes", "a.txt");
  made.commit();
  made.write("a.txt", "one\ntwo\n");
  made.add("a.txt");
  made.commit();
  made.write("a.txt", "one\ntwo\nthree\n");
  made.add("a.txt");
  rmSync(marker, { force: true });
  return { made, marker };
}

describe("git safety", () => {
  it("never runs a program that a scanned repository configures", async () => {
    const { made, marker } = hostileRepo();
    for await (const _ of readWorkingTree({ cwd: made.dir, maxFileSize: 1e6 })) void _;
    for await (const _ of stagedItems({ cwd: made.dir })) void _;
    const history = historySource({ cwd: made.dir });
    for await (const item of history.items) if (item.kind === "blob") await item.read(item.blob, item.provenance.path);
    history.close();
    expect(existsSync(marker)).toBe(false);

    // The trap is armed: plain git, without keyscan's settings, runs the program.
    execFileSync("git", ["diff", "--cached"], { cwd: made.dir, stdio: "ignore" });
    expect(existsSync(marker)).toBe(true);
  });
});

describe("git helpers", () => {
  it("git() returns stdout and turns failure into one-sentence UsageError", async () => {
    const made = repo();
    expect((await git(["rev-parse", "--is-inside-work-tree"], { cwd: made.dir })).toString()).toBe("true\n");
    await expect(git(["rev-parse", "--verify", "nope"], { cwd: made.dir })).rejects.toThrow(
      new UsageError("git rev-parse failed: Needed a single revision"),
    );
  });

  it("a command's own settings reach git over the safe ones, for that command only", async () => {
    const made = repo();
    const setting = ["config", "--get", "core.packedGitWindowSize"];
    expect((await git(setting, { cwd: made.dir, config: ["core.packedGitWindowSize=8m"] })).toString()).toBe("8m\n");
    expect((await git(setting, { cwd: made.dir })).toString()).toBe("32m\n");
    // The same command started ahead ran with the safe settings alone: it is not taken for one with its own.
    startGitAhead(setting, made.dir);
    expect((await git(setting, { cwd: made.dir, config: ["core.packedGitWindowSize=8m"] })).toString()).toBe("8m\n");
    stopGitStartedAhead();
  });

  it("repoRoot finds the top level from a subfolder, and nothing outside a repository", async () => {
    const made = repo();
    made.write("a/b/c.txt", "x");
    expect(await repoRoot(join(made.dir, "a/b"))).toBe(made.dir);
    expect(await repoRoot(repo(false).dir)).toBeUndefined();
  });

  it("gitStream yields output incrementally and reports failure at the end", async () => {
    const made = repo();
    for (let i = 0; i < 3; i++) made.commit({ message: `c${i}` });
    let text = "";
    for await (const data of gitStream(["log", "--format=%s"], { cwd: made.dir })) text += data.toString();
    expect(text).toBe("c2\nc1\nc0\n");
    const failing = async () => {
      for await (const _ of gitStream(["log", "nope", "--"], { cwd: made.dir })) void _;
    };
    await expect(failing()).rejects.toThrow(/git log failed: bad revision 'nope'/);
  });

  it("CatFile reads many objects through one process, and only the size of a blob over the limit", async () => {
    const made = repo();
    const ids = ["small", "", "x".repeat(70_000), "line\nwith\0nul"].map((content) => {
      made.write("tmp", content);
      return made.git("hash-object", "-w", "tmp").trim();
    });
    const catFile = new CatFile(made.dir);
    try {
      const [small, empty, big, binary, missing] = await Promise.all([
        ...ids.map((id) => catFile.read(id, 65_536)),
        catFile.read("0".repeat(40)),
      ]);
      expect(small?.content?.toString()).toBe("small");
      expect(empty).toMatchObject({ size: 0 });
      expect(empty?.content?.length).toBe(0);
      expect(big).toEqual({ oid: ids[2], size: 70_000 });
      expect(binary?.content?.toString()).toBe("line\nwith\0nul");
      expect(missing?.size).toBe(-1);
      // Still in step after the skipped and missing answers.
      expect((await catFile.read(ids[0] ?? "")).content?.toString()).toBe("small");
    } finally {
      catFile.close();
    }
  });
});
