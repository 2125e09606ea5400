// Plain data that flows between the stages: sources make chunks, the engine makes findings,
// filters drop findings, reporters print them.

export type Severity = "critical" | "high" | "medium" | "low";

/** Text to scan and where it came from. */
export interface Chunk {
  /** Path relative to the scan root (or repository root), with forward slashes; "-" for stdin. */
  path: string;
  text: string;
  /** Only findings that start on one of these 1-based lines count (staged: the added lines). */
  lines?: ReadonlySet<number>;
  commit?: CommitInfo;
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

export interface Finding {
  ruleId: string;
  ruleName: string;
  severity: Severity;
  path: string;
  /** 1-based; columns count UTF-16 code units. The region is that of the secret itself. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  secret: string;
  /** The whole text the rule's pattern matched (contains the secret). */
  match: string;
  /** Stable across line moves: a hash of rule id, path and secret. */
  fingerprint: string;
  /** Shannon entropy of the secret, bits per character. */
  entropy: number;
  /** The secret of the companion rule (`requires`), e.g. the AWS key id for a secret key; used by --verify, never printed. */
  companion?: string;
  commit?: CommitInfo;
  verification?: Verification;
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

export type SkipReason = "binary" | "large" | "unreadable" | "symlink" | "submodule" | "allowed-path";

export interface SkippedItem {
  kind: "skipped";
  path: string;
  reason: SkipReason;
  detail?: string;
}

/** What reading yields: text to scan (or a file's bytes, to decode first), or a file passed over and why. */
export type ReadItem<C extends Chunk | RawChunk = Chunk> = { kind: "chunk"; chunk: C; bytes: number } | SkippedItem;

/** What a source yields: what reading yields, or (from the working tree) a file for the scan pool to read and scan. */
export type SourceItem = ReadItem | { kind: "file"; file: FileRef };

/** Work for the scan pool: a chunk of text, or working-tree files to read (each distinct content scanned once). */
export type ScanJob = { chunk: Chunk } | { files: FileRef[] };

/**
 * What a file is counted as before it is read, for batching and backpressure: about the average
 * source file (a chunk counts its length).
 */
export const FILE_WEIGHT = 1024;

export function jobWeight(job: ScanJob): number {
  return "chunk" in job ? job.chunk.text.length : job.files.length * FILE_WEIGHT;
}

/** What became of a file handed to the scan pool: its findings, why it was skipped, or nothing (it vanished). */
export type FileOutcome = { kind: "scanned"; bytes: number; findings: Finding[] } | SkippedItem | { kind: "gone" };

/** What reporters need to know of a rule (SARIF's rule metadata, the text report's remediation line). */
export interface RuleMeta {
  id: string;
  name: string;
  severity: Severity;
  remediation: string;
  description?: string;
  tags: string[];
}

export type ScanMode = "scan" | "staged" | "history";
