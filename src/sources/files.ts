// The working tree: which files to scan (git's own listing in a repository, a .gitignore-aware walk
// outside one) and their text. Symlinks inside a folder are never followed (one named on the command
// line is: target()); binary, large and unreadable files are reported as skipped. A tracked file
// deleted from the working tree, or one that vanishes between listing and reading, is passed over
// quietly: there is nothing in the working tree to scan.
import {
  closeSync,
  type Dirent,
  constants as fsConstants,
  promises as fsPromises,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
} from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { UsageError } from "../errors.js";
import type { FileRef, RawChunk, ReadItem, SkippedItem, SkipReason, SourceItem, WindowBuffer, WindowPiece } from "../types.js";
import { isBinary } from "./decode.js";
import { type FolderRules, ignoreLevel, insideFolder, isIgnored, NO_RULES, withLevel } from "./gitignore.js";
import { git, literalPathspec, repoRoot, splitNul, splitNulBytes } from "./git.js";
import { fileByteWindows, WINDOWED_ABOVE, type WindowSizes } from "./windows.js";

// fs.promises is read when called: node:fs/promises loads some ten of Node's own modules (readline's
// among them), which a run that lists no working tree (the pre-commit hook's) would load for nothing.
const realpath = (path: string): Promise<string> => fsPromises.realpath(path);
const lstat = (path: string) => fsPromises.lstat(path);
const stat = (path: string) => fsPromises.stat(path);

export interface WorkingTreeOptions {
  /** Where relative paths are resolved from; paths are reported relative to its repository root (or to it, outside a repository). */
  cwd: string;
  /** Files or folders to scan; default ["."]. */
  paths?: readonly string[];
  /** True for a path (relative, forward slashes) the configuration allows: skipped as "allowed-path" without reading it. */
  isPathAllowed?: (path: string) => boolean;
  /** Where reported paths are relative to, when the caller has worked it out already (scanBase); worked out otherwise. */
  base?: Promise<ScanBase>;
}

/**
 * What a working-tree scan's paths are relative to, wherever keyscan was started: the root of the
 * repository holding the first path argument, or outside a repository the folder the paths have in
 * common. `keyscan scan /repo` from elsewhere, `keyscan scan sub` and `cd sub && keyscan scan .`
 * then report the same paths, which allow lists, ignore files and baselines are matched against.
 */
export interface ScanBase {
  base: string;
  /** The repository holding the first path argument; undefined outside a repository. */
  root: string | undefined;
  /** The first path argument's folder (itself, or the folder holding a file). */
  firstFolder: string;
}

export async function scanBase(cwd: string, paths: readonly string[] = ["."]): Promise<ScanBase> {
  const realCwd = await realpath(cwd);
  const targets = await Promise.all((paths.length > 0 ? paths : ["."]).map((arg) => target(realCwd, arg)));
  const folders = targets.map((found) => (found.isDirectory ? found.abs : dirname(found.abs)));
  const firstFolder = folders[0] ?? realCwd;
  const root = await repoRoot(firstFolder);
  return { base: root ?? commonFolder(folders), root, firstFolder };
}

/** The deepest folder holding all of these absolute folders. */
function commonFolder(folders: readonly string[]): string {
  const [first = sep, ...rest] = folders;
  let common = first.split(sep);
  for (const folder of rest) {
    const parts = folder.split(sep);
    let same = 0;
    while (same < common.length && same < parts.length && common[same] === parts[same]) same++;
    common = common.slice(0, same);
  }
  return common.join(sep) || sep;
}

/**
 * The files to scan, for whichever thread reads them (readWholeFile), and the allowed paths passed
 * over. A file found but not listable further (a folder that cannot be read) is handed on with its
 * `problem`, so the reader reports it like any unreadable file.
 */
