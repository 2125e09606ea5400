// The top level found without git (top-level.ts) against git's own answer, case by case: what it
// answers must be what `git rev-parse --show-toplevel` says, and what it cannot vouch for is left to git.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, realpathSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../src/sources/git.js";
import { findTopLevel } from "../../src/sources/top-level.js";
import { useTempRepos } from "../helpers/git-repo.js";

const repo = useTempRepos();

/** git's own answer from `cwd` under `env` (and no caller's GIT_* variables), or undefined where it finds no work tree. */
function gitsTopLevel(cwd: string, env: Record<string, string> = {}): string | undefined {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("GIT_")));
  const result = spawnSync("git", ["rev-parse", "--show-toplevel"], { cwd, env: { ...clean, ...env }, encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

describe("the top level found without git", () => {
  it("is the repository's top folder from the top, a subfolder and a symlinked path, as git says", () => {
    const made = repo();
    made.write("a/b/c.txt", "x");
    const top = realpathSync(made.dir);
    const link = join(made.dir, "..", `${made.dir.split("/").pop()}-link`);
    symlinkSync(made.dir, link);
    try {
      for (const start of [made.dir, join(made.dir, "a/b"), join(link, "a")]) {
        expect(findTopLevel(start, {}), start).toEqual({ kind: "found", top });
        expect(gitsTopLevel(start)).toBe(top);
      }
    } finally {
      execFileSync("rm", [link]);
    }
  });

  it("is none outside any repository, as git finds none", () => {
    const plain = repo(false);
    expect(findTopLevel(plain.dir, {})).toEqual({ kind: "none" });
    expect(gitsTopLevel(plain.dir)).toBeUndefined();
  });

  it("is a linked worktree's own folder (its .git is a file)", () => {
    const made = repo();
    made.commit();
    const worktree = `${made.dir}-worktree`;
    made.git("worktree", "add", "-q", worktree);
    try {
      mkdirSync(join(worktree, "sub"));
      expect(findTopLevel(join(worktree, "sub"), {})).toEqual({ kind: "found", top: realpathSync(worktree) });
      expect(gitsTopLevel(join(worktree, "sub"))).toBe(realpathSync(worktree));
    } finally {
      execFileSync("rm", ["-rf", worktree]);
    }
  });

  it("leaves to git a submodule (its config names the work tree), and git's answer is the submodule's folder", async () => {
    const inner = repo();
    inner.write("x.txt", "x");
    inner.add("x.txt");
    inner.commit();
    const outer = repo();
    outer.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", inner.dir, "sub");
    const sub = join(realpathSync(outer.dir), "sub");
    expect(findTopLevel(sub, {})).toEqual({ kind: "ask-git" });
    expect(await repoRoot(sub)).toBe(sub);
    expect(gitsTopLevel(sub)).toBe(sub);
  });

  it("leaves to git what the environment or the config changes: GIT_DIR, GIT_WORK_TREE, core.worktree, a bare repository, the inside of .git", () => {
    const made = repo();
    made.write("a/c.txt", "x");
    const top = realpathSync(made.dir);
    const sub = join(top, "a");
    // With GIT_DIR and no work tree named, git takes the current folder as the top level.
    expect(findTopLevel(sub, { GIT_DIR: join(top, ".git") })).toEqual({ kind: "ask-git" });
    expect(gitsTopLevel(sub, { GIT_DIR: join(top, ".git") })).toBe(sub);
    expect(findTopLevel(sub, { GIT_WORK_TREE: sub })).toEqual({ kind: "ask-git" });
    expect(findTopLevel(sub, { GIT_CEILING_DIRECTORIES: top })).toEqual({ kind: "ask-git" });
    expect(findTopLevel(join(top, ".git", "refs"), {})).toEqual({ kind: "ask-git" });
    expect(gitsTopLevel(join(top, ".git", "refs"))).toBeUndefined();

    made.git("config", "core.worktree", sub);
    expect(findTopLevel(top, {})).toEqual({ kind: "ask-git" });
    expect(gitsTopLevel(top)).toBe(sub);
    made.git("config", "--unset", "core.worktree");
    made.git("config", "core.bare", "true");
    expect(findTopLevel(top, {})).toEqual({ kind: "ask-git" });
    expect(gitsTopLevel(top)).toBeUndefined();
    made.git("config", "core.bare", "false");
    expect(findTopLevel(top, {})).toEqual({ kind: "found", top });
  });

  it("leaves to git a bare repository and a .git folder git would pass over", () => {
    const bare = repo(false);
    bare.git("init", "-q", "--bare");
    expect(findTopLevel(bare.dir, {})).toEqual({ kind: "ask-git" });
    const outer = repo();
    const inner = join(realpathSync(outer.dir), "inner");
    mkdirSync(join(inner, ".git"), { recursive: true }); // empty: not a repository, git looks further up
    expect(findTopLevel(inner, {})).toEqual({ kind: "ask-git" });
    expect(gitsTopLevel(inner)).toBe(realpathSync(outer.dir));
  });

  it("leaves to git a repository another user owns, which git refuses", () => {
    const made = repo();
    execFileSync("chown", ["-R", "nobody", made.dir]);
    try {
      expect(findTopLevel(made.dir, {})).toEqual({ kind: "ask-git" });
    } finally {
      execFileSync("chown", ["-R", "root", made.dir]);
    }
  });
});
