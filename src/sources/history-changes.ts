// What a file version changes in the version(s) it replaced, as text to scan: the lines it adds, with a
// few lines around each change and the whole of any PEM block a change touches, so a multi-line
// secret or an assignment split over lines is whole in it. History scans this first (run/drain.ts):
// a version whose changes hold no match adds no finding, so the bytes a history costs to scan are
// about those of its diffs, not of every version of every file. A version whose changes hold a match
// is scanned whole, as before, so what is reported does not depend on where a change was cut.
//
// A version's line hashes (line-diff.ts) are kept for the versions that replace it: the walk goes
// oldest first, so each blob is read once. The hashes kept are bounded (the least recently used are
// forgotten), and a version's are dropped once a version that replaces it was compared with them; a
// parent no longer held is read again.
import { createRecentMap } from "../recent-map.js";
import type { BlobChanges } from "../types.js";
import { decodeUtf8, isUtf8Text } from "./decode.js";
import { changedLines, type Lines, lineHashes, splitLines } from "./line-diff.js";

/**
 * Lines kept around each change, so a secret or an assignment spread over lines is whole in the text
 * scanned: the longest the generic detector reads is a name, up to four description lines, then its
 * value (a Terraform variable's `default`), five lines from the name.
 */
export const CONTEXT_LINES = 5;

/**
 * Line hashes held for the versions still to be replaced: 4 bytes a line, ~4 MB and about as much again
 * in the arrays' and the map's overhead (rails' tree has ~1 M lines). A hash array read again within
 * the newest half of this is never forgotten (recent-map.ts). Since a replaced version's hashes are
 * dropped, what is held is mostly versions still current: with twice this held and none dropped, rails'
 * history read 290,800 versions from git instead of 275,500, in the same time, and peaked ~25 MB higher.
 */
const MAX_HELD_LINES = 1024 * 1024;

/** A PEM block's longest body that the private-key rules match (rules/private-keys.toml), and some. */
const MAX_PEM_BYTES = 16_500;

export interface ChangeReader {
  /** What a version changes in its parents. */
  changes: (blob: string, parents: readonly string[]) => Promise<BlobChanges>;
  /**
   * Keeps the line hashes of a version read for another reason (a first version, scanned whole), for
   * the versions that replace it: they need not ask git for its bytes again.
   */
  remember: (blob: string, bytes: Uint8Array) => void;
}

/**
 * The changes of a version: `readBytes` gives a blob's bytes, or undefined when it cannot be compared
 * (missing, too big to hold).
 */
export function createChangeReader(readBytes: (blob: string) => Promise<Uint8Array | undefined>): ChangeReader {
  const held = createRecentMap<Uint32Array>(MAX_HELD_LINES, (hashes) => hashes.length);
  /** Parents being read, so a parent several versions wait for at once is read once. */
  const reading = new Map<string, Promise<Uint32Array | undefined>>();
  const readHashes = async (blob: string): Promise<Uint32Array | undefined> => {
    const bytes = await readBytes(blob);
    const hashes = bytes && isUtf8Text(bytes) ? lineHashes(bytes) : undefined;
    if (hashes) held.set(blob, hashes);
    return hashes;
  };
  const hashesOf = (blob: string): Promise<Uint32Array | undefined> => {
    const known = held.get(blob);
    if (known) return Promise.resolve(known);
    let hashes = reading.get(blob);
    if (!hashes) {
      hashes = readHashes(blob).finally(() => reading.delete(blob));
      reading.set(blob, hashes);
    }
    return hashes;
  };

  const remember = (blob: string, bytes: Uint8Array): void => {
    if (!held.get(blob) && isUtf8Text(bytes)) held.set(blob, lineHashes(bytes));
  };
  const changes = async (blob: string, parents: readonly string[]): Promise<BlobChanges> => {
    const bytes = await readBytes(blob);
    if (!bytes || !isUtf8Text(bytes)) return { kind: "whole" };
    const lines = splitLines(bytes);
    held.set(blob, lines.hashes);
    const changed: [number, number][] = [];
    for (const parent of parents) {
      const before = await hashesOf(parent);
      if (!before) return { kind: "whole" };
      changed.push(...changedLines(before, lines.hashes));
      // Replaced, the parent is seldom compared again (only when another branch changes it too, and
      // then it is read again): its room goes to versions still to be replaced.
      if (parent !== blob) held.delete(parent);
    }
    return { kind: "changes", text: changedText(bytes, lines, changed), bytes: bytes.length };
  };
  return { changes, remember };
}

