// The ignore files kept beside the code, at the repository root (or the current folder outside one):
// .keyscanignore (keyscan fingerprints, one a line) and .gitleaksignore (gitleaks' own entries), so a
// project moving from gitleaks keeps its ignores.
import { existsSync } from "node:fs";
import { join } from "node:path";
import picomatch from "picomatch";
import { keyscanIdsFor } from "../migrate/gitleaks.js";
import { readSmallFile } from "../fs/read-file.js";
import type { Finding } from "../types.js";
import { IGNORE_FILE, knownFingerprint, parseIgnoreFile } from "./baseline.js";

export interface IgnoreFiles {
  fingerprints: ReadonlySet<string>;
  /** True for a path a .keyscanignore glob names (paths relative to the repository root). */
  ignoredPath: (path: string) => boolean;
  gitleaks: readonly GitleaksIgnoreEntry[];
}

export function readIgnoreFiles(top: string): IgnoreFiles {
  const keyscanFile = join(top, IGNORE_FILE);
  const gitleaksFile = join(top, ".gitleaksignore");
  // Read with a size cap and only when regular: a committed symlink to /dev/zero must not hang a scan.
  const keyscan = existsSync(keyscanFile) ? parseIgnoreFile(readSmallFile(keyscanFile, "ignore file")) : { fingerprints: new Set<string>(), paths: [] };
  return {
    fingerprints: keyscan.fingerprints,
    ignoredPath: keyscan.paths.length > 0 ? picomatch(keyscan.paths, { dot: true }) : () => false,
    gitleaks: existsSync(gitleaksFile) ? parseGitleaksIgnore(readSmallFile(gitleaksFile, "ignore file")) : [],
  };
}

export function ignoredByFiles(finding: Finding, files: IgnoreFiles, onLegacy?: (entry: string, finding: Finding) => void): boolean {
  return (
    knownFingerprint(files.fingerprints, finding, onLegacy) ||
    files.ignoredPath(finding.path) ||
    (files.gitleaks.length > 0 && gitleaksIgnored(finding, files.gitleaks))
  );
}

export interface GitleaksIgnoreEntry {
  path: string;
  ruleId: string;
  line: number;
  commit?: string;
}

/**
 * Parses .gitleaksignore: one fingerprint a line, `commit:file:rule-id:line` (history scans) or
 * `file:rule-id:line`; blank lines and `#` comments skipped, and lines of neither shape too.
 */
export function parseGitleaksIgnore(text: string): GitleaksIgnoreEntry[] {
  const entries: GitleaksIgnoreEntry[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    // The path may hold ':' itself, so read the fixed fields from the right.
    const match = line.match(/^(?:([0-9a-f]{40}|[0-9a-f]{64}):)?(.+):([^:]+):(\d+)$/);
    if (!match) continue;
    const [, commit, path = "", ruleId = "", lineNumber = "0"] = match;
    entries.push({ path, ruleId, line: Number(lineNumber), ...(commit ? { commit } : {}) });
  }
  return entries;
}

/** True when a .gitleaksignore entry names this finding: same path and line, the commit if given, and the rule or its keyscan equivalent. */
export function gitleaksIgnored(finding: Finding, entries: readonly GitleaksIgnoreEntry[]): boolean {
  return entries.some(
    (entry) =>
      entry.path === finding.path &&
      entry.line === finding.line &&
      (entry.commit === undefined || entry.commit === finding.commit?.sha) &&
      (entry.ruleId === finding.ruleId || keyscanIdsFor(entry.ruleId).includes(finding.ruleId)),
  );
}
