// Which file contents a scan has already taken on, shared by all its threads, so identical files
// (vendored copies, a package installed in several places, a build output beside its source) are
// scanned once: the first thread to claim a content scans it; a thread with the same content takes
// "clean" for an answer, or, when the first had findings, the main thread gives it those findings
// at its own path (see content-join.ts).
//
// The set is an open-addressing table in SharedArrayBuffers: per slot, 32 bits of the content's hash
// (claimed with an atomic compare-and-exchange), the other 32 and the content's length, and the state
// of its scan. Numbers throughout: no BigInt, no string to parse, as this runs for every file read.
import { contentHash } from "./content-hash.js";

/** 2^18 slots (4 MB in all): claims stop at half full, so up to ~131,000 distinct contents are shared. */
const SLOTS = 1 << 18;
const MAX_FILL = SLOTS / 2;
/** How long a thread waits for another to finish scanning the same content before it scans it too. */
const WAIT_MS = 2000;

/** A slot's states: its key is taken but the rest of the id not yet written; then its content's scan. */
const CLAIMED = 0;
const SCANNING = 1;
const CLEAN = 2;
const FOUND = 3;

export interface ContentIndex {
  /** Per slot: a content's key, never 0 (0 = free); then one counter, the slots taken. */
  keys: Int32Array;
  /** Per slot, two numbers: the high half of the content's hash and its length, written by the claiming thread before it scans. */
  checks: Int32Array;
  /** Per slot: CLAIMED, SCANNING, CLEAN or FOUND. */
  states: Int32Array;
}

export function createContentIndex(): ContentIndex {
  return {
    keys: new Int32Array(new SharedArrayBuffer((SLOTS + 1) * 4)),
    checks: new Int32Array(new SharedArrayBuffer(SLOTS * 8)),
    states: new Int32Array(new SharedArrayBuffer(SLOTS * 4)),
  };
}

/**
 * A content's identity: its 64-bit hash and length, with the rules that skip its path (an entropy
 * rule's skipPaths), as two files with the same bytes are scanned alike only when those are the same.
 */
export interface ContentId {
  /** The hash's low half, mixed with a hash of the skipped rules' ids when there are any, with bit 0 set (so never 0). */
  key: number;
  high: number;
  length: number;
}

export function contentId(bytes: Uint8Array, skippedRules: readonly string[]): ContentId {
  const [low, high] = contentHash(bytes);
  return { key: (low ^ idsHash(skippedRules)) | 1, high, length: bytes.length };
}

/** 0 for no ids, else an FNV-1a hash of them with bit 1 set, so a skipped rule always changes the key. */
function idsHash(ids: readonly string[]): number {
  if (ids.length === 0) return 0;
  let hash = 0x811c9dc5;
  for (const char of ids.join(",")) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193);
  return hash | 2;
}

/**
 * The id as sent between threads and looked up by the main thread (content-join.ts): two contents
 * have the same name exactly when a claim takes one for the other.
 */
export const contentName = (id: ContentId): string => `${id.key}:${id.high}:${id.length}`;

export type Claim =
  /** Scan it, then say how it went with settleContent. */
  | { kind: "first"; slot: number }
  /** Another thread scanned the same content and found nothing. */
  | { kind: "clean" }
  /** Another thread scanned the same content and found something: the main thread joins the two. */
  | { kind: "found" }
  /** Scan it without sharing: the table is full, or the first scan of the content took too long. */
  | { kind: "unshared" };

/**
 * Looks for the content from the slot its key names onwards, and takes the first free slot if it is
 * not there. Keys are 31 bits, so among 100,000 contents a few share one: a slot with the same key
 * is the content's only if the rest of its id is the same too; otherwise the search goes on.
 */
export function claimContent(index: ContentIndex, id: ContentId): Claim {
  const { keys, checks, states } = index;
  if (Atomics.load(keys, SLOTS) >= MAX_FILL) return { kind: "unshared" };
  let slot = id.key & (SLOTS - 1);
  for (;;) {
    const held = Atomics.compareExchange(keys, slot, 0, id.key);
    if (held === 0) {
      Atomics.add(keys, SLOTS, 1);
      Atomics.store(checks, 2 * slot, id.high);
      Atomics.store(checks, 2 * slot + 1, id.length);
      Atomics.store(states, slot, SCANNING);
      Atomics.notify(states, slot);
      return { kind: "first", slot };
    }
    if (held === id.key) {
      // The slot's claimer writes the rest of its id straight after taking the key: a moment's wait at most.
      if (waitForState(states, slot, (state) => state !== CLAIMED) === undefined) return { kind: "unshared" };
      if (Atomics.load(checks, 2 * slot) === id.high && Atomics.load(checks, 2 * slot + 1) === id.length) break;
    }
    slot = (slot + 1) & (SLOTS - 1);
  }
  // The same content: wait for its scan to end (it may be under way on another thread).
  const state = waitForState(states, slot, (state) => state === CLEAN || state === FOUND);
  if (state === undefined) return { kind: "unshared" };
  return state === CLEAN ? { kind: "clean" } : { kind: "found" };
}

/**
 * The slot's state once `reached` holds for it, or undefined after WAIT_MS. Being woken is no proof
 * of the change waited for: the claimer wakes waiters both when it has written the id and when its
 * scan ends, and a thread that starts waiting for the end in between may get the first call.
 */
function waitForState(states: Int32Array, slot: number, reached: (state: number) => boolean): number | undefined {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const state = Atomics.load(states, slot);
    if (reached(state)) return state;
    const left = deadline - Date.now();
    if (left <= 0) return undefined;
    Atomics.wait(states, slot, state, left);
  }
}

/** The first thread's scan of a content is over: threads waiting for it go on. */
export function settleContent(index: ContentIndex, slot: number, found: boolean): void {
  Atomics.store(index.states, slot, found ? FOUND : CLEAN);
  Atomics.notify(index.states, slot);
}
