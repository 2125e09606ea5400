// git history as a source: every file version a commit brought in, as a blob by reference with its
// provenance (path, commit, the parents' blobs at that path), read through one `git cat-file --batch`.
// The run step (drain.ts) first scans what a version changes in its parents' (history-changes.ts); a
// version whose changes hold a match, or a file's first version, it scans whole, once a distinct blob,
// and stamps the matches on every place the blob appears; the "not new" filter drops what the parents'
// blobs already had, so a range reports only what it adds and a later edit does not re-report an old key.
//
// The walk streams `git log --raw`, so memory holds the ids of blobs seen and the matches of blobs
// that had any, never the history itself.
import { UsageError } from "../errors.js";
import type { BlobContent, BlobItem, CommitInfo, SourceItem } from "../types.js";
import { blobByteWindows, CatFile, type ObjectContent } from "./cat-file.js";
import { decodeText } from "./decode.js";
import { createFileMoves, type FileMoves } from "./file-moves.js";
import { git, gitStream, literalPathspec, nulFieldBatches } from "./git.js";
import { createChangeReader } from "./history-changes.js";
import { createPathChanges, type PathChanges } from "./path-changes.js";
import { isNullId, parseRawMeta, REGULAR_FILE_MODES } from "./raw-diff.js";
import { WINDOWED_ABOVE } from "./windows.js";

/** Starts each commit's header in the log, so it cannot be confused with a raw-diff field. */
const COMMIT_MARK = "\x01";

export interface HistoryOptions {
  cwd: string;
  /** Revisions and ranges as git takes them (e.g. "origin/main..HEAD"); default: all refs. */
  revs?: readonly string[];
  /** Blobs larger than this are streamed from git in windows (windows.ts); WINDOWED_ABOVE by default. Every blob is scanned, whatever its size. */
  windowedAbove?: number;
  /** Only commits more recent than this date (git's --since syntax, e.g. "2024-01-01" or "2 weeks ago"). */
  since?: string;
  /** Only files at or under these paths, from the repository's top level ("/"-separated; `--path`). */
  paths?: readonly string[];
  signal?: AbortSignal;
  /** Told once of anything that makes the result partial (a shallow clone). */
  onWarning?: (message: string) => void;
}

/** What the log yields: a commit (for the stats), or one file version it brought in and the blob(s) it replaced. */
type LogEntry = { kind: "commit" } | { kind: "introduction"; commit: CommitInfo; path: string; blob: string; parents: string[] };

/**
 * `git log` runs at a lower priority than the scan and `git cat-file` (10 more niceness): it works far
 * ahead of the scan, while the scan waits for cat-file's answers, so when the three want more CPU than
 * the machine has, the log is the one that should wait. Not the lowest priority: any other busy process
 * on the machine would then starve the log, and the scan with it.
 */
const LOG_LOWER_PRIORITY = 10;

/** The only options accepted among revisions: they select commits and run nothing (pre-push uses them). */
const REV_SELECTORS = /^--(not|all|(branches|tags|remotes)(=[^=]*)?)$/;

/**
 * The history's items: a marker for each commit walked, and a blob item for each file version a
 * commit added or modified. The cat-file process lives until close(), after the last read; close()
 * also warns of the blobs a partial clone lacked. A walk of every ref (no revisions, no --since) also
 * records which commits changed which paths (`pathChanges`, complete once the items are read), which
 * covers all of HEAD's history: secret-life.ts follows removed secrets in it.
 */
