import { chmodSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { preCommitFrameworkRanges, prePushRanges } from "../../src/hooks/pre-push.js";
import { type TempRepo, tempRepo } from "../helpers/git-repo.js";

const ZERO = "0".repeat(40);

describe("prePushRanges with a real push", () => {
  let remote: TempRepo;
  let clone: TempRepo;
  const stdinFile = (): string => join(clone.dir, ".git", "pre-push-stdin");

  /** Commits a file change and returns the sha. */
  function commit(name: string): string {
    clone.write(name, `${name}\n`);
    clone.add(name);
    return clone.commit({ message: name });
  }

  /**
   * Runs a real `git push` whose hook saves git's stdin and refuses, as keyscan does on a finding:
   * the remote-tracking refs stay as they were while the ranges are evaluated. Returns the stdin.
   */
  function push(...refspecs: string[]): string {
    expect(() => clone.git("push", "-q", "origin", ...refspecs)).toThrow(/failed to push/);
    return readFileSync(stdinFile(), "utf8");
  }

  const revList = (revs: string[]): string[] => clone.git("rev-list", ...revs).trim().split("\n").filter(Boolean);

  beforeAll(() => {
    remote = tempRepo({ init: false });
    remote.git("init", "-q", "--bare", "-b", "main");
    clone = tempRepo({ init: false });
    clone.git("clone", "-q", remote.dir, ".");
    clone.git("checkout", "-q", "-b", "main");
    commit("base.txt");
    clone.git("push", "-q", "origin", "main");
    clone.write(".git/hooks/pre-push", `#!/bin/sh\ncat > '${stdinFile()}'\nexit 1\n`);
    chmodSync(join(clone.dir, ".git/hooks/pre-push"), 0o755);
  });

  afterAll(() => {
    clone.remove();
    remote.remove();
  });

  it("an update selects exactly the two new commits", async () => {
    const before = clone.git("rev-parse", "HEAD").trim();
    const added = [commit("one.txt"), commit("two.txt")];
    const stdin = push("main");
    expect(stdin).toBe(`refs/heads/main ${added[1]} refs/heads/main ${before}\n`);
    const revs = await prePushRanges(stdin, "origin", clone.dir);
    expect(revs).toEqual([`${before}..${added[1]}`]);
    expect(revList(revs).sort()).toEqual([...added].sort());
    clone.git("push", "-q", "--no-verify", "origin", "main");
  });

  it("a new branch selects the commits on no remote-tracking branch", async () => {
    clone.git("checkout", "-q", "-b", "feature");
    const added = [commit("three.txt"), commit("four.txt")];
    const stdin = push("feature");
    expect(stdin).toBe(`refs/heads/feature ${added[1]} refs/heads/feature ${ZERO}\n`);
    const revs = await prePushRanges(stdin, "origin", clone.dir);
    expect(revs).toEqual([added[1], "--not", "--remotes=origin"]);
    expect(revList(revs).sort()).toEqual([...added].sort());
    clone.git("push", "-q", "--no-verify", "origin", "feature");
  });

  it("a deletion selects nothing", async () => {
    const stdin = push(":feature");
    expect(stdin).toMatch(new RegExp(`^\\(delete\\) ${ZERO} refs/heads/feature [0-9a-f]{40}\\n$`));
    expect(await prePushRanges(stdin, "origin", clone.dir)).toEqual([]);
  });

  it("a remote sha this clone lacks falls back to the new-branch form; updates stay before --not", async () => {
    const head = clone.git("rev-parse", "HEAD").trim();
    const main = clone.git("rev-parse", "main~1").trim();
    const stdin = `refs/heads/x ${head} refs/heads/x ${"1".repeat(40)}\nrefs/heads/main ${head} refs/heads/main ${main}\n`;
    expect(await prePushRanges(stdin, "origin", clone.dir)).toEqual([`${main}..${head}`, head, "--not", "--remotes=origin"]);
  });
});

describe("preCommitFrameworkRanges", () => {
  it("reads the range the pre-commit framework passes in the environment", () => {
    expect(preCommitFrameworkRanges({ PRE_COMMIT_FROM_REF: "a", PRE_COMMIT_TO_REF: "b" })).toEqual(["a..b"]);
    expect(preCommitFrameworkRanges({ PRE_COMMIT_LOCAL_BRANCH: "refs/heads/x", PRE_COMMIT_REMOTE_NAME: "up" })).toEqual([
      "refs/heads/x",
      "--not",
      "--remotes=up",
    ]);
    expect(preCommitFrameworkRanges({ PRE_COMMIT_TO_REF: "b" })).toBeUndefined();
  });
});