export async function* workingTreeFiles(options: WorkingTreeOptions): AsyncGenerator<SourceItem> {
  const cwd = await realpath(options.cwd);
  const args = options.paths ?? ["."];
  const { base, root, firstFolder } = await (options.base ?? scanBase(cwd, args));
  // The usual target is the first path's folder, whose repository is known now: one git call fewer.
  const rootOf = (dir: string): Promise<string | undefined> => (dir === firstFolder ? Promise.resolve(root) : repoRoot(dir));
  // Every path is checked before anything is scanned, so a typo fails fast.
  const targets = await Promise.all(args.map((arg) => target(cwd, arg)));
  // Paths named twice (`scan src src/lib`) are scanned once.
  const seen = targets.length > 1 ? new Set<string>() : undefined;
  for (const found of targets) {
    for await (const part of listTarget(found, base, rootOf)) {
      for (const file of part) {
        // A name that is not valid UTF-8 by its bytes: two such names may decode alike.
        const key = file.absBytes ? Buffer.from(file.absBytes).toString("latin1") : file.abs;
        if (seen?.has(key)) continue;
        seen?.add(key);
        if (options.isPathAllowed?.(file.path)) yield { kind: "skipped", path: file.path, reason: "allowed-path" };
        else yield { kind: "file", file };
      }
    }
  }
}

/** The path to report for a file: relative to `base`, with forward slashes. */
const reportedPath = (base: string, abs: string): string => relative(base, abs).split(sep).join("/");

/** A path argument resolved, as a folder (its real path) or a file (where it was named; `readFrom`, the file a symlink points to). */
interface Target {
  abs: string;
  isDirectory: boolean;
  readFrom?: string;
}

/**
 * A path argument resolved. A symlink named on the command line is followed, as ripgrep follows one:
 * the user chose that path (`keyscan scan linked-folder` otherwise scanned nothing, and said so only in
 * its summary). A symlinked file keeps the name it was given in reports; a folder is scanned where it is.
 */
async function target(cwd: string, arg: string): Promise<Target> {
  const given = resolve(cwd, arg);
  const link = await lstat(given).catch(() => undefined);
  if (!link) throw new UsageError(`path not found: ${arg}`);
  const stats = link.isSymbolicLink() ? await stat(given).catch(() => undefined) : link;
  if (!stats) throw new UsageError(`path not found: ${arg} is a symlink to nothing`);
  if (stats.isDirectory()) return { abs: await realpath(given), isDirectory: true };
  const abs = join(await realpath(dirname(given)), basename(given));
  if (!link.isSymbolicLink()) return { abs, isDirectory: false };
  // A link to a pipe or a device (`/dev/stdin` on a pipe) has no file to read: standard input is `-`.
  const readFrom = stats.isFile() ? await realpath(given).catch(() => undefined) : undefined;
  if (readFrom === undefined) throw new UsageError(`${arg} is a symlink to neither a file nor a folder (to scan standard input, give -)`);
  return { abs, isDirectory: false, readFrom };
}

/**
 * The files under one path argument, in parts (git's listing comes in two); a file named on the
 * command line is scanned even if ignored. Once a part is in, its files are listed synchronously, so
 * a file costs its consumer one `await` (workingTreeFiles'), not one for each generator it would pass through.
 */
async function* listTarget(found: Target, base: string, rootOf: (dir: string) => Promise<string | undefined>): AsyncGenerator<Iterable<FileRef>> {
  if (!found.isDirectory) {
    yield [{ abs: found.readFrom ?? found.abs, path: reportedPath(base, found.abs) }];
    return;
  }
  const root = await rootOf(found.abs);
  if (root) {
    yield* gitListing(root, found.abs, base);
    return;
  }
  const rules = rulesAbove(base, found.abs);
  if (rules !== undefined) yield walk(found.abs, reportedPath(base, found.abs), rules);
}

/**
 * Tracked and untracked, not ignored, files under `dir` as git lists them, the tracked ones first.
 * They are two listings, started together: git answers the tracked files from its index at once,
 * while finding the untracked ones walks the whole tree (a quarter of a second on a 44,000-file
 * checkout), so the scan starts on the tracked files meanwhile. The two never share a file. The
 * paths are git's, prefixed with the repository's own path from `base`: no path arithmetic per
 * file, which on a big tree would be much of the main thread's work.
 */
