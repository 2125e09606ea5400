// End to end (built CLI, real shell pipes and devices): a report that cannot be delivered — `-o` naming a
// folder, standard output on a full device or closed by its reader — is one sentence and exit code 2, never a
// stack trace and never 0 or 1 as if it had been delivered.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openaiProjectKey } from "../../fixtures/fake-keys.js";
import { CLI, cliEnv, runCli } from "../helpers/cli.js";
import { useTempRepos } from "../helpers/git-repo.js";

const newRepo = useTempRepos();

/** Runs `keyscan ARGS` in bash with its standard output sent to `redirect`, and returns keyscan's own exit code. */
function inShell(dir: string, args: string, redirect: string): { code: number; stderr: string } {
  const script = `"${process.execPath}" "${CLI}" ${args} ${redirect}; echo "exit=\${PIPESTATUS[0]}" >&3`;
  const result = spawnSync("bash", ["-c", `${script}`], { cwd: dir, env: cliEnv(), encoding: "utf8", stdio: ["ignore", "ignore", "pipe", "pipe"] });
  const fd3 = (result.output[3] ?? "").toString();
  return { code: Number(/exit=(\d+)/.exec(fd3)?.[1] ?? -1), stderr: result.stderr };
}

const noStack = (stderr: string) => {
  expect(stderr.trim().split("\n")).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at |node:events|Error:/);
};

describe("a report that cannot be delivered", () => {
  it("-o naming a folder: one sentence, exit 2", () => {
    const repo = newRepo();
    repo.write("app.env", `KEY=${openaiProjectKey(501)}\n`);
    mkdirSync(join(repo.dir, "reports"));
    const result = runCli(["scan", ".", "--no-progress", "-o", "reports"], { cwd: repo.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("keyscan: cannot write reports: it is a folder\n");
    const missing = runCli(["scan", ".", "--no-progress", "-o", "nowhere/report.json"], { cwd: repo.dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("keyscan: cannot write nowhere/report.json: its folder does not exist\n");
    expect(existsSync(join(repo.dir, "nowhere"))).toBe(false);
  });

  it.each([
    ["a full device (> /dev/full)", "> /dev/full", "no space left on the device"],
    ["a reader that closed it (| head -0)", "| head -0", "the reading end was closed"],
  ])("standard output on %s: one sentence, exit 2, on a clean scan and with findings", (_, redirect, reason) => {
    const repo = newRepo();
    writeFileSync(join(repo.dir, "readme.txt"), "nothing here\n");
    // head -0 exits at once, long before keyscan has started: keyscan's write then meets a closed pipe.
    const clean = inShell(repo.dir, "scan . --no-progress", redirect);
    expect(clean.code).toBe(2);
    noStack(clean.stderr);
    expect(clean.stderr).toBe(`keyscan: cannot write to standard output: ${reason}\n`);

    repo.write("app.env", `KEY=${openaiProjectKey(502)}\n`);
    const found = inShell(repo.dir, "scan . --no-progress --format sarif", redirect);
    expect(found.code).toBe(2);
    expect(found.stderr).toBe(`keyscan: cannot write to standard output: ${reason}\n`);
  });
});
