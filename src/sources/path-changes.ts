// Which commits changed which paths, as a history scan's walk saw them, so that the report can follow a
// removed secret to the commit that removed it (secret-life.ts) without walking the history a second
// time: on rails' 118,770 commits that second walk, restricted to the removed secrets' paths, cost git
// several seconds.
//
// Kept small, as it lives through the whole walk: commit ids and parents as bytes, and each change as
// its commit's number and a 32-bit hash of its path (~9 MB on rails' 118,770 commits and 276,301
// changes). Two paths with the same hash only make a commit look as if it changed a path it did not;
// secret-life.ts then finds the path's version the same in the commit and its parent, so such a
// commit is never named. It is bounded (MAX_RECORD_BYTES): a history too long for it is followed by
// git's walk again, so memory stays flat however long the history.

/** A commit of HEAD's history that changed some of the paths asked about (or another path of the same hash). */
export interface TouchingCommit {
  sha: string;
  /** None for a root commit, two or more for a merge. */
  parents: string[];
  paths: Set<string>;
}

export interface PathChanges {
  /** A commit of the walk, with its parents' ids; the changes added next are its own. */
  addCommit(sha: string, parents: readonly string[]): void;
  /** A path the last commit added changed (added, modified or deleted). */
  addChange(path: string): void;
  /**
   * The commits reachable from `head` that changed any of `paths`, in the walk's order, or undefined
   * when the walk did not see `head` (then it cannot tell).
   */
  touching(head: string, paths: ReadonlySet<string>): TouchingCommit[] | undefined;
}

/**
 * The most the record holds: about 200,000 commits of rails' shape. Past it the record is dropped and
 * touching() cannot tell, as for a walk that did not see HEAD.
 */
const MAX_RECORD_BYTES = 16 * 1024 * 1024;

export function createPathChanges(maxBytes = MAX_RECORD_BYTES): PathChanges {
  // SHA-1 ids are 20 bytes, SHA-256 ids 32: the first commit tells which this repository uses.
  let idBytes = 0;
  const ids = growable((length) => new Uint8Array(length));
  const parentIds = growable((length) => new Uint8Array(length));
  /** Commit n's parents are parentIds' ids from parentStart[n] to parentStart[n + 1]. */
  const parentStart = growable((length) => new Int32Array(length));
  parentStart.push(0);
  /** Pairs: a commit's number, then the hash of a path it changed. */
  const changes = growable((length) => new Int32Array(length));
  let commits = 0;
  /** Set once the record outgrew maxBytes: it is dropped, and records nothing more. */
  let overflowed = false;
  const recordBytes = (): number => ids.length() + parentIds.length() + 4 * (parentStart.length() + changes.length());

  const hexAt = (bytes: Uint8Array, index: number): string => Buffer.from(bytes.buffer, bytes.byteOffset + index * idBytes, idBytes).toString("hex");

  return {
    addCommit(sha, parents) {
      if (overflowed) return;
      if (recordBytes() > maxBytes) {
        overflowed = true;
        for (const held of [ids, parentIds, parentStart, changes]) held.clear();
        return;
      }
      idBytes ||= sha.length / 2;
      ids.append(Buffer.from(sha, "hex"));
      for (const parent of parents) parentIds.append(Buffer.from(parent, "hex"));
      parentStart.push(parentStart.at(commits) + parents.length);
      commits++;
    },
    addChange(path) {
      if (commits === 0 || overflowed) return;
      changes.push(commits - 1);
      changes.push(pathHash(path));
    },
    touching(head, paths) {
      if (overflowed) return undefined;
      const commitIds = ids.view();
      const numberOf = idTable(commitIds, idBytes);
      const headId = Buffer.from(head, "hex");
      const start = headId.length === idBytes ? numberOf(headId, 0) : undefined;
      if (start === undefined) return undefined;
      const parentIdBytes = parentIds.view();
      const parentRanges = parentStart.view();
      const reachable = reachableFrom(start, parentIdBytes, parentRanges, numberOf);
      const wanted = new Map<number, string[]>();
      for (const path of paths) {
        const hash = pathHash(path);
        wanted.set(hash, [...(wanted.get(hash) ?? []), path]);
      }
      const found: TouchingCommit[] = [];
      const pairs = changes.view();
      for (let at = 0; at < pairs.length; at += 2) {
        const commit = pairs[at]!;
        const matching = wanted.get(pairs[at + 1]!);
        if (!matching || reachable[commit] === 0) continue;
        let last = found.at(-1);
        const sha = hexAt(commitIds, commit);
        if (last?.sha !== sha) {
          const parents: string[] = [];
          for (let parent = parentRanges[commit]!; parent < parentRanges[commit + 1]!; parent++) parents.push(hexAt(parentIdBytes, parent));
          last = { sha, parents, paths: new Set() };
          found.push(last);
        }
        for (const path of matching) last.paths.add(path);
      }
      return found;
    },
  };
}

