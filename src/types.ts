// Plain data that flows between the stages: sources make content with its provenance, the engine
// makes path-free matches, the stamp step makes them findings, filters drop findings, reporters print them.

export type Severity = "critical" | "high" | "medium" | "low";

/** Where a content was found: what the stamp step gives each of its matches, and what the filters judge by. */
export interface Provenance {
  /** Path relative to the scan root (or repository root), with forward slashes; "-" for stdin. */
  path: string;
  commit?: CommitInfo;
  /** The lines (1-based) this version adds (staged): a finding touching none of them is not new. */
  addedLines?: ReadonlySet<number>;
  /** The content keys of the versions this one replaced (history: the parent commits' blobs at the path). */
  parents?: readonly string[];
}

/** Text to scan and where it came from. */
export interface Chunk extends Provenance {
  text: string;
  /**
   * One window of a file too big to read at once: where `text` starts in the file (1-based line and
   * column), and the offset in `text` where the next window takes over (windows overlap, so a key
   * across the boundary is whole in one of them; matches starting at `handOff` or later are left to the next).
   */
  window?: { line: number; column: number; handOff: number };
}

/**
 * A working-tree file's bytes, not yet decoded (and known not to be binary): the scan looks up the
 * content among those already scanned before it decodes it (decodeText).
 * `text` is never set; it is declared so code that reads `chunk.text` of either form type-checks.
 */
export interface RawChunk {
  path: string;
  raw: Uint8Array;
  text?: never;
}

/** A working-tree file listed but not read yet: whichever thread scans it reads it. */
export interface FileRef {
  /** Reported path (see Chunk.path). */
  path: string;
  abs: string;
  /**
   * The path's bytes when the file's name is not valid UTF-8: `abs` then holds U+FFFD for each bad byte
   * and opens nothing, so the file is opened by these (files.ts, pathToOpen).
   */
  absBytes?: Uint8Array;
  /** Set when the file was found but cannot be read (a folder that could not be listed): reported as unreadable. */
  problem?: string;
}

export interface CommitInfo {
  sha: string;
  author: string;
  email: string;
  /** ISO 8601 author date. */
  date: string;
  message?: string;
}

export interface Verification {
  status: "valid" | "invalid" | "unknown";
  identity?: string;
  detail?: string;
}

/** What the engine reports of a rule's match in a text: nothing of where the text was found. */
export interface Match {
  ruleId: string;
  ruleName: string;
  severity: Severity;
  /** Offsets of the secret in the text scanned. */
  start: number;
  end: number;
  /** 1-based, in the text scanned; columns count UTF-16 code units. The region is that of the secret itself. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  secret: string;
  /** The whole text the rule's pattern matched (contains the secret). */
  match: string;
  /** Shannon entropy of the secret, bits per character. */
  entropy: number;
  /** The secret of the companion rule (`requires`), e.g. the AWS key id for a secret key; used by --verify, never printed. */
  companion?: string;
  /**
   * A suppression comment (keyscan:allow, gitleaks:allow, …) covers the match's lines. Marked where
   * the text is read (run/scan-content.ts); the first filter (filters/index.ts) drops it.
   */
  allowedInline?: true;
  /** "browser": held in a variable a bundler inlines into client-side JavaScript (VITE_…, NEXT_PUBLIC_…); severity raised one step. */
  exposure?: "browser";
  /** What else a reader must know, e.g. the bundler that ships the variable, or that a later image layer deletes the file. */
  notes?: string[];
}

export interface Finding extends Omit<Match, "start" | "end"> {
  path: string;
  /** Stable across line moves: a hash of rule id, path and secret. */
  fingerprint: string;
  commit?: CommitInfo;
  verification?: Verification;
  /** For a finding in a built bundle with a source map: where the secret is in the source it was built from. */
  original?: { path: string; line: number; column: number };
}

/** What a scan saw, for the summary line and the JSON/SARIF stats. */
export interface ScanStats {
  files: number;
  bytes: number;
  skippedBinary: number;
  skippedLarge: number;
  unreadable: number;
  /** Other files passed over (symlinks, submodules, allowed paths). */
  skippedOther: number;
  /** Of skippedOther, the files passed over unread because the allow list names their path. */
  skippedAllowed?: number;
  commits?: number;
  blobs?: number;
  /** Files (or a big file's windows, or chunks) whose scan overran the time budget and was stopped; set only when some did. */
  timedOut?: number;
  durationMs: number;
}

export function emptyStats(): ScanStats {
  return {
    files: 0,
    bytes: 0,
    skippedBinary: 0,
    skippedLarge: 0,
    unreadable: 0,
    skippedOther: 0,
    skippedAllowed: 0,
    durationMs: 0,
  };
}

export type SkipReason = "binary" | "large" | "unreadable" | "symlink" | "submodule" | "allowed-path" | "timed-out";

export interface SkippedItem {
  kind: "skipped";
  path: string;
  reason: SkipReason;
  detail?: string;
}

/** What reading yields: text to scan (or a file's bytes, to decode first), or a file passed over and why. */
export type ReadItem<C extends Chunk | RawChunk = Chunk> = { kind: "chunk"; chunk: C; bytes: number } | SkippedItem;

