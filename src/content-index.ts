// Which file contents a scan has already taken on, shared by all its threads, so identical files
// (vendored copies, a package installed in several places, a build output beside its source) are
// scanned once: the first thread to claim a content scans it; a thread with the same content takes
// "clean" for an answer, or, when the first had findings, the main thread gives it those findings
// at its own path (see content-join.ts).
//
// The set is an open-addressing table in SharedArrayBuffers: per slot, 64 bits of the content's hash
// (claimed with an atomic compare-and-exchange), the next 64 bits, and the state of its scan.
import { hash } from "node:crypto";

/** 2^18 slots (5 MB in all): claims stop at half full, so up to ~131,000 distinct contents are shared. */
const SLOTS = 1 << 18;
const MAX_FILL = SLOTS / 2;
/** How long a thread waits for another to finish scanning the same content before it scans it too. */
const WAIT_MS = 2000;

const SCANNING = 0;
const CLEAN = 1;
const FOUND = 2;

export interface ContentIndex {
  /** Per slot: 64 bits of the content's hash, never 0 (0 = free); then one counter, the slots taken. */
  keys: BigUint64Array;
  /** Per slot: the next 64 bits, written by the claiming thread before it scans. */
  checks: BigUint64Array;
  /** Per slot: SCANNING, CLEAN or FOUND. */
  states: Int32Array;
}

export function createContentIndex(): ContentIndex {
  return {
    keys: new BigUint64Array(new SharedArrayBuffer((SLOTS + 1) * 8)),
    checks: new BigUint64Array(new SharedArrayBuffer(SLOTS * 8)),
    states: new Int32Array(new SharedArrayBuffer(SLOTS * 4)),
  };
}

/**
 * A content's identity: SHA-1 of the bytes (hex), with whether the entropy detector runs on its path,
 * as two files with the same bytes are scanned alike only then.
 */
export function contentId(bytes: Uint8Array, entropyAllowed: boolean): string {
  return `${hash("sha1", bytes, "hex")}${entropyAllowed ? "e" : "n"}`;
}

/**
 * The bits of the id a slot is claimed with: never 0, and not the same for the same bytes with the
 * other entropy flag (bit 1 differs), so each is scanned once its own way. The join (content-join.ts)
 * finds first scans by it too.
 */
export function contentKey(id: string): bigint {
  const entropyBit = id.endsWith("e") ? 2n : 0n;
  return (BigInt(`0x${id.slice(0, 16)}`) ^ entropyBit) | 1n;
}

const contentCheck = (id: string): bigint => BigInt(`0x${id.slice(16, 32)}`);

export type Claim =
  /** Scan it, then say how it went with settleContent. */
  | { kind: "first"; slot: number }
  /** Another thread scanned the same content and found nothing. */
  | { kind: "clean" }
  /** Another thread scanned the same content and found something: the main thread joins the two. */
  | { kind: "found" }
  /** Scan it without sharing: the table is full, or another content has the same key, or its scan took too long. */
  | { kind: "unshared" };

export function claimContent(index: ContentIndex, id: string): Claim {
  const { keys, checks, states } = index;
  if (Atomics.load(keys, SLOTS) >= MAX_FILL) return { kind: "unshared" };
  const key = contentKey(id);
  let slot = Number(key & BigInt(SLOTS - 1));
  for (;;) {
    const held = Atomics.compareExchange(keys, slot, 0n, key);
    if (held === 0n) {
      Atomics.add(keys, SLOTS, 1n);
      Atomics.store(checks, slot, contentCheck(id));
      return { kind: "first", slot };
    }
    if (held === key) break;
    slot = (slot + 1) & (SLOTS - 1);
  }
  // The same key: wait for its scan to end (it is under way on another thread), then compare the next 64 bits.
  if (Atomics.wait(states, slot, SCANNING, WAIT_MS) === "timed-out" && Atomics.load(states, slot) === SCANNING) {
    return { kind: "unshared" };
  }
  if (Atomics.load(checks, slot) !== contentCheck(id)) return { kind: "unshared" };
  return Atomics.load(states, slot) === CLEAN ? { kind: "clean" } : { kind: "found" };
}

/** The first thread's scan of a content is over: threads waiting for it go on. */
export function settleContent(index: ContentIndex, slot: number, found: boolean): void {
  Atomics.store(index.states, slot, found ? FOUND : CLEAN);
  Atomics.notify(index.states, slot);
}