/** The changed lines, each with CONTEXT_LINES around it and any PEM block it touches, as one text (regions joined by a blank line). */
function changedText(bytes: Uint8Array, lines: Lines, changed: readonly [number, number][]): string {
  const count = lines.hashes.length;
  const regions = changed.map(([start, end]): [number, number] => [Math.max(0, start - CONTEXT_LINES), Math.min(count, end + CONTEXT_LINES)]);
  if (regions.length === 0) return "";
  regions.push(...pemBlocks(bytes, lines, regions).filter(([start, end]) => regions.some(([from, to]) => from < end && start < to)));
  regions.sort((a, b) => a[0] - b[0]);
  const parts: string[] = [];
  let last: [number, number] | undefined;
  for (const region of regions) {
    if (last && region[0] <= last[1]) last[1] = Math.max(last[1], region[1]);
    else {
      if (last) parts.push(decodeLines(bytes, lines, last));
      last = [region[0], region[1]];
    }
  }
  if (last) parts.push(decodeLines(bytes, lines, last));
  return parts.join("\n\n");
}

/** The lines' text, decoded as a whole version is (decodeUtf8: most change text is ASCII, read byte for byte). */
function decodeLines(bytes: Uint8Array, lines: Lines, [start, end]: [number, number]): string {
  return decodeUtf8(bytes.subarray(lines.starts[start], lines.starts[end]));
}

/**
 * The [start, end) lines of each "-----BEGIN" armor block, to its "-----END" line (or as far as a key
 * runs), among those that could overlap a region: a block runs at most MAX_PEM_BYTES, so only a
 * "-----BEGIN" from that far before a region's first byte up to its last byte can reach into it, and
 * the rest of the version (most of it, for a small edit of a long file) is not searched.
 */
function pemBlocks(bytes: Uint8Array, lines: Lines, regions: readonly [number, number][]): [number, number][] {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const windows = regions
    .map(([from, to]): [number, number] => [Math.max(0, (lines.starts[from] as number) - MAX_PEM_BYTES), lines.starts[to] as number])
    .sort((a, b) => a[0] - b[0]);
  const blocks: [number, number][] = [];
  let searched = 0;
  for (const [from, to] of windows) {
    // Windows may overlap: each byte is searched once. A "-----BEGIN" must start before `to`.
    const window = buffer.subarray(Math.max(from, searched), Math.min(bytes.length, to + PEM_BEGIN.length - 1));
    searched = Math.max(searched, to);
    for (let at = window.indexOf(PEM_BEGIN); at !== -1; at = window.indexOf(PEM_BEGIN, at + 1)) {
      const begin = window.byteOffset - buffer.byteOffset + at;
      // Only an "-----END" within MAX_PEM_BYTES of the begin counts: beyond it the block is cut there anyway.
      const end = buffer.subarray(begin, begin + MAX_PEM_BYTES + PEM_END.length).indexOf(PEM_END);
      const last = end === -1 ? Math.min(bytes.length, begin + MAX_PEM_BYTES) : begin + end;
      blocks.push([lineAt(lines, begin), lineAt(lines, last) + 1]);
    }
  }
  return blocks;
}

// As bytes: a string needle is encoded anew at each Buffer.indexOf.
const PEM_BEGIN = Buffer.from("-----BEGIN", "latin1");
const PEM_END = Buffer.from("-----END", "latin1");

/** The 0-based line holding a byte offset. */
function lineAt(lines: Lines, offset: number): number {
  let low = 0;
  let high = lines.hashes.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((lines.starts[middle] as number) <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}
