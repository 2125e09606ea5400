// What is staged for commit: the index's content (not the working tree's, which may differ) of each
// added, modified or type-changed file, with the line numbers the commit adds or changes.
//
// The files and their added lines come from one patch (staged-patch.ts), streamed: each file is handed
// on as soon as its section ends, so memory does not grow with the number of staged files (a commit may
// stage hundreds of thousands). The two git processes (the patch, cat-file for the content) start
// together, when the items are first asked for: a pre-commit hook's scan asks before it builds its rules
// (commands.ts), so git works meanwhile. The patch's is started first: nothing can be read before it
// names a file, and starting a process holds this thread until git runs (a few ms on a busy machine).
// For the whole index, the CLI's entry has usually started it already (src/start/staged-ahead.ts).
// Nothing staged costs a process that has nothing to print.
import { existsSync, realpathSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { UsageError } from "../errors.js";
import { INLINE_BYTES, type SourceItem, type WindowBuffer } from "../types.js";
import { blobByteWindows, CatFile, type ObjectContent } from "./cat-file.js";
import { askedAhead, mapOrdered } from "./concurrency.js";
import { decodeText } from "./decode.js";
import { git, gitStream, literalPathspec, repoRoot } from "./git.js";
import { type StagedFile, stagedFileBatches, stagedPatchArgs } from "./staged-patch.js";

const READ_CONCURRENCY = 16;
/**
 * Files up to this size are read READ_CONCURRENCY at a time, ahead of the scan; a bigger one is read
 * alone when its turn comes, so that sixteen files of several MB are never held at once.
 */
const READ_AHEAD_BYTES = 1024 * 1024;
/**
 * Files larger than this are cut into windows of bytes, moved to the scan's workers and decoded there
 * (run/windowed.ts); smaller ones are decoded here and their text handed over. A text handed over is
 * copied, so both it and the bytes it came from stay in this thread's heap until a full collection:
 * forty staged files of 7.5 MB read whole peaked at up to 332 MB. Above the main thread's own share
 * of a scan (INLINE_BYTES), so a hook's few small files never wait for the workers to start.
 */
const STAGED_WINDOWED_ABOVE = INLINE_BYTES;

export interface StagedOptions {
  cwd: string;
  /** The repository's top level, when the caller knows it already (one git call fewer); looked up from cwd otherwise. */
  root?: string;
  /** Limit the scan to these files or folders (absolute, or relative to cwd), as lint-staged passes them. */
  paths?: readonly string[];
  /**
   * Files larger than this are streamed from git in windows (windows.ts); STAGED_WINDOWED_ABOVE by default.
   * Every staged file is scanned, whatever its size: the hook lets nothing through unscanned.
   */
  windowedAbove?: number;
}

/** A staged file too big to read ahead (READ_AHEAD_BYTES): read alone, or streamed in windows, once its turn comes. */
interface BigFile {
  kind: "big";
  file: StagedFile & { blob: string };
  size: number;
}

export async function* stagedItems(options: StagedOptions): AsyncGenerator<SourceItem> {
  const root = options.root ?? (await repoRoot(options.cwd));
  if (!root) throw new UsageError(`staged needs a git repository: ${options.cwd} is not one`);
  const pathspecs = await stagedPathspecs(root, options.cwd, options.paths ?? []);
  const windowedAbove = options.windowedAbove ?? STAGED_WINDOWED_ABOVE;
  const readAheadBytes = Math.min(READ_AHEAD_BYTES, windowedAbove);
  const files = askedAhead(stagedFiles(root, pathspecs));
  const catFile = new CatFile(root);
  const read = (oid: string, maxSize: number): Promise<ObjectContent> => catFile.read(oid, maxSize);
  try {
    for await (const item of mapOrdered(files, READ_CONCURRENCY, (file) => readAhead(read, file, readAheadBytes))) {
      if (item?.kind !== "big") {
        if (item) yield item;
        continue;
      }
      // Asked for again, alone: the read ahead let its bytes go by unkept.
      const { blob, path, lines } = item.file;
      if (item.size > windowedAbove) {
        // Each window's matches are placed at their lines in the file, where the added lines are counted.
        const windows = (buffer: WindowBuffer) => blobByteWindows(root, blob, path, buffer);
        yield { kind: "windows", path, windows, ...(lines === "all" ? {} : { addedLines: lines }) };
      } else yield stagedContent(item.file, await read(blob, windowedAbove));
    }
  } finally {
    catFile.close();
  }
}

/** Each staged file with the lines it adds, in git's order, as the patch streams in. */
async function* stagedFiles(root: string, pathspecs: readonly string[]): AsyncGenerator<StagedFile> {
  const patch = gitStream(stagedPatchArgs(pathspecs), { cwd: root });
  for await (const files of stagedFileBatches(patch)) yield* files;
}

/**
 * The paths a staged scan is limited to, as literal pathspecs from the repository root (no glob: a
 * file may be named `*.js`). A path outside the repository, or in neither the work tree nor the index
 * (a typo), is a usage error. No paths, or the root itself: the whole index.
 */
async function stagedPathspecs(root: string, cwd: string, paths: readonly string[]): Promise<string[]> {
  const named: string[] = [];
  let wholeIndex = false;
  for (const path of paths) {
    const fromRoot = relativeToRoot(root, resolve(cwd, path));
    if (fromRoot === undefined) throw new UsageError(`staged: ${path} is outside the repository ${root}`);
    if (fromRoot === "") {
      wholeIndex = true;
      continue;
    }
    if (!existsSync(join(root, fromRoot)) && !(await inIndex(root, literalPathspec(fromRoot)))) {
      throw new UsageError(`staged: ${path} is neither in the working tree nor in the index`);
    }
    named.push(fromRoot);
  }
  if (wholeIndex || named.length === 0) return [];
  return [...named, ...(await renameSources(root, named))].map(literalPathspec);
}

/**
 * Where the staged files at or under the `named` paths were moved from (`git mv`): git pairs a moved
 * file with the file it was only when both are in its diff, and lint-staged names only the new path,
 * which would otherwise count as a new file, every line added.
 */
async function renameSources(root: string, named: readonly string[]): Promise<string[]> {
  const isNamed = (path: string): boolean => named.some((name) => path === name || path.startsWith(`${name}/`));
  const output = await git(["diff", "--cached", "--find-renames", "--diff-filter=R", "--name-status", "-z", "--no-relative"], { cwd: root });
  // Each rename is three fields: its status (R and a similarity), the old path, the new path.
  const fields = output.toString("utf8").split("\0");
  const sources: string[] = [];
  for (let at = 0; at + 2 < fields.length; at += 3) {
    const [from, to] = [fields[at + 1] as string, fields[at + 2] as string];
    if (isNamed(to) && !isNamed(from)) sources.push(from);
  }
  return sources;
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
  const { path, mode, blob, lines } = file;
  if (mode === "120000") return { kind: "skipped", path, reason: "symlink" };
  if (mode === "160000") return { kind: "skipped", path, reason: "submodule" };
  if (blob === undefined || (lines !== "all" && lines.size === 0)) return undefined; // only deletions or a mode change
  const content = await read(blob, maxSize);
  if (content.size > maxSize) return { kind: "big", file: { ...file, blob }, size: content.size };
  return stagedContent(file, content);
}

/** A staged file's blob as a chunk to scan, or why it is skipped (missing, binary). */
function stagedContent({ path, blob: id, lines }: StagedFile, blob: ObjectContent): SourceItem {
  if (!blob.content) return { kind: "skipped", path, reason: "unreadable", detail: `blob ${id} is missing` };
  const text = decodeText(blob.content);
  if (text === undefined) return { kind: "skipped", path, reason: "binary" };
  // git gives no hunks for what it thinks binary (UTF-16 text has NUL bytes): then every line counts.
  const chunk = lines === "all" ? { path, text } : { path, text, addedLines: lines };
  return { kind: "chunk", chunk, bytes: blob.content.length };
}
