import { renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/**
 * Writes a file atomically: a temporary file beside it, then a rename, so a crash or Ctrl-C
 * never leaves a half-written baseline, report or hook.
 */
export function writeFileAtomic(file: string, data: string, mode?: number): void {
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, data, mode === undefined ? undefined : { mode });
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
