// What is staged for commit: the index's content (not the working tree's, which may differ) of each
// added, modified or type-changed file, with the line numbers the commit adds or changes.
//
// Paths come from `diff --raw -z` (never quoted); the patch (`-U0`) is used only for its hunks, matched
// to the raw entries by position: both list the same files in the same order, one "diff --git" each.
import { existsSync, realpathSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { UsageError } from "../errors.js";
import type { SourceItem } from "../types.js";
import { blobWindows, CatFile } from "./cat-file.js";
import { mapOrdered } from "./concurrency.js";
import { decodeText } from "./decode.js";
import { git, gitStream, repoRoot, splitNul } from "./git.js";
import { parseRawEntries, type RawEntry } from "./raw-diff.js";
import { WINDOWED_ABOVE } from "./windows.js";

const READ_CONCURRENCY = 16;

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

/** A staged file too big to read at once: its blob is streamed in windows once its turn comes. */
interface BigBlob {
  kind: "big";
  path: string;
  oid: string;
}

/**
 * The staged files' items. git is asked for the staged changes at once, not when the first item is
 * read: a pre-commit hook's caller builds its rules meanwhile.
 */
export function stagedItems(options: StagedOptions): AsyncGenerator<SourceItem> {
  const listing = listStaged(options);
  listing.catch(() => undefined); // thrown where the items are read
  return readStagedItems(listing, options.windowedAbove ?? WINDOWED_ABOVE);
}

/** The staged files (added, modified or retyped) and, for each, the lines its index version adds. */
async function listStaged(options: StagedOptions): Promise<{ root: string; work: { entry: RawEntry; lines: Set<number> | "all" | undefined }[] }> {
  const root = options.root ?? (await repoRoot(options.cwd));
  if (!root) throw new UsageError(`staged needs a git repository: ${options.cwd} is not one`);
  const pathspecs = await stagedPathspecs(root, options.cwd, options.paths ?? []);
  // The list and the patch are asked for together; the patch is streamed (a big file's is as big as the file).
  const [raw, added] = await Promise.all([
    git(["diff", ...DIFF_OPTIONS, "--raw", "-z", "--no-abbrev", "--", ...pathspecs], { cwd: root }),
    addedLines(gitStream(["diff", ...DIFF_OPTIONS, "-U0", "--inter-hunk-context=0", "--no-color", "--", ...pathspecs], { cwd: root })),
  ]);
  const entries = parseRawEntries(splitNul(raw));
  if (entries.length > 0 && added.length !== entries.length) {
    throw new Error(`git diff listed ${entries.length} staged files but its patch has ${added.length}`);
  }
  return { root, work: entries.map((entry, index) => ({ entry, lines: added[index] })) };
}

async function* readStagedItems(listing: ReturnType<typeof listStaged>, windowedAbove: number): AsyncGenerator<SourceItem> {
  const { root, work } = await listing;
  if (work.length === 0) return;
  const catFile = new CatFile(root);
  try {
    for await (const item of mapOrdered(work, READ_CONCURRENCY, ({ entry, lines }) => readStaged(catFile, entry, lines, windowedAbove))) {
      if (item?.kind === "big") yield* blobWindows(root, item.oid, item.path);
      else if (item) yield item;
    }
  } finally {
    catFile.close();
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
    if (!existsSync(join(root, fromRoot)) && splitNul(await git(["ls-files", "-z", "--cached", "--", pathspec], { cwd: root })).length === 0) {
      throw new UsageError(`staged: ${path} is neither in the working tree nor in the index`);
    }
    pathspecs.push(pathspec);
  }
  return wholeIndex ? [] : pathspecs;
}

/** The path from the root, with "/" separators; undefined outside it. A symlinked folder is followed once. */
function relativeToRoot(root: string, absolute: string): string | undefined {
  for (const candidate of existsSync(absolute) ? [absolute, realpathSync(absolute)] : [absolute]) {
    const fromRoot = relative(root, candidate);
    if (!isAbsolute(fromRoot) && fromRoot.split(sep)[0] !== "..") return fromRoot.split(sep).join("/");
  }
  return undefined;
}

/** One staged file's index content, or why it was skipped; undefined when no line of it can report. */
async function readStaged(
  catFile: CatFile,
  entry: RawEntry,
  lines: Set<number> | "all" | undefined,
  windowedAbove: number,
): Promise<SourceItem | BigBlob | undefined> {
  const path = entry.path;
  if (entry.dstMode === "120000") return { kind: "skipped", path, reason: "symlink" };
  if (entry.dstMode === "160000") return { kind: "skipped", path, reason: "submodule" };
  if (lines === undefined || (lines !== "all" && lines.size === 0)) return undefined; // only deletions or a mode change
  const blob = await catFile.read(entry.dst, windowedAbove);
  if (blob.size > windowedAbove) return { kind: "big", path, oid: entry.dst };
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
 * ("+++ b/name") is never mistaken for a hunk's.
 */
export async function addedLines(patch: AsyncIterable<Buffer>): Promise<(Set<number> | "all")[]> {
  const files: (Set<number> | "all")[] = [];
  const onLine = (text: string): void => {
    const current = files.at(-1);
    if (text.startsWith("diff --git ")) files.push(new Set());
    else if (text.startsWith("@@ ") && current instanceof Set) {
      const header = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(text);
      if (!header) return;
      const start = Number(header[1]);
      const count = header[2] === undefined ? 1 : Number(header[2]);
      if (current.size + count > MAX_KEPT_LINES) files[files.length - 1] = "all";
      else for (let line = start; line < start + count; line++) current.add(line);
    } else if (text.startsWith("Binary files ") && current instanceof Set && current.size === 0) files[files.length - 1] = "all";
  };
  let partial = "";
  for await (const data of patch) {
    const lines = (partial + data.toString("latin1")).split("\n");
    partial = lines.pop() ?? "";
    // A long unfinished line is a hunk's content (headers are short): keep its first byte only, not a string as long as the file.
    if (partial.length > 65_536) partial = partial.slice(0, 1);
    // Only headers matter: a hunk's content lines (most of a big patch) are passed over unparsed.
    for (const text of lines) if (text.startsWith("d") || text.startsWith("@") || text.startsWith("B")) onLine(text);
  }
  onLine(partial);
  return files;
}
