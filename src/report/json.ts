// The machine-readable report.
//
// Format version 1 (`--format json`), one JSON document:
//
//   {
//     "version": 1,                                   // bumped on any incompatible change
//     "tool": { "name": "keyscan", "version": "0.1.0" },
//     "mode": "scan" | "staged" | "history",
//     "findings": [{
//       "ruleId": "openai-project-key",
//       "ruleName": "OpenAI project API key",
//       "severity": "critical" | "high" | "medium" | "low",
//       "file": "src/config.ts",                      // relative to the scan root, forward slashes; "-" for stdin
//       "line": 3, "column": 17,                      // 1-based; columns count UTF-16 code units
//       "endLine": 3, "endColumn": 181,               // endColumn is exclusive: the character after the secret
//       "secret": "sk-p…(164 chars)",                 // redacted (first characters and length) unless --no-redact
//       "match": "OPENAI_API_KEY=sk-…",              // only with --no-redact: the whole text the rule matched
//       "fingerprint": "3f2a…",                       // stable id (rule, path, secret); put it in .keyscanignore to ignore
//       "entropy": 5.62,                              // Shannon entropy of the secret, bits per character
//       "commit": "<sha>", "author": "…", "email": "…", "date": "<ISO 8601>",   // history only
//       "verification": { "status": "valid" | "invalid" | "unknown", "identity"?: "…", "detail"?: "…" }, // --verify only
//       "exposure": "browser",                        // in a variable a bundler ships to the browser (VITE_…)
//       "notes": ["…"],                               // e.g. deleted by a later image layer, still in the image
//       "original": { "file", "line", "column" }      // a bundle's finding mapped back through its source map
//     }],
//     "secrets": [{                                   // the findings grouped by secret (rule and value)
//       "id": "S1", "ruleId", "ruleName", "severity", "secret",         // secret redacted as above
//       "state": "present" | "removed" | "unknown",   // in HEAD, only in history, or not known
//       "introduced"?: { "commit", "author", "email", "date" },         // history: the oldest commit adding it
//       "removed"?: { "commit", "author", "email", "date" },            // history: the commit HEAD lost it in
//       "movedTo"?: ["…"],                           // present: HEAD's paths holding it, its file moved (git mv) since
//       "locations": [{ "file", "line", "column", "commit"?, "date"?, "author"? }],
//       "fingerprints": ["…"],                        // of its locations, for .keyscanignore
//       "verification"?: { … }
//     }],
//     "rules": { "<ruleId>": { "name", "severity", "remediation" } },  // the rules that found something
//     "repository"?: { "name", "url"? },             // the scanned repository; url: its GitHub/GitLab page
//     "stats": { "files", "bytes", "skippedBinary", "skippedLarge", "unreadable",
//                "skippedOther",                      // symlinks, submodules and allow-listed paths
//                "skippedAllowed"?,                   // of those, the allow-listed paths (working tree, staged)
//                "commits"?, "blobs"?, "durationMs" }
//   }
//
// Findings are sorted by file, line and column. The companion secret of a paired rule is never printed.
// Fields are only ever added within a version, so `keyscan report merge` reads reports of any 0.x release.
import type { Finding, RuleMeta, ScanMode, ScanStats, Severity, Verification } from "../types.js";
import { type ReportInput, rulesById, sortFindings } from "./common.js";
import { redactSecret } from "./redact.js";
import { type LifeEvent, type SecretEntry, groupSecrets } from "./secrets.js";

export const JSON_FORMAT_VERSION = 1;

/**
 * The largest JSON report read back (`report merge`, `fix --from`): a report of ~100,000 findings is
 * ~100 MB; past ~512 MB its text would not fit in one JavaScript string anyway.
 */
export const MAX_REPORT_BYTES = 256 * 1024 * 1024;

export interface JsonFinding {
  ruleId: string;
  ruleName: string;
  severity: Severity;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  secret: string;
  match?: string;
  fingerprint: string;
  entropy: number;
  commit?: string;
  author?: string;
  email?: string;
  date?: string;
  verification?: Verification;
  exposure?: "browser";
  notes?: string[];
  original?: { file: string; line: number; column: number };
}

export interface JsonLifeEvent {
  commit: string;
  author: string;
  email: string;
  date: string;
}

