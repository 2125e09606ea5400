// `--format csv`: one row a finding under a header row, for spreadsheets and ad-hoc tooling (RFC 4180:
// comma-separated, CRLF line ends, fields quoted when they hold a comma, quote or line break).
// Secrets are redacted unless --no-redact, as in the text and JSON reports.
import type { Finding } from "../types.js";
import { type ReportInput, sortFindings } from "./common.js";
import { redactSecret } from "./redact.js";

const COLUMNS = [
  "ruleId",
  "ruleName",
  "severity",
  "file",
  "line",
  "column",
  "endLine",
  "endColumn",
  "secret",
  "fingerprint",
  "entropy",
  "commit",
  "author",
  "email",
  "date",
  "verification",
] as const;

export function renderCsv(input: ReportInput): string {
  const rows = sortFindings(input.findings).map((finding) => row(finding, input.redact));
  return [COLUMNS.join(","), ...rows.map((values) => values.map(field).join(","))].map((line) => `${line}\r\n`).join("");
}

function row(finding: Finding, redact: boolean): string[] {
  return [
    finding.ruleId,
    finding.ruleName,
    finding.severity,
    finding.path,
    String(finding.line),
    String(finding.column),
    String(finding.endLine),
    String(finding.endColumn),
    redact ? redactSecret(finding.secret) : finding.secret,
    finding.fingerprint,
    String(finding.entropy),
    finding.commit?.sha ?? "",
    finding.commit?.author ?? "",
    finding.commit?.email ?? "",
    finding.commit?.date ?? "",
    finding.verification?.status ?? "",
  ];
}

/**
 * One field: a leading = + @ or tab/CR would make a spreadsheet run the cell as a formula (a file name
 * is chosen by whoever wrote the repository), so such a field gets a leading apostrophe; then it is
 * quoted if it must be.
 */
function field(value: string): string {
  const safe = /^[=+@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
