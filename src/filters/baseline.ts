// Suppression by fingerprint: the baseline file (`keyscan baseline`, `--baseline`) and .keyscanignore.
// Both hold fingerprints (hashes of rule id, path and secret), never secrets and never line numbers,
// so they survive line moves, rebases and squashes and do not churn.
import { readFileSync } from "node:fs";
import * as z from "zod/mini";
import { UsageError } from "../errors.js";
import { type GitleaksReportEntry, gitleaksReport } from "../migrate/gitleaks.js";
import type { Finding } from "../types.js";

export const BASELINE_FILE = ".keyscan-baseline.json";
export const IGNORE_FILE = ".keyscanignore";

const baselineSchema = z.object({
  version: z.literal(1),
  tool: z.string(),
  findings: z.array(z.strictObject({ fingerprint: z.string(), ruleId: z.string(), path: z.string() })),
});

export type Baseline = z.infer<typeof baselineSchema>;

/** A baseline for these findings: one entry per fingerprint, sorted so that it merges cleanly. */
export function makeBaseline(findings: readonly Finding[]): Baseline {
  const entries = new Map<string, Baseline["findings"][number]>();
  for (const finding of findings) {
    entries.set(finding.fingerprint, { fingerprint: finding.fingerprint, ruleId: finding.ruleId, path: finding.path });
  }
  const sorted = [...entries.values()].sort(
    (a, b) => compare(a.path, b.path) || compare(a.ruleId, b.ruleId) || compare(a.fingerprint, b.fingerprint),
  );
  return { version: 1, tool: "keyscan", findings: sorted };
}

export function serializeBaseline(baseline: Baseline): string {
  const lines = baseline.findings.map((entry) => `    ${JSON.stringify(entry)}`);
  return `{\n  "version": 1,\n  "tool": "keyscan",\n  "findings": [\n${lines.join(",\n")}\n  ]\n}\n`;
}

/** What `--baseline` accepts: keyscan's own baseline, or a gitleaks JSON report (an array of its findings). */
export type AnyBaseline = { kind: "keyscan"; baseline: Baseline } | { kind: "gitleaks"; entries: GitleaksReportEntry[] };

export function readAnyBaseline(file: string): AnyBaseline {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new UsageError(`cannot read baseline file ${file}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UsageError(`${file} is not valid JSON (expected a keyscan baseline or a gitleaks JSON report)`);
  }
  if (Array.isArray(data)) {
    const report = gitleaksReport.safeParse(data);
    if (!report.success) throw new UsageError(`${file} is not a gitleaks JSON report (each finding needs File, RuleID and StartLine)`);
    return { kind: "gitleaks", entries: report.data };
  }
  const result = baselineSchema.safeParse(data);
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

export function dropKnown(findings: Finding[], known: ReadonlySet<string>): Finding[] {
  return known.size === 0 ? findings : findings.filter((finding) => !known.has(finding.fingerprint));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
