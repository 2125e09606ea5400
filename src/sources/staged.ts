// What is staged for commit: the index's content (not the working tree's, which may differ) of each
// added, modified or type-changed file, with the line numbers the commit adds or changes.
//
// Paths come from `diff --raw -z` (never quoted); the patch (`-U0`) is used only for its hunks, matched
// to the raw entries by position: both list the same files in the same order, one "diff --git" each.
// Both are streamed side by side and each file is handed on as soon as both have listed it, so memory
// does not grow with the number of staged files (a commit may stage hundreds of thousands).
// The three git processes (the listing, the patch, cat-file for the content) start together, when the
// items are first asked for: a pre-commit hook's scan asks before it builds its rules (commands.ts),
// so git works meanwhile. Nothing staged costs two processes that have nothing to print.
import { existsSync, realpathSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { UsageError } from "../errors.js";
import type { SourceItem } from "../types.js";
import { blobWindows, CatFile, type ObjectContent } from "./cat-file.js";
import { askedAhead, mapOrdered } from "./concurrency.js";
import { decodeText } from "./decode.js";
import { gitStream, nulFieldBatches, repoRoot } from "./git.js";
import { rawEntryBatches, type RawEntry } from "./raw-diff.js";
import { WINDOWED_ABOVE } from "./windows.js";

const READ_CONCURRENCY = 16;
/**
 * Files up to this size are read READ_CONCURRENCY at a time, ahead of the scan; a bigger one is read
 * alone when its turn comes, so that sixteen files of several MB are never held at once.
 */
const READ_AHEAD_BYTES = 1024 * 1024;

/** The same file selection for both diff calls, so their entries line up. */
const DIFF_OPTIONS = [
  "--cached",
  "--no-renames",
  "--no-relative",
  "--no-ext-diff",
  "--no-textconv",
  "--submodule=short",
  "--ignore-submodules=none",
  "--diff-filter=AMT",
];

export interface StagedOptions {
  cwd: string;
  /** The repository's top level, when the caller knows it already (one git call fewer); looked up from cwd otherwise. */
  root?: string;
  /** Limit the scan to these files or folders (absolute, or relative to cwd), as lint-staged passes them. */
  paths?: readonly string[];
  /**
   * Files larger than this are streamed from git in windows (windows.ts); WINDOWED_ABOVE by default.
   * Every staged file is scanned, whatever its size: the hook lets nothing through unscanned.
   */
  windowedAbove?: number;
}

/** The lines a staged file adds (1-based, in its new version), or "all" when every line counts (see addedLineBatches). */
type AddedLines = Set<number> | "all";

/** One staged file: its raw entry, and the lines its patch adds. */
interface StagedFile {
  entry: RawEntry;
  lines: AddedLines;
}

/** A staged file too big to read ahead (READ_AHEAD_BYTES): read alone, or streamed in windows, once its turn comes. */
interface BigFile {
  kind: "big";
  file: StagedFile;
  size: number;
}

export async function* stagedItems(options: StagedOptions): AsyncGenerator<SourceItem> {
  const root = options.root ?? (await repoRoot(options.cwd));
  if (!root) throw new UsageError(`staged needs a git repository: ${options.cwd} is not one`);
  const pathspecs = await stagedPathspecs(root, options.cwd, options.paths ?? []);
  const windowedAbove = options.windowedAbove ?? WINDOWED_ABOVE;
  const readAheadBytes = Math.min(READ_AHEAD_BYTES, windowedAbove);
  const catFile = new CatFile(root);
  const read = (oid: string, maxSize: number): Promise<ObjectContent> => catFile.read(oid, maxSize);
  try {
    for await (const item of mapOrdered(stagedFiles(root, pathspecs), READ_CONCURRENCY, (file) => readAhead(read, file, readAheadBytes))) {
      if (item?.kind !== "big") {
        if (item) yield item;
        continue;
      }
      // Asked for again, alone: the read ahead let its bytes go by unkept.
      const { entry } = item.file;
      if (item.size > windowedAbove) yield* blobWindows(root, entry.dst, entry.path);
      else yield stagedContent(item.file, await read(entry.dst, windowedAbove));
    }
  } finally {
    catFile.close();
  }
}

/**
 * Each staged file with the lines it adds, in git's order. The raw listing and the patch are read
 * side by side, in the batches their pipes deliver, each no further than the other needs: what is
 * held at once is a batch of each, whatever the number of files.
 */
async function* stagedFiles(root: string, pathspecs: readonly string[]): AsyncGenerator<StagedFile> {
  const diff = (format: readonly string[]) => gitStream(["diff", ...DIFF_OPTIONS, ...format, "--", ...pathspecs], { cwd: root });
  const listing = rawEntryBatches(nulFieldBatches(diff(["--raw", "-z", "--no-abbrev"])));
  // Streamed: the patch of a big file is as big as the file. Its first batch is asked for now, which
  // starts git on it beside the listing; an error surfaces when that batch is needed.
  const patch = askedAhead(addedLineBatches(diff(["-U0", "--inter-hunk-context=0", "--no-color"])));
  let patched: AddedLines[] = [];
  let taken = 0;
  let listedCount = 0;
  let patchedCount = 0;
  try {
    for await (const entries of listing) {
      for (const entry of entries) {
        listedCount++;
        if (taken === patched.length) {
          const next = await patch.next();
          if (next.done) throw new Error(`git diff listed more staged files than the ${patchedCount} its patch has`);
          patched = next.value;
          patchedCount += patched.length;
          taken = 0;
        }
        yield { entry, lines: patched[taken++] as AddedLines };
      }
    }
    if (listedCount > 0 && (taken < patched.length || !(await patch.next()).done)) {
      throw new Error(`git diff listed ${listedCount} staged files but its patch has more`);
    }
  } finally {
    await patch.return?.(); // stops git when the listing ended first or the scan stopped early
  }
}

/**
 * The paths a staged scan is limited to, as literal pathspecs from the repository root (no glob: a
 * file may be named `*.js`). A path outside the repository, or in neither the work tree nor the index
 * (a typo), is a usage error. No paths, or the root itself: the whole index.
 */
async function stagedPathspecs(root: string, cwd: string, paths: readonly string[]): Promise<string[]> {
  const pathspecs: string[] = [];
  let wholeIndex = false;
  for (const path of paths) {
    const fromRoot = relativeToRoot(root, resolve(cwd, path));
    if (fromRoot === undefined) throw new UsageError(`staged: ${path} is outside the repository ${root}`);
    if (fromRoot === "") {
      wholeIndex = true;
      continue;
    }
    const pathspec = `:(literal)${fromRoot}`;
    if (!existsSync(join(root, fromRoot)) && !(await inIndex(root, pathspec))) {
      throw new UsageError(`staged: ${path} is neither in the working tree nor in the index`);
    }
    pathspecs.push(pathspec);
  }
  return wholeIndex ? [] : pathspecs;
}

/** True when the index holds a file at or under the pathspec; git is stopped at its first answer (a folder may hold thousands). */
async function inIndex(root: string, pathspec: string): Promise<boolean> {
  for await (const output of gitStream(["ls-files", "-z", "--cached", "--", pathspec], { cwd: root })) if (output.length > 0) return true;
  return false;
}

/** The path from the root, with "/" separators; undefined outside it. A symlinked folder is followed once. */
function relativeToRoot(root: string, absolute: string): string | undefined {
  for (const candidate of existsSync(absolute) ? [absolute, realpathSync(absolute)] : [absolute]) {
    const fromRoot = relative(root, candidate);
    if (!isAbsolute(fromRoot) && fromRoot.split(sep)[0] !== "..") return fromRoot.split(sep).join("/");
  }
  return undefined;
}

/**
 * One staged file's index content if it is at most `maxSize` bytes, or why it was skipped; a bigger
 * file is left for later, and undefined is for a file no line of which can report.
 */
async function readAhead(
  read: (oid: string, maxSize: number) => Promise<ObjectContent>,
  file: StagedFile,
  maxSize: number,
): Promise<SourceItem | BigFile | undefined> {
  const { entry, lines } = file;
  const path = entry.path;
  if (entry.dstMode === "120000") return { kind: "skipped", path, reason: "symlink" };
  if (entry.dstMode === "160000") return { kind: "skipped", path, reason: "submodule" };
  if (lines !== "all" && lines.size === 0) return undefined; // only deletions or a mode change
  const blob = await read(entry.dst, maxSize);
  if (blob.size > maxSize) return { kind: "big", file, size: blob.size };
  return stagedContent(file, blob);
}

/** A staged file's blob as a chunk to scan, or why it is skipped (missing, binary). */
function stagedContent({ entry, lines }: StagedFile, blob: ObjectContent): SourceItem {
  const path = entry.path;
  if (!blob.content) return { kind: "skipped", path, reason: "unreadable", detail: `blob ${entry.dst} is missing` };
  const text = decodeText(blob.content);
  if (text === undefined) return { kind: "skipped", path, reason: "binary" };
  // git gives no hunks for what it thinks binary (UTF-16 text has NUL bytes): then every line counts.
  const chunk = lines === "all" ? { path, text } : { path, text, addedLines: lines };
  return { kind: "chunk", chunk, bytes: blob.content.length };
}

/** A file adding more lines than this counts as all new: its line numbers are not kept (a 600 MB file has millions). */
const MAX_KEPT_LINES = 100_000;

/**
 * For each file section of a `-U0` patch, in order: the 1-based line numbers of its added lines in
 * the new version, read from each hunk's header (`@@ -a,b +start,count @@`; with no context lines a
 * hunk's new lines are exactly those), or "all" when every line counts: git printed no hunks because
 * it judged the file binary, or the file adds more than MAX_KEPT_LINES lines. Lines are read as latin1,
 * one character per byte, so splitting on "\n" is exact whatever the encoding, and a header line
 * ("+++ b/name") is never mistaken for a hunk's. Yielded as the patch streams in: the files each
 * buffer completes (a file is complete when the next one starts), then the last.
 */
export async function* addedLineBatches(patch: AsyncIterable<Buffer>): AsyncGenerator<AddedLines[]> {
  let completed: AddedLines[] = [];
  let current: AddedLines | undefined;
  const onLine = (text: string): void => {
    if (text.startsWith("diff --git ")) {
      if (current) completed.push(current);
      current = new Set();
    } else if (text.startsWith("@@ ") && current instanceof Set) {
      const header = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(text);
      if (!header) return;
      const start = Number(header[1]);
      const count = header[2] === undefined ? 1 : Number(header[2]);
      if (current.size + count > MAX_KEPT_LINES) current = "all";
      else for (let line = start; line < start + count; line++) current.add(line);
    } else if (text.startsWith("Binary files ") && current instanceof Set && current.size === 0) current = "all";
  };
  let partial = "";
  for await (const data of patch) {
    const lines = (partial + data.toString("latin1")).split("\n");
    partial = lines.pop() ?? "";
    // A long unfinished line is a hunk's content (headers are short): keep its first byte only, not a string as long as the file.
    if (partial.length > 65_536) partial = partial.slice(0, 1);
    // Only headers matter: a hunk's content lines (most of a big patch) are passed over unparsed.
    for (const text of lines) if (text.startsWith("d") || text.startsWith("@") || text.startsWith("B")) onLine(text);
    if (completed.length > 0) {
      yield completed;
      completed = [];
    }
  }
  onLine(partial);
  if (current) completed.push(current);
  if (completed.length > 0) yield completed;
}
