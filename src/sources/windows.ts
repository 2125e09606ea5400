// A file too big to hold comfortably is read in overlapping windows: each window is decoded on its own
// (cut at a UTF-8 character boundary) and says where it starts in the file, so the engine reports
// file lines and columns. The overlap is longer than any key, so a key across a boundary is whole in
// one window; each window hands matches that start in the overlap to the next one, so none is reported twice.
// Files are read in windows with positioned reads, as bytes that any thread can decode and scan, so a
// big file's windows are scanned side by side (run/drain.ts); the position of each window's start is
// worked out in order from how far the windows before it moved it. Streams (standard input, big blobs
// from git) are cut the same way as they are read, a few windows held at a time, so memory stays flat
// whatever the input's size.
import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import type { ByteWindow, ReadItem, WindowBuffer, WindowPiece } from "../types.js";
import { decodeText, isWideText, looksBinary } from "./decode.js";

/** Files larger than this are read in windows. */
export const WINDOWED_ABOVE = 8 * 1024 * 1024;
/**
 * Each window's text, and the engine's copies of it, are garbage in the thread that scanned it until
 * its heap is collected, so peak memory grows with the window: on a 2 GiB file scanned by two workers,
 * 4 MB windows peaked at ~295 MB RSS and 1 MB windows at ~227 MB, in no more time. A window and its
 * overlap stay under Node's 1,031,913 bytes, beyond which it decodes a text into memory of its own
 * outside the heap (an external string): the heap holds only a small handle to it, so its
 * collections, which come as the heap grows, came late for them, and tens of megabytes of dead window
 * texts were held (Node 24's decoder, and Node 20's for ASCII read as latin1).
 */
export const WINDOW_BYTES = 896 * 1024;
export const OVERLAP_BYTES = 64 * 1024;

export interface WindowSizes {
  window: number;
  overlap: number;
}

const DEFAULT_SIZES: WindowSizes = { window: WINDOW_BYTES, overlap: OVERLAP_BYTES };

/** Where a window starts in its input: 1-based line and column (in UTF-16 code units, as the engine counts). */
export interface WindowPlace {
  line: number;
  column: number;
}

const INPUT_START: WindowPlace = { line: 1, column: 1 };

/**
 * Cuts one input into windows, one call per window: `bytes` runs from the next window's start and is
 * `window + overlap` bytes long, or shorter only where the input ends. The window owns its bytes up to
 * the next window's start; it is the last when the rest of the input fits in it. The first window
 * decides the input: binary (git's test) gives the text before its first NUL or a "binary" skip, and
 * nothing follows. UTF-16 and UTF-32 inputs are not cut here (their callers read them whole).
 */
function windowCutter(path: string, sizes: WindowSizes): (bytes: Uint8Array) => WindowPiece {
  let first = true;
  return (bytes) => {
    if (first && looksBinary(bytes)) {
      const text = decodeText(bytes);
      return text === undefined ? { kind: "skipped", path, reason: "binary" } : { kind: "chunk", chunk: { path, text }, bytes: bytes.length };
    }
    first = false;
    const last = bytes.length <= sizes.window;
    return { kind: "window", window: { bytes, owned: last ? bytes.length : characterStart(bytes, sizes.window), last } };
  };
}

/**
 * A window's text, decoded on its own (it starts at a UTF-8 character), wherever it is scanned: the
 * text, the offset in it where the next window takes over (Chunk.window's handOff), and how far its
 * own part moves the position in the input (see WindowScan: line breaks, code units after the last).
 */
export function windowText(window: ByteWindow): { text: string; handOff: number; breaks: number; tail: number } {
  // Decoded in one piece, not as its own part and the overlap joined (the engine would copy the two
  // into one string again), and without `stream`: Node decodes a stream through ICU, into a two-byte
  // string (twice the memory, and slower to search) by way of a temporary buffer as big again. A
  // character cut at the window's end is left out instead, as a stream's decoder would hold it back.
  // The own part's length is the whole's less the overlap's, which starts at a character (characterStart).
  const end = window.last ? window.bytes.length : wholeCharactersEnd(window.bytes);
  const text = new TextDecoder("utf-8").decode(window.bytes.subarray(0, end));
  const overlap = window.last ? "" : new TextDecoder("utf-8", { ignoreBOM: true }).decode(window.bytes.subarray(window.owned, end));
  const handOff = text.length - overlap.length;
  let breaks = 0;
  for (let at = text.indexOf("\n"); at !== -1 && at < handOff; at = text.indexOf("\n", at + 1)) breaks++;
  const lastBreak = handOff === 0 ? -1 : text.lastIndexOf("\n", handOff - 1);
  return { text, handOff, breaks, tail: handOff - lastBreak - 1 };
}