/**
 * Marks every commit reachable from `start` through the parents: 1 in the result. A parent the walk
 * did not see (beyond a shallow clone's depth) ends its line.
 */
function reachableFrom(
  start: number,
  parentIds: Uint8Array,
  parentStart: Int32Array,
  numberOf: (bytes: Uint8Array, index: number) => number | undefined,
): Uint8Array {
  const reachable = new Uint8Array(parentStart.length - 1);
  reachable[start] = 1;
  const pending = [start];
  for (let commit = pending.pop(); commit !== undefined; commit = pending.pop()) {
    for (let parent = parentStart[commit]!; parent < parentStart[commit + 1]!; parent++) {
      const number = numberOf(parentIds, parent);
      if (number === undefined || reachable[number] === 1) continue;
      reachable[number] = 1;
      pending.push(number);
    }
  }
  return reachable;
}

/**
 * A commit's number by its id (the id at `index` of `bytes`): an open-addressing table of the numbers,
 * indexed by the id's first four bytes (ids are uniformly spread). A Map keyed by id strings would hold
 * ~10 MB more on rails at the end of a walk, when the peak memory is near.
 */
function idTable(ids: Uint8Array, idBytes: number): (bytes: Uint8Array, index: number) => number | undefined {
  const count = ids.length / idBytes;
  let size = 1024;
  while (size < count * 2) size *= 2;
  const mask = size - 1;
  const table = new Int32Array(size).fill(-1);
  const slotOf = (bytes: Uint8Array, at: number): number => ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) & mask;
  const same = (bytes: Uint8Array, at: number, number: number): boolean => {
    for (let offset = 0; offset < idBytes; offset++) if (bytes[at + offset] !== ids[number * idBytes + offset]) return false;
    return true;
  };
  for (let number = 0; number < count; number++) {
    let slot = slotOf(ids, number * idBytes);
    while (table[slot] !== -1) slot = (slot + 1) & mask;
    table[slot] = number;
  }
  return (bytes, index) => {
    const at = index * idBytes;
    for (let slot = slotOf(bytes, at); table[slot] !== -1; slot = (slot + 1) & mask) if (same(bytes, at, table[slot]!)) return table[slot];
    return undefined;
  };
}

/** FNV-1a over the path's UTF-16 code units: cheap, and spread well enough for a set of a few paths. */
function pathHash(path: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < path.length; index++) {
    hash ^= path.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

/** An append-only typed array that doubles its room when full. */
function growable<T extends Uint8Array | Int32Array>(make: (length: number) => T) {
  let room = make(16 * 1024);
  let length = 0;
  const makeRoom = (more: number): void => {
    if (length + more <= room.length) return;
    const larger = make(Math.max(room.length * 2, length + more));
    larger.set(room.subarray(0, length));
    room = larger;
  };
  return {
    push(value: number): void {
      makeRoom(1);
      room[length++] = value;
    },
    append(values: ArrayLike<number>): void {
      makeRoom(values.length);
      room.set(values, length);
      length += values.length;
    },
    at: (index: number): number => room[index]!,
    length: (): number => length,
    view: (): T => room.subarray(0, length) as T,
    /** Lets go of what it holds. */
    clear(): void {
      room = make(0);
      length = 0;
    },
  };
}
