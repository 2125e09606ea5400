// What each distinct content held, so that it is scanned once however many places it appears:
// history's blobs (keyed by blob id) and working-tree files whose bytes another file already had
// (keyed by content name, content-index.ts). Only the matches of contents that had some are kept;
// of the rest (most), only their keys.
import type { Match } from "../types.js";

export interface ContentCache {
  /** The content's matches: from `scan` the first time the key is asked for, remembered after. */
  matches(key: string, scan: () => Promise<Match[]>): Promise<Match[]>;
  /** True once the content's scan was asked for (by `matches` or `record`). */
  has(key: string): boolean;
  /** The matches of a content scanned elsewhere (a worker's first scan of a file's bytes). */
  record(key: string, matches: Match[]): void;
  /** The matches of a content being scanned elsewhere, once recorded. */
  recorded(key: string): Promise<Match[]>;
  /** The scan failed: whatever waits for a recorded content is rejected with this error. */
  fail(error: unknown): void;
}

interface Waiter {
  resolve: (matches: Match[]) => void;
  reject: (error: unknown) => void;
}

export function createContentCache(): ContentCache {
  const withMatches = new Map<string, Promise<Match[]>>();
  const clean = new Set<string>();
  const waiting = new Map<string, Waiter[]>();
  const none = Promise.resolve<Match[]>([]);

  return {
    matches(key, scan) {
      if (clean.has(key)) return none;
      const known = withMatches.get(key);
      if (known) return known;
      const scanning = scan().then((found) => {
        if (found.length === 0) {
          withMatches.delete(key);
          clean.add(key);
        }
        return found;
      });
      withMatches.set(key, scanning);
      return scanning;
    },
    has: (key) => clean.has(key) || withMatches.has(key),
    record(key, found) {
      withMatches.set(key, Promise.resolve(found));
      for (const waiter of waiting.get(key) ?? []) waiter.resolve(found);
      waiting.delete(key);
    },
    recorded(key) {
      const known = withMatches.get(key);
      if (known) return known;
      return new Promise((resolve, reject) => {
        const list = waiting.get(key) ?? [];
        list.push({ resolve, reject });
        waiting.set(key, list);
      });
    },
    fail(error) {
      for (const list of waiting.values()) for (const waiter of list) waiter.reject(error);
      waiting.clear();
    },
  };
}
