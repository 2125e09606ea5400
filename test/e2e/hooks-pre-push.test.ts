// End-to-end: real `git push` to a real bare remote through the hook `keyscan install --pre-push` writes.
// Each push either lands (the remote's ref moves) or is refused by keyscan (the remote's ref stays).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openaiProjectKey } from "../../fixtures/fake-keys.js";
import { cliEnv, runCli } from "../helpers/cli.js";
import { type TempRepo, tempRepo, useTempRepos } from "../helpers/git-repo.js";
import { makeNodeProject, npx } from "../helpers/node-project.js";

const repo = useTempRepos();

describe("keyscan install --pre-push, through real pushes", () => {
  let remote: TempRepo;
  let clone: TempRepo;
  let seed = 800;

  /** Commits one file; with `key`, the file holds a fresh fake key. Returns the sha. */
  function commit(name: string, options: { key?: boolean } = {}): string {
    clone.write(name, options.key ? `API_KEY=${openaiProjectKey(seed++)}\n` : `${name} ${seed++}\n`);
    clone.add(name);
    return clone.commit({ message: name });
  }

  function push(...args: string[]): { code: number; output: string } {
    const result = spawnSync("git", ["push", "origin", ...args], { cwd: clone.dir, env: cliEnv(), encoding: "utf8" });
    return { code: result.status ?? -1, output: result.stdout + result.stderr };
  }

  /** The sha a ref has on the remote, or "" when the remote has no such ref. */
  function onRemote(ref: string): string {
    return spawnSync("git", ["rev-parse", "--verify", "-q", ref], { cwd: remote.dir, env: cliEnv(), encoding: "utf8" }).stdout.trim();
  }

  function expectLanded(result: { code: number; output: string }): void {
    expect(result.code, result.output).toBe(0);
    expect(result.output).not.toContain("Push blocked");
  }

  function expectBlocked(result: { code: number; output: string }, file: string): void {
    expect(result.code, result.output).not.toBe(0);
    expect(result.output).toContain("Push blocked");
    expect(result.output).toContain(file);
    expect(result.output).toContain(".keyscanignore");
  }

  beforeAll(() => {
    remote = tempRepo({ init: false });
    remote.git("init", "-q", "--bare", "-b", "main");
    clone = tempRepo();
    clone.git("remote", "add", "origin", remote.dir);
    const install = runCli(["install", "--pre-push"], { cwd: clone.dir });
    expect(install.code, install.stderr).toBe(0);
    expect(install.stdout).toContain("pre-push hook created");
  });

  afterAll(() => {
    clone.remove();
    remote.remove();
  });

  it("the first push of a repository with a key in its history is blocked, and lands without it", () => {
    commit("README.md");
    const leaky = commit("first.env", { key: true });
    expectBlocked(push("main"), "first.env");
    expect(onRemote("main")).toBe("");
    clone.git("reset", "-q", "--hard", "HEAD~1");
    expect(clone.git("rev-parse", "HEAD").trim()).not.toBe(leaky);
    expectLanded(push("main"));
    expect(onRemote("main")).toBe(clone.git("rev-parse", "HEAD").trim());
  });

  it("an update: clean commits land; a key added and removed again within the pushed commits is blocked", () => {
    const clean = commit("clean.txt");
    expectLanded(push("main"));
    expect(onRemote("main")).toBe(clean);

    commit("added.env", { key: true });
    clone.git("rm", "-q", "added.env");
    clone.commit({ message: "remove the key again" });
    expect(clone.git("ls-files")).not.toContain("added.env");
    expectBlocked(push("main"), "added.env");
    expect(onRemote("main")).toBe(clean);
    clone.git("reset", "-q", "--hard", clean);
  });

  it("an old key the remote already has does not block a later push", () => {
    const old = commit("old.env", { key: true });
    expect(spawnSync("git", ["push", "-q", "--no-verify", "origin", "main"], { cwd: clone.dir, env: cliEnv() }).status).toBe(0);
    expect(onRemote("main")).toBe(old);
    clone.write("old.env", `${clone.git("show", "HEAD:old.env")}DEBUG=1\n`);
    clone.add("old.env");
    const edit = clone.commit({ message: "edit another line of old.env" });
    expectLanded(push("main"));
    expect(onRemote("main")).toBe(edit);
  });

  it("moving a file whose key the remote already has does not block the push; a key copied into a new file does", () => {
    commit("moved.env", { key: true });
    expect(spawnSync("git", ["push", "-q", "--no-verify", "origin", "main"], { cwd: clone.dir, env: cliEnv() }).status).toBe(0);
    clone.git("mv", "moved.env", "config.env");
    const move = clone.commit({ message: "move it" });
    expectLanded(push("main"));
    expect(onRemote("main")).toBe(move);
    // Moved into a folder and edited in the same commit: paired with the file it was by its name.
    clone.write("deploy/config.env", `DEBUG=1\n${clone.git("show", "HEAD:config.env")}`);
    clone.git("rm", "-q", "config.env");
    clone.add("deploy/config.env");
    const edited = clone.commit({ message: "move it again, and edit it" });
    expectLanded(push("main"));
    expect(onRemote("main")).toBe(edited);
    clone.write("copy.env", clone.git("show", "HEAD:deploy/config.env"));
    clone.add("copy.env");
    clone.commit({ message: "copy it" });
    expectBlocked(push("main"), "copy.env");
    clone.git("reset", "-q", "--hard", edited);
  });

  it("a new branch: its own commits are scanned, not the ones it shares with main", () => {
    clone.git("checkout", "-q", "-b", "feature");
    const clean = commit("feature.txt");
    expectLanded(push("feature"));
    expect(onRemote("feature")).toBe(clean);

    clone.git("checkout", "-q", "-b", "leaky");
    commit("leaky.env", { key: true });
    expectBlocked(push("leaky"), "leaky.env");
    expect(onRemote("leaky")).toBe("");
    clone.git("checkout", "-q", "feature");
  });

  it("a force push of rewritten history is scanned for what the rewrite adds", () => {
    const pushed = onRemote("feature");
    clone.write("feature.txt", `rewritten\nAPI_KEY=${openaiProjectKey(seed++)}\n`);
    clone.add("feature.txt");
    clone.git("-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "--amend", "-m", "rewritten");
    expectBlocked(push("--force", "feature"), "feature.txt");
    expect(onRemote("feature")).toBe(pushed);

    clone.write("feature.txt", "rewritten\n");
    clone.add("feature.txt");
    clone.git("-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "--amend", "-m", "rewritten");
    const rewritten = clone.git("rev-parse", "HEAD").trim();
    expectLanded(push("--force", "feature"));
    expect(onRemote("feature")).toBe(rewritten);
  });

  it("deleting a branch is never blocked, even one whose history holds a key", () => {
    clone.git("checkout", "-q", "leaky");
    expect(spawnSync("git", ["push", "-q", "--no-verify", "origin", "leaky"], { cwd: clone.dir, env: cliEnv() }).status).toBe(0);
    expect(onRemote("leaky")).not.toBe("");
    expectLanded(push("--delete", "leaky"));
    expect(onRemote("leaky")).toBe("");
    clone.git("checkout", "-q", "main");
  });

  it("tags: lightweight and annotated tags of pushed commits land; a tag of an unpushed commit with a key is blocked", () => {
    clone.git("tag", "v1-light");
    clone.git("-c", "user.name=T", "-c", "user.email=t@example.com", "tag", "-a", "-m", "release", "v1");
    expectLanded(push("v1-light", "v1"));
    expect(onRemote("refs/tags/v1-light")).toBe(clone.git("rev-parse", "HEAD").trim());
    expect(onRemote("refs/tags/v1")).toBe(clone.git("rev-parse", "v1").trim());

    clone.git("checkout", "-q", "--detach");
    commit("tagged.env", { key: true });
    clone.git("-c", "user.name=T", "-c", "user.email=t@example.com", "tag", "-a", "-m", "leaky release", "v2");
    clone.git("tag", "v2-light");
    expectBlocked(push("v2"), "tagged.env");
    expectBlocked(push("v2-light"), "tagged.env");
    expect(onRemote("refs/tags/v2")).toBe("");
    expect(onRemote("refs/tags/v2-light")).toBe("");
    clone.git("checkout", "-q", "main");
  });
});

describe("keyscan install --pre-push under husky 9", () => {
  it("writes .husky/pre-push, which gets git's standard input and blocks a push adding a key", () => {
    const remote = repo(false);
    remote.git("init", "-q", "--bare", "-b", "main");
    const project = makeNodeProject(repo());
    project.git("remote", "add", "origin", remote.dir);
    expect(npx(project, "husky", "init").code).toBe(0);
    const install = npx(project, "keyscan", "install", "--pre-push");
    expect(install.stdout).toContain(".husky/pre-push");
    expect(readFileSync(join(project.dir, ".husky", "pre-push"), "utf8")).toContain('\nkeyscan pre-push "$@"\n');

    const push = () => spawnSync("git", ["push", "origin", "main"], { cwd: project.dir, env: cliEnv(), encoding: "utf8" });
    project.write("leak.env", `KEY=${openaiProjectKey(899)}\n`);
    project.add("leak.env");
    project.git("-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "--no-verify", "-m", "leak");
    const blocked = push();
    expect(blocked.status, blocked.stderr).not.toBe(0);
    expect(blocked.stdout + blocked.stderr).toContain("leak.env");
    expect(blocked.stdout + blocked.stderr).toContain("Push blocked");

    project.git("reset", "-q", "--hard", "HEAD~1");
    const landed = push();
    expect(landed.status, landed.stderr).toBe(0);
    expect(spawnSync("git", ["rev-parse", "main"], { cwd: remote.dir, encoding: "utf8" }).stdout.trim()).toBe(project.git("rev-parse", "HEAD").trim());
  });
});
