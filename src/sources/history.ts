// git history: each unique blob is scanned once (through one `git cat-file --batch`), and its
// findings are stamped onto every commit and path that introduced it. A commit is charged only with
// secrets it added: a finding also present in the file's previous version (the parent's blob) is
// dropped, so a range reports only what it adds and a later edit does not re-report an old key.
//
// The walk streams `git log --raw`, so memory holds the ids of blobs seen and the findings of blobs
// that had any, never the history itself.
//
// Scanning runs in the main thread, so while it scans, nobody reads git's output: cat-file fills its
// socket buffer and stops. Scans therefore run in slices (ScanPacer) with an event-loop turn between
// them, in which cat-file's output is read: it keeps decoding ahead instead of taking turns with us.
import { entropyAllowedIn } from "../engine/scan.js";
import { atPath } from "../run/fingerprint.js";
import { UsageError } from "../errors.js";
import type { Chunk, CommitInfo, Finding } from "../types.js";
import { CatFile } from "./cat-file.js";
import { decodeText } from "./decode.js";
import { git, gitStream, nulFieldBatches } from "./git.js";
import { isNullId, parseRawMeta, REGULAR_FILE_MODES } from "./raw-diff.js";

/** Commit-and-path introductions worked on at once (blob reads and scans in flight). */
const CONCURRENCY = 512;

/** Bytes scanned between two event-loop turns (about a millisecond of scanning). */
const SLICE_BYTES = 64 * 1024;

/** Starts each commit's header in the log, so it cannot be confused with a raw-diff field. */
const COMMIT_MARK = "\x01";

export interface HistoryOptions {
  cwd: string;
  /** Revisions and ranges as git takes them (e.g. "origin/main..HEAD"); default: all refs. */
  revs?: readonly string[];
  maxFileSize: number;
  /** Only commits more recent than this date (git's --since syntax, e.g. "2024-01-01" or "2 weeks ago"). */
  since?: string;
  signal?: AbortSignal;
  /** Told once of anything that makes the result partial (a shallow clone). */
  onWarning?: (message: string) => void;
  /** Told of each batch of commits the walk reaches, with their number (for the progress bar). */
  onCommits?: (count: number) => void;
}

export interface HistoryStats {
  commits: number;
  /** Unique blobs read (scanned or skipped). */
  blobs: number;
  /** Bytes of the blobs scanned. */
  bytes: number;
  skippedBinary: number;
  skippedLarge: number;
}

/** One file version a commit brought in: the new blob, and the blob(s) it replaced. */
interface Introduction {
  commit: CommitInfo;
  path: string;
  blob: string;
  parents: string[];
}

/** The only options accepted among revisions: they select commits and run nothing (pre-push uses them). */
const REV_SELECTORS = /^--(not|all|(branches|tags|remotes)(=[^=]*)?)$/;

export async function scanHistory(
  options: HistoryOptions,
  scanBlob: (chunk: Chunk) => Promise<Finding[]>,
): Promise<{ findings: Finding[]; stats: HistoryStats }> {
  if (await isShallowRepository(options.cwd)) {
    options.onWarning?.("shallow clone: history is partial (commits before the clone's depth are not scanned; `git fetch --unshallow` to scan them)");
  }
  for (const rev of options.revs ?? []) {
    if (rev.startsWith("-") && !REV_SELECTORS.test(rev)) {
      throw new UsageError(`invalid revision "${rev}": a revision cannot start with "-" (except --not, --all, --branches, --tags, --remotes)`);
    }
  }
  const stats: HistoryStats = { commits: 0, blobs: 0, bytes: 0, skippedBinary: 0, skippedLarge: 0 };
  const catFile = new CatFile(options.cwd);
  const blobs = new BlobScanner(catFile, options.maxFileSize, stats, scanBlob);
  const window = new ResultWindow();
  try {
    // Each introduction's work starts as soon as the log names it; the log is read on while fewer
    // than CONCURRENCY are unfinished, so one waiting for its parent's blob does not stall the rest.
    for await (const introductions of walkLog(options, stats)) {
      for (const intro of introductions) window.add(blobs.findingsAdded(intro));
      await window.below(CONCURRENCY);
    }
    await window.below(1);
  } finally {
    catFile.close();
  }
  return { findings: window.findings, stats };
}

/**
 * The introductions' results, collected in log order: a finished one waits in the window only until
 * those before it finish. The first failure is kept and thrown by `below`.
 */
class ResultWindow {
  readonly findings: Finding[] = [];
  private readonly window: (Finding[] | undefined)[] = [];
  /** Index in `window` of its first entry, counted from the first introduction. */
  private first = 0;
  private unfinished = 0;
  private failure: { error: unknown } | undefined;
  private wake: (() => void) | undefined;