export function historySource(options: HistoryOptions): { items: AsyncIterable<SourceItem>; close: () => void; pathChanges?: PathChanges; moves?: FileMoves } {
  const catFile = new CatFile(options.cwd);
  const windowedAbove = options.windowedAbove ?? WINDOWED_ABOVE;
  // In a partial clone, only the blobs it holds are asked for (see localBlobsOfPartialClone).
  const local = localBlobsOfPartialClone(options.cwd);
  let missing = 0;
  /** The blob as cat-file has it, or undefined when this partial clone lacks it. */
  const readObject = async (blob: string): Promise<ObjectContent | undefined> => {
    const held = await local;
    return held && !held.has(blob) ? undefined : catFile.read(blob, windowedAbove);
  };
  const changeReader = createChangeReader(async (blob) => (await readObject(blob))?.content);
  const read = async (blob: string, path: string): Promise<BlobContent> => {
    const object = await readObject(blob);
    if (!object) {
      missing++;
      return { kind: "missing" };
    }
    // Every blob is scanned whatever its size: one too big to hold is streamed from git a window at a time.
    if (object.size > windowedAbove) return { kind: "windows", windows: (buffer) => blobByteWindows(options.cwd, blob, path, buffer) };
    if (!object.content) {
      missing++;
      return { kind: "missing" };
    }
    changeReader.remember(blob, object.content);
    const text = decodeText(object.content);
    return text === undefined ? { kind: "skipped", reason: "binary" } : { kind: "text", text, bytes: object.content.length };
  };
  // Said at close, not when the walk ends: the last blobs' reads may still be under way then, and
  // drain returns only once every read has finished.
  const warnMissing = (): void => {
    if (missing > 0) {
      options.onWarning?.(
        `${missing} blob${missing === 1 ? " is" : "s are"} missing from this clone (a partial clone?) and not scanned; keyscan never fetches them (\`git fetch --refetch\` or a full clone to scan them)`,
      );
    }
  };
  const allRefs = (options.revs ?? []).length === 0 && options.since === undefined && (options.paths ?? []).length === 0;
  const pathChanges = allRefs ? createPathChanges() : undefined;
  // A range's moves add nothing (see LogParser.ended); a walk of all refs lists a moved file's secrets at
  // its new path too, so a baseline or an ignore entry taken from it covers the path the file has now.
  const moves = allRefs ? undefined : createFileMoves();
  return {
    items: historyItems(options, read, changeReader.changes, pathChanges, moves),
    close: () => {
      warnMissing();
      catFile.close();
    },
    ...(moves ? { moves } : {}),
    ...(pathChanges ? { pathChanges } : {}),
  };
}

async function* historyItems(
  options: HistoryOptions,
  read: BlobItem["read"],
  readChanges: BlobItem["readChanges"],
  pathChanges: PathChanges | undefined,
  moves: FileMoves | undefined,
): AsyncGenerator<SourceItem> {
  if (await isShallowRepository(options.cwd)) {
    options.onWarning?.("shallow clone: history is partial (commits before the clone's depth are not scanned; `git fetch --unshallow` to scan them)");
  }
  for (const rev of options.revs ?? []) {
    if (rev.startsWith("-") && !REV_SELECTORS.test(rev)) {
      throw new UsageError(`invalid revision "${rev}": a revision cannot start with "-" (except --not, --all, --branches, --tags, --remotes)`);
    }
  }
  if (options.since !== undefined) await checkSince(options.cwd, options.since);
  for (const path of options.paths ?? []) await checkPath(options, path);
  for await (const entries of walkLog(options, pathChanges, moves)) {
    for (const entry of entries) {
      if (entry.kind === "commit") yield entry;
      else {
        const { commit, path, blob, parents } = entry;
        yield { kind: "blob", blob, provenance: { path, commit, parents }, read, readChanges };
      }
    }
  }
}

/**
 * Refuses a --since that git cannot read. git reads any text as a date, and what it cannot read (a typo,
 * an empty value) becomes the present moment: the walk would select no commit and the scan pass with
 * nothing scanned. Only a date that says so (`now`, `today`) may mean the present.
 */
async function checkSince(cwd: string, since: string): Promise<void> {
  const parsed = (await git(["rev-parse", `--since=${since}`], { cwd })).toString("utf8").trim();
  const seconds = Number(parsed.replace(/^--max-age=/, ""));
  if (Math.abs(seconds - Date.now() / 1000) > SINCE_NOW_SLACK_SECONDS || /\b(?:now|today)\b/i.test(since)) return;
  throw new UsageError(`--since: git reads "${since}" as no date, so no commit would be scanned; give one such as 2024-01-01 or "2 weeks ago"`);
}

/**
 * Refuses a --path that no commit of the walk changes (a typo, a path of another repository): the scan
 * would pass with nothing scanned.
 */
async function checkPath(options: HistoryOptions, path: string): Promise<void> {
  const touching = await git(["log", "-1", "--format=%H", ...commitSelection(options), "--", literalPathspec(path)], { cwd: options.cwd });
  if (touching.length === 0) throw new UsageError(`--path: no commit ${options.revs?.length || options.since ? "selected " : ""}changes ${path}`);
}

/** The pathspecs that limit the walk: the --path folders and files, or the whole tree. */
const pathspecs = (options: HistoryOptions): string[] => (options.paths ?? []).map(literalPathspec);

