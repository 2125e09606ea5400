// Ctrl-C during a history scan: keyscan exits 130 promptly, stops the git processes it started,
// and leaves no report or temporary file behind.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { CLI, cliEnv } from "../helpers/cli.js";
import { type TempRepo, tempRepo } from "../helpers/git-repo.js";

const repos: TempRepo[] = [];
afterEach(() => {
  for (const made of repos.splice(0)) made.remove();
});

/** A history of `commits` commits, each rewriting one file with `bytes` of fresh text, built with git fast-import. */
function bigHistory(commits: number, bytes: number): TempRepo {
  const made = tempRepo();
  repos.push(made);
  const parts: string[] = [];
  let seed = 1;
  const line = (): string => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return `value_${seed.toString(36)} = "${(seed * 7919).toString(36)}${seed.toString(16)}"\n`;
  };
  for (let i = 1; i <= commits; i++) {
    let text = "";
    while (text.length < bytes) text += line();
    parts.push(
      `commit refs/heads/main\ncommitter T <t@example.com> ${1_700_000_000 + i} +0000\ndata 2\nc\n`,
      `M 100644 inline file${i % 7}.py\ndata ${Buffer.byteLength(text)}\n${text}\n`,
    );
  }
  execFileSync("git", ["fast-import", "--quiet"], { cwd: made.dir, input: parts.join(""), env: cliEnv(), maxBuffer: 1 << 30 });
  return made;
}

/** Pids of the processes whose parent is `pid` (from /proc: field 4 of /proc/<pid>/stat is the parent). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const name of readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid) children.push(Number(name));
    } catch {
      // the process ended while we looked
    }
  }
  return children;
}

/** True while the process runs (a zombie, dead but not yet reaped by an init that does not reap, counts as ended). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** `keyscan history` started on a history long enough to be caught mid-walk (its git processes running), and its exit. */
function startHistoryScan() {
  const made = bigHistory(1500, 40_000);
  const cli = spawn(process.execPath, [CLI, "history", "-f", "json", "-o", "report.json", "--no-progress"], {
    cwd: made.dir,
    env: cliEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    cli.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return { made, cli, exited };
}

/** A process's niceness (field 19 of /proc/<pid>/stat) and its command line, or undefined once it has ended. */
function priorityOf(pid: number): { niceness: number; command: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const niceness = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
    return { niceness, command: readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ") };
  } catch {
    return undefined;
  }
}

describe("git's processes during keyscan history", () => {
  it("run git log below the scan's priority, and cat-file, which the scan waits on, at it", async () => {
    const { cli, exited } = startHistoryScan();
    const seen = new Map<string, number>();
    // keyscan lowers git log's priority just after starting it: a look in between would see it at the
    // start's, so both are watched a while once seen, and their last look counts.
    let bothSeenAt: number | undefined;
    for (let waited = 0; waited < 8000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      for (const child of childrenOf(cli.pid ?? 0)) {
        const running = priorityOf(child);
        // The walk's log (`--raw`), not another a report may run once the walk is done.
        if (running?.command.includes(" log ") && running.command.includes(" --raw")) seen.set("log", running.niceness);
        if (running?.command.includes(" cat-file ")) seen.set("cat-file", running.niceness);
      }
      if (seen.size === 2) bothSeenAt ??= waited;
      if (bothSeenAt !== undefined && waited - bothSeenAt >= 300) break;
    }
    cli.kill("SIGINT");
    await exited;
    const own = priorityOf(process.pid)?.niceness ?? 0;
    expect(Object.fromEntries(seen)).toEqual({ log: Math.min(19, own + 10), "cat-file": own });
  }, 60_000);
});

describe("Ctrl-C during keyscan history", () => {
  it("exits 130 promptly, stops its git processes and writes no file", async () => {
    const { made, cli, exited } = startHistoryScan();
    let stderr = "";
    cli.stderr.on("data", (data: Buffer) => {
      stderr += data.toString();
    });
    // Wait until git is running under keyscan, then interrupt.
    let gitChildren: number[] = [];
    for (let waited = 0; gitChildren.length < 2 && waited < 8000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      gitChildren = childrenOf(cli.pid ?? 0);
    }
    expect(gitChildren.length, "git log and git cat-file are running").toBeGreaterThanOrEqual(2);
    const interruptedAt = Date.now();
    cli.kill("SIGINT");
    const { code, signal } = await exited;
    expect({ code, signal }).toEqual({ code: 130, signal: null });
    expect(Date.now() - interruptedAt).toBeLessThan(2000);
    expect(stderr).toContain("interrupted");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(gitChildren.filter(alive)).toEqual([]);
    expect(existsSync(`${made.dir}/report.json`)).toBe(false);
    expect(readdirSync(made.dir).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  }, 60_000);
});
