// Runs the built CLI (dist/cli.cjs) as a user would, in a given folder.
import { spawnSync } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const CLI = fileURLToPath(new URL("../../dist/cli.cjs", import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Environment without the caller's git variables or config, and without colour. */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith("GIT_")) env[key] = value;
  return { ...env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", NO_COLOR: "1", ...extra };
}

export function runCli(args: string[], options: { cwd: string; input?: string; env?: Record<string, string> }): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    input: options.input ?? "",
    env: cliEnv(options.env),
    encoding: "utf8",
    // spawnSync kills the child with SIGTERM once its output passes maxBuffer (1 MiB by default).
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export interface MeasuredCliResult extends CliResult {
  /** The peak resident memory of the run, in MB (1024 × 1024 bytes), as /usr/bin/time reports it. */
  peakMb: number;
}

/** Runs the CLI under /usr/bin/time, with standard input from `stdinFile` if given, and reads its peak RSS. */
export function runCliMeasured(args: string[], options: { cwd: string; stdinFile?: string }): MeasuredCliResult {
  const stdin = options.stdinFile ? openSync(options.stdinFile, "r") : "ignore";
  try {
    const result = spawnSync("/usr/bin/time", ["-f", "peak-rss-kb %M", process.execPath, CLI, ...args], {
      cwd: options.cwd,
      env: cliEnv(),
      stdio: [stdin, "pipe", "pipe"],
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      timeout: 300_000,
    });
    const peak = /peak-rss-kb (\d+)/.exec(result.stderr);
    return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, peakMb: Number(peak?.[1] ?? Number.NaN) / 1024 };
  } finally {
    if (typeof stdin === "number") closeSync(stdin);
  }
}