async function* gitListing(root: string, dir: string, base: string): AsyncGenerator<Iterable<FileRef>> {
  const pathspec = literalPathspec(reportedPath(root, dir) || ".");
  const prefix = reportedPath(base, root);
  const untracked = git(["ls-files", "-z", "--others", "--exclude-standard", "--", pathspec], { cwd: root });
  // Awaited below; should the tracked listing fail first, this one's failure is not left unhandled.
  untracked.catch(() => undefined);
  yield listed(await git(["ls-files", "-z", "--cached", "--", pathspec], { cwd: root }), root, prefix);
  yield listed(await untracked, root, prefix);
}

/** The files of git's listing (NUL-terminated paths), their paths prefixed with `prefix` (the repository's path from the scan's base). */
function* listed(output: Buffer, root: string, prefix: string): Generator<FileRef> {
  const paths = splitNul(output);
  // Each field's bytes, for a path that is not valid UTF-8 (rare: split only then). A NUL is never
  // part of a bad byte sequence, so the fields line up with the decoded ones.
  const fields = paths.some((path) => path.includes(NOT_UTF8)) ? splitNulBytes(output) : undefined;
  for (const [index, listedPath] of paths.entries()) {
    const nested = listedPath.endsWith("/"); // an untracked nested repository
    const path = nested ? listedPath.slice(0, -1) : listedPath;
    const file = { abs: `${root}${sep}${path}`, path: prefix ? `${prefix}/${path}` : path };
    const bytes = fields?.[index];
    yield bytes && isNotUtf8(path, bytes) ? { ...file, absBytes: Buffer.concat([Buffer.from(`${root}${sep}`), nested ? bytes.subarray(0, -1) : bytes]) } : file;
  }
}

/**
 * What a file name that is not valid UTF-8 decodes to: its bad bytes become U+FFFD, so the decoded
 * name no longer opens the file. Such a file is opened by its bytes (FileRef.absBytes) and reported
 * under the decoded name; a folder so named is not entered outside a repository (git lists its files).
 */
const NOT_UTF8 = "\ufffd";
const NOT_UTF8_FOLDER = "its name is not valid UTF-8: keyscan lists no folder so named outside a repository";

/** True when `name` decoded `bytes` with a loss (a name may hold U+FFFD itself, as valid UTF-8). */
const isNotUtf8 = (name: string, bytes: Uint8Array): boolean => name.includes(NOT_UTF8) && !Buffer.from(name).equals(bytes);

/** What to open a listed file by: its name, or its bytes when the name is not valid UTF-8. */
export function pathToOpen(file: FileRef): string | Buffer {
  // A worker receives the bytes as a plain Uint8Array: a Buffer over the same memory, not a copy.
  return file.absBytes ? Buffer.from(file.absBytes.buffer, file.absBytes.byteOffset, file.absBytes.byteLength) : file.abs;
}

/** A folder being walked: its entries, in order, and the next one to look at. */
interface OpenFolder {
  dir: string;
  path: string;
  rules: FolderRules;
  entries: Dirent[];
  next: number;
  /** The entries whose names are not valid UTF-8, as bytes, once one such entry is met; each taken once. */
  undecodable?: Dirent<Buffer>[];
}

/**
 * Outside a repository: every file under `dir` (reported as `path`) except `.git` and what the
 * .gitignore files found on the way exclude (gitignore.ts). Ignored folders are not entered, as git
 * does. Directories are never followed through symlinks. Folders are read with synchronous calls,
 * and each file's reported path is built from its folder's: on a 43,000-file tree of 18,000 folders,
 * node's asynchronous readdir took three to four times the CPU time of readdirSync. The folders being
 * walked are a stack, not nested generators, so a file is handed up through one generator whatever
 * its depth.
 */