/** How far from the clock a date git read may be and still be "now": git and keyscan read the clock a moment apart. */
const SINCE_NOW_SLACK_SECONDS = 5;

/** True in a shallow clone; also the check that `cwd` is a repository at all (one git call for both). */
async function isShallowRepository(cwd: string): Promise<boolean> {
  try {
    return (await git(["rev-parse", "--is-shallow-repository"], { cwd })).toString("utf8").trim() === "true";
  } catch (error) {
    if (error instanceof UsageError && error.message.startsWith("git was not found")) throw error;
    throw new UsageError(`history needs a git repository: ${cwd} is not one`);
  }
}

/**
 * In a partial clone, the blobs it holds; undefined in any other repository. Asked for a blob it does
 * not hold, `git cat-file` would fetch it from the promisor remote, or (with fetching refused, as
 * git.ts refuses it) stop with a fatal error: so history asks only for these. Listing the local
 * objects reads the object store and fetches nothing.
 */
async function localBlobsOfPartialClone(cwd: string): Promise<Set<string> | undefined> {
  const promisor = await git(["config", "--get-regexp", "^(remote\\..*\\.promisor|extensions\\.partialclone)$"], { cwd }).catch(() => undefined);
  const settings = promisor?.toString("utf8").split("\n") ?? [];
  if (!settings.some((line) => line !== "" && !line.endsWith(" false"))) return undefined;
  const blobs = new Set<string>();
  let pending = "";
  for await (const data of gitStream(["cat-file", "--batch-all-objects", "--batch-check=%(objecttype) %(objectname)"], { cwd })) {
    const lines = (pending + data.toString("latin1")).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) if (line.startsWith("blob ")) blobs.add(line.slice(5));
  }
  return blobs;
}

/**
 * The log's commits and each file version they add or modify, a batch for each buffer the log streams
 * in; every commit and path it changes also goes to `pathChanges` when given.
 */
async function* walkLog(options: HistoryOptions, pathChanges: PathChanges | undefined, moves: FileMoves | undefined): AsyncGenerator<LogEntry[]> {
  const args = [
    "log",
    // Oldest first: a version is read before the versions that replace it, which are compared with
    // its line hashes (history-changes.ts). git lists the commits before it starts.
    "--reverse",
    "-c", // merges: only files whose result differs from every parent (conflict resolutions, evil merges)
    "--raw",
    "-z",
    "--no-renames",
    "--no-abbrev",
    "--no-relative",
    "--no-ext-diff",
    "--no-textconv",
    "--encoding=UTF-8",
    `--format=${COMMIT_MARK}%H%x00%P%x00%an%x00%ae%x00%aI`,
    // Limited to paths, every commit that changes them: git's default simplification would skip a side
    // branch whose change the merge did not keep, and the key that branch added.
    ...((options.paths ?? []).length > 0 ? ["--full-history"] : []),
    ...commitSelection(options),
    "--",
    ...pathspecs(options),
  ];
  const parser = new LogParser(pathChanges, moves);
  try {
    const log = gitStream(args, { cwd: options.cwd, lowerPriority: LOG_LOWER_PRIORITY, ...(options.signal ? { signal: options.signal } : {}) });
    for await (const fields of nulFieldBatches(log)) {
      const entries = parser.parse(fields);
      if (entries.length > 0) yield entries;
    }
    const last = parser.finish();
    if (last.length > 0) yield last;
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
    // No --end-of-options before the revisions: it would turn the selectors pre-push passes (--not,
    // --remotes=...) into bad revisions. historyItems has already refused every other argument starting with "-".
    ...(options.revs && options.revs.length > 0 ? options.revs : ["--all"]),
  ];
}

/**
 * How many commits scanHistory will walk, for the progress bar's total and ETA: `git rev-list --count`
 * reads only commits (no trees or blobs), a small part of the walk's work.
 */
export async function countCommits(options: HistoryOptions): Promise<number> {
  const output = await git(["rev-list", "--count", ...commitSelection(options), "--", ...pathspecs(options)], { cwd: options.cwd });
  return Number(output.toString("utf8").trim());
}

/**
 * The log's fields in order: a commit's header (mark and sha, parents, author, email, date), then its
 * raw entries (meta, path). Fields whose place is known (after a sha or a meta) are taken as they are;
 * a field may be the last of one batch, the next the first of the next batch.
 */