  add(work: Promise<Finding[]>): void {
    const index = this.first + this.window.length;
    this.window.push(undefined);
    this.unfinished++;
    work.then(
      (found) => this.finish(index, found),
      (error: unknown) => {
        this.failure ??= { error };
        this.finish(index, []);
      },
    );
  }

  /** Resolves once fewer than `limit` introductions are unfinished. */
  async below(limit: number): Promise<void> {
    while (this.unfinished >= limit && !this.failure) await new Promise<void>((resolve) => (this.wake = resolve));
    if (this.failure) throw this.failure.error;
  }

  private finish(index: number, found: Finding[]): void {
    this.window[index - this.first] = found;
    this.unfinished--;
    while (this.window.length > 0 && this.window[0] !== undefined) {
      this.findings.push(...(this.window.shift() ?? []));
      this.first++;
    }
    this.wake?.();
    this.wake = undefined;
  }
}

/** True in a shallow clone; also the check that `cwd` is a repository at all (one git call for both). */
async function isShallowRepository(cwd: string): Promise<boolean> {
  try {
    return (await git(["rev-parse", "--is-shallow-repository"], { cwd })).toString("utf8").trim() === "true";
  } catch (error) {
    if (error instanceof UsageError && error.message.startsWith("git was not found")) throw error;
    throw new UsageError(`history needs a git repository: ${cwd} is not one`);
  }
}

/** The log's commits and each file version they add or modify, a batch for each buffer the log streams in. */
async function* walkLog(options: HistoryOptions, stats: HistoryStats): AsyncGenerator<Introduction[]> {
  const args = [
    "log",
    "-c", // merges: only files whose result differs from every parent (conflict resolutions, evil merges)
    "--raw",
    "-z",
    "--no-renames",
    "--no-abbrev",
    "--no-relative",
    "--no-ext-diff",
    "--no-textconv",
    "--encoding=UTF-8",
    `--format=${COMMIT_MARK}%H%x00%an%x00%ae%x00%aI`,
    ...commitSelection(options),
    "--",
  ];
  const parser = new LogParser(stats);
  try {
    for await (const fields of nulFieldBatches(gitStream(args, { cwd: options.cwd, ...(options.signal ? { signal: options.signal } : {}) }))) {
      const commitsBefore = stats.commits;
      const introductions = parser.parse(fields);
      if (stats.commits > commitsBefore) options.onCommits?.(stats.commits - commitsBefore);
      if (introductions.length > 0) yield introductions;
    }
  } catch (error) {
    if (error instanceof UsageError && options.revs && options.revs.length > 0) {
      throw new UsageError(`history: ${error.message.replace(/^git log failed: /, "")}`);
    }
    throw error;
  }
}

/** The arguments that select the walk's commits, for `git log` and `git rev-list` alike. */
function commitSelection(options: HistoryOptions): string[] {
  return [
    ...(options.since !== undefined ? [`--since=${options.since}`] : []),
    ...(options.revs && options.revs.length > 0 ? ["--end-of-options", ...options.revs] : ["--all"]),
  ];
}

/**
 * How many commits scanHistory will walk, for the progress bar's total and ETA: `git rev-list --count`
 * reads only commits (no trees or blobs), a small part of the walk's work.
 */
export async function countCommits(options: HistoryOptions): Promise<number> {
  const output = await git(["rev-list", "--count", ...commitSelection(options), "--"], { cwd: options.cwd });
  return Number(output.toString("utf8").trim());
}

/**
 * The log's fields in order: a commit's header (mark and sha, author, email, date), then its raw
 * entries (meta, path). Fields whose place is known (after a sha or a meta) are taken as they are;
 * a field may be the last of one batch, the next the first of the next batch.
 */
class LogParser {
  private commit: CommitInfo | undefined;
  /** The fields still owed to the current commit header, or the raw entry whose path comes next. */
  private expecting: "author" | "email" | "date" | "path" | undefined;
  private meta: ReturnType<typeof parseRawMeta>;

  constructor(private readonly stats: HistoryStats) {}

  parse(fields: readonly string[]): Introduction[] {
    const introductions: Introduction[] = [];
    for (const field of fields) {
      const commit = this.commit;
      switch (this.expecting) {
        case "author":
          if (commit) commit.author = field;
          this.expecting = "email";
          continue;
        case "email":
          if (commit) commit.email = field;
          this.expecting = "date";
          continue;
        case "date":
          if (commit) commit.date = field;
          this.expecting = undefined;
          continue;
        case "path": {
          const meta = this.meta;
          this.expecting = undefined;
          if (commit && meta && REGULAR_FILE_MODES.has(meta.dstMode) && !isNullId(meta.dst)) {
            const parents = meta.srcs.filter((id, i) => !isNullId(id) && REGULAR_FILE_MODES.has(meta.srcModes[i] ?? ""));
            introductions.push({ commit, path: field, blob: meta.dst, parents });
          }
          continue;
        }
        default: {
          const text = field.charCodeAt(0) === 10 ? field.slice(1) : field;
          if (text.startsWith(COMMIT_MARK)) {
            this.commit = { sha: text.slice(1), author: "", email: "", date: "" };
            this.expecting = "author";
            this.stats.commits++;
          } else if (text.startsWith(":") && commit) {
            this.meta = parseRawMeta(text);
            this.expecting = "path";
          }
        }
      }
    }
    return introductions;
  }
}

