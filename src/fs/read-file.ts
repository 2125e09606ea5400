import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { UsageError } from "../errors.js";
import { neutralize } from "../report/common.js";
import { formatBytes } from "../format/size.js";

/** Config, ignore and baseline files are small: a bigger one is a mistake or a trap (a symlink to a huge file). */
export const MAX_SMALL_FILE = 4 * 1024 * 1024;

/**
 * Reads a config, ignore or baseline file as UTF-8, refusing what is not a regular file or is over `limit`
 * bytes (4 MB by default), with one sentence naming it (as `shownAs`, when given). A repository may commit a symlink to /dev/zero or a FIFO in such a
 * file's place: it is opened without blocking, checked with fstat (so the check and the read see the same
 * file), and read no further than the limit even if it grows meanwhile.
 */
export function readSmallFile(file: string, what: string, options: { limit?: number; shownAs?: string } = {}): string {
  const limit = options.limit ?? MAX_SMALL_FILE;
  const shown = neutralize(options.shownAs ?? file);
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${what} ${shown}${code === "ENOENT" ? ": no such file" : code ? ` (${code})` : ""}`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new UsageError(`${what} ${shown} is not a regular file (a device, pipe or folder); refusing to read it`);
    if (stat.size > limit) {
      throw new UsageError(`${what} ${shown} is ${formatBytes(stat.size)}, over the limit of ${formatBytes(limit)}`);
    }
    // Sized by fstat (a baseline's limit is 64 MB, most are a few KB), grown if the file grows, never past the limit.
    let buffer = Buffer.allocUnsafe(stat.size + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > limit) throw new UsageError(`${what} ${shown} grew past the limit of ${formatBytes(limit)} while being read`);
        const larger = Buffer.allocUnsafe(Math.min(limit + 1, 2 * buffer.length));
        buffer.copy(larger, 0, 0, length);
        buffer = larger;
      }
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    return buffer.subarray(0, length).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

/**
 * Opens a file the scanned tree holds, for reading: never through a symlink, never blocking on a FIFO put
 * where a file was listed, and only a regular file (else an error with code ENOTREG). The caller closes it.
 */
export function openRegularFile(file: string | Buffer): number {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  if (fstatSync(fd).isFile()) return fd;
  closeSync(fd);
  throw Object.assign(new Error(`${file} is not a regular file`), { code: "ENOTREG" });
}