/** A blob's content as its source reads it: text, or why it is not scanned. */
export type BlobContent =
  | { kind: "text"; text: string; bytes: number }
  /** Too big to hold: its windows (windows.ts), each read into a buffer from `buffer` as they are scanned. */
  | { kind: "windows"; windows: (buffer: WindowBuffer) => AsyncIterable<WindowPiece> }
  | { kind: "skipped"; reason: "large" | "binary" }
  /** Missing from the object store (a shallow or partial clone). */
  | { kind: "missing" };

/**
 * Content named by reference, with one place it appears (history: a file version a commit brought
 * in). The run step scans the version's changes first (`readChanges`); when they hold a match it
 * reads the blob whole through `read`, once a distinct blob, and the parents' blobs too, to tell what
 * the version adds.
 */
export interface BlobItem {
  kind: "blob";
  blob: string;
  provenance: Provenance;
  /** Reads a blob (this one, or a parent) as found at `path`, which names a big blob's windows. */
  read: (blob: string, path: string) => Promise<BlobContent>;
  /**
   * What the blob changes in the parents' blobs, as text to scan (history-changes.ts); "whole" when
   * it cannot be compared with them. No match in the changes: the version adds no finding.
   */
  readChanges: (blob: string, parents: readonly string[]) => Promise<BlobChanges>;
}

/** What a version changes in the version(s) it replaced (sources/history-changes.ts), or "whole": scan it whole. */
export type BlobChanges = { kind: "changes"; text: string; bytes: number } | { kind: "whole" };

/**
 * What a source yields: text with its provenance (or a skipped file), a working-tree file for the
 * scan pool to read and scan, a blob by reference, a big input's windows, or (history) a commit walked, for the stats.
 */
export type SourceItem = ReadItem | { kind: "file"; file: FileRef } | BlobItem | WindowsItem | { kind: "commit" };

/**
 * An input too big to hand over as one text (a big staged file, long standard input): its windows (windows.ts), each read
 * into a buffer from `buffer` as they are scanned, moved to the scan's threads and decoded there.
 * `addedLines`: as a chunk's, the only lines of the input that may report.
 */
export interface WindowsItem {
  kind: "windows";
  path: string;
  windows: (buffer: WindowBuffer) => Iterable<WindowPiece> | AsyncIterable<WindowPiece>;
  addedLines?: ReadonlySet<number>;
}

/**
 * Work for the scan pool: a chunk of text, working-tree files to read (each distinct content scanned
 * once), or a window of a big file's bytes. All answer path-free matches. `rescan`: files sent again after their worker was stopped; they
 * are scanned without claiming their content, since the first claim's findings may have been lost with that worker.
 */
export type ScanJob = { chunk: Chunk } | { files: FileRef[]; rescan?: boolean } | { window: WindowJob };

/**
 * One window of a big file's bytes, cut where the file is read (sources/windows.ts) and decoded and
 * scanned wherever the job goes: `bytes` runs from the window's start, `owned` of them are its own (the
 * next window starts there), and `last` says the input ends in it.
 */
export interface ByteWindow {
  bytes: Uint8Array;
  owned: number;
  last: boolean;
}

/**
 * A piece of an input cut into windows (sources/windows.ts): a window's bytes, or (decided by the first
 * window) the text before a binary input's first NUL, a "binary" skip, or a UTF-16 or UTF-32 file read whole.
 */
export type WindowPiece = { kind: "window"; window: ByteWindow } | ReadItem;

/**
 * Where a window is read: a buffer of at least `length` bytes, in an ArrayBuffer of its own (so the
 * window can be moved to another thread), which the window before need not be kept in.
 */
export type WindowBuffer = (length: number) => Uint8Array;

/**
 * A byte window as a job for the scan pool. Its bytes are moved to the worker, not copied, so the
 * thread that read them keeps nothing of them: they must lie in an ArrayBuffer of their own, and the
 * job cannot be sent twice.
 */
export interface WindowJob extends ByteWindow {
  path: string;
}

/**
 * What a window job answers: its matches placed in the window's text (as if it started at line 1,
 * column 1; those starting in the overlap left to the next window), their fingerprints, and how far
 * the window's own text moves the position in the file: its line breaks, and the UTF-16 code units
 * after the last one (after its start when it has none); and its bytes, given back (moved again) for
 * the next window to be read into. `timedOut`: its scan overran the time budget and was stopped:
 * nothing is known of it.
 */
export type WindowScan = { matches: Match[]; fingerprints: string[]; breaks: number; tail: number; bytes: Uint8Array } | { timedOut: true };

/**
 * What a file is counted as before it is read, for batching and backpressure: about the average
 * source file (a chunk counts its length).
 */
export const FILE_WEIGHT = 1024;

export function jobWeight(job: ScanJob): number {
  return "chunk" in job ? job.chunk.text.length : "window" in job ? job.window.bytes.length : job.files.length * FILE_WEIGHT;
}

/** About the work (jobWeight) the scan pool's main thread scans itself while its workers start (run/pool.ts). */
export const INLINE_BYTES = 4 * 1024 * 1024;

/** What reporters need to know of a rule (SARIF's rule metadata, the text report's remediation line). */
export interface RuleMeta {
  id: string;
  name: string;
  severity: Severity;
  remediation: string;
  description?: string;
  tags: string[];
}

export type ScanMode = "scan" | "staged" | "history" | "pack" | "image";
