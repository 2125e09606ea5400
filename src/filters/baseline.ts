// Suppression by fingerprint: the baseline file (`keyscan baseline`, `--baseline`) and .keyscanignore.
// Both hold fingerprints (hashes of rule id, path and secret), never secrets and never line numbers,
// so they survive line moves, rebases and squashes and do not churn.
import * as z from "zod/mini";
import { UsageError } from "../errors.js";
import { type GitleaksReportEntry, parseGitleaksReport } from "../migrate/gitleaks.js";
import { readSmallFile } from "../fs/read-file.js";
import { legacyFingerprint } from "../run/fingerprint.js";
import type { Finding } from "../types.js";

export const BASELINE_FILE = ".keyscan-baseline.json";
export const IGNORE_FILE = ".keyscanignore";

/** A baseline file's shape, built when a baseline is first read (most runs, a pre-commit hook's, read none). */
const buildBaselineSchema = () =>
  z.object({
    version: z.literal(1),
    tool: z.string(),
    findings: z.array(z.strictObject({ fingerprint: z.string(), ruleId: z.string(), path: z.string() })),
  });
let baselineSchema: ReturnType<typeof buildBaselineSchema> | undefined;

/** A baseline entry is about 100 bytes: this holds some 600,000 of them. */
const MAX_BASELINE = 64 * 1024 * 1024;

export type Baseline = z.infer<ReturnType<typeof buildBaselineSchema>>;

/** A baseline for these findings: one entry per fingerprint, sorted so that it merges cleanly. */
export function makeBaseline(findings: readonly Finding[]): Baseline {
  return sortedBaseline(findings.map((finding) => ({ fingerprint: finding.fingerprint, ruleId: finding.ruleId, path: finding.path })));
}

type Entry = Baseline["findings"][number];

function sortedBaseline(entries: readonly Entry[]): Baseline {
  const unique = new Map<string, Entry>();
  for (const entry of entries) unique.set(entry.fingerprint, entry);
  const sorted = [...unique.values()].sort(
    (a, b) => compare(a.path, b.path) || compare(a.ruleId, b.ruleId) || compare(a.fingerprint, b.fingerprint),
  );
  return { version: 1, tool: "keyscan", findings: sorted };
}

/**
 * The baseline after a run that found `found`: every existing entry is kept and the new ones are added,
 * so a `keyscan baseline PATH` loses no other path's entries. With `prune` (the scanned paths, relative to
 * the repository root; "" for all of it), nothing is added, and only entries under a scanned path that were
 * not found again are dropped.
 */
export function updateBaseline(
  existing: Baseline | undefined,
  found: Baseline,
  prune?: readonly string[],
): { baseline: Baseline; added: number; dropped: number } {
  const old = existing?.findings ?? [];
  if (prune) {
    const stillFound = new Set(found.findings.map((entry) => entry.fingerprint));
    const kept = old.filter((entry) => stillFound.has(entry.fingerprint) || !prune.some((path) => isUnder(entry.path, path)));
    return { baseline: sortedBaseline(kept), added: 0, dropped: old.length - kept.length };
  }
  const known = new Set(old.map((entry) => entry.fingerprint));
  const added = found.findings.filter((entry) => !known.has(entry.fingerprint)).length;
  return { baseline: sortedBaseline([...old, ...found.findings]), added, dropped: 0 };
}

function isUnder(path: string, folder: string): boolean {
  return folder === "" || path === folder || path.startsWith(`${folder}/`);
}

export function serializeBaseline(baseline: Baseline): string {
  const lines = baseline.findings.map((entry) => `    ${JSON.stringify(entry)}`);
  return `{\n  "version": 1,\n  "tool": "keyscan",\n  "findings": [\n${lines.join(",\n")}\n  ]\n}\n`;
}

/** What `--baseline` accepts: keyscan's own baseline, or a gitleaks JSON report (an array of its findings). */
export type AnyBaseline = { kind: "keyscan"; baseline: Baseline } | { kind: "gitleaks"; entries: GitleaksReportEntry[] };

export function readAnyBaseline(file: string): AnyBaseline {
  const text = readSmallFile(file, "baseline file", { limit: MAX_BASELINE });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UsageError(`${file} is not valid JSON (expected a keyscan baseline or a gitleaks JSON report)`);
  }
  if (Array.isArray(data)) {
    const report = parseGitleaksReport(data);
    if (!report.success) throw new UsageError(`${file} is not a gitleaks JSON report (each finding needs File, RuleID and StartLine)`);
    return { kind: "gitleaks", entries: report.data };
  }
  const result = (baselineSchema ??= buildBaselineSchema()).safeParse(data);
  if (!result.success) throw new UsageError(`${file} is not a keyscan baseline (version 1) or a gitleaks JSON report`);
  return { kind: "keyscan", baseline: result.data };
}

/** A keyscan baseline, for `keyscan baseline --prune` to update. */
export function readBaseline(file: string): Baseline {
  const read = readAnyBaseline(file);
  if (read.kind !== "keyscan") throw new UsageError(`${file} is a gitleaks report: keyscan baseline --prune updates only a keyscan baseline`);
  return read.baseline;
}

/** What a .keyscanignore file lists: fingerprints, and path globs (relative to the repository root). */
export interface IgnoreList {
  fingerprints: Set<string>;
  paths: string[];
}

const FINGERPRINT = /^[0-9a-f]+$/;

/**
 * A .keyscanignore file: one entry a line, `#` starts a comment. A line of hex digits is a fingerprint;
 * any other line is a path glob, as in `[allow] paths` (a file whose whole name is hex digits can be
 * written `./name`).
 */
export function parseIgnoreFile(text: string): IgnoreList {
  const list: IgnoreList = { fingerprints: new Set(), paths: [] };
  for (const raw of text.split("\n")) {
    const entry = raw.replace(/#.*/, "").trim();
    if (!entry) continue;
    if (FINGERPRINT.test(entry)) list.fingerprints.add(entry);
    else list.paths.push(entry.replace(/^\.\//, ""));
  }
  return list;
}

/**
 * True when `known` holds the finding's fingerprint. An entry written before guessable secrets got a slow
 * fingerprint (legacyFingerprint) still counts, and is handed to `onLegacy` so the user can be told to
 * replace it: such an entry lets anyone who reads it test guesses at the password.
 */
export function knownFingerprint(
  known: ReadonlySet<string>,
  finding: Finding,
  onLegacy: (entry: string, finding: Finding) => void = () => {},
): boolean {
  if (known.size === 0) return false;
  if (known.has(finding.fingerprint)) return true;
  const legacy = legacyFingerprint(finding.ruleId, finding.path, finding.secret);
  if (legacy === finding.fingerprint || !known.has(legacy)) return false;
  onLegacy(legacy, finding);
  return true;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