/** What a blob's scan is remembered by: its id, and whether the entropy detector ran. */
const scanKey = (blob: string, entropy: boolean): string => (entropy ? blob : `${blob} without entropy`);

/** Scans each blob once and remembers the findings of those that had any. */
class BlobScanner {
  /** Blobs with findings, or being scanned (keyed as `findings` says). */
  private readonly withFindings = new Map<string, Promise<Finding[]>>();
  /** Blobs scanned (or skipped) without findings. */
  private readonly clean = new Set<string>();

  constructor(
    private readonly catFile: CatFile,
    private readonly maxFileSize: number,
    private readonly stats: HistoryStats,
    private readonly scanBlob: (chunk: Chunk) => Promise<Finding[]>,
  ) {}

  private readonly pacer = new ScanPacer();

  /** The findings of an introduction's blob that its parent versions did not already have, stamped with its commit and path. */
  findingsAdded(intro: Introduction): Promise<Finding[]> {
    // Most blobs have none: no async function of our own in their chain (it is run ~14,000 times on the bench history).
    return this.findings(intro.blob, intro.path).then((found) => (found.length === 0 ? found : this.notInParents(found, intro)));
  }

  private async notInParents(found: Finding[], intro: Introduction): Promise<Finding[]> {
    const before = new Set<string>();
    for (const parent of intro.parents) {
      for (const old of await this.findings(parent, intro.path)) before.add(`${old.ruleId}\0${old.secret}`);
    }
    return found
      .filter((finding) => !before.has(`${finding.ruleId}\0${finding.secret}`))
      .map((finding) => ({ ...atPath(finding, intro.path), commit: intro.commit }));
  }

  private findings(blob: string, path: string): Promise<Finding[]> {
    // The same bytes scan alike only where the entropy detector runs alike (not in lockfiles, say).
    const entropy = entropyAllowedIn(path);
    const key = scanKey(blob, entropy);
    if (this.clean.has(key)) return Promise.resolve([]);
    const known = this.withFindings.get(key);
    if (known) return known;
    // A blob scanned both ways is counted once in the stats: by the first of its two scans.
    const otherKey = scanKey(blob, !entropy);
    const counted = this.clean.has(otherKey) || this.withFindings.has(otherKey);
    const scanning = this.scan(blob, path, !counted).then((found) => {
      if (found.length === 0) {
        this.withFindings.delete(key);
        this.clean.add(key);
      }
      return found;
    });
    this.withFindings.set(key, scanning);
    return scanning;
  }

  private async scan(blob: string, path: string, count: boolean): Promise<Finding[]> {
    const object = await this.catFile.read(blob, this.maxFileSize);
    // A blob's second scan (the other way) tallies into a scratch record.
    const stats = count ? this.stats : { blobs: 0, bytes: 0, skippedBinary: 0, skippedLarge: 0 };
    stats.blobs++;
    if (object.size > this.maxFileSize) {
      stats.skippedLarge++;
      return [];
    }
    if (!object.content) return []; // missing from the object store (a shallow or partial clone)
    await this.pacer.turn(object.content.length);
    const text = decodeText(object.content);
    if (text === undefined) {
      stats.skippedBinary++;
      return [];
    }
    stats.bytes += object.content.length;
    return this.scanBlob({ path, text });
  }
}

/**
 * Lets scans through in the order they ask, SLICE_BYTES' worth per event-loop turn: the turns
 * between slices are where git's output is read (see the top of this file).
 */
class ScanPacer {
  private readonly waiting: { bytes: number; go: () => void }[] = [];

  /** Resolves when the caller may scan `bytes`. */
  turn(bytes: number): Promise<void> {
    return new Promise((go) => {
      if (this.waiting.length === 0) setImmediate(() => this.release());
      this.waiting.push({ bytes, go });
    });
  }

  /** Lets the next slice's scans go (they run once this returns, before the next turn), and schedules the one after. */
  private release(): void {
    let budget = SLICE_BYTES;
    while (budget > 0) {
      const next = this.waiting.shift();
      if (!next) return;
      budget -= next.bytes;
      next.go();
    }
    if (this.waiting.length > 0) setImmediate(() => this.release());
  }
}
