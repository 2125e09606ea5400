// `--format github`: one GitHub Actions workflow command a finding, which the runner turns into an annotation
// on the file and line. Annotations are shown to everyone who can read the workflow run, so, like SARIF,
// they always carry the redacted secret.
import type { Finding, Severity } from "../types.js";
import { type ReportInput, findingMessage, neutralize, sortFindings } from "./common.js";

const COMMAND: Record<Severity, "error" | "warning" | "notice"> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "notice",
};

export function renderGithub(input: ReportInput): string {
  return sortFindings(input.findings)
    .map((finding) => `${annotation(finding)}\n`)
    .join("");
}

function annotation(finding: Finding): string {
  const properties: [string, string | number][] = [
    ["file", finding.path],
    ["line", finding.line],
  ];
  // The runner accepts columns only on a one-line annotation; its endColumn is the last character (inclusive).
  if (finding.line === finding.endLine) {
    properties.push(["col", finding.column], ["endColumn", Math.max(finding.column, finding.endColumn - 1)]);
  }
  properties.push(["endLine", finding.endLine], ["title", finding.ruleName]);
  const list = properties.map(([key, value]) => `${key}=${escapeProperty(String(value))}`).join(",");
  // Neutralised too: the Actions log renders ANSI escapes, and a hostile file name must not restyle it.
  return `::${COMMAND[finding.severity]} ${list}::${escapeData(neutralize(findingMessage(finding)))}`;
}

/** GitHub's escaping for a command's message. */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** GitHub's escaping for a property value: the message's, plus the separators ':' and ','. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
