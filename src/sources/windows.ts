// A file too big to hold comfortably is read in overlapping windows: each window is decoded on its own
// (cut at a UTF-8 character boundary) and says where it starts in the file, so the engine reports
// file lines and columns. The overlap is longer than any key, so a key across a boundary is whole in
// one window; each window hands matches that start in the overlap to the next one, so none is reported twice.
// Files are read in windows with positioned reads; streams (standard input, big blobs from git) the same
// way, holding one window at a time, so memory stays flat whatever the input's size.
import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import type { ReadItem } from "../types.js";
import { decodeText, isWideText, looksBinary } from "./decode.js";

/** Files larger than this are read in windows. */
export const WINDOWED_ABOVE = 8 * 1024 * 1024;
export const WINDOW_BYTES = 4 * 1024 * 1024;
export const OVERLAP_BYTES = 64 * 1024;

export interface WindowSizes {
  window: number;
  overlap: number;
}

const DEFAULT_SIZES: WindowSizes = { window: WINDOW_BYTES, overlap: OVERLAP_BYTES };

/**
 * Cuts one input into windows, one call per window: `bytes` runs from the next window's start and is
 * `window + overlap` bytes long, or shorter only where the input ends. Says how many bytes the window
 * owns (the next one starts there) and whether it was the last. The first window decides the input:
 * binary (git's test) gives the text before its first NUL or a "binary" skip, and nothing follows.
 * UTF-16 and UTF-32 inputs are not cut here (their callers read them whole).
 */
function windowCutter(path: string, sizes: WindowSizes): (bytes: Uint8Array) => { item: ReadItem; owned: number; last: boolean } {
  let line = 1;
  let column = 1;
  let first = true;
  return (bytes) => {
    const atStart = first;
    first = false;
    if (atStart && looksBinary(bytes)) {
      const text = decodeText(bytes);
      const item: ReadItem = text === undefined ? { kind: "skipped", path, reason: "binary" } : { kind: "chunk", chunk: { path, text }, bytes: bytes.length };
      return { item, owned: bytes.length, last: true };
    }
    const last = bytes.length <= sizes.window; // the rest of the input fits in this window
    const owned = last ? bytes.length : characterStart(bytes, sizes.window);
    // One decoder for the window: `stream` holds back a character cut at the window's end.
    const decoder = new TextDecoder("utf-8");
    const own = decoder.decode(bytes.subarray(0, owned), { stream: !last });
    const text = last ? own : own + decoder.decode(bytes.subarray(owned), { stream: true });
    // An input that fits in one window is an ordinary chunk.
    const chunk = atStart && last ? { path, text } : { path, text, window: { line, column, handOff: own.length } };
    const lastBreak = own.lastIndexOf("\n");
    column = lastBreak === -1 ? column + own.length : own.length - lastBreak;
    for (let at = own.indexOf("\n"); at !== -1; at = own.indexOf("\n", at + 1)) line++;
    return { item: { kind: "chunk", chunk, bytes: owned }, owned, last };
  };
}

/**
 * The windows of a UTF-8 (or unknown 8-bit) file, or one chunk of the text before the first NUL of a
 * binary file, or one "binary" skip. A UTF-16 or UTF-32 file is read whole: its windows would need
 * cutting at code units. Throws what the reads throw.
 */
export function* fileWindows(abs: string, path: string, sizes = DEFAULT_SIZES): Generator<ReadItem> {
  const fd = openSync(abs, "r");
  try {
    const cut = windowCutter(path, sizes);
    let position = 0;
    for (;;) {
      const bytes = readAt(fd, position, sizes.window + sizes.overlap);
      if (bytes.length === 0) return;
      if (position === 0 && isWideText(bytes)) {
        const whole = readFileSync(abs);
        yield { kind: "chunk", chunk: { path, text: decodeText(whole) ?? "" }, bytes: whole.length };
        return;
      }
      const { item, owned, last } = cut(bytes);
      yield item;
      if (last) return;
      position += owned;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * The windows of a byte stream (standard input, a blob from git), as fileWindows gives a file's:
 * at most `window + overlap` bytes (plus one buffer of the stream) are held at once, and the stream is
 * read only as fast as the windows are taken. Stops reading (ending the stream) once the rest does
 * not matter: after a binary input's first window. UTF-16 or UTF-32 text longer than one window is
 * not cut at code units here: it is skipped as "large", with a detail that says why.
 */
export async function* streamWindows(stream: AsyncIterable<Uint8Array>, path: string, sizes = DEFAULT_SIZES): AsyncGenerator<ReadItem> {
  const cut = windowCutter(path, sizes);
  const wanted = sizes.window + sizes.overlap;
  const source = stream[Symbol.asyncIterator]();
  let held: Buffer[] = [];
  let heldBytes = 0;
  let ended = false;
  let first = true;
  try {
    for (;;) {
      while (!ended && heldBytes < wanted) {
        const next = await source.next();
        if (next.done) ended = true;
        else {
          held.push(Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength));
          heldBytes += next.value.byteLength;
        }
      }
      const bytes = held.length === 1 && held[0] ? held[0] : Buffer.concat(held);
      if (bytes.length === 0) {
        if (first) yield { kind: "chunk", chunk: { path, text: "" }, bytes: 0 }; // an empty input is still one
        return;
      }
      const view = bytes.subarray(0, wanted);
      if (first && isWideText(view)) {
        const whole = ended && bytes.length <= sizes.window;
        yield whole
          ? { kind: "chunk", chunk: { path, text: decodeText(bytes) ?? "" }, bytes: bytes.length }
          : { kind: "skipped", path, reason: "large", detail: "UTF-16 or UTF-32 text over one window" };
        return;
      }
      first = false;
      const { item, owned, last } = cut(view);
      yield item;
      if (last) return;
      held = [bytes.subarray(owned)];
      heldBytes = bytes.length - owned;
    }
  } finally {
    if (!ended) await source.return?.();
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
