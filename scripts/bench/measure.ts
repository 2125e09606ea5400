// Runs a command several times and reports its median wall time and peak RSS.
// Peak RSS comes from GNU time (`/usr/bin/time -f %M`) when it is installed; worker threads
// share their process, so keyscan's figure covers them.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const GNU_TIME = "/usr/bin/time";
export const canMeasureRss = existsSync(GNU_TIME);

export interface Command {
  label: string;
  cmd: string;
  args: string[];
  cwd: string;
  /** Exit codes that mean success (keyscan exits 1 when it reports findings, secretlint and grep too). */
  okCodes?: number[];
}

export interface Measured {
  label: string;
  runs: number;
  medianMs: number;
  /** Kilobytes; undefined without GNU time. */
  peakRssKb?: number;
  /** Bytes the command wrote to stdout (read and discarded: some tools stop early when stdout is /dev/null). */
  outputBytes: number;
}

interface Run {
  ms: number;
  rssKb?: number;
  outputBytes: number;
}

function runOnce(command: Command): Promise<Run> {
  const scratch = mkdtempSync(join(tmpdir(), "keyscan-bench-"));
  const rssFile = join(scratch, "rss");
  const [cmd, args] = canMeasureRss
    ? [GNU_TIME, ["-f", "%M", "-o", rssFile, command.cmd, ...command.args]]
    : [command.cmd, command.args];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, args, { cwd: command.cwd, stdio: ["ignore", "pipe", "pipe"] });
    let outputBytes = 0;
    let stderr = "";
    child.stdout.on("data", (data: Buffer) => {
      outputBytes += data.length;
    });
    child.stderr.on("data", (data: Buffer) => {
      if (stderr.length < 4000) stderr += data.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = performance.now() - started;
      const rss = canMeasureRss && existsSync(rssFile) ? Number(readFileSync(rssFile, "utf8").trim().split("\n").at(-1)) : NaN;
      rmSync(scratch, { recursive: true, force: true });
      if (!(command.okCodes ?? [0]).includes(code ?? -1)) {
        reject(new Error(`${command.label}: exit code ${code}\n${stderr.slice(0, 2000)}`));
        return;
      }
      resolve({ ms, outputBytes, ...(Number.isFinite(rss) ? { rssKb: rss } : {}) });
    });
  });
}

/** A line of the bench's progress, on stderr (stdout holds the report). */
export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** `runs` timed runs, one after another, after `warmup` untimed ones (to fill the page cache). */
export async function measure(command: Command, runs: number, warmup = 0): Promise<Measured> {
  for (let i = 0; i < warmup; i++) await runOnce(command);
  const results: Run[] = [];
  for (let i = 0; i < runs; i++) {
    results.push(await runOnce(command));
    log(`  ${command.label}: run ${i + 1}/${runs} ${Math.round(results.at(-1)?.ms ?? 0)} ms`);
  }
  return summary(command.label, results);
}

/** Two commands measured side by side, and how they compare run by run. */
export interface Paired {
  ours: Measured;
  peer: Measured;
  /** Median over the pairs of ours ÷ peer. */
  ratio: number;
  /** Median over the pairs of ours − peer, in ms. */
  difference: number;
}

/**
 * `ours` and `peer` run in turns, `runs` pairs after `warmup` untimed pairs, and are compared pair by
 * pair: this machine's speed drifts by a fifth within minutes, and a ratio of two medians taken minutes
 * apart carries that drift, where each pair's two runs, seconds apart, share it.
 */
export async function measurePaired(ours: Command, peer: Command, runs: number, warmup = 0): Promise<Paired> {
  for (let i = 0; i < warmup; i++) {
    await runOnce(ours);
    await runOnce(peer);
  }
  const [mine, theirs]: [Run[], Run[]] = [[], []];
  for (let i = 0; i < runs; i++) {
    // Alternating which goes first, so neither always runs on the page cache the other left.
    const order = i % 2 === 0 ? ([[ours, mine], [peer, theirs]] as const) : ([[peer, theirs], [ours, mine]] as const);
    for (const [command, results] of order) {
      results.push(await runOnce(command));
      log(`  ${command.label}: run ${i + 1}/${runs} ${Math.round(results.at(-1)?.ms ?? 0)} ms`);
    }
  }
  return {
    ours: summary(ours.label, mine),
    peer: summary(peer.label, theirs),
    ratio: median(mine.map((run, i) => run.ms / (theirs[i]?.ms ?? Number.NaN))),
    difference: median(mine.map((run, i) => run.ms - (theirs[i]?.ms ?? Number.NaN))),
  };
}

function summary(label: string, results: readonly Run[]): Measured {
  const rss = results.flatMap((run) => (run.rssKb === undefined ? [] : [run.rssKb]));
  return {
    label,
    runs: results.length,
    medianMs: median(results.map((run) => run.ms)),
    ...(rss.length > 0 ? { peakRssKb: Math.max(...rss) } : {}),
    outputBytes: results.at(-1)?.outputBytes ?? 0,
  };
}
