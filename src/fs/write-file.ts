import { existsSync, lstatSync, readlinkSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { UsageError } from "../errors.js";
import { neutralize } from "../report/common.js";

/**
 * Writes a file atomically: a temporary file beside it, then a rename, so a crash or Ctrl-C never leaves a
 * half-written baseline, report or hook.
 *
 * Where the path came from the user (`-o FILE`), a symlink is written through (the link stays a link) and a
 * target that is not a regular file (`-o /dev/null`, a FIFO) is written to directly: renaming over it would
 * replace the device or pipe with a plain file.
 *
 * Where the path is one keyscan chose inside a repository (the baseline, a hook, keyscan.toml.new), pass that
 * folder as `within`: a clone may commit a symlink in the file's or a folder's place to make keyscan write
 * somewhere else (a hook outside the repository runs at the user's next commit), so the write is refused
 * (UsageError) unless the file lies inside `within` with no symlink on the way and is a regular file or new.
 */
export function writeFileAtomic(file: string, data: string, mode?: number, within?: string): void {
  try {
    writeAtomic(file, data, mode, within);
  } catch (error) {
    throw error instanceof UsageError ? error : new UsageError(`cannot write ${neutralize(file)}: ${writeFailure(error)}`);
  }
}

function writeAtomic(file: string, data: string, mode: number | undefined, within: string | undefined): void {
  let target: string;
  if (within === undefined) {
    target = existsSync(file) ? realpathSync(file) : file;
    if (existsSync(target) && statSync(target).isDirectory()) throw new UsageError(`cannot write ${neutralize(file)}: it is a folder`);
    if (existsSync(target) && !statSync(target).isFile()) {
      writeFileSync(target, data);
      return;
    }
  } else {
    refuseLinks(file, within);
    target = resolve(file);
  }
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  try {
    // "wx": never follow whatever already sits at the temporary name (a planted link); a stale one is removed first.
    rmSync(temporary, { force: true });
    writeFileSync(temporary, data, { flag: "wx", ...(mode === undefined ? {} : { mode }) });
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * Throws a UsageError, naming the link, when `file` lies outside `folder`, when any existing step of the path
 * below `folder` (the file included) is a symlink, or when the file exists and is not a regular file.
 */
export function refuseLinks(file: string, folder: string): void {
  const base = resolve(folder);
  const target = resolve(file);
  const below = relative(base, target);
  const shown = neutralize(target);
  if (below === "" || below.startsWith("..") || isAbsolute(below)) {
    throw new UsageError(`refusing to write ${shown}: it is outside ${neutralize(base)}`);
  }
  let step = base;
  for (const part of below.split(sep)) {
    step = join(step, part);
    let stat: ReturnType<typeof lstatSync>;
    try {
      stat = lstatSync(step);
    } catch {
      return; // this step and those below it do not exist yet: they will be created as plain folders and file
    }
    if (stat.isSymbolicLink()) {
      throw new UsageError(
        `refusing to write ${shown}: ${neutralize(step)} is a symbolic link (to ${neutralize(readlinkSync(step))}), which could send the write outside the repository; remove the link and run again`,
      );
    }
    if (step === target && !stat.isFile()) throw new UsageError(`refusing to write ${shown}: it exists and is not a regular file`);
  }
}

/** Why a write failed, in words; the error code for anything unusual. */
export function writeFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reasons: Record<string, string> = {
    EISDIR: "it is a folder",
    EEXIST: "something of that name is already there",
    ENOENT: "its folder does not exist",
    ENOTDIR: "a part of its path is not a folder",
    EACCES: "permission denied",
    EPERM: "permission denied",
    EROFS: "the file system is read-only",
    ENOSPC: "no space left on the device",
    EDQUOT: "disk quota exceeded",
    EPIPE: "the reading end was closed",
  };
  return (code && reasons[code]) ?? (code ? `error ${code}` : "unknown error");
}
