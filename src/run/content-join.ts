// The main thread's side of scanning each distinct content once: a file reported as a duplicate gets
// the findings of the first file with its content, at its own path; then every file's findings go
// through the allow lists for its path.
import type { FileScan } from "./file-scan.js";
import { atPath } from "./fingerprint.js";
import type { FileOutcome, FileRef, Finding } from "../types.js";

export interface ContentJoin {
  /** The file's outcome, once the first scan of its content (on any thread) has answered. */
  settle(file: FileRef, scan: FileScan): Promise<FileOutcome>;
  /** The scan failed: files still waiting for a first scan are rejected with this error. */
  fail(error: Error): void;
}

/**
 * `allowed`: the allow lists' verdict on a finding at its path. A duplicate's content name is that of
 * a first scan with findings (a claim answers "found" only then; content-index.ts), so it is always
 * answered, unless the scan fails.
 */
export function createContentJoin(allowed: (finding: Finding) => boolean): ContentJoin {
  /** By content name: the findings of the first scans answered, and the duplicates waiting for theirs. */
  const firsts = new Map<string, Finding[]>();
  const waiting = new Map<string, { resolve: (first: Finding[]) => void; reject: (error: Error) => void }[]>();

  const firstScanOf = (name: string): Promise<Finding[]> => {
    const known = firsts.get(name);
    if (known) return Promise.resolve(known);
    return new Promise((resolve, reject) => {
      const list = waiting.get(name) ?? [];
      list.push({ resolve, reject });
      waiting.set(name, list);
    });
  };

  const record = (name: string, first: Finding[]): void => {
    firsts.set(name, first);
    for (const waiter of waiting.get(name) ?? []) waiter.resolve(first);
    waiting.delete(name);
  };

  const settle = async (file: FileRef, scan: FileScan): Promise<FileOutcome> => {
    if (scan.kind === "skipped" || scan.kind === "gone") return scan;
    let findings: Finding[];
    if (scan.kind === "duplicate") {
      const first = await firstScanOf(scan.content);
      findings = first.map((finding) => atPath(finding, file.path));
    } else {
      if (scan.content !== undefined) record(scan.content, scan.findings);
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
