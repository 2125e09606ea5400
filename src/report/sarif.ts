// SARIF 2.1.0 for GitHub code scanning (and any other SARIF viewer).
//
// SARIF always redacts, whatever --no-redact says: a SARIF file is made to be uploaded to a dashboard that many
// people read and that keeps history, so it must never carry a usable credential. The fingerprint (a hash) lets
// a reader find the exact secret locally with `keyscan --no-redact`.
//
// The rules array lists the rules that have results, each with the descriptions and help GitHub requires of a
// listed rule. Listing every rule in force would make a report of one finding weigh a megabyte with hundreds of
// rules; results name their rule by id as well as by index, so nothing is lost when the list changes between runs.
import { pathToFileURL } from "node:url";
import type { Finding, RuleMeta, Severity } from "../types.js";
import { PACKAGE_NAME } from "../version.js";
import { type ReportInput, findingMessage, severityOrder, sortFindings } from "./common.js";

/** GitHub code scanning rejects runs with more results than this. */
export const MAX_SARIF_RESULTS = 25_000;

const SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI = `https://www.npmjs.com/package/${PACKAGE_NAME}`;
const SRCROOT = "%SRCROOT%";

type Level = "error" | "warning" | "note";

const LEVEL: Record<Severity, Level> = { critical: "error", high: "error", medium: "warning", low: "note" };

/** GitHub maps security-severity to its labels: >= 9 critical, >= 7 high, >= 4 medium, else low. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };

export function renderSarif(input: ReportInput): string {
  const kept = mostSevereFirst(input.findings).slice(0, MAX_SARIF_RESULTS);
  const rules = rulesWithResults(input.rules, kept);
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const leftOut = input.findings.length - kept.length;
  const occurrences = new Map<string, number>();

  const results = sortFindings(kept).map((finding) => {
    // GitHub tracks an alert across runs by primaryLocationLineHash. Its own hash is of the line's text, which
    // would carry the secret; ours is the finding fingerprint (rule, path, secret): content-based, so an alert
    // survives lines moving above it. The ":n" suffix numbers repeats of the same secret in the same file.
    const occurrence = (occurrences.get(finding.fingerprint) ?? 0) + 1;
    occurrences.set(finding.fingerprint, occurrence);
    return sarifResult(finding, ruleIndex.get(finding.ruleId) ?? 0, `${finding.fingerprint}:${occurrence}`);
  });

  const category = input.category ?? `keyscan/${input.mode}`;
  const run = {
    tool: {
      driver: {
        name: "keyscan",
        semanticVersion: input.toolVersion,
        informationUri: INFORMATION_URI,
        rules: rules.map(sarifRule),
      },
    },
    automationDetails: { id: category.endsWith("/") ? category : `${category}/` },
    ...(input.root !== undefined ? { originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(input.root) } } } : {}),
    invocations: [
      {
        executionSuccessful: true,
        ...(leftOut > 0
          ? {
              toolExecutionNotifications: [
                {
                  level: "warning",
                  message: {
                    text: `${leftOut} of ${input.findings.length} findings were left out: GitHub code scanning accepts at most ${MAX_SARIF_RESULTS} results per run. Run keyscan with --format json to see them all.`,
                  },
                },
              ],
            }
          : {}),
      },
    ],
    columnKind: "utf16CodeUnits",
    results,
  };
  return `${JSON.stringify({ $schema: SCHEMA, version: "2.1.0", runs: [run] }, null, 2)}\n`;
}

/**
 * The rules the findings name, unique by id, in the order of the rules in force; a rule a finding names that is
 * missing from them (a custom rule's finding merged in from another report) comes last, described by the finding.
 */