class LogParser {
  private commit: CommitInfo | undefined;
  /** The fields still owed to the current commit header, or the raw entry whose path comes next. */
  private expecting: "parents" | "author" | "email" | "date" | "path" | undefined;
  private meta: ReturnType<typeof parseRawMeta>;
  /** In a range, the current commit's new files, held until it ends: a move is told by a deletion git may list after it. */
  private added: Extract<LogEntry, { kind: "introduction" }>[] = [];
  /** The files the current commit deleted (a commit with one parent); kept in a range only. */
  private deleted: { path: string; blob: string }[] = [];

  constructor(
    private readonly pathChanges: PathChanges | undefined,
    /** Given for a range or --since: its commits' moves add nothing, and are recorded. */
    private readonly moves: FileMoves | undefined,
  ) {}

  /**
   * In a range, the current commit's new files, once it has ended. A file added where the same commit
   * deleted another was moved (`git mv`, a folder renamed) when it has the deleted file's very blob, or
   * else its name (a move with an edit; of several, the one whose folders end alike): it is compared
   * with that version, as git's rename detection would pair them, so only the lines the move changed
   * count (a line the deleted file had was in the parent commit already). The move is recorded for the
   * report, which follows a secret to the path it moved to (secret-life.ts).
   */
  private ended(): LogEntry[] {
    const moves = this.moves;
    const deleted = this.deleted;
    this.deleted = [];
    const added = this.added;
    this.added = [];
    if (!moves || deleted.length === 0) return added;
    const byBlob = new Map(deleted.map((file) => [file.blob, file]));
    const byName = new Map<string, { path: string; blob: string }[]>();
    for (const file of deleted) {
      const name = baseName(file.path);
      const same = byName.get(name);
      if (same) same.push(file);
      else byName.set(name, [file]);
    }
    return added.map((entry) => {
      const from = byBlob.get(entry.blob) ?? likeliestSource(entry.path, byName.get(baseName(entry.path)) ?? []);
      if (!from) return entry;
      moves.add(from.path, entry.path);
      return { ...entry, parents: [from.blob] };
    });
  }

  /** The last commit's versions, once the log has ended. */
  finish(): LogEntry[] {
    return this.ended();
  }

  parse(fields: readonly string[]): LogEntry[] {
    const entries: LogEntry[] = [];
    for (const field of fields) {
      const commit = this.commit;
      switch (this.expecting) {
        case "parents":
          if (commit) this.pathChanges?.addCommit(commit.sha, field === "" ? [] : field.split(" "));
          this.expecting = "author";
          continue;
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
          this.pathChanges?.addChange(field);
          if (commit && meta && REGULAR_FILE_MODES.has(meta.dstMode) && !isNullId(meta.dst)) {
            const parents = meta.srcs.filter((id, i) => !isNullId(id) && REGULAR_FILE_MODES.has(meta.srcModes[i] ?? ""));
            const entry = { kind: "introduction" as const, commit, path: field, blob: meta.dst, parents };
            if (this.moves && parents.length === 0) this.added.push(entry);
            else entries.push(entry);
          } else if (this.moves && meta && meta.srcs.length === 1 && isNullId(meta.dst) && REGULAR_FILE_MODES.has(meta.srcModes[0] ?? "")) {
            this.deleted.push({ path: field, blob: meta.srcs[0] as string });
          }
          continue;
        }
        default: {
          const text = field.charCodeAt(0) === 10 ? field.slice(1) : field;
          if (text.startsWith(COMMIT_MARK)) {
            entries.push(...this.ended());
            this.commit = { sha: text.slice(1), author: "", email: "", date: "" };
            this.expecting = "parents";
            entries.push({ kind: "commit" });
          } else if (text.startsWith(":") && commit) {
            this.meta = parseRawMeta(text);
            this.expecting = "path";
          }
        }
      }
    }
    return entries;
  }
}

const baseName = (path: string): string => path.slice(path.lastIndexOf("/") + 1);

/** Of the files of its name a commit deleted, the one an added file most likely was: the most trailing folders in common. */
function likeliestSource(path: string, sameName: readonly { path: string; blob: string }[]): { path: string; blob: string } | undefined {
  const parts = path.split("/");
  let best: { path: string; blob: string } | undefined;
  let bestShared = 0;
  for (const file of sameName) {
    const other = file.path.split("/");
    let shared = 0;
    while (shared < parts.length && shared < other.length && parts[parts.length - 1 - shared] === other[other.length - 1 - shared]) shared++;
    if (shared > bestShared) [best, bestShared] = [file, shared];
  }
  return best;
}
