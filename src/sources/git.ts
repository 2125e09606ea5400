// The one place that runs git. Always spawned directly (never through a shell), with every setting
// a hostile repository could use to make git run a program switched off, so a clone can be scanned safely.
import { type ChildProcess, spawn } from "node:child_process";
import { getPriority, setPriority } from "node:os";
import { UsageError } from "../errors.js";
import { findTopLevel } from "./top-level.js";

/**
 * `-c` settings given to every git call. Command-line settings override the repository's own config.
 * Executables a repository can configure: fsmonitor, hooks, pager, external diff, ssh, signature
 * checks (gpg) and fetching. A partial clone fetches a missing object on demand (a "lazy fetch"), and
 * its remote may be an `ext::` URL that runs a program: protocol.allow=never refuses every transport,
 * but a repository's own protocol.<name>.allow would override that, so each is refused by name too
 * (and GIT_ALLOW_PROTOCOL in gitEnv overrides all of them).
 * The rest make output predictable: plain paths, no relative diff paths, root commits shown by `log`,
 * and the objects as stored: replace refs and grafts (which can show a commit's content or parents as
 * other than they are) are ignored, so history sees what a push sends.
 */
const SAFE_CONFIG = [
  "core.fsmonitor=false",
  "core.hooksPath=/dev/null",
  "core.pager=cat",
  "core.sshCommand=false",
  "core.quotePath=false",
  "diff.external=",
  "diff.relative=false",
  "log.showSignature=false",
  "log.showRoot=true",
  "protocol.allow=never",
  ...["ext", "file", "git", "http", "https", "ssh"].map((name) => `protocol.${name}.allow=never`),
  "core.useReplaceRefs=false",
  // The empty grafts file (gitEnv) makes git print a deprecation hint first thing in every log (2.39
  // here), and a failure's reason was read from that hint rather than from git's error.
  "advice.graftFileDeprecated=false",
  "color.ui=false",
  // git maps pack files into memory and counts every page it has read in its resident memory: a long
  // history's log or cat-file held its whole 400 MB pack. Mapped 32 MB at a time, 128 MB at most.
  "core.packedGitWindowSize=32m",
  "core.packedGitLimit=128m",
].flatMap((setting) => ["-c", setting]);

/** The environment for git: the user's (GIT_INDEX_FILE matters inside a pre-commit hook), made safe. */
function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_TERMINAL_PROMPT: "0",
    GIT_OPTIONAL_LOCKS: "0",
    GIT_PAGER: "cat",
    GIT_NO_LAZY_FETCH: "1", // git 2.44 and later; older git is stopped by the protocol settings alone
    GIT_ALLOW_PROTOCOL: "", // an empty list of allowed transports: overrides every protocol.*.allow
    GIT_NO_REPLACE_OBJECTS: "1",
    GIT_GRAFT_FILE: "/dev/null", // an empty grafts file, whatever .git/info/grafts says
    LC_ALL: "C",
  };
  delete env.GIT_EXTERNAL_DIFF;
  delete env.GIT_SSH;
  delete env.GIT_SSH_COMMAND;
  return env;
}

export interface GitOptions {
  cwd: string;
  signal?: AbortSignal;
  /** Run git this much below keyscan's own priority (niceness added, at most 19): for a process that works ahead of what reads it. */
  lowerPriority?: number;
  /** `-c` settings for this command, after (so over) the safe ones. */
  config?: readonly string[];
}

/** The git processes running now, so an interrupted keyscan can stop them before it exits. */
const running = new Set<ChildProcess>();

/** A git process started ahead (startGitAhead); `failed` when it could not start (git missing): a spawn then starts it anew, to report why. */
interface StartedAhead {
  child: ChildProcess;
  failed: boolean;
  /** Lets its output streams go back to how a reader uses them (see startGitAhead). */
  release: () => void;
}

/**
 * The git processes started ahead and not yet taken, by folder and arguments. Kept on the process rather
 * than in this module: the `keyscan` entry that starts them and the CLI that takes them are two bundles,
 * each with its own copy of this module.
 */
const STARTED_AHEAD = Symbol.for("keyscan.gitStartedAhead");

function startedAhead(): Map<string, StartedAhead> {
  const processWide = globalThis as { [STARTED_AHEAD]?: Map<string, StartedAhead> };
  return (processWide[STARTED_AHEAD] ??= new Map());
}

const aheadKey = (args: readonly string[], cwd: string): string => JSON.stringify([cwd, args]);

/**
 * Starts `git <args>` in `cwd` now, for the first spawnGit of the same command in the same folder to
 * take: the `keyscan` entry starts the pre-commit hook's patch this way, so that git works while the
 * CLI's bundle loads (src/start/staged-ahead.ts). stopGitStartedAhead stops it if no spawn takes it.
 */
