import { existsSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/**
 * Writes a file atomically: a temporary file beside it, then a rename, so a crash or Ctrl-C
 * never leaves a half-written baseline, report or hook. A symlink is written through (the link
 * stays a link), and a target that is not a regular file (`-o /dev/null`, a FIFO) is written to
 * directly: renaming over it would replace the device or pipe with a plain file.
 */
export function writeFileAtomic(file: string, data: string, mode?: number): void {
  const target = existsSync(file) ? realpathSync(file) : file;
  if (existsSync(target) && !statSync(target).isFile()) {
    writeFileSync(target, data);
    return;
  }
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, data, mode === undefined ? undefined : { mode });
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
