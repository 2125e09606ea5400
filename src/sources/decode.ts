// Bytes to text for scanning: UTF-8 (lossy, so one bad byte does not hide a file), UTF-16 with a
// byte-order mark, and binary detection (a NUL byte in the first 8 KiB, as git does).

import type { Chunk, RawChunk } from "../types.js";

const BINARY_SNIFF_BYTES = 8192;

const utf8 = new TextDecoder("utf-8", { fatal: false, ignoreBOM: false });
const utf16le = new TextDecoder("utf-16le", { fatal: false, ignoreBOM: false });
const utf16be = new TextDecoder("utf-16be", { fatal: false, ignoreBOM: false });

/** True when the bytes look binary: a NUL in the first 8 KiB. */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0);
}

const isUtf16le = (bytes: Uint8Array): boolean => bytes[0] === 0xff && bytes[1] === 0xfe;
const isUtf16be = (bytes: Uint8Array): boolean => bytes[0] === 0xfe && bytes[1] === 0xff;

/** True when decodeText would answer undefined: a NUL in the first 8 KiB and no UTF-16 byte-order mark (UTF-16 text is full of NULs). */
export function isBinary(bytes: Uint8Array): boolean {
  return !isUtf16le(bytes) && !isUtf16be(bytes) && looksBinary(bytes);
}

/** The text of a file's bytes, or undefined when it is binary. A BOM decides the encoding and is dropped. */
export function decodeText(bytes: Uint8Array): string | undefined {
  if (isUtf16le(bytes)) return utf16le.decode(bytes);
  if (isUtf16be(bytes)) return utf16be.decode(bytes);
  if (looksBinary(bytes)) return undefined;
  return utf8.decode(bytes);
}

/** A chunk of text; a RawChunk decoded (its source checked that it is not binary). */
export function textChunk(chunk: Chunk | RawChunk): Chunk {
  return "raw" in chunk ? { path: chunk.path, text: decodeText(chunk.raw) ?? "" } : chunk;
}