function* walk(dir: string, path: string, rules: FolderRules): Generator<FileRef> {
  const open: OpenFolder[] = [];
  /** Pushes the folder onto the walk, or returns why it cannot be read (reported, and the scan goes on). */
  const enter = (dir: string, path: string, rules: FolderRules): FileRef | undefined => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      return { abs: dir, path, problem: (error as NodeJS.ErrnoException).code ?? String(error) };
    }
    const level = entries.some((entry) => entry.name === ".gitignore" && entry.isFile()) ? ignoreLevel(dir, path) : undefined;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    open.push({ dir, path, rules: level === undefined ? rules : withLevel(rules, level, path), entries, next: 0 });
    return undefined;
  };
  const problem = enter(dir, path, rules);
  if (problem) yield problem;
  while (open.length > 0) {
    const folder = open[open.length - 1] as OpenFolder;
    const entry = folder.entries[folder.next++];
    if (entry === undefined) {
      open.pop();
      continue;
    }
    const { name } = entry;
    if (name === ".git") continue;
    const abs = `${folder.dir}${sep}${name}`;
    const entryPath = folder.path === "" ? name : `${folder.path}/${name}`;
    const isDirectory = entry.isDirectory();
    if (isIgnored(folder.rules, name, entryPath, isDirectory)) continue;
    if (name.includes(NOT_UTF8) && isDirectory) yield { abs, path: entryPath, problem: NOT_UTF8_FOLDER };
    else if (name.includes(NOT_UTF8)) {
      const bytes = takeUndecodable(folder, name);
      yield bytes
        ? { abs, path: entryPath, absBytes: Buffer.concat([Buffer.from(`${folder.dir}${sep}`), bytes]) }
        : { abs, path: entryPath, problem: "its name is not valid UTF-8, and its folder no longer lists it by its bytes" };
    } else if (isDirectory) {
      const problem = enter(abs, entryPath, insideFolder(folder.rules, entryPath));
      if (problem) yield problem;
    } else yield { abs, path: entryPath };
  }
}

/**
 * The bytes of the entry of `folder` whose name decodes to `name` with a loss, each entry taken once
 * (two such names may decode alike); undefined when there is none (the folder changed meanwhile).
 */
function takeUndecodable(folder: OpenFolder, name: string): Buffer | undefined {
  try {
    folder.undecodable ??= readdirSync(folder.dir, { encoding: "buffer", withFileTypes: true }).filter((entry) => isNotUtf8(entry.name.toString(), entry.name));
  } catch {
    return undefined; // the folder went away since it was listed: its files too
  }
  const at = folder.undecodable.findIndex((entry) => entry.name.toString() === name);
  return at === -1 ? undefined : folder.undecodable.splice(at, 1)[0]?.name;
}

/**
 * Outside a repository, the .gitignore files of the folders from the scan's base down to `dir`
 * (exclusive) apply too: the rules they put in force in `dir`, or undefined when they exclude `dir`
 * or a folder on the way (then nothing below it is listed, as git lists nothing there).
 */
function rulesAbove(base: string, dir: string): FolderRules | undefined {
  const inside = relative(base, dir);
  if (inside === "" || inside.startsWith("..")) return NO_RULES;
  let rules = NO_RULES;
  let folder = base;
  let path = "";
  for (const name of inside.split(sep)) {
    const level = ignoreLevel(folder, path);
    if (level) rules = withLevel(rules, level, path);
    const entryPath = path === "" ? name : `${path}/${name}`;
    if (isIgnored(rules, name, entryPath, true)) return undefined;
    folder = join(folder, name);
    path = entryPath;
    rules = insideFolder(rules, path);
  }
  return rules;
}

/**
 * The windows of a file too big to read at once (readWholeFile says "windows"), as bytes for any
 * thread to decode and scan, each read into a buffer from `buffer` (windows.ts); nothing when it no
 * longer exists, or why it cannot be read.
 */
export function* bigFileWindows(file: FileRef, buffer?: WindowBuffer, sizes?: WindowSizes): Generator<WindowPiece, void, undefined> {
  try {
    yield* fileByteWindows(pathToOpen(file), file.path, sizes, buffer);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOENT") yield { kind: "skipped", path: file.path, reason: "unreadable", detail: code ?? String(error) };
  }
}

/**
 * Where a thread reads its files, one after another: one buffer, grown as needed and reused, so a
 * read allocates nothing: fresh memory is faulted in page by page, a cost paid again for every file.
 * What a read puts in it is valid until the next read.
 */
