// `keyscan fix --from report.json`: the findings of an earlier `keyscan scan --format json --no-redact`.
import { isAbsolute, normalize } from "node:path";
import { UsageError } from "../errors.js";
import { readSmallFile } from "../fs/read-file.js";
import { MAX_REPORT_BYTES } from "../report/json.js";
import type { Finding } from "../types.js";

/**
 * Reads findings from a JSON report (`keyscan scan --format json --no-redact`); a finding naming a
 * file outside the repository is refused, since fix would write there.
 */
export function findingsFromReport(file: string): Finding[] {
  const text = readSmallFile(file, "JSON report", { limit: MAX_REPORT_BYTES });
  let report: { findings?: unknown };
  try {
    report = JSON.parse(text) as { findings?: unknown };
  } catch (error) {
    throw new UsageError(`--from: cannot read ${file} as a JSON report: ${(error as Error).message.split("\n")[0]}`);
  }
  if (!Array.isArray(report.findings)) throw new UsageError(`--from: ${file} is not a keyscan JSON report (no "findings" list)`);
  return report.findings.map((entry: Record<string, unknown>, index: number) => {
    const secret = entry.secret;
    const at = `--from: ${file}, finding ${index + 1}`;
    if (typeof secret !== "string" || typeof entry.file !== "string" || typeof entry.line !== "number" || typeof entry.column !== "number") {
      throw new UsageError(`${at} lacks its file, line, column or secret`);
    }
    if (isAbsolute(entry.file) || normalize(entry.file).startsWith("..")) {
      throw new UsageError(`${at} names ${entry.file}, outside the repository: keyscan fix writes only inside it`);
    }
    if (/…\(\d+ chars\)$/.test(secret)) throw new UsageError(`${at} has a redacted secret: write the report with --no-redact`);
    return {
      ruleId: String(entry.ruleId),
      ruleName: String(entry.ruleName ?? entry.ruleId),
      severity: (entry.severity ?? "high") as Finding["severity"],
      path: entry.file,
      line: entry.line,
      column: entry.column,
      endLine: typeof entry.endLine === "number" ? entry.endLine : entry.line,
      endColumn: typeof entry.endColumn === "number" ? entry.endColumn : entry.column + secret.length,
      secret,
      match: typeof entry.match === "string" ? entry.match : secret,
      fingerprint: String(entry.fingerprint ?? ""),
      entropy: typeof entry.entropy === "number" ? entry.entropy : 0,
      ...(entry.verification ? { verification: entry.verification as Finding["verification"] } : {}),
    };
  });
}
