// The content hash is xxHash64: the published test values, a plain BigInt rendering of the algorithm
// over every length up to a few stripes, and bytes hashed where they were read or after a copy.
import { describe, expect, it } from "vitest";
import { rng } from "../../../fixtures/fake-keys.js";
import { contentHash, hashingReadBuffer } from "../../../src/run/content-hash.js";

const MASK = (1n << 64n) - 1n;
const P1 = 0x9e3779b185ebca87n;
const P2 = 0xc2b2ae3d27d4eb4fn;
const P3 = 0x165667b19e3779f9n;
const P4 = 0x85ebca77c2b2ae63n;
const P5 = 0x27d4eb2f165667c5n;
const rotl = (value: bigint, bits: bigint): bigint => ((value << bits) | (value >> (64n - bits))) & MASK;
const round = (acc: bigint, lane: bigint): bigint => (rotl((acc + lane * P2) & MASK, 31n) * P1) & MASK;

/** xxHash64 with seed 0, written for clarity from the specification. */
function referenceXxh64(bytes: Buffer): bigint {
  let at = 0;
  let hash: bigint;
  if (bytes.length >= 32) {
    const lanes = [(P1 + P2) & MASK, P2, 0n, (MASK + 1n - P1) & MASK];
    for (; at + 32 <= bytes.length; at += 32) {
      for (let lane = 0; lane < 4; lane++) lanes[lane] = round(lanes[lane] as bigint, bytes.readBigUInt64LE(at + 8 * lane));
    }
    const [v1, v2, v3, v4] = lanes as [bigint, bigint, bigint, bigint];
    hash = (rotl(v1, 1n) + rotl(v2, 7n) + rotl(v3, 12n) + rotl(v4, 18n)) & MASK;
    for (const lane of lanes) hash = (((hash ^ round(0n, lane)) * P1 + P4) & MASK);
  } else hash = P5;
  hash = (hash + BigInt(bytes.length)) & MASK;
  for (; at + 8 <= bytes.length; at += 8) hash = (rotl(hash ^ round(0n, bytes.readBigUInt64LE(at)), 27n) * P1 + P4) & MASK;
  if (at + 4 <= bytes.length) {
    hash = (rotl(hash ^ ((BigInt(bytes.readUInt32LE(at)) * P1) & MASK), 23n) * P2 + P3) & MASK;
    at += 4;
  }
  for (; at < bytes.length; at++) hash = (rotl(hash ^ ((BigInt(bytes[at] as number) * P5) & MASK), 11n) * P1) & MASK;
  hash = ((hash ^ (hash >> 33n)) * P2) & MASK;
  hash = ((hash ^ (hash >> 29n)) * P3) & MASK;
  return hash ^ (hash >> 32n);
}

const asBigInt = ([low, high]: [number, number]): bigint => (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);

describe("contentHash", () => {
  it("gives xxHash64's published values", () => {
    expect(asBigInt(contentHash(Buffer.from("")))).toBe(0xef46db3751d8e999n);
    expect(asBigInt(contentHash(Buffer.from("a")))).toBe(0xd24ec4f1a98c6e5bn);
    expect(asBigInt(contentHash(Buffer.from("abc")))).toBe(0x44bc2cf5ad770999n);
  });

  it("agrees with the specification at every length up to 200 bytes and on a long input", () => {
    const random = rng(7);
    const bytes = Buffer.from(Array.from({ length: 100_003 }, () => Math.floor(random() * 256)));
    for (let length = 0; length <= 200; length++) {
      const part = bytes.subarray(3, 3 + length); // an odd offset: the copy in must not assume alignment
      expect(asBigInt(contentHash(part)), `length ${length}`).toBe(referenceXxh64(part));
    }
    expect(asBigInt(contentHash(bytes))).toBe(referenceXxh64(bytes));
  });

  it("hashes bytes read into its read buffer where they lie, also after the buffer grew", () => {
    const buffer = hashingReadBuffer();
    const text = Buffer.from("const a = 1;\n".repeat(20_000)); // 260 KB: more than the buffer starts with
    buffer.bytes = buffer.grow(text.length);
    text.copy(buffer.bytes);
    const read = buffer.bytes.subarray(0, text.length);
    expect(asBigInt(contentHash(read))).toBe(referenceXxh64(text));
    // What lies in the buffer beyond the bytes given is not hashed.
    expect(asBigInt(contentHash(buffer.bytes.subarray(0, 13)))).toBe(referenceXxh64(text.subarray(0, 13)));
  });
});
