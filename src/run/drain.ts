// The one road every source takes: read its items, have each distinct content scanned once (on the
// scan pool), stamp each match with every place its content appears, pass the findings through the
// suppressions (filters/index.ts), and count what was scanned and skipped.
import { configFileKind, scanVariant } from "../engine/config-files.js";
import { hadBefore, kept, type Place, previousSecrets, type SuppressionStep } from "../filters/index.js";
import { createRecentMap } from "../recent-map.js";
import {
  type BlobContent,
  type BlobItem,
  type Chunk,
  emptyStats,
  FILE_WEIGHT,
  type FileRef,
  type Finding,
  type Match,
  type Provenance,
  type ScanStats,
  type SkippedItem,
  type SourceItem,
  type WindowPiece,
  type WindowsItem,
} from "../types.js";
import { createBlobIdSet } from "./blob-id-set.js";
import { createContentCache } from "./content-cache.js";
import type { FileScan } from "./file-scan.js";
import { createScanPacer } from "./pacer.js";
import { stamp } from "./stamp.js";
import { bigFileWindows } from "../sources/files.js";
import { scanWindows, type WindowScanner } from "./windowed.js";

export interface Drained {
  findings: Finding[];
  stats: ScanStats;
}

/**
 * Work handed to the scanner and not yet done (see jobWeight) before drain stops reading: enough to
 * keep two workers busy. More only costs memory (texts waiting for a worker outlive a young-generation
 * GC) for no speed; the figures are in the README's Performance section.
 */
const MAX_IN_FLIGHT = 2 * 1024 * 1024;

/**
 * What a blob counts for before it is read: at most 64 in flight, so one waiting for its parent's
 * blob does not stall the rest, and cat-file reads ahead while the main thread diffs and scans.
 * More buys no speed: the blobs, texts and promises waiting live long enough to be promoted to the
 * old generation, and collecting them cost history ~8% more CPU with 512 in flight (rails' newest
 * 10,000 commits).
 */
const BLOB_WEIGHT = MAX_IN_FLIGHT / 64;

/**
 * What a big input's windows count for in flight: the inputs are scanned one at a time (oneBigInput)
 * and one waiting its turn is not read yet, so a few queued cost little; the bound keeps the queue short.
 */
const WINDOWS_WEIGHT = MAX_IN_FLIGHT / 4;

/**
 * Changes whose verdict is remembered (drain's recentChanges), the least recently used forgotten: ~4 MB of
 * keys, enough to span the commits between a change and its backports (rails: a tenth of its
 * versions are such repeats).
 */
const MAX_RECENT_CHANGES = 16 * 1024;

/** Where drain sends work: a scan pool. Every kind of job answers path-free matches. */
export interface Scanner extends WindowScanner {
  scan(chunk: Chunk): Promise<Match[]>;
  scanFiles(files: FileRef[]): Promise<FileScan[]>;
  /** The ids of the rules that do not run at this path (engine/ruleset.ts rulesSkippedAt). */
  rulesSkippedAt(path: string): string[];
}

/** Working-tree files handed over as one job: one message and one promise for all of them, not one a file. */
const FILES_PER_JOB = 256;

/**
 * Reads every item of a source, scans the contents and files and counts what was skipped. The
 * scanner may work elsewhere (a worker pool); items are scanned as they arrive.
 */
