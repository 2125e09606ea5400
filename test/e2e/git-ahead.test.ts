// A git process started ahead (the `keyscan` entry starts the pre-commit hook's patch before the CLI's
// bundle loads) is taken by the first spawn of the same command in the same folder, output intact.
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { gitStream, spawnGit, startGitAhead, stopGitStartedAhead } from "../../src/sources/git.js";
import { openaiProjectKey } from "../../fixtures/fake-keys.js";
import { CLI } from "../helpers/cli.js";
import { useTempRepos } from "../helpers/git-repo.js";

const repo = useTempRepos();

async function output(stream: AsyncIterable<Buffer>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part);
  return Buffer.concat(parts).toString("utf8");
}

afterEach(() => stopGitStartedAhead());

describe("startGitAhead", () => {
  it("hands its process to the first spawn of the same command in the same folder, with all its output, and only to that one", async () => {
    const made = repo();
    made.write("a.txt", "one\n");
    made.add("a.txt");
    const args = ["ls-files", "--stage"];
    const ahead = startGitAhead(args, made.dir);
    await once(ahead, "exit"); // finished before anything read it: its output waits in the pipe
    // Then the event loop turns (as when the CLI waits for I/O before it takes the process): Node resumes the
    // output streams of an exited child that nobody listens to, which dropped the output and the "close" a reader waits for.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const taken = spawnGit(args, { cwd: made.dir });
    expect(taken).toBe(ahead);
    expect(await output(gitStream(args, { cwd: made.dir }))).toMatch(/\ta\.txt\n$/);
    const again = spawnGit(args, { cwd: made.dir });
    expect(again).not.toBe(ahead);
    again.kill();
  });

  it("keeps its output for the spawn that takes it after it has exited and the event loop has turned", { timeout: 10_000 }, async () => {
    // Node resumes the output streams of an exited child that nobody listens to: the output was dropped,
    // and a reader waited for ever for the "close" that had come (a pre-commit hook that hangs).
    const args = ["--version"];
    const ahead = startGitAhead(args, process.cwd());
    await once(ahead, "exit");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await output(gitStream(args, { cwd: process.cwd() }))).toMatch(/^git version /);
  });

  it("is not taken by another command or from another folder, and stopGitStartedAhead stops it", async () => {
    const made = repo();
    mkdirSync(join(made.dir, "sub"));
    const ahead = startGitAhead(["cat-file", "--batch-check"], made.dir);
    const otherFolder = spawnGit(["cat-file", "--batch-check"], { cwd: join(made.dir, "sub") });
    const otherCommand = spawnGit(["cat-file", "--batch"], { cwd: made.dir });
    expect(otherFolder).not.toBe(ahead);
    expect(otherCommand).not.toBe(ahead);
    for (const child of [otherFolder, otherCommand]) child.kill();
    stopGitStartedAhead();
    expect(spawnGit(["cat-file", "--batch-check"], { cwd: made.dir })).not.toBe(ahead);
  });
});

describe("keyscan staged, its patch started by the entry before the CLI loads", () => {
  it("starts git diff once, before reading the CLI's bundle, and finds a key staged from a subfolder", () => {
    const made = repo();
    made.write("src/old.env", "A=1\n");
    made.add("src/old.env");
    made.commit();
    made.write("src/old.env", `A=1\nOPENAI_API_KEY=${openaiProjectKey(7)}\n`);
    made.add("src/old.env");
    // Preloaded: logs, in order, each git command spawned and the reading of the CLI's bundle.
    const probe = join(made.dir, "probe.cjs"); // untracked: not part of what is staged
    writeFileSync(
      probe,
      `const cp = require("node:child_process"); const fs = require("node:fs"); const seen = [];
      const spawn = cp.spawn; cp.spawn = (command, args, options) => { seen.push(args.find((arg) => !arg.startsWith("-") && !arg.includes("="))); return spawn(command, args, options); };
      const read = fs.readFileSync; fs.readFileSync = (file, ...rest) => { if (String(file).endsWith("cli-main.cjs")) seen.push("bundle"); return read(file, ...rest); };
      process.on("exit", () => process.stderr.write(JSON.stringify(seen)));`,
    );
    const run = spawnSync(process.execPath, ["--require", probe, CLI, "staged", "--no-progress", "-f", "json"], {
      cwd: join(made.dir, "src"),
      encoding: "utf8",
    });
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { findings: { file: string; line: number }[] };
    expect(report.findings.map((finding) => [finding.file, finding.line])).toEqual([["src/old.env", 2]]);
    const seen = JSON.parse(run.stderr) as string[];
    expect(seen.filter((what) => what === "diff")).toHaveLength(1);
    expect(seen.indexOf("diff")).toBeLessThan(seen.indexOf("bundle"));
    // With paths (lint-staged's), the patch is another command: none is started ahead; after the bundle, git
    // names the files moved to those paths (staged.ts, renameSources), then prints the patch.
    const withPath = spawnSync(process.execPath, ["--require", probe, CLI, "staged", "old.env", "--no-progress", "-f", "json"], {
      cwd: join(made.dir, "src"),
      encoding: "utf8",
    });
    expect(withPath.status).toBe(1);
    const seenWithPath = JSON.parse(withPath.stderr) as string[];
    expect(seenWithPath.filter((what) => what === "diff")).toHaveLength(2);
    expect(seenWithPath.indexOf("diff")).toBeGreaterThan(seenWithPath.indexOf("bundle"));
  });
});