export interface JsonSecret {
  id: string;
  ruleId: string;
  ruleName: string;
  severity: Severity;
  secret: string;
  state: SecretEntry["state"];
  introduced?: JsonLifeEvent;
  removed?: JsonLifeEvent;
  movedTo?: string[];
  locations: { file: string; line: number; column: number; commit?: string; date?: string; author?: string }[];
  fingerprints: string[];
  verification?: Verification;
}

export interface JsonRepository {
  name: string;
  /** Its web page on GitHub or GitLab, for links to commits and files. */
  url?: string;
}

export interface JsonReport {
  version: typeof JSON_FORMAT_VERSION;
  tool: { name: "keyscan"; version: string };
  mode: ScanMode;
  findings: JsonFinding[];
  secrets: JsonSecret[];
  rules: Record<string, { name: string; severity: Severity; remediation: string }>;
  repository?: JsonRepository;
  stats: ScanStats;
}

export function renderJson(input: ReportInput): string {
  return `${JSON.stringify(jsonReport(input), null, 2)}\n`;
}

/** The report as data: what --format json prints, and what the HTML page and `report merge` are made from. */
export function jsonReport(input: ReportInput): JsonReport {
  const secrets = input.secrets ?? groupSecrets(input.findings);
  // Read only for a finding: the rules' texts are parsed when first read (engine/rules.ts), and a clean scan needs none.
  let known: Map<string, RuleMeta> | undefined;
  const rules: JsonReport["rules"] = {};
  for (const finding of input.findings) {
    known ??= rulesById(input.rules);
    rules[finding.ruleId] ??= { name: finding.ruleName, severity: finding.severity, remediation: known.get(finding.ruleId)?.remediation ?? "" };
  }
  return {
    version: JSON_FORMAT_VERSION,
    tool: { name: "keyscan", version: input.toolVersion },
    mode: input.mode,
    findings: sortFindings(input.findings).map((finding) => toJson(finding, input.redact)),
    secrets: secrets.map((entry) => secretToJson(entry, input.redact)),
    rules,
    ...(input.repository ? { repository: input.repository } : {}),
    stats: input.stats,
  };
}

function secretToJson(entry: SecretEntry, redact: boolean): JsonSecret {
  return {
    id: entry.id,
    ruleId: entry.ruleId,
    ruleName: entry.ruleName,
    severity: entry.severity,
    secret: redact ? redactSecret(entry.secret) : entry.secret,
    state: entry.state,
    ...(entry.introduced ? { introduced: eventToJson(entry.introduced) } : {}),
    ...(entry.removed ? { removed: eventToJson(entry.removed) } : {}),
    ...(entry.movedTo ? { movedTo: entry.movedTo } : {}),
    locations: entry.locations.map((finding) => ({
      file: finding.path,
      line: finding.line,
      column: finding.column,
      ...(finding.commit ? { commit: finding.commit.sha, date: finding.commit.date, author: finding.commit.author } : {}),
    })),
    fingerprints: [...new Set(entry.locations.map((finding) => finding.fingerprint))],
    ...(entry.verification ? { verification: entry.verification } : {}),
  };
}

function eventToJson(event: LifeEvent): JsonLifeEvent {
  return { commit: event.sha, author: event.author, email: event.email, date: event.date };
}

function toJson(finding: Finding, redact: boolean): JsonFinding {
  return {
    ruleId: finding.ruleId,
    ruleName: finding.ruleName,
    severity: finding.severity,
    file: finding.path,
    line: finding.line,
    column: finding.column,
    endLine: finding.endLine,
    endColumn: finding.endColumn,
    secret: redact ? redactSecret(finding.secret) : finding.secret,
    // A match may hold more than the secret (a companion, a password's neighbours): left out whenever redacting.
    ...(redact ? {} : { match: finding.match }),
    fingerprint: finding.fingerprint,
    entropy: finding.entropy,
    ...(finding.commit
      ? { commit: finding.commit.sha, author: finding.commit.author, email: finding.commit.email, date: finding.commit.date }
      : {}),
    ...(finding.verification ? { verification: finding.verification } : {}),
    ...(finding.exposure ? { exposure: finding.exposure } : {}),
    ...(finding.notes ? { notes: finding.notes } : {}),
    ...(finding.original ? { original: { file: finding.original.path, line: finding.original.line, column: finding.original.column } } : {}),
  };
}
