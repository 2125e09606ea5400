// The files a history range's commits moved (history.ts tells them: a commit that deletes a file and
// adds one with its blob or its name, compared with it so that only what the move changed counts), so
// that the report follows a secret found at a path to the paths its file was moved to: a key in a file
// moved since is still in HEAD (secret-life.ts).

export interface FileMoves {
  /** A commit moved the file at `from` to `to`. */
  add(from: string, to: string): void;
  /** The paths, and every path their files were moved to since, move after move. */
  followed(paths: Iterable<string>): Set<string>;
}

/**
 * The most moves held: far more than a long history makes (a folder renamed moves each of its files),
 * so memory stays bounded; past it, a secret whose file moved later may be reported as removed.
 */
const MAX_MOVES = 200_000;

export function createFileMoves(maxMoves = MAX_MOVES): FileMoves {
  const movedTo = new Map<string, Set<string>>();
  let count = 0;
  return {
    add(from, to) {
      if (count >= maxMoves) return;
      const targets = movedTo.get(from) ?? new Set<string>();
      if (targets.has(to)) return;
      movedTo.set(from, targets.add(to));
      count++;
    },
    followed(paths) {
      const seen = new Set(paths);
      const queue = [...seen];
      for (let path = queue.pop(); path !== undefined; path = queue.pop()) {
        for (const next of movedTo.get(path) ?? []) {
          if (seen.has(next)) continue;
          seen.add(next);
          queue.push(next);
        }
      }
      return seen;
    },
  };
}
