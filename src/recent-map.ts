// A bounded map that keeps what was used recently, for the caches history keeps as it walks (line
// hashes of versions still to be replaced, verdicts of recent changes).
//
// Two generations rather than one Map used as a queue: deleting a Map's first key at every insert
// leaves deleted slots at its front until V8 compacts the table, and every later "first key" walks
// them again. On rails' history that walking cost ~2 s of the main thread; here every call is O(1).

export interface RecentMap<V> {
  /** The value, made the most recently used. */
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  /** Forgets the key now, leaving its room to others. */
  delete(key: string): void;
}

interface Generation<V> {
  entries: Map<string, V>;
  weight: number;
}

/**
 * Entries go into the young generation; once its weight passes half of `limit`, the old generation is
 * forgotten and the young one becomes old. An entry read from the old generation moves to the young
 * one. So the map holds at most about `limit` of weight, and never forgets what was used within the
 * last half of it. `weigh`: what an entry counts for (1 by default).
 */
export function createRecentMap<V>(limit: number, weigh: (value: V) => number = () => 1): RecentMap<V> {
  let young: Generation<V> = { entries: new Map(), weight: 0 };
  let old: Generation<V> = { entries: new Map(), weight: 0 };
  const set = (key: string, value: V): void => {
    const before = old.entries.get(key);
    if (before !== undefined) {
      old.entries.delete(key);
      old.weight -= weigh(before);
    }
    const replaced = young.entries.get(key);
    if (replaced !== undefined) young.weight -= weigh(replaced);
    young.entries.set(key, value);
    young.weight += weigh(value);
    if (young.weight > limit / 2) {
      old = young;
      young = { entries: new Map(), weight: 0 };
    }
  };
  const get = (key: string): V | undefined => {
    const recent = young.entries.get(key);
    if (recent !== undefined) return recent;
    const older = old.entries.get(key);
    if (older !== undefined) set(key, older);
    return older;
  };
  const forget = (generation: Generation<V>, key: string): void => {
    const value = generation.entries.get(key);
    if (value === undefined) return;
    generation.entries.delete(key);
    generation.weight -= weigh(value);
  };
  const remove = (key: string): void => {
    forget(young, key);
    forget(old, key);
  };
  return { get, set, delete: remove };
}
