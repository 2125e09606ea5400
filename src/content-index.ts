// Which file contents a scan has already taken on, shared by all its threads, so identical files
// (vendored copies, a package installed in several places, a build output beside its source) are
// scanned once: the first thread to claim a content scans it, the others report a duplicate and the
// main thread gives them the first one's findings (see content-join.ts).
//
// The set is an open-addressing table of 64-bit keys in a SharedArrayBuffer, claimed with an atomic
// compare-and-exchange, so threads never wait for each other or for a message.
import { hash } from "node:crypto";

/** 2^18 slots (2 MB): claims stop at half full, so up to ~131,000 distinct contents are deduplicated. */
const SLOTS = 1 << 18;
const MAX_FILL = SLOTS / 2;

export interface ContentIndex {
  /** SLOTS keys (0 = free), then one counter: the slots taken. */
  table: BigUint64Array;
}

export function createContentIndex(): ContentIndex {
  return { table: new BigUint64Array(new SharedArrayBuffer((SLOTS + 1) * 8)) };
}

/**
 * A content's identity: SHA-1 of the bytes (hex), with whether the entropy detector runs on its path,
 * as two files with the same bytes are scanned alike only then.
 */
export function contentId(bytes: Uint8Array, entropyAllowed: boolean): string {
  return `${hash("sha1", bytes, "hex")}${entropyAllowed ? "e" : "n"}`;
}

/** The key a content claims its slot with: 63 bits of its id, never 0. */
export function contentKey(id: string): bigint {
  return BigInt(`0x${id.slice(0, 16)}`) | 1n;
}

/**
 * True when this caller is the first to claim the key: it scans the content. False when another
 * claimed it first, or when the table is full (then the caller scans too, as if nothing were shared).
 */
export function claimContent(index: ContentIndex, key: bigint): "first" | "duplicate" | "full" {
  const { table } = index;
  if (Atomics.load(table, SLOTS) >= MAX_FILL) return "full";
  let slot = Number(key & BigInt(SLOTS - 1));
  for (;;) {
    const held = Atomics.compareExchange(table, slot, 0n, key);
    if (held === 0n) {
      Atomics.add(table, SLOTS, 1n);
      return "first";
    }
    if (held === key) return "duplicate";
    slot = (slot + 1) & (SLOTS - 1);
  }
}
