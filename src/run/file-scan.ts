// One working-tree file scanned, on whichever thread takes it (a worker, or the main thread while
// the workers start): read it, look its content up among those already taken on (content-index.ts),
// then decode and scan it. The matches are the content's, not the path's, so the main thread can
// stamp them on every file with the same content (drain.ts, content-cache.ts). Their fingerprints at
// this file's path are worked out here too: a weak secret's is slow (fingerprint.ts), and on the
// main thread it would hold up the files it hands to the workers.
import { hashingReadBuffer } from "./content-hash.js";
import { claimContent, type ContentId, type ContentIndex, contentId, contentName, settleContent } from "./content-index.js";
import { configFileKind, scanVariant } from "../engine/config-files.js";
import { rulesSkippedAt } from "../engine/ruleset.js";
import { fingerprint } from "./fingerprint.js";
import { textChunk } from "../sources/decode.js";
import { type ReadBuffer, readWholeFile } from "../sources/files.js";
import type { FileRef, Match, SkippedItem } from "../types.js";
import type { ScanContext } from "./pipeline.js";
import { scanContent } from "./scan-content.js";

export type FileScan =
  /**
   * `content`: the content's name (contentName), when this scan was the first of it and found something
   * (duplicates will ask for it). `fingerprints`: each match's fingerprint at this file's path.
   */
  | { kind: "scanned"; bytes: number; matches: Match[]; fingerprints?: string[]; content?: string }
  /** Another scan of the same content found something: its matches are this file's too. */
  | { kind: "duplicate"; bytes: number; content: string }
  /**
   * Too big to read at once: the thread that reads the scan's results reads its windows and hands them
   * out (windowed.ts), so the scan's threads scan one big file side by side.
   */
  | { kind: "windowed" }
  | SkippedItem
  | { kind: "gone" };

export interface FileScanOptions {
  maxFileSize: number;
  /** Shared by the scan's threads; without it, every file is scanned. */
  index?: ContentIndex;
  /** With `index`: claim no content, only name it (a file sent again after its worker was stopped; see ScanJob). */
  rescan?: boolean;
  /** Called before the file is scanned: the worker's heartbeat for the pool's time budget. */
  onPiece?: () => void;
}

// Each thread loads this module once and scans one file at a time, so one buffer serves its reads;
// it lies where the content hash reads it, so a file's bytes are hashed without a copy. Made by the
// first file scanned: a thread that scans no file (a staged or history scan's main thread) does not
// instantiate the hash's WebAssembly.
let readBuffer: ReadBuffer | undefined;

export function scanFile(file: FileRef, context: ScanContext, options: FileScanOptions): FileScan {
  const item = readWholeFile(file, options.maxFileSize, (readBuffer ??= hashingReadBuffer()));
  if (item === undefined) return { kind: "gone" };
  if (item === "windows") return { kind: "windowed" };
  if (item.kind === "skipped") return item;
  const { chunk, bytes } = item;
  // Worked out once a file: its content id and its scan both need them (whether its bare values are a config file's too).
  const skip = rulesSkippedAt(context.ruleset, file.path);
  const configFile = configFileKind(file.path);
  /** The content this scan claimed first, and its slot in the index. */
  let claimed: { id: ContentId; slot: number } | undefined;
  /** A rescan's content (FileScanOptions.rescan), not claimed. */
  let rescanned: ContentId | undefined;
  if (options.index && options.rescan) {
    // Its matches are recorded under the content's name, for duplicates waiting on a scan that was lost.
    rescanned = contentId(chunk.raw, scanVariant(skip, configFile));
  } else if (options.index) {
    const id = contentId(chunk.raw, scanVariant(skip, configFile));
    const claim = claimContent(options.index, id);
    if (claim.kind === "clean") return { kind: "scanned", bytes, matches: [] };
    if (claim.kind === "found") return { kind: "duplicate", bytes, content: contentName(id) };
    if (claim.kind === "first") claimed = { id, slot: claim.slot };
  }
  options.onPiece?.();
  const matches = scanContent(textChunk(chunk), context.ruleset, skip, configFile);
  if (options.index && claimed) settleContent(options.index, claimed.slot, matches.length > 0);
  if (matches.length === 0) return { kind: "scanned", bytes, matches };
  const content = claimed?.id ?? rescanned;
  return {
    kind: "scanned",
    bytes,
    matches,
    fingerprints: matches.map((match) => fingerprint(match.ruleId, file.path, match.secret)),
    ...(content ? { content: contentName(content) } : {}),
  };
}

/**
 * A scan as sent between threads: most files are scanned clean, and those are sent as their byte
 * count alone, as structured-cloning an object for each of them is a cost for every file.
 */
export type PackedScan = number | FileScan;

export const packScan = (scan: FileScan): PackedScan =>
  scan.kind === "scanned" && scan.matches.length === 0 && scan.content === undefined ? scan.bytes : scan;

export const unpackScan = (packed: PackedScan | undefined): FileScan =>
  packed === undefined ? { kind: "gone" } : typeof packed === "number" ? { kind: "scanned", bytes: packed, matches: [] } : packed;
