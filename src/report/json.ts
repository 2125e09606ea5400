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
//       "verification": { "status": "valid" | "invalid" | "unknown", "identity"?: "…", "detail"?: "…" }  // --verify only
//     }],
//     "stats": { "files", "bytes", "skippedBinary", "skippedLarge", "unreadable",
//                "skippedOther",                      // symlinks, submodules and allow-listed paths
//                "skippedAllowed"?,                   // of those, the allow-listed paths (working tree, staged)
//                "commits"?, "blobs"?, "durationMs" }
//   }
//
// Findings are sorted by file, line and column. The companion secret of a paired rule is never printed.
import type { Finding, ScanMode, ScanStats, Severity, Verification } from "../types.js";
import { type ReportInput, sortFindings } from "./common.js";
import { redactSecret } from "./redact.js";

export const JSON_FORMAT_VERSION = 1;

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
}

export interface JsonReport {
  version: typeof JSON_FORMAT_VERSION;
  tool: { name: "keyscan"; version: string };
  mode: ScanMode;
  findings: JsonFinding[];
  stats: ScanStats;
}

export function renderJson(input: ReportInput): string {
  const report: JsonReport = {
    version: JSON_FORMAT_VERSION,
    tool: { name: "keyscan", version: input.toolVersion },
    mode: input.mode,
    findings: sortFindings(input.findings).map((finding) => toJson(finding, input.redact)),
    stats: input.stats,
  };
  return `${JSON.stringify(report, null, 2)}\n`;
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
  };
}