export function startGitAhead(args: readonly string[], cwd: string): ChildProcess {
  const child = startGit(args, { cwd });
  // Held until taken: when a child exits, Node resumes its output streams that nobody listens to, and
  // what they held is dropped. Had git finished before the CLI took it (an event loop turn in between),
  // the patch would be lost, and its reader would wait for a "close" that had already come: a hook
  // that hangs. A "readable" listener keeps the streams paused, their data buffered, until the reader comes.
  const hold = (): void => undefined;
  const streams = [child.stdout, child.stderr];
  for (const stream of streams) stream?.on("readable", hold);
  const entry: StartedAhead = {
    child,
    failed: false,
    release: () => {
      for (const stream of streams) stream?.removeListener("readable", hold);
    },
  };
  entry.child.on("error", () => {
    entry.failed = true;
  });
  startedAhead().set(aheadKey(args, cwd), entry);
  return entry.child;
}

/** Stops the git processes started ahead that nothing took: the run turned out to need another command, or none. */
export function stopGitStartedAhead(): void {
  for (const { child } of startedAhead().values()) child.kill("SIGTERM");
  startedAhead().clear();
}

/** The process startGitAhead started for this command, if it is still there to take and did start. */
function takeStartedAhead(args: readonly string[], cwd: string): ChildProcess | undefined {
  const key = aheadKey(args, cwd);
  const entry = startedAhead().get(key);
  startedAhead().delete(key);
  entry?.release();
  return entry && !entry.failed ? entry.child : undefined;
}

function startGit(args: readonly string[], options: GitOptions & { stdin?: boolean }): ChildProcess {
  const config = (options.config ?? []).flatMap((setting) => ["-c", setting]);
  const child = spawn("git", [...SAFE_CONFIG, ...config, ...args], {
    cwd: options.cwd,
    env: gitEnv(),
    stdio: [options.stdin ? "pipe" : "ignore", "pipe", "pipe"],
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (options.lowerPriority !== undefined && child.pid !== undefined) {
    try {
      setPriority(child.pid, Math.min(19, getPriority() + options.lowerPriority));
    } catch {
      // Only a little slower where the system refuses (a process that has already exited).
    }
  }
  return child;
}

/**
 * Starts `git <args>` with the safe settings; stdin is a pipe only when asked for. The same command
 * started ahead in the same folder is taken instead: its output waits in the pipe until it is read.
 */
export function spawnGit(args: readonly string[], options: GitOptions & { stdin?: boolean }): ChildProcess {
  // One started ahead ran with the safe settings alone: a command with its own settings starts anew.
  const ahead = options.stdin || options.signal || options.config ? undefined : takeStartedAhead(args, options.cwd);
  const child = ahead ?? startGit(args, options);
  if (child.exitCode !== null || child.signalCode !== null) return child; // an ahead process that has already exited
  running.add(child);
  child.on("exit", () => running.delete(child));
  child.on("error", () => running.delete(child));
  return child;
}

/** Stops every git process keyscan started that is still running (Ctrl-C), those started ahead included. */
export function killGitChildren(): void {
  for (const child of running) child.kill("SIGTERM");
  running.clear();
  stopGitStartedAhead();
}

/**
 * git's own one-line explanation, without the "fatal: " prefix: its fatal or error line, else its
 * first line that is not advice (`hint: …` lines, which a user's config may turn on, come first).
 */
function firstLine(stderr: string): string {
  const lines = stderr.split("\n").filter((text) => text.trim() !== "");
  const line = lines.find((text) => /^(fatal|error): /.test(text)) ?? lines.find((text) => !text.startsWith("hint:")) ?? "";
  return line.replace(/^(fatal|error): /, "").trim();
}

/** A path as git's pathspec for exactly that file or folder (no glob: a file may be named `*.js`). */
export const literalPathspec = (path: string): string => `:(literal)${path}`;

/** A failure turned into one sentence naming the git command. */
export function gitFailure(args: readonly string[], stderr: string, code: number | null): UsageError {
  const reason = firstLine(stderr) || `exit code ${code}`;
  return new UsageError(`git ${args[0] ?? ""} failed: ${reason}`);
}

function spawnFailure(error: NodeJS.ErrnoException): Error {
  if (error.code === "ENOENT") return new UsageError("git was not found on PATH; keyscan needs git for this command");
  return error;
}

/**
 * Runs git and returns its whole stdout; for small outputs. `input`, when given, is written to git's
 * standard input (`--stdin`). Throws a UsageError when git fails.
 */
export async function git(args: readonly string[], options: GitOptions & { input?: string }): Promise<Buffer> {
  const child = spawnGit(args, { ...options, stdin: options.input !== undefined });
  if (options.input !== undefined) child.stdin?.end(options.input);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout?.on("data", (data: Buffer) => out.push(data));
  child.stderr?.on("data", (data: Buffer) => err.push(data));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on("error", (error) => reject(spawnFailure(error)));
    child.on("close", resolve);
  });
  if (code !== 0) throw gitFailure(args, Buffer.concat(err).toString("utf8"), code);
  return Buffer.concat(out);
}

