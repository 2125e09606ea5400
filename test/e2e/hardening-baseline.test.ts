// End to end (built CLI, real git, real processes): a baseline loses no entry it should keep — not to a
// partial run, not to --prune outside the scanned paths, not to two runs at once.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openaiProjectKey } from "../../fixtures/fake-keys.js";
import { CLI, cliEnv, runCli } from "../helpers/cli.js";
import { useTempRepos } from "../helpers/git-repo.js";

const newRepo = useTempRepos();

const entries = (dir: string): string[] =>
  (JSON.parse(readFileSync(join(dir, ".keyscan-baseline.json"), "utf8")) as { findings: Array<{ path: string }> }).findings
    .map((entry) => entry.path)
    .sort();

/** Runs the built CLI without blocking this process, so several can run at once. */
function runAsync(args: string[], cwd: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: cliEnv() });
    let stderr = "";
    child.stderr.on("data", (data: Buffer) => {
      stderr += data.toString();
    });
    child.on("close", (code) => resolve({ code: code ?? -1, stderr }));
  });
}

describe("keyscan baseline", () => {
  it("with a PATH keeps the other paths' entries; --prune drops only entries under the scanned paths", () => {
    const repo = newRepo();
    repo.write("a/one.env", `KEY=${openaiProjectKey(401)}\n`);
    repo.write("b/two.env", `KEY=${openaiProjectKey(402)}\n`);
    expect(runCli(["baseline", "--no-progress"], { cwd: repo.dir }).code).toBe(0);
    expect(entries(repo.dir)).toEqual(["a/one.env", "b/two.env"]);

    repo.write("a/three.env", `KEY=${openaiProjectKey(403)}\n`);
    const partial = runCli(["baseline", "a", "--no-progress"], { cwd: repo.dir });
    expect(partial.code).toBe(0);
    expect(partial.stderr).toMatch(/added 1 new finding; .*\.keyscan-baseline\.json holds 3 entries/);
    expect(entries(repo.dir)).toEqual(["a/one.env", "a/three.env", "b/two.env"]);

    // Both secrets gone; pruning folder a drops a's entry only, b's stays though b's secret is gone too.
    repo.write("a/one.env", "KEY=from-the-environment\n");
    repo.write("b/two.env", "KEY=from-the-environment\n");
    const pruned = runCli(["baseline", "--prune", "a", "--no-progress"], { cwd: repo.dir });
    expect(pruned.code).toBe(0);
    expect(pruned.stderr).toMatch(/pruned 1 entry no longer found/);
    expect(entries(repo.dir)).toEqual(["a/three.env", "b/two.env"]);
  });

  it("into a folder that does not exist is one sentence and exit code 2, not an unexpected error", () => {
    const repo = newRepo();
    repo.write("a.env", `KEY=${openaiProjectKey(404)}\n`);
    const result = runCli(["baseline", "--no-progress", "-o", "missing/base.json"], { cwd: repo.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("keyscan: cannot write missing/base.json: its folder does not exist (its lock file missing/base.json.lock could not be created)\n");
  });

  it("run twice at once, by two processes, keeps both runs' entries", async () => {
    const repo = newRepo();
    const paths = ["a.env", "b.env", "c.env", "d.env"];
    for (const [index, path] of paths.entries()) repo.write(path, `KEY=${openaiProjectKey(410 + index)}\n`);
    const runs = await Promise.all(paths.map((path) => runAsync(["baseline", path, "--no-progress"], repo.dir)));
    for (const run of runs) expect(run).toMatchObject({ code: 0 });
    expect(entries(repo.dir)).toEqual(paths);
    expect(existsSync(join(repo.dir, ".keyscan-baseline.json.lock"))).toBe(false);
  });

  it("waits for a lock held by a live process, then fails with one sentence; takes over a stale one", () => {
    const repo = newRepo();
    repo.write("a.env", `KEY=${openaiProjectKey(420)}\n`);
    const lock = join(repo.dir, ".keyscan-baseline.json.lock");
    // This test's own process stands in for a keyscan that is writing the baseline.
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname() }));
    const held = runCli(["baseline", "--no-progress"], { cwd: repo.dir });
    expect(held.code).toBe(2);
    expect(held.stderr.trim().split("\n")).toEqual([
      `keyscan: ${join(repo.dir, ".keyscan-baseline.json")} is being updated by keyscan process ${process.pid} (lock file ${lock}); run again when it is done, or delete the lock file if no keyscan is running`,
    ]);
    expect(existsSync(join(repo.dir, ".keyscan-baseline.json"))).toBe(false);

    // A lock left by a process that has exited is stale: taken over, and removed afterwards.
    const exited = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    writeFileSync(lock, JSON.stringify({ pid: Number(exited.stdout), host: hostname() }));
    expect(runCli(["baseline", "--no-progress"], { cwd: repo.dir }).code).toBe(0);
    expect(entries(repo.dir)).toEqual(["a.env"]);
    expect(existsSync(lock)).toBe(false);
  });
});
