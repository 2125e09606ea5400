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
 * A working-tree file's bytes, not yet decoded (and known not to be binary): a scan worker decodes
 * them (decodeText), so the main thread neither decodes the text nor copies it to the worker.
 * `text` is never set; it is declared so code that reads `chunk.text` of either form type-checks.
 */
export interface RawChunk {
  path: string;
  raw: Uint8Array;
  text?: never;
}

/** The length to count for progress and batching: UTF-16 units of text, or bytes. */
export function chunkLength(chunk: Chunk | RawChunk): number {
  return "raw" in chunk ? chunk.raw.length : chunk.text.length;
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
    durationMs: 0,
  };
}

export type SkipReason = "binary" | "large" | "unreadable" | "symlink" | "submodule" | "allowed-path";

/** What a source yields: text to scan (or, from the working tree, bytes to decode first), or a file it passed over and why. */
export type SourceItem<C extends Chunk | RawChunk = Chunk> =
  | { kind: "chunk"; chunk: C; bytes: number }
  | { kind: "skipped"; path: string; reason: SkipReason; detail?: string };

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
