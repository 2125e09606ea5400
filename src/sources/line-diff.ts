// Which lines of a file's new version are new: a line diff on bytes, for history to scan only what a
// commit changed (history-changes.ts). Lines are compared by a 32-bit hash, so a version already
// replaced needs only its hashes kept (4 bytes a line), never its text.
//
// The diff is Myers' (the one git uses by default), on the lines left once the common first and last
// lines are set aside, so a small edit of a long file costs a pass over its bytes and little more.
import { WASM_BASE64 } from "./line-hash-wasm.js";

/** A version's lines as the diff sees them: a hash per line, and where each line starts in the bytes. */
export interface Lines {
  hashes: Uint32Array;
  /** Offset of each line's first byte, and one more entry: the length of the bytes. */
  starts: Uint32Array;
}

const PAGE = 65536;

interface LineHasher {
  memory: WebAssembly.Memory;
  lines: (at: number, length: number, hashes: number, starts: number) => number;
}

/** One a thread, made on first use. */
let hasher: LineHasher | undefined;

/** The lines of some bytes (line-hash.wat): each line without its "\n", hashed with its length. */
export function splitLines(bytes: Uint8Array): Lines {
  const { memory, lines, startsAt, hashesAt } = hashLines(bytes);
  const starts = new Uint32Array(lines + 1);
  starts.set(new Uint32Array(memory.buffer, startsAt, lines));
  starts[lines] = bytes.length;
  return { hashes: new Uint32Array(memory.buffer, hashesAt, lines).slice(), starts };
}

/** The hashes alone of splitLines, for a version only compared against (a parent), whose text is not cut out. */
export function lineHashes(bytes: Uint8Array): Uint32Array {
  const { memory, lines, hashesAt } = hashLines(bytes);
  return new Uint32Array(memory.buffer, hashesAt, lines).slice();
}

/** Runs the line hasher on the bytes; its output lies in its memory until the next run. */
function hashLines(bytes: Uint8Array): { memory: WebAssembly.Memory; lines: number; hashesAt: number; startsAt: number } {
  if (!hasher) {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(WASM_BASE64, "base64")));
    hasher = { memory: instance.exports.memory as WebAssembly.Memory, lines: instance.exports.lines as LineHasher["lines"] };
  }
  // Memory: the bytes and 8 bytes of room (the hasher reads the last word whole), then room for a
  // hash and a start a line (4-byte aligned), as many lines as there could be; the pages that no
  // line reaches are never touched, so they cost no memory.
  const count = bytes.length + 1;
  const hashesAt = (bytes.length + 8 + 3) & ~3;
  const startsAt = hashesAt + 4 * count;
  const needed = startsAt + 4 * count;
  const missingPages = Math.ceil(needed / PAGE) - hasher.memory.buffer.byteLength / PAGE;
  if (missingPages > 0) hasher.memory.grow(missingPages);
  new Uint8Array(hasher.memory.buffer).set(bytes);
  const lines = hasher.lines(0, bytes.length, hashesAt, startsAt);
  return { memory: hasher.memory, lines, hashesAt, startsAt };
}

/**
 * Beyond this many lines inserted and deleted (in the middle left after the common ends), the diff
 * stops and takes that whole middle as changed: a rewrite is scanned whole, and the diff's time and
 * memory stay bounded (its trace holds (D + 1)² numbers, allocated once).
 */
export const MAX_EDITS = 256;

/**
 * The lines of `after` (0-based) that `before` does not have in the same order: each inserted or
 * replaced line is marked, and so is the line after each place where lines of `before` were deleted
 * (a deletion can change what the lines around it mean). Returned as sorted [start, end) ranges.
 */
export function changedLines(before: Uint32Array, after: Uint32Array, maxEdits = MAX_EDITS): [number, number][] {
  const shorter = Math.min(before.length, after.length);
  let head = 0;
  while (head < shorter && before[head] === after[head]) head++;
  let tail = 0;
  for (let from = before.length - 1, to = after.length - 1; tail < shorter - head && before[from - tail] === after[to - tail]; ) tail++;
  const a = before.subarray(head, before.length - tail);
  const b = after.subarray(head, after.length - tail);
  if (a.length === 0 && b.length === 0) return [];
  if (a.length === 0 || b.length === 0) return [[head, head + Math.max(1, b.length)]];
  const marked = markedRanges(a, b, maxEdits);
  if (!marked) return [[head, head + b.length]];
  for (const range of marked) {
    range[0] += head;
    range[1] += head;
  }
  return marked;
}

