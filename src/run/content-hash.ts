// The hash that tells file contents apart, so each distinct content is scanned once (content-index.ts):
// xxHash64, run as WebAssembly (content-hash.wat) on bytes read straight into its memory: several
// times faster than node's SHA-1 (README, Performance), and it hands back two numbers where SHA-1
// gave a hex string to parse. It is not a cryptographic hash: it tells apart
// contents that differ by accident, not ones made to collide on purpose (README, "How keyscan is fast").
import { WASM_BASE64 } from "./content-hash-wasm.js";
import type { ReadBuffer } from "../sources/files.js";

/**
 * Where the module writes the hash, and where the bytes to hash start. Files are read straight to
 * INPUT_AT, and the kernel copies to a cache-line boundary faster than to an unaligned offset.
 */
const HASH_AT = 0;
const INPUT_AT = 64;
const PAGE = 65536;

interface Hasher {
  memory: WebAssembly.Memory;
  xxh64: (at: number, length: number, out: number) => void;
  /** The hash's two halves in `memory` (made again when the memory grows). */
  hash: Int32Array;
}

/** One a thread, made on first use. */
let hasher: Hasher | undefined;

function theHasher(): Hasher {
  if (!hasher) {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(WASM_BASE64, "base64")));
    const memory = instance.exports.memory as WebAssembly.Memory;
    hasher = { memory, xxh64: instance.exports.xxh64 as Hasher["xxh64"], hash: new Int32Array(memory.buffer, HASH_AT, 2) };
  }
  return hasher;
}

/** The bytes from INPUT_AT to the memory's end, grown first to hold `size` (growing voids the views on the old memory). */
function inputRoom(size: number): Buffer {
  const { memory } = theHasher();
  const missingPages = Math.ceil((INPUT_AT + size) / PAGE) - memory.buffer.byteLength / PAGE;
  if (missingPages > 0) memory.grow(missingPages);
  return Buffer.from(memory.buffer, INPUT_AT, memory.buffer.byteLength - INPUT_AT);
}

/** A buffer to read files into (see readWholeFile) that contentHash then hashes where they lie, without a copy. */
export function hashingReadBuffer(): ReadBuffer {
  return { bytes: inputRoom(64 * 1024), grow: inputRoom };
}

/** xxHash64 of the bytes, as its low and high 32 bits (signed). */
export function contentHash(bytes: Uint8Array): [low: number, high: number] {
  const hasher = theHasher();
  if (bytes.buffer !== hasher.memory.buffer || bytes.byteOffset !== INPUT_AT) inputRoom(bytes.length).set(bytes);
  hasher.xxh64(INPUT_AT, bytes.length, HASH_AT);
  if (hasher.hash.buffer !== hasher.memory.buffer) hasher.hash = new Int32Array(hasher.memory.buffer, HASH_AT, 2);
  return [hasher.hash[0] as number, hasher.hash[1] as number];
}