export async function drain(
  items: AsyncIterable<SourceItem>,
  scanner: Scanner,
  suppressions: readonly SuppressionStep[],
  onWarning: (message: string) => void,
): Promise<Drained> {
  const stats = emptyStats();
  // Findings are gathered as each scan answers, so nothing else of a scan is kept, and put back in the
  // order of the items they came from: a run's findings then come in the same order every time, whichever
  // worker answered first (reporters sort them anyway; `fix` names its variables in that order).
  const answered: { item: number; found: Finding[] }[] = [];
  let tracked = 0;
  const cache = createContentCache();
  const pacer = createScanPacer();
  let failure: { error: unknown } | undefined;
  let inFlight = 0;
  let wake: (() => void) | undefined;
  const settled = (): Promise<void> => new Promise((resolve) => (wake = resolve));
  const track = (result: Promise<Finding[]>, weight: number): void => {
    const item = tracked++;
    inFlight += weight;
    result
      .then(
        (found) => void (found.length > 0 && answered.push({ item, found })),
        (error: unknown) => {
          failure ??= { error };
          cache.fail(error); // duplicates waiting for a first scan that will never answer
        },
      )
      .finally(() => {
        inFlight -= weight;
        wake?.();
      });
  };
  /** `fingerprints`: the matches' fingerprints at this place, when the scan worked them out (FileScan). */
  const judge = (matches: readonly Match[], provenance: Provenance, place: Place = {}, fingerprints?: readonly string[]): Finding[] =>
    matches
      .map((match, index) => stamp(match, provenance, fingerprints?.[index]))
      .filter((finding) => kept(suppressions, finding, place));

  // Only the first submodule's path is kept, for the warning: the rest are counted.
  let firstSubmodule: string | undefined;
  let submodules = 0;
  const countSkipped = (item: Pick<SkippedItem, "path" | "reason" | "detail">): void => {
    if (item.reason === "timed-out") return; // counted and reported by the scan pool (ScanPool.timedOut)
    if (item.reason === "binary") stats.skippedBinary++;
    else if (item.reason === "large") stats.skippedLarge++;
    else if (item.reason === "unreadable") {
      stats.unreadable++;
      onWarning(`cannot read ${item.path}${item.detail ? ` (${item.detail})` : ""}; skipped`);
    } else {
      stats.skippedOther++;
      if (item.reason === "allowed-path") stats.skippedAllowed = (stats.skippedAllowed ?? 0) + 1;
      if (item.reason === "submodule") {
        firstSubmodule ??= item.path;
        submodules++;
      }
    }
  };
  const countChunk = (bytes: number, window?: Chunk["window"]): void => {
    if (!window || (window.line === 1 && window.column === 1)) stats.files++; // a big file's later windows are the same file
    stats.bytes += bytes;
  };

  // A big file's or blob's windows are scanned side by side (windowed.ts), one big input at a time:
  // each holds a few windows in memory while it is scanned.
  let bigInputs: Promise<unknown> = Promise.resolve();
  const oneBigInput = <T>(scan: () => Promise<T>): Promise<T> => {
    const scanned = bigInputs.then(scan);
    bigInputs = scanned.catch(() => undefined);
    return scanned;
  };
  /** A big file's findings, from its windows (a working-tree file's, or a WindowsItem's). */
  const windowedFindings = ({ path, windows, addedLines }: Omit<WindowsItem, "kind">): Promise<Finding[]> => {
    let counted = false;
    const count = (piece: WindowPiece): void => {
      if (piece.kind === "skipped") return countSkipped(piece);
      if (!counted) stats.files++;
      counted = true;
      stats.bytes += piece.kind === "window" ? piece.window.owned : piece.bytes;
    };
    return oneBigInput(async () => {
      const { matches, fingerprints } = await scanWindows(windows, path, scanner, count);
      return matches.length === 0 ? [] : judge(matches, { path }, addedLines ? { addedLines } : {}, fingerprints);
    });
  };

  // Working-tree files: a file whose bytes another file had first gets that file's matches.
  const fileFindings = async (file: FileRef, scan: FileScan): Promise<Finding[]> => {
    if (scan.kind === "windowed") return windowedFindings({ path: file.path, windows: (buffer) => bigFileWindows(file, buffer) });
    if (scan.kind === "skipped") countSkipped(scan);
    if (scan.kind === "skipped" || scan.kind === "gone") return [];
    countChunk(scan.bytes);
    const matches = scan.kind === "duplicate" ? await cache.recorded(scan.content) : scan.matches;
    if (scan.kind === "scanned" && scan.content !== undefined) cache.record(scan.content, scan.matches);
    return matches.length === 0 ? [] : judge(matches, { path: file.path }, {}, scan.kind === "scanned" ? scan.fingerprints : undefined);
  };
  let files: FileRef[] = [];
  const sendFiles = (): void => {
    if (files.length === 0) return;
    const batch = files;
    const job = scanner.scanFiles(batch).then(async (scans) => (await Promise.all(batch.map((file, i) => fileFindings(file, scans[i] ?? { kind: "gone" })))).flat());
    track(job, batch.length * FILE_WEIGHT);
    files = [];
  };

  // Blobs: each read and scanned whole once for each set of rules its paths run, and counted once
  // in the stats. Only a blob also seen at a path some rule skips (a lockfile) is scanned twice.
  const countedBlobs = createBlobIdSet();
  /** Counts a blob in the stats the first time it is read; true then. */
  const countBlob = (blob: string): boolean => {
    if (!countedBlobs.add(blob)) return false;
    stats.blobs = (stats.blobs ?? 0) + 1;
    return true;
  };
  const blobMatches = (blob: string, path: string, read: BlobItem["read"]): Promise<Match[]> => {
    const variant = scanVariant(scanner.rulesSkippedAt(path), configFileKind(path));
    const key = variant.length === 0 ? blob : `${blob} (${variant.join(",")})`;
    return cache.matches(key, async () => {
      const content = await read(blob, path);
      const count = countBlob(blob);
      if (count) {
        if (content.kind === "skipped") countSkipped({ path, reason: content.reason });
        if (content.kind === "text") countChunk(content.bytes);
      }
      if (content.kind === "windows") return bigBlobMatches(content.windows, path, count);
      if (content.kind !== "text") return [];
      await pacer.turn(content.bytes);
      return scanner.scan({ path, text: content.text });
    });
  };
  /** `count`: the blob is read for the first time, and counted in the stats (countBlob). */
  const bigBlobMatches = (windows: Extract<BlobContent, { kind: "windows" }>["windows"], path: string, count: boolean): Promise<Match[]> => {
    const counted = (piece: WindowPiece): void => {
      if (!count) return;
      if (piece.kind === "skipped") countSkipped(piece);
      else stats.bytes += piece.kind === "window" ? piece.window.owned : piece.bytes;
    };
    // Their fingerprints are worked out at each of the blob's places (judge).
    return oneBigInput(async () => (await scanWindows(windows, path, scanner, counted)).matches);
  };
  /**
   * False when a version that replaced others adds nothing to scan for: no match in the lines it
   * changes (sources/history-changes.ts). A first version, or one not comparable with its parents, may add anything.
   */
  const mayAddFindings = (item: BlobItem, parents: readonly string[]): Promise<boolean> => {
    if (parents.length === 0) return Promise.resolve(true);
    const change = `${item.blob}\0${item.provenance.path}\0${parents.join(" ")}`;
    let verdict = recentChanges.get(change);
    if (!verdict) {
      verdict = changesMayAddFindings(item, parents);
      recentChanges.set(change, verdict);
    }
    return verdict;
  };
  /**
   * The verdicts of recent changes, by blob, path and parents: the same change brought in again by
   * another commit (a backport to a stable branch, a merge), often while the first is still being
   * read, is not read and scanned again.
   */
  const recentChanges = createRecentMap<Promise<boolean>>(MAX_RECENT_CHANGES);
  const changesMayAddFindings = async (item: BlobItem, parents: readonly string[]): Promise<boolean> => {
    const changes = await item.readChanges(item.blob, parents);
    if (changes.kind === "whole") return true;
    if (countBlob(item.blob)) countChunk(changes.bytes);
    if (changes.text === "") return false;
    await pacer.turn(changes.text.length);
    return (await scanner.scan({ path: item.provenance.path, text: changes.text })).length > 0;
  };
  const blobFindings = async (item: BlobItem): Promise<Finding[]> => {
    const { path, parents = [] } = item.provenance;
    if (!(await mayAddFindings(item, parents))) return [];
    const found = await blobMatches(item.blob, path, item.read);
    if (found.length === 0) return [];
    const parentMatches: Match[] = [];
    for (const parent of parents) parentMatches.push(...(await blobMatches(parent, path, item.read)));
    const before = previousSecrets(parentMatches);
    // What a parent had is dropped before the stamp: a guessable secret's fingerprint is slow to compute.
    return judge(found.filter((match) => !hadBefore(before, match)), item.provenance, { before });
  };

  for await (const item of items) {
    if (item.kind === "skipped") countSkipped(item);
    else if (item.kind === "commit") stats.commits = (stats.commits ?? 0) + 1;
    else if (item.kind === "chunk") {
      const chunk = item.chunk;
      countChunk(item.bytes, chunk.window);
      const place = chunk.addedLines ? { addedLines: chunk.addedLines } : {};
      track(
        scanner.scan(chunk).then((matches) => judge(matches, chunk, place)),
        item.bytes,
      );
    } else if (item.kind === "blob") track(blobFindings(item), BLOB_WEIGHT);
    else if (item.kind === "windows") track(windowedFindings(item), WINDOWS_WEIGHT);
    else {
      files.push(item.file);
      if (files.length >= FILES_PER_JOB) sendFiles();
    }
    // Backpressure: while too much work waits to be done (on workers), read no further.
    while (inFlight > MAX_IN_FLIGHT && !failure) await settled();
    if (failure) throw failure.error;
  }
  sendFiles();
  while (inFlight > 0) await settled();
  if (failure) throw failure.error;
  // Said once, not once a submodule: a repository may have hundreds.
  if (firstSubmodule !== undefined) {
    const more = submodules > 1 ? ` and ${submodules - 1} more` : "";
    onWarning(`submodules are not scanned: ${firstSubmodule}${more} (scan each from its own folder)`);
  }
  const findings = answered.sort((a, b) => a.item - b.item).flatMap(({ found }) => found);
  return { findings, stats };
}

/** History's summary counts blobs as its files, and always says how many commits and blobs it saw. */
export function historyStats(stats: ScanStats): ScanStats {
  const blobs = stats.blobs ?? 0;
  return {
    commits: stats.commits ?? 0,
    blobs,
    bytes: stats.bytes,
    skippedBinary: stats.skippedBinary,
    skippedLarge: stats.skippedLarge,
    files: blobs,
    unreadable: 0,
    skippedOther: 0,
    durationMs: 0,
  };
}
