// Bytes to text for scanning, decided as git decides what is text: a NUL byte in the first 8,000
// bytes makes a file binary to git (its diff says "Binary files differ"), a NUL later does not.
// Text is UTF-8 (lossy, so one bad byte does not hide a file), or UTF-16/UTF-32, with a byte-order
// mark or without one (recognised by where its NUL bytes fall). Of a file git calls binary, the text
// before its first NUL is scanned, so a key on the first line of a binary file is still found.
// One binary form is read for what it is: a PKCS#12 key store that opens with a password everybody
// knows reads as a line saying so (keyStoreText), which the rule pkcs12-known-password reports.

import { isAscii, isUtf8, transcode } from "node:buffer";
import type { Chunk, RawChunk } from "../types.js";
import { looksLikePkcs12, openKeyStore } from "./pkcs12.js";

/** git's own window (xdiff's FIRST_FEW_BYTES): a NUL within it makes a file binary. */
const BINARY_SNIFF_BYTES = 8000;

/**
 * Of a binary file, the text before its first NUL is scanned only from this length: shorter, it holds
 * no secret any rule finds, and an image's few header bytes are not worth calling a scanned file.
 */
const MIN_LEADING_TEXT = 16;

/** How a file's bytes are read: an encoding (and the length of its byte-order mark), or its leading text, or nothing. */
type Reading =
  | { kind: "utf-8" | "utf-16le" | "utf-16be" | "utf-32le" | "utf-32be"; bom: number }
  | { kind: "leading-text"; end: number }
  | { kind: "key-store" }
  | { kind: "binary" };

const utf8 = new TextDecoder("utf-8", { fatal: false, ignoreBOM: false });
const utf16le = new TextDecoder("utf-16le", { fatal: false, ignoreBOM: true });
const utf16be = new TextDecoder("utf-16be", { fatal: false, ignoreBOM: true });

/** True when the bytes look binary to git: a NUL in the first 8,000 bytes. */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0);
}

const startsWith = (bytes: Uint8Array, prefix: readonly number[]): boolean => prefix.every((byte, i) => bytes[i] === byte);

/** The encoding of UTF-16 or UTF-32 text without a byte-order mark, or undefined. */
function wideEncoding(sample: Uint8Array): "utf-16le" | "utf-16be" | "utf-32le" | "utf-32be" | undefined {
  for (const [kind, width, littleEndian] of [
    ["utf-32le", 4, true],
    ["utf-32be", 4, false],
    ["utf-16le", 2, true],
    ["utf-16be", 2, false],
  ] as const) {
    if (looksWide(sample, width, littleEndian)) return kind;
  }
  return undefined;
}

/**
 * True when the sample reads as text in code units of `width` bytes: no unit is zero (a NUL
 * character), UTF-32 units stay below 0x110000, and at least half the units are printable ASCII
 * (every byte but the low one zero), as in source code and config files. Random binary bytes fail
 * the last test: a unit's high byte is zero once in 256.
 */
function looksWide(sample: Uint8Array, width: 2 | 4, littleEndian: boolean): boolean {
  const units = Math.floor(sample.length / width);
  if (units === 0) return false;
  let ascii = 0;
  for (let unit = 0; unit < units; unit++) {
    let value = 0;
    for (let i = 0; i < width; i++) {
      const byte = sample[unit * width + (littleEndian ? width - 1 - i : i)] ?? 0;
      value = value * 256 + byte;
    }
    if (value === 0 || value > 0x10ffff) return false;
    if ((value >= 0x20 && value < 0x7f) || value === 9 || value === 10 || value === 13) ascii++;
  }
  return ascii * 2 >= units;
}

/** How to read these bytes (see Reading). */
function reading(bytes: Uint8Array): Reading {
  if (startsWith(bytes, [0xff, 0xfe, 0, 0])) return { kind: "utf-32le", bom: 4 };
  if (startsWith(bytes, [0, 0, 0xfe, 0xff])) return { kind: "utf-32be", bom: 4 };
  if (startsWith(bytes, [0xff, 0xfe])) return { kind: "utf-16le", bom: 2 };
  if (startsWith(bytes, [0xfe, 0xff])) return { kind: "utf-16be", bom: 2 };
  if (!looksBinary(bytes)) return { kind: "utf-8", bom: 0 };
  // A few bytes' test: every other binary file goes on as before.
  if (looksLikePkcs12(bytes)) return { kind: "key-store" };
  const wide = wideEncoding(bytes.subarray(0, BINARY_SNIFF_BYTES));
  if (wide) return { kind: wide, bom: 0 };
  const end = bytes.indexOf(0);
  return end >= MIN_LEADING_TEXT ? { kind: "leading-text", end } : { kind: "binary" };
}

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

