// A file too big to hold comfortably is read in overlapping windows: each window is decoded on its own
// (cut at a UTF-8 character boundary) and says where it starts in the file, so the engine reports
// file lines and columns. The overlap is longer than any key, so a key across a boundary is whole in
// one window; each window hands matches that start in the overlap to the next one, so none is reported twice.
import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import type { ReadItem } from "../types.js";
import { decodeText, isWideText, looksBinary } from "./decode.js";

/** Files larger than this are read in windows. */
export const WINDOWED_ABOVE = 8 * 1024 * 1024;
export const WINDOW_BYTES = 4 * 1024 * 1024;
export const OVERLAP_BYTES = 64 * 1024;

/**
 * The windows of a UTF-8 (or unknown 8-bit) file, or one chunk of the text before the first NUL of a
 * binary file, or one "binary" skip. A UTF-16 or UTF-32 file is read whole: its windows would need
 * cutting at code units. Throws what the reads throw.
 */
export function* fileWindows(abs: string, path: string, sizes = { window: WINDOW_BYTES, overlap: OVERLAP_BYTES }): Generator<ReadItem> {
  const fd = openSync(abs, "r");
  try {
    let position = 0;
    let line = 1;
    let column = 1;
    for (;;) {
      const bytes = readAt(fd, position, sizes.window + sizes.overlap);
      if (bytes.length === 0) return;
      if (position === 0 && (looksBinary(bytes) || isWideText(bytes))) {
        const whole = isWideText(bytes) ? readFileSync(abs) : bytes;
        const text = decodeText(whole);
        yield text === undefined ? { kind: "skipped", path, reason: "binary" } : { kind: "chunk", chunk: { path, text }, bytes: whole.length };
        return;
      }
      const last = bytes.length <= sizes.window; // the rest of the file fits in this window
      const ownEnd = last ? bytes.length : characterStart(bytes, sizes.window);
      // One decoder for the window: `stream` holds back a character cut at the window's end.
      const decoder = new TextDecoder("utf-8");
      const own = decoder.decode(bytes.subarray(0, ownEnd), { stream: !last });
      const text = last ? own : own + decoder.decode(bytes.subarray(ownEnd), { stream: true });
      yield { kind: "chunk", chunk: { path, text, window: { line, column, handOff: own.length } }, bytes: ownEnd };
      if (last) return;
      const lastBreak = own.lastIndexOf("\n");
      column = lastBreak === -1 ? column + own.length : own.length - lastBreak;
      for (let at = own.indexOf("\n"); at !== -1; at = own.indexOf("\n", at + 1)) line++;
      position += ownEnd;
    }
  } finally {
    closeSync(fd);
  }
}

/** Up to `length` bytes of the file from `position` (fewer at its end). */
function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const got = readSync(fd, buffer, filled, length - filled, position + filled);
    if (got === 0) break;
    filled += got;
  }
  return buffer.subarray(0, filled);
}

/** `at`, moved back (by at most 3 bytes) to the start of the UTF-8 character it falls in. */
function characterStart(bytes: Uint8Array, at: number): number {
  let start = at;
  while (start > at - 3 && ((bytes[start] ?? 0) & 0xc0) === 0x80) start--;
  return start;
}
