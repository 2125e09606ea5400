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
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head++;
  let tail = 0;
  while (tail < before.length - head && tail < after.length - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  const a = before.subarray(head, before.length - tail);
  const b = after.subarray(head, after.length - tail);
  if (a.length === 0 && b.length === 0) return [];
  if (a.length === 0 || b.length === 0) return [[head, head + Math.max(1, b.length)]];
  const marks = myersMarks(a, b, maxEdits);
  const ranges: [number, number][] = [];
  if (!marks) return [[head, head + b.length]];
  for (let line = 0; line <= b.length; line++) {
    if (!marks[line]) continue;
    const last = ranges[ranges.length - 1];
    if (last && last[1] === head + line) last[1]++;
    else ranges.push([head + line, head + line + 1]);
  }
  return ranges;
}

/**
 * The diff's working memory, made once: the furthest x reached on each diagonal, and the trace of
 * those for each step (step d's 2d + 1 diagonals from offset d²), so a diff allocates nothing per step.
 */
const reach = new Int32Array(2 * MAX_EDITS + 3);
const trace = new Int32Array((MAX_EDITS + 1) ** 2);

/**
 * Myers' shortest edit script from a to b, as marks on b's lines (index b.length: a deletion at the
 * end), or undefined past maxEdits (at most MAX_EDITS). Each step keeps the furthest-reaching paths in
 * the trace, to walk back.
 */
function myersMarks(a: Uint32Array, b: Uint32Array, maxEdits: number): Uint8Array | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, maxEdits, MAX_EDITS);
  // Every script inserts or deletes at least the difference in length: past the bound, none is looked for.
  if (Math.abs(n - m) > max) return undefined;
  const offset = max + 1;
  reach[offset + 1] = 0;
  let edits = -1;
  for (let d = 0; d <= max && edits === -1; d++) {
    trace.set(reach.subarray(offset - d, offset + d + 1), d * d);
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && (reach[offset + k - 1] as number) < (reach[offset + k + 1] as number)) ? (reach[offset + k + 1] as number) : (reach[offset + k - 1] as number) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      reach[offset + k] = x;
      if (x >= n && y >= m) {
        edits = d;
        break;
      }
    }
  }
  if (edits === -1) return undefined;
  const marks = new Uint8Array(m + 1);
  let x = n;
  let y = m;
  for (let d = edits; d > 0; d--) {
    // The furthest x on diagonal k before step d.
    const at = (k: number): number => trace[d * d + k + d] as number;
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const fromK = down ? k + 1 : k - 1;
    const fromX = at(fromK);
    const fromY = fromX - fromK;
    // Down: b[fromY] was inserted. Right: a[fromX] was deleted just before b[fromY].
    marks[fromY] = 1;
    x = fromX;
    y = fromY;
  }
  return marks;
}
