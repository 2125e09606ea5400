// The WebAssembly SHA-256 rounds of a key store's MAC-key derivation are SHA-256, hashed over and over.
import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sha256Rounds } from "../../../src/sources/sha256-rounds.js";

/** The same chain through node's own SHA-256. */
function nodeRounds(digest: Buffer, count: number): Buffer {
  let hashed = digest;
  for (let round = 0; round < count; round++) hashed = createHash("sha256").update(hashed).digest();
  return hashed;
}

describe("sha256Rounds", () => {
  it.each([0, 1, 2, 7, 2048, 10_000])("hashes a digest %i more times as node's SHA-256 does", (count) => {
    const digest = createHash("sha256").update(randomBytes(40)).digest();
    expect(sha256Rounds(digest, count).toString("hex")).toBe(nodeRounds(digest, count).toString("hex"));
  });

  it("reads the digest where it lies in a larger buffer, and leaves it unchanged", () => {
    const bytes = randomBytes(80);
    const digest = bytes.subarray(13, 45);
    const before = Buffer.from(digest);
    expect(sha256Rounds(digest, 3).equals(nodeRounds(before, 3))).toBe(true);
    expect(digest.equals(before)).toBe(true);
  });
});
