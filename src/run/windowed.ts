// A big file's windows (sources/windows.ts) scanned side by side on the scan's threads. The thread
// that reads the file cuts it into windows of bytes and hands each to the scan pool, where its bytes
// are moved to the worker that takes it, not copied; only a few are out at once, so memory stays
// bounded whatever the file's size. The worker decodes and scans its window as if it started the
// file, and answers how far the window moves the position in the file; the reading thread, taking
// the answers in the windows' order, places each window's matches at their lines and columns in the file.
import { fingerprint } from "./fingerprint.js";
import type { Ruleset } from "../engine/ruleset.js";
import { inWindow, scanContent } from "./scan-content.js";
import { placeAfter, type WindowPlace, windowText } from "../sources/windows.js";
import type { Chunk, Match, WindowBuffer, WindowJob, WindowPiece, WindowScan } from "../types.js";

/**
 * Windows handed out and not yet answered: one being scanned on each of two workers and the next
 * read and waiting, so neither waits for the reading thread. Each holds WINDOW_BYTES and its overlap.
 */
export const WINDOWS_IN_FLIGHT = 3;

/** Where windows are scanned: a scan pool (or, in tests, anything answering as one). */
export interface WindowScanner {
  scan(chunk: Chunk): Promise<Match[]>;
  scanWindow(job: WindowJob): Promise<WindowScan>;
}

/** A file's matches, with their fingerprints at its path. */
export interface WindowedMatches {
  matches: Match[];
  fingerprints: string[];
}

/** One window, on whichever thread takes the job: decoded and scanned, its matches placed in its own text. */
export function scanWindow(job: WindowJob, ruleset: Ruleset): WindowScan {
  const { text, handOff, breaks, tail } = windowText(job);
  const matches = scanContent({ path: job.path, text, window: { line: 1, column: 1, handOff } }, ruleset);
  const fingerprints = matches.map((match) => fingerprint(match.ruleId, job.path, match.secret));
  return { matches, fingerprints, breaks, tail, bytes: job.bytes };
}

/**
 * Scans one input's pieces (`read`: sources/files.ts bigFileWindows, or a big blob's windows) through
 * `scanner`, at most WINDOWS_IN_FLIGHT windows at once, and places their matches in the input. `count`
 * is told of each piece as it is read (for the stats). Stops at a window whose scan was stopped for overrunning the
 * time budget: the windows after it cannot be placed without it (the pool reports the path as timed out).
 */
export async function scanWindows(
  read: (buffer: WindowBuffer) => Iterable<WindowPiece> | AsyncIterable<WindowPiece>,
  path: string,
  scanner: WindowScanner,
  count: (piece: WindowPiece) => void,
): Promise<WindowedMatches> {
  const found: WindowedMatches = { matches: [], fingerprints: [] };
  let at: WindowPlace = { line: 1, column: 1 };
  const held: Promise<WindowScan>[] = [];
  // Each window's buffer comes back with its scan and the next window is read into it: a few buffers
  // serve the whole input, and no thread has big buffers to free (which left the memory allocator's
  // heap fragmented and far bigger than what was in use).
  const spare: Uint8Array[] = [];
  const buffer: WindowBuffer = (length) => {
    const reused = spare.pop();
    return reused && reused.length >= length ? reused : new Uint8Array(length);
  };
  /** Places the oldest window's matches; false when its scan timed out. */
  const placeOldest = async (): Promise<boolean> => {
    const scan = await held.shift();
    if (scan === undefined || "timedOut" in scan) return false;
    for (const match of scan.matches) found.matches.push(inWindow(match, at));
    found.fingerprints.push(...scan.fingerprints);
    at = placeAfter(at, scan);
    spare.push(new Uint8Array(scan.bytes.buffer));
    return true;
  };
  for await (const piece of read(buffer)) {
    count(piece);
    if (piece.kind === "skipped") continue;
    if (piece.kind === "chunk") {
      // Decided by the first window (a binary file's text before its first NUL, a UTF-16 file): nothing else follows.
      const matches = await scanner.scan(piece.chunk);
      found.matches.push(...matches);
      found.fingerprints.push(...matches.map((match) => fingerprint(match.ruleId, path, match.secret)));
      continue;
    }
    const scan = scanner.scanWindow({ path, ...piece.window });
    // Awaited in order below; one failing while older ones are awaited is then no unhandled rejection.
    scan.catch(() => undefined);
    held.push(scan);
    if (held.length >= WINDOWS_IN_FLIGHT && !(await placeOldest())) return found;
  }
  while (held.length > 0) if (!(await placeOldest())) return found;
  return found;
}