/** Where the next window starts: `moved` is how far this window's own text (starting `at`) moves the position. */
export function placeAfter(at: WindowPlace, moved: { breaks: number; tail: number }): WindowPlace {
  return moved.breaks === 0 ? { line: at.line, column: at.column + moved.tail } : { line: at.line + moved.breaks, column: moved.tail + 1 };
}

/**
 * Decodes one input's windows, in order, as chunks placed in the input: for a thread that scans the
 * windows it reads. An input that fits in one window is an ordinary chunk.
 */
function windowChunker(path: string): (window: ByteWindow) => ReadItem {
  let at = INPUT_START;
  let first = true;
  return (window) => {
    const { text, handOff, breaks, tail } = windowText(window);
    const chunk = first && window.last ? { path, text } : { path, text, window: { ...at, handOff } };
    first = false;
    at = placeAfter(at, { breaks, tail });
    return { kind: "chunk", chunk, bytes: window.owned };
  };
}

/**
 * A file's windows as bytes, to be decoded and scanned on any thread: each is read into a buffer from
 * `buffer` (see WindowBuffer), and none is kept here. Or one item (see WindowPiece): a binary file's,
 * or a UTF-16 or UTF-32 file read whole (its windows would need cutting at code units). Throws what
 * the reads throw.
 */
export function* fileByteWindows(abs: string | Buffer, path: string, sizes = DEFAULT_SIZES, buffer: WindowBuffer = newBuffer): Generator<WindowPiece> {
  const fd = openSync(abs, "r");
  try {
    const cut = windowCutter(path, sizes);
    const wanted = sizes.window + sizes.overlap;
    let position = 0;
    for (;;) {
      const bytes = readAt(fd, position, buffer(wanted).subarray(0, wanted));
      if (bytes.length === 0) return;
      if (position === 0 && isWideText(bytes)) {
        const whole = readFileSync(abs);
        yield { kind: "chunk", chunk: { path, text: decodeText(whole) ?? "" }, bytes: whole.length };
        return;
      }
      const piece = cut(bytes);
      yield piece;
      if (piece.kind !== "window" || piece.window.last) return;
      position += piece.window.owned;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * An input's pieces (fileByteWindows, streamByteWindows) with each window decoded in this thread, in
 * order, as a chunk placed in the input; an input that fits in one window is an ordinary chunk.
 */
export async function* decodedWindows(pieces: Iterable<WindowPiece> | AsyncIterable<WindowPiece>, path: string): AsyncGenerator<ReadItem> {
  const chunkOf = windowChunker(path);
  for await (const piece of pieces) yield piece.kind === "window" ? chunkOf(piece.window) : piece;
}

/**
 * The windows of a byte stream as bytes, as fileByteWindows gives a file's, each copied into a buffer
 * from `buffer`: at most `window + overlap` bytes (plus one buffer of the stream) are held here at
 * once, and the stream is read only as fast as the windows are taken. Stops reading (ending the
 * stream) once the rest does not matter: after a binary input's first window. UTF-16 or UTF-32 text
 * longer than one window is not cut at code units here: it is skipped as "large", with a detail that says why.
 */
export async function* streamByteWindows(
  stream: AsyncIterable<Uint8Array>,
  path: string,
  sizes = DEFAULT_SIZES,
  buffer: WindowBuffer = newBuffer,
): AsyncGenerator<WindowPiece> {
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
      const piece = cut(view);
      if (piece.kind !== "window") {
        yield piece;
        return;
      }
      const { owned, last } = piece.window;
      // A copy: the window may be moved to another thread, and the stream's buffers hold the next window's start.
      const copy = buffer(view.length).subarray(0, view.length);
      copy.set(view);
      yield { kind: "window", window: { bytes: copy, owned, last } };
      if (last) return;
      held = [bytes.subarray(owned)];
      heldBytes = bytes.length - owned;
    }
  } finally {
    if (!ended) await source.return?.();
  }
}

const newBuffer: WindowBuffer = (length) => new Uint8Array(length);

/** The file's bytes from `position`, as many as fit in `buffer` (fewer at its end), read into it. */
function readAt(fd: number, position: number, buffer: Uint8Array): Uint8Array {
  const length = buffer.length;
  let filled = 0;
  while (filled < length) {
    const got = readSync(fd, buffer, filled, length - filled, position + filled);
    if (got === 0) break;
    filled += got;
  }
  return buffer.subarray(0, filled);
}

/** The end of the bytes less a UTF-8 character cut at their end (its lead byte and what follows of it). */
function wholeCharactersEnd(bytes: Uint8Array): number {
  const lead = characterStart(bytes, bytes.length - 1);
  const byte = bytes[lead] ?? 0;
  const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
  return lead + length > bytes.length ? lead : bytes.length;
}

/** `at`, moved back (by at most 3 bytes) to the start of the UTF-8 character it falls in. */
function characterStart(bytes: Uint8Array, at: number): number {
  let start = at;
  while (start > at - 3 && ((bytes[start] ?? 0) & 0xc0) === 0x80) start--;
  return start;
}