/**
 * The diff's working memory, made once: the trace of the furthest x reached on each diagonal before
 * each step (step d's 2d + 1 diagonals from offset d²), which each step reads and writes in place of
 * the next, so a diff allocates and copies nothing per step. Step MAX_EDITS writes one step beyond.
 */
const trace = new Int32Array((MAX_EDITS + 2) ** 2);

/**
 * Myers' shortest edit script from a to b, as the sorted [start, end) ranges of b's marked lines (a
 * deletion at the end marks line b.length), or undefined past maxEdits (at most MAX_EDITS). Each step
 * keeps the furthest-reaching paths in the trace, to walk back; the walk back meets the marks from the
 * last line to the first, so it joins them into ranges as it goes.
 */
function markedRanges(a: Uint32Array, b: Uint32Array, maxEdits: number): [number, number][] | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, maxEdits, MAX_EDITS);
  // Every script inserts or deletes at least the difference in length: past the bound, none is looked for.
  if (Math.abs(n - m) > max) return undefined;
  // Before step 0, on diagonal 1: the start of the path (read by step 0 only; step 1 never reads it).
  trace[1] = 0;
  let edits = -1;
  for (let d = 0; d <= max && edits === -1; d++) {
    // A long search is most often a rewrite that will fail: past a few steps, whether it can succeed is checked.
    if (d === BOUND_CHECK_STEP && n + m > max && oneSidedLines(a, b) > max) return undefined;
    // trace[before + k]: the furthest x on diagonal k before step d; trace[after + k], before step d + 1.
    const before = d * d + d;
    const after = before + 2 * d + 2;
    for (let k = -d; k <= d; k += 2) {
      // From the diagonal above (an insertion) or the one below (a deletion), whichever reached further.
      const right = trace[before + k + 1] as number;
      let x = right;
      if (k !== -d) {
        const left = trace[before + k - 1] as number;
        if (k === d || left >= right) x = left + 1;
      }
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      trace[after + k] = x;
      if (x >= n && y >= m) {
        edits = d;
        break;
      }
    }
  }
  if (edits === -1) return undefined;
  const ranges: [number, number][] = [];
  let x = n;
  let y = m;
  for (let d = edits; d > 0; d--) {
    // trace[step + k]: the furthest x on diagonal k before step d.
    const step = d * d + d;
    const k = x - y;
    const down = k === -d || (k !== d && (trace[step + k - 1] as number) < (trace[step + k + 1] as number));
    const fromK = down ? k + 1 : k - 1;
    const fromX = trace[step + fromK] as number;
    const fromY = fromX - fromK;
    // Down: b[fromY] was inserted. Right: a[fromX] was deleted just before b[fromY]. Either marks
    // b[fromY]; the marks come last line first, and one line may be marked twice.
    const last = ranges[ranges.length - 1];
    if (last && fromY >= last[0] - 1) last[0] = Math.min(last[0], fromY);
    else ranges.push([fromY, fromY + 1]);
    x = fromX;
    y = fromY;
  }
  return ranges.reverse();
}

/** The step at which markedRanges asks oneSidedLines whether the edits can stay within the bound. */
const BOUND_CHECK_STEP = 16;

/** Bit sets of line hashes (a bit a hash's mixed top 16 bits), one a side, for oneSidedLines. */
const inA = new Int32Array(2048);
const inB = new Int32Array(2048);

/**
 * How many lines of a are not in b and of b not in a, or fewer: each must be deleted or inserted, so
 * this is a lower bound on the edits. Hashes are compared by 16 of their bits: two different lines may
 * share them (then neither counts), which only lowers the bound.
 */
function oneSidedLines(a: Uint32Array, b: Uint32Array): number {
  inA.fill(0);
  inB.fill(0);
  // Indexed loops: for...of over a typed array made an iterator result a line.
  for (let i = 0; i < a.length; i++) {
    const bit = Math.imul(a[i] as number, 0x9e3779b1) >>> 16;
    inA[bit >>> 5] = (inA[bit >>> 5] as number) | (1 << (bit & 31));
  }
  let count = 0;
  for (let i = 0; i < b.length; i++) {
    const bit = Math.imul(b[i] as number, 0x9e3779b1) >>> 16;
    inB[bit >>> 5] = (inB[bit >>> 5] as number) | (1 << (bit & 31));
    if (((inA[bit >>> 5] as number) & (1 << (bit & 31))) === 0) count++;
  }
  for (let i = 0; i < a.length; i++) {
    const bit = Math.imul(a[i] as number, 0x9e3779b1) >>> 16;
    if (((inB[bit >>> 5] as number) & (1 << (bit & 31))) === 0) count++;
  }
  return count;
}