export interface ReadBuffer {
  bytes: Buffer;
  /** A buffer of at least `size` bytes to use instead (what `bytes` held need not be kept). */
  grow: (size: number) => Buffer;
}

/**
 * One file's bytes, undecoded (the scan deduplicates before it decodes), or why it was skipped;
 * undefined when it no longer exists; "windows" when it is too big to read at once (bigFileWindows).
 * With `into`, the bytes are in that buffer (until its next read). Files are read one at a time with
 * synchronous calls: each thread has nothing else to do meanwhile, so the asynchronous calls' overhead
 * buys nothing, and never more than one file is open. Runs on a scan worker as well as on the main thread.
 */
export function readWholeFile(file: FileRef, maxFileSize: number, into?: ReadBuffer): ReadItem<RawChunk> | "windows" | undefined {
  const skipped = (reason: SkipReason, detail?: string): SkippedItem => ({
    kind: "skipped",
    path: file.path,
    reason,
    ...(detail !== undefined ? { detail } : {}),
  });
  if (file.problem !== undefined) return skipped("unreadable", file.problem);
  let bytes: Buffer;
  let fd: number | undefined;
  const at = pathToOpen(file);
  try {
    fd = openNoFollow(at);
    const start = fd !== undefined && into ? readStart(fd, into) : 0;
    if (into && start > 0 && start < into.bytes.length && start <= maxFileSize) bytes = into.bytes.subarray(0, start);
    else {
      const stats = fd === undefined ? lstatSync(at) : fstatSync(fd);
      if (stats.isSymbolicLink()) return skipped("symlink");
      // A folder in git's listing is a submodule, or an untracked nested repository.
      if (stats.isDirectory()) return skipped("submodule");
      if (!stats.isFile()) return skipped("unreadable", "not a regular file");
      if (stats.size > maxFileSize) return skipped("large", `${stats.size} bytes`);
      if (stats.size > WINDOWED_ABOVE) return "windows";
      bytes = fd === undefined ? readFileSync(at) : readOpen(fd, stats.size, into);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    return skipped("unreadable", code ?? String(error));
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return isBinary(bytes) ? skipped("binary") : { kind: "chunk", chunk: { path: file.path, raw: bytes }, bytes: bytes.length };
}

/**
 * Reads the start of an open file into the buffer, before anything is known of it: most files are
 * smaller than the buffer, and a read that leaves it part-full has read a regular file whole (a
 * regular file's read comes back short only at its end), so fstat is needed only when the read fills
 * it, reads nothing, or fails (as on a folder or a FIFO): one system call fewer for most files.
 * Returns the bytes read, 0 on failure.
 */
function readStart(fd: number, into: ReadBuffer): number {
  try {
    return readSync(fd, into.bytes, 0, into.bytes.length, 0);
  } catch {
    return 0; // fstat says why
  }
}

/**
 * Opens a file for reading without following a symlink or blocking on a FIFO: one path lookup
 * instead of lstat's and open's, as a path lookup is much of what opening a small file costs.
 * Undefined where the flags do not exist (Windows) or the open fails for a reason lstat explains
 * (a symlink, a socket): the caller then looks with lstat as before.
 */
function openNoFollow(path: string | Buffer): number | undefined {
  const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK } = fsConstants;
  if (O_NOFOLLOW === undefined || O_NONBLOCK === undefined) return undefined;
  try {
    return openSync(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw error;
    return undefined;
  }
}

/** Up to `size` bytes of an open file (fewer if it shrank since fstat), in `into` when given. */
function readOpen(fd: number, size: number, into?: ReadBuffer): Buffer {
  if (into && into.bytes.length < size) into.bytes = into.grow(Math.min(Math.max(size, 2 * into.bytes.length), WINDOWED_ABOVE));
  const bytes = into ? into.bytes : Buffer.allocUnsafe(size);
  let filled = 0;
  while (filled < size) {
    const read = readSync(fd, bytes, filled, size - filled, filled);
    if (read === 0) break;
    filled += read;
  }
  return filled === bytes.length ? bytes : bytes.subarray(0, filled);
}
