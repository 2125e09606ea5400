// SHA-256 hashed again and again over its own digest (sha256-rounds.wat): the rounds of a key store's
// PKCS#12 key derivation after its first (pkcs12.ts), in one call rather than a crossing into node's
// C++ hash for each of a Java key store's 10,000 rounds (about a fifth of the time).
import { WASM_BASE64 } from "./sha256-rounds-wasm.js";

/** Where the module keeps the digest, as eight 32-bit words. */
const DIGEST_AT = 512;

interface Rounds {
  words: DataView;
  rounds: (count: number) => void;
}

/** One a thread, made on first use: most scans meet no key store. */
let rounder: Rounds | undefined;

/** `digest` (32 bytes) hashed `count` more times with SHA-256. */
export function sha256Rounds(digest: Uint8Array, count: number): Buffer {
  if (!rounder) {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(WASM_BASE64, "base64")));
    const memory = instance.exports.memory as WebAssembly.Memory;
    rounder = { words: new DataView(memory.buffer), rounds: instance.exports.rounds as Rounds["rounds"] };
  }
  const { words, rounds } = rounder;
  const input = new DataView(digest.buffer, digest.byteOffset, 32);
  // The module's words are numbers in wasm's (little-endian) memory; SHA-256 reads its bytes big-endian.
  for (let word = 0; word < 8; word++) words.setUint32(DIGEST_AT + 4 * word, input.getUint32(4 * word), true);
  rounds(count);
  const output = Buffer.alloc(32);
  for (let word = 0; word < 8; word++) output.writeUInt32BE(words.getUint32(DIGEST_AT + 4 * word, true), 4 * word);
  return output;
}
