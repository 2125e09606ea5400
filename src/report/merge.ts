// `keyscan report merge A.json B.json …`: the JSON reports of several repositories (one CI job each)
// made into one report, grouped by repository: JSON (the reports side by side), SARIF (one run a
// repository) or the HTML page. Reads only what keyscan's JSON format version 1 promises.
import { basename } from "node:path";
import { UsageError } from "../errors.js";
import { readSmallFile } from "../fs/read-file.js";
import type { Finding, ScanStats } from "../types.js";
import { neutralize } from "./common.js";
import type { MergeFormat } from "./formats.js";
import { renderHtml } from "./html.js";
import { JSON_FORMAT_VERSION, MAX_REPORT_BYTES, type JsonFinding, type JsonReport, type JsonSecret } from "./json.js";
import { renderSarif } from "./sarif.js";

/** What `--format json` of `report merge` prints; a merged report can itself be merged again. */
export interface MergedReport {
  version: typeof JSON_FORMAT_VERSION;
  tool: { name: "keyscan"; version: string };
  mode: "merged";
  repositories: JsonReport[];
}

/** Reads each file as a keyscan JSON report (or a merged one); a file that is not one is a UsageError naming it. */
export function readReports(files: readonly string[]): JsonReport[] {
  if (files.length === 0) throw new UsageError("report merge: name at least one JSON report");
  return files.flatMap((file) => {
    const where = neutralize(file);
    // Not a plain read: a FIFO would block it for ever and /dev/zero fill the memory.
    const text = readSmallFile(file, "JSON report", { limit: MAX_REPORT_BYTES });
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      throw new UsageError(`report merge: cannot read ${where}: it is not JSON`);
    }
    const reports = isMerged(data) ? data.repositories : [data];
    return reports.map((report, index) => checkedReport(report, `${where}${reports.length > 1 ? ` (repository ${index + 1})` : ""}`, file));
  });
}

function isMerged(data: unknown): data is MergedReport {
  return typeof data === "object" && data !== null && (data as { mode?: unknown }).mode === "merged" && Array.isArray((data as MergedReport).repositories);
}

function checkedReport(data: unknown, where: string, file: string): JsonReport {
  const report = data as Partial<JsonReport> & { tool?: { name?: unknown } };
  if (typeof report !== "object" || report === null || report.tool?.name !== "keyscan") {
    throw new UsageError(`report merge: ${where} is not a keyscan JSON report (write one with --format json)`);
  }
  if (report.version !== JSON_FORMAT_VERSION) {
    throw new UsageError(`report merge: ${where} has JSON format version ${String(report.version)}; this keyscan reads version ${JSON_FORMAT_VERSION}`);
  }
  if (!Array.isArray(report.findings) || typeof report.stats !== "object" || report.stats === null) {
    throw new UsageError(`report merge: ${where} has no findings list or stats: it is incomplete`);
  }
  const findings = report.findings as JsonFinding[];
  return {
    ...(report as JsonReport),
    secrets: Array.isArray(report.secrets) ? report.secrets : secretsOf(findings),
    rules: report.rules ?? {},
    repository: report.repository ?? { name: basename(file).replace(/\.json$/i, "") },
  };
}

/** A report from before secrets were grouped: one entry a fingerprint (its redacted secret cannot be grouped on). */
function secretsOf(findings: readonly JsonFinding[]): JsonSecret[] {
  const byFingerprint = new Map<string, JsonFinding[]>();
  for (const finding of findings) byFingerprint.set(finding.fingerprint, [...(byFingerprint.get(finding.fingerprint) ?? []), finding]);
  return [...byFingerprint.values()].map((group, index) => {
    const first = group[0] as JsonFinding;
    return {
      id: `S${index + 1}`,
      ruleId: first.ruleId,
      ruleName: first.ruleName,
      severity: first.severity,
      secret: first.secret,
      state: first.commit ? "unknown" : "present",
      locations: group.map((finding) => ({
        file: finding.file,
        line: finding.line,
        column: finding.column,
        ...(finding.commit ? { commit: finding.commit, date: finding.date ?? "", author: finding.author ?? "" } : {}),
      })),
      fingerprints: [first.fingerprint],
      ...(first.verification ? { verification: first.verification } : {}),
    };
  });
}

export function renderMerged(format: MergeFormat, reports: readonly JsonReport[], toolVersion: string): string {
  if (format === "html") return renderHtml(reports);
  if (format === "json") {
    const merged: MergedReport = { version: JSON_FORMAT_VERSION, tool: { name: "keyscan", version: toolVersion }, mode: "merged", repositories: [...reports] };
    return `${JSON.stringify(merged, null, 2)}\n`;
  }
  // SARIF: one run a repository, each under its own category so the runs stay apart.
  const runs = reports.map((report) => {
    const name = report.repository?.name ?? "repository";
    const sarif = renderSarif({
      findings: report.findings.map(toFinding),
      stats: report.stats as ScanStats,
      mode: report.mode,
      rules: Object.entries(report.rules).map(([id, rule]) => ({ id, name: rule.name, severity: rule.severity, remediation: rule.remediation, tags: [] })),
      redact: true,
      color: false,
      toolVersion,
      category: `keyscan/${name}`,
    });
    return (JSON.parse(sarif) as { runs: unknown[] }).runs[0];
  });
  return `${JSON.stringify({ $schema: "https://json.schemastore.org/sarif-2.1.0.json", version: "2.1.0", runs }, null, 2)}\n`;
}

/** A finding read back from a report: its secret is as the report printed it (redacted unless --no-redact). */
function toFinding(finding: JsonFinding): Finding {
  return {
    ruleId: finding.ruleId,
    ruleName: finding.ruleName,
    severity: finding.severity,
    path: finding.file,
    line: finding.line,
    column: finding.column,
    endLine: finding.endLine,
    endColumn: finding.endColumn,
    secret: finding.secret,
    match: finding.secret,
    fingerprint: finding.fingerprint,
    entropy: finding.entropy,
    ...(finding.commit
      ? { commit: { sha: finding.commit, author: finding.author ?? "", email: finding.email ?? "", date: finding.date ?? "" } }
      : {}),
    ...(finding.verification ? { verification: finding.verification } : {}),
  };
}