/**
 * Runs git and yields its stdout as it arrives, for bulk output (`log`); nothing is buffered beyond
 * what the consumer holds. Stopping the iteration early kills git. Throws a UsageError when git fails.
 */
export async function* gitStream(args: readonly string[], options: GitOptions): AsyncGenerator<Buffer> {
  const child = spawnGit(args, options);
  const err: Buffer[] = [];
  child.stderr?.on("data", (data: Buffer) => err.push(data));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on("error", (error) => reject(spawnFailure(error)));
    child.on("close", resolve);
  });
  let finished = false;
  try {
    const stdout = child.stdout;
    if (stdout) for await (const data of stdout) yield data as Buffer;
    const code = await exited;
    finished = true;
    if (code !== 0) throw gitFailure(args, Buffer.concat(err).toString("utf8"), code);
  } finally {
    if (!finished) {
      child.kill();
      await exited.catch(() => undefined);
    }
  }
}

/**
 * Rethrows what must not be read as "not a repository": git missing, or a repository git refuses to
 * open because another user owns it. Scanning that one as a plain folder would ignore its .gitignore
 * and find no history, silently; keyscan stops instead and names the setting that would let git in.
 */
function rethrowUnlessOutside(error: unknown, cwd: string): void {
  if (!(error instanceof UsageError)) return;
  if (error.message.startsWith("git was not found")) throw error;
  if (error.message.includes("dubious ownership")) {
    throw new UsageError(
      `git refuses the repository at ${cwd} because another user owns it; if you trust it, add it to git's safe.directory (git config --global --add safe.directory <path>) and run keyscan again`,
    );
  }
}

/**
 * The repository's top-level folder, or undefined outside a repository (or inside its .git folder).
 * Found without git in the plain case (top-level.ts); git is asked in every other.
 */
export async function repoRoot(cwd: string): Promise<string | undefined> {
  const found = findTopLevel(cwd);
  if (found.kind !== "ask-git") return found.kind === "found" ? found.top : undefined;
  try {
    const top = (await git(["rev-parse", "--show-toplevel"], { cwd })).toString("utf8").trim();
    return top === "" ? undefined : top;
  } catch (error) {
    rethrowUnlessOutside(error, cwd);
    return undefined;
  }
}

/** A bare repository's git folder (absolute), or undefined when `cwd` is not in a bare repository: it has history but no top level. */
export async function bareGitDir(cwd: string): Promise<string | undefined> {
  try {
    const [bare, dir] = (await git(["rev-parse", "--is-bare-repository", "--absolute-git-dir"], { cwd })).toString("utf8").trim().split("\n");
    return bare === "true" ? dir : undefined;
  } catch (error) {
    rethrowUnlessOutside(error, cwd);
    return undefined;
  }
}

/** Splits NUL-terminated output (`-z`) into its fields, dropping the empty tail. */
export function splitNul(output: Buffer): string[] {
  const fields = output.toString("utf8").split("\0");
  if (fields.at(-1) === "") fields.pop();
  return fields;
}

/** The same fields as bytes, for a path that is not valid UTF-8 (splitNul's decoding loses its bad bytes). */
export function splitNulBytes(output: Buffer): Buffer[] {
  const fields: Buffer[] = [];
  for (let start = 0; start < output.length; ) {
    const end = output.indexOf(0, start);
    fields.push(output.subarray(start, end === -1 ? output.length : end));
    start = end === -1 ? output.length : end + 1;
  }
  return fields;
}

/**
 * Yields the NUL-terminated fields of a byte stream, all those each buffer completes at once (a field
 * may span several buffers), then the unterminated tail. One array a buffer, not one await a field:
 * a buffer holds many fields, and each await is an event-loop turn.
 */
export async function* nulFieldBatches(stream: AsyncIterable<Buffer>): AsyncGenerator<string[]> {
  let pending: Buffer[] = [];
  for await (const data of stream) {
    const fields: string[] = [];
    let start = 0;
    for (let at = data.indexOf(0); at !== -1; at = data.indexOf(0, start)) {
      if (pending.length === 0) fields.push(data.toString("utf8", start, at));
      else {
        pending.push(data.subarray(start, at));
        fields.push(Buffer.concat(pending).toString("utf8"));
        pending = [];
      }
      start = at + 1;
    }
    if (start < data.length) pending.push(data.subarray(start));
    if (fields.length > 0) yield fields;
  }
  if (pending.length > 0) yield [Buffer.concat(pending).toString("utf8")];
}
