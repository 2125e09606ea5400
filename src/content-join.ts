// The main thread's side of scanning each distinct content once: a file reported as a duplicate gets
// the findings of the first file with its content, at its own path; then every file's findings go
// through the allow lists for its path.
import type { FileScan } from "./file-scan.js";
import { contentKey } from "./content-index.js";
import { atPath } from "./fingerprint.js";
import type { FileOutcome, FileRef, Finding } from "./types.js";

interface FirstScan {
  content: string;
  findings: Finding[];
}

export interface ContentJoin {
  /** The file's outcome, once the first scan of its content (on any thread) has answered. */
  settle(file: FileRef, scan: FileScan): Promise<FileOutcome>;
  /** The scan failed: files still waiting for a first scan are rejected with this error. */
  fail(error: Error): void;
}

/**
 * `allowed`: the allow lists' verdict on a finding at its path. `rescan` scans a file without
 * deduplication, for the (astronomically rare) content whose first 128 hash bits another content shares.
 */
export function createContentJoin(
  allowed: (finding: Finding) => boolean,
  rescan: (file: FileRef) => Promise<FileScan>,
): ContentJoin {
  /** By content key: the first scans answered, and the duplicates waiting for theirs. */
  const firsts = new Map<bigint, FirstScan>();
  const waiting = new Map<bigint, { resolve: (first: FirstScan) => void; reject: (error: Error) => void }[]>();

  const firstScanOf = (key: bigint): Promise<FirstScan> => {
    const known = firsts.get(key);
    if (known) return Promise.resolve(known);
    return new Promise((resolve, reject) => {
      const list = waiting.get(key) ?? [];
      list.push({ resolve, reject });
      waiting.set(key, list);
    });
  };

  const record = (key: bigint, first: FirstScan): void => {
    firsts.set(key, first);
    for (const waiter of waiting.get(key) ?? []) waiter.resolve(first);
    waiting.delete(key);
  };

  const settle = async (file: FileRef, scan: FileScan): Promise<FileOutcome> => {
    if (scan.kind === "skipped" || scan.kind === "gone") return scan;
    let findings: Finding[];
    if (scan.kind === "duplicate") {
      const first = await firstScanOf(contentKey(scan.content));
      if (first.content !== scan.content) return settle(file, await rescan(file));
      findings = first.findings.map((finding) => atPath(finding, file.path));
    } else {
      if (scan.content !== undefined) record(contentKey(scan.content), { content: scan.content, findings: scan.findings });
      findings = scan.findings;
    }
    return { kind: "scanned", bytes: scan.bytes, findings: findings.filter((finding) => !allowed(finding)) };
  };

  return {
    settle,
    fail(error) {
      for (const list of waiting.values()) for (const waiter of list) waiter.reject(error);
      waiting.clear();
    },
  };
}