/**
 * UTF-8 bytes to text, as `utf8` (lossy, a leading BOM dropped) decodes them, by the quickest road for
 * the bytes. Every text file is decoded, and V8's own UTF-8 decoding is slow once a file holds one
 * non-ASCII character (~200 MB/s; about a third of a real tree's bytes are in such files): valid UTF-8
 * is turned into UTF-16 by Node's transcoder and read as that, about twice as fast; plain ASCII is read
 * byte for byte (Latin-1, which ASCII is a part of). Only invalid UTF-8, whose bad bytes become U+FFFD,
 * takes the decoder. (Node built without ICU has no transcoder: the decoder does it all there.)
 */
export function decodeUtf8(bytes: Uint8Array): string {
  const body = startsWith(bytes, UTF8_BOM) ? bytes.subarray(UTF8_BOM.length) : bytes;
  if (isAscii(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("latin1");
  if (transcode === undefined || !isUtf8(body)) return utf8.decode(bytes);
  return transcode(body, "utf8", "utf16le").toString("utf16le");
}

/** UTF-32 code units to text; an invalid unit becomes U+FFFD, as the other decoders do. */
function decodeUtf32(bytes: Uint8Array, littleEndian: boolean): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: string[] = [];
  let codePoints: number[] = [];
  for (let at = 0; at + 4 <= bytes.length; at += 4) {
    const value = view.getUint32(at, littleEndian);
    codePoints.push(value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff) ? 0xfffd : value);
    // String.fromCodePoint takes its code points as arguments: a bounded number at a time.
    if (codePoints.length === 8192) {
      parts.push(String.fromCodePoint(...codePoints));
      codePoints = [];
    }
  }
  parts.push(String.fromCodePoint(...codePoints));
  return parts.join("");
}

/**
 * True when there is nothing to scan in the bytes: binary to git, no text before the first NUL worth
 * scanning, and not shaped as a key store (whose MAC is checked only when it is decoded).
 */
export function isBinary(bytes: Uint8Array): boolean {
  return reading(bytes).kind === "binary";
}

/** True when the bytes are UTF-8 text (or 8-bit text read as UTF-8): what can be split into lines byte-wise. */
export function isUtf8Text(bytes: Uint8Array): boolean {
  return reading(bytes).kind === "utf-8";
}

/** True when the bytes are text in UTF-16 or UTF-32 (with a byte-order mark or without): they cannot be cut into windows byte-wise. */
export function isWideText(bytes: Uint8Array): boolean {
  const kind = reading(bytes).kind;
  return kind !== "utf-8" && kind !== "leading-text" && kind !== "key-store" && kind !== "binary";
}

/** The text of a file's bytes (see the top of this file), or undefined when it is binary with nothing to scan. */
export function decodeText(bytes: Uint8Array): string | undefined {
  const how = reading(bytes);
  switch (how.kind) {
    case "binary":
      return undefined;
    case "leading-text":
      return utf8.decode(bytes.subarray(0, how.end));
    case "key-store":
      return keyStoreText(bytes);
    case "utf-8":
      return decodeUtf8(bytes);
    case "utf-16le":
      return utf16le.decode(bytes.subarray(how.bom));
    case "utf-16be":
      return utf16be.decode(bytes.subarray(how.bom));
    case "utf-32le":
    case "utf-32be":
      return decodeUtf32(bytes.subarray(how.bom), how.kind === "utf-32le");
  }
}

/**
 * A key store's text: one line giving the file's SHA-256 (the finding's secret: stable, and no key
 * material) and the well-known password that opens it, matched by the rule pkcs12-known-password in
 * rules/private-keys.toml. Undefined when no such password opens it or it holds no private key.
 */
function keyStoreText(bytes: Uint8Array): string | undefined {
  const store = openKeyStore(bytes);
  if (!store) return undefined;
  // The hash first: a report points at line 1, column 1 of the file.
  return `${store.sha256} is the SHA-256 of a PKCS#12 key store holding a private key, its MAC verified with the well-known password "${store.password}"`;
}

/** A chunk of text; a RawChunk decoded (its source checked that it is not binary). */
export function textChunk(chunk: Chunk | RawChunk): Chunk {
  return "raw" in chunk ? { path: chunk.path, text: decodeText(chunk.raw) ?? "" } : chunk;
}
