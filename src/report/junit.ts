// `--format junit`: JUnit XML, which CI systems (GitLab, Jenkins, Azure Pipelines, test-report actions) show
// as a test report: one failed test case a finding, or one passing case when nothing was found.
//
// Like SARIF, JUnit always redacts, whatever --no-redact says: a test report is uploaded and shown to
// everyone who can read the pipeline.
import type { Finding } from "../types.js";
import { type ReportInput, findingMessage, neutralize, sortFindings } from "./common.js";

export function renderJunit(input: ReportInput): string {
  const findings = sortFindings(input.findings);
  const suite = `keyscan ${input.mode}`;
  const cases =
    findings.length > 0
      ? findings.map((finding) => testCase(finding, suite))
      : [`    <testcase classname="${xml(suite)}" name="no leaked credentials"/>`];
  const tests = Math.max(findings.length, 1);
  const seconds = (input.stats.durationMs / 1000).toFixed(3);
  const counts = `tests="${tests}" failures="${findings.length}" errors="0" skipped="0" time="${seconds}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="keyscan" ${counts}>`,
    `  <testsuite name="${xml(suite)}" ${counts}>`,
    ...cases,
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}

function testCase(finding: Finding, suite: string): string {
  const where = `${finding.path}:${finding.line}:${finding.column}`;
  const detail = [
    `${where}  ${finding.severity.toUpperCase()}  ${finding.ruleName} [${finding.ruleId}]`,
    ...(finding.commit ? [`commit ${finding.commit.sha} by ${finding.commit.author} <${finding.commit.email}> on ${finding.commit.date}`] : []),
    `fingerprint ${finding.fingerprint} (add to .keyscanignore to ignore)`,
  ].join("\n");
  return [
    `    <testcase classname="${xml(suite)}" name="${xml(`${finding.ruleId} at ${where}`)}" file="${xml(finding.path)}" line="${finding.line}">`,
    `      <failure type="${xml(finding.ruleId)}" message="${xml(findingMessage(finding))}">${xml(detail)}</failure>`,
    "    </testcase>",
  ].join("\n");
}

/**
 * Text for an XML attribute or element. Control characters are made visible first (XML 1.0 cannot
 * carry most of them at all, and a hostile file name must not break the document), then the five
 * markup characters are escaped.
 */
function xml(text: string): string {
  return neutralize(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}