function rulesWithResults(rules: readonly RuleMeta[], findings: readonly Finding[]): RuleMeta[] {
  const named = new Set(findings.map((finding) => finding.ruleId));
  const byId = new Map<string, RuleMeta>();
  for (const rule of rules) if (named.has(rule.id) && !byId.has(rule.id)) byId.set(rule.id, rule);
  for (const finding of findings) {
    if (!byId.has(finding.ruleId)) {
      byId.set(finding.ruleId, { id: finding.ruleId, name: finding.ruleName, severity: finding.severity, remediation: "", tags: [] });
    }
  }
  return [...byId.values()];
}

function sarifRule(rule: RuleMeta) {
  const remediation = rule.remediation || "Revoke the credential, then load it from the environment or a secret store.";
  return {
    id: rule.id,
    name: ruleName(rule),
    shortDescription: { text: `${rule.name}.` },
    fullDescription: { text: terminate(rule.description ?? `Finds a leaked credential: ${rule.name}.`) },
    help: {
      text: terminate(remediation),
      markdown: `**${rule.name}** (\`${rule.id}\`, severity ${rule.severity})\n\n**Remediation:** ${terminate(remediation)}\n\nTo ignore one finding, put its fingerprint in \`.keyscanignore\` or add a \`keyscan:allow\` comment on the line.`,
    },
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      "security-severity": SECURITY_SEVERITY[rule.severity],
      tags: [...new Set(["security", "secret", ...rule.tags])],
      precision: "high",
    },
  };
}

function sarifResult(finding: Finding, ruleIndex: number, lineHash: string) {
  const properties: Record<string, unknown> = {};
  if (finding.commit) {
    properties.commit = finding.commit.sha;
    properties.author = finding.commit.author;
    properties.email = finding.commit.email;
    properties.date = finding.commit.date;
  }
  if (finding.verification) properties.verification = finding.verification;
  return {
    ruleId: finding.ruleId,
    ruleIndex,
    level: finding.verification?.status === "valid" ? "error" : LEVEL[finding.severity],
    message: { text: findingMessage(finding) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(finding.path),
          region: {
            startLine: finding.line,
            startColumn: finding.column,
            endLine: finding.endLine,
            endColumn: finding.endColumn,
          },
        },
      },
    ],
    partialFingerprints: { primaryLocationLineHash: lineHash },
    ...(Object.keys(properties).length > 0 ? { properties } : {}),
  };
}

/** A relative path becomes a relative URI reference against %SRCROOT%; an absolute one a file: URI. */
export function artifactLocation(path: string): { uri: string; uriBaseId?: string } {
  if (path.startsWith("/")) return { uri: pathToFileURL(path).href };
  // Each segment percent-encoded: spaces, '#', '?', '%' and a ':' that would read as a scheme.
  return { uri: path.split("/").map(encodeURIComponent).join("/"), uriBaseId: SRCROOT };
}

function directoryUri(root: string): string {
  const href = pathToFileURL(root).href;
  return href.endsWith("/") ? href : `${href}/`;
}

/** Highest severity first, live keys before all, so truncation drops the least important. */
function mostSevereFirst(findings: readonly Finding[]): Finding[] {
  const rank = (finding: Finding) =>
    finding.verification?.status === "valid" ? -1 : severityOrder.indexOf(finding.severity);
  return sortFindings(findings).sort((a, b) => rank(a) - rank(b));
}

/**
 * The rule's SARIF name: its id in PascalCase ("openai-project-key" → "OpenaiProjectKey"). GitHub's
 * rules (SARIF1001) want it to differ from the id, which a one-word id ("jwt") would not: then the
 * human name gives it ("JSON Web Token" → "JSONWebToken").
 */
function ruleName(rule: RuleMeta): string {
  const fromId = pascalCase(rule.id);
  return fromId.toLowerCase() === rule.id.toLowerCase() ? pascalCase(rule.name) : fromId;
}

function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word.length > 0)
    .map((word) => word[0]?.toUpperCase() + word.slice(1))
    .join("");
}

function terminate(sentence: string): string {
  return /[.!?]$/.test(sentence.trim()) ? sentence.trim() : `${sentence.trim()}.`;
}
