// What every reporter receives, and the small helpers they share.
import type { Finding, RuleMeta, ScanMode, ScanStats, Severity } from "../types.js";
import type { JsonRepository } from "./json.js";
import { redactSecret } from "./redact.js";
import type { SecretEntry } from "./secrets.js";

export interface ReportInput {
  findings: Finding[];
  stats: ScanStats;
  mode: ScanMode;
  /** Every rule in force (SARIF lists them all; the text report takes remediation from here). */
  rules: RuleMeta[];
  /** Show secrets only when false (`--no-redact`); SARIF and GitHub annotations redact regardless. */
  redact: boolean;
  /** ANSI colour in the text report; the CLI decides (--no-color, NO_COLOR, FORCE_COLOR, a terminal). */
  color: boolean;
  /** `--quiet`: the text report holds the findings alone, with no summary line or footer. */
  quiet?: boolean;
  toolVersion: string;
  /** SARIF run.automationDetails.id category; default `keyscan/<mode>`. */
  category?: string;
  /** Absolute path of the scan root, for SARIF originalUriBaseIds; omitted when unknown. */
  root?: string;
  /** The findings grouped by secret, with their state in HEAD (history); grouped without it when absent. */
  secrets?: SecretEntry[];
  /** The scanned repository's name and web page, for the HTML report's links and `report merge`. */
  repository?: JsonRepository;
}

export const severityOrder: readonly Severity[] = ["critical", "high", "medium", "low"];

/** Findings by path, then position, then rule, so reports do not depend on the order workers finished in. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      compareText(a.path, b.path) ||
      a.line - b.line ||
      a.column - b.column ||
      compareText(a.ruleId, b.ruleId) ||
      compareText(a.commit?.date ?? "", b.commit?.date ?? ""),
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Rule metadata by id. */
export function rulesById(rules: readonly RuleMeta[]): Map<string, RuleMeta> {
  const byId = new Map<string, RuleMeta>();
  for (const rule of rules) if (!byId.has(rule.id)) byId.set(rule.id, rule);
  return byId;
}

/** What a browser-exposed finding means, said the same way in every format. */
export const BROWSER_EXPOSURE =
  "in a variable the bundler inlines into client-side JavaScript: the key will be in every visitor's browser once the site deploys";

/** One sentence naming the rule and the secret, always redacted: for SARIF messages and GitHub annotations. */
export function findingMessage(finding: Finding): string {
  const parts = [`${finding.ruleName} (${finding.ruleId}): ${redactSecret(finding.secret)}.`];
  if (finding.commit) parts.push(`Introduced in commit ${finding.commit.sha.slice(0, 12)} by ${finding.commit.author}.`);
  if (finding.verification) parts.push(`${verificationSentence(finding.verification.status)}.`);
  if (finding.exposure === "browser") parts.push(`Exposed: ${BROWSER_EXPOSURE}.`);
  for (const note of finding.notes ?? []) parts.push(`Note: ${note}.`);
  if (finding.original) parts.push(`Built from ${finding.original.path}:${finding.original.line}:${finding.original.column}.`);
  parts.push(`Fingerprint ${finding.fingerprint}.`);
  return parts.join(" ");
}

function verificationSentence(status: "valid" | "invalid" | "unknown"): string {
  if (status === "valid") return "Verified live: the key works";
  if (status === "invalid") return "Checked: the provider rejects the key (revoked or invalid)";
  return "Could not verify whether the key is live";
}

// C0 controls, DEL, C1 controls, and the Unicode bidi overrides/isolates ("Trojan Source") that reorder what a terminal shows.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Replaces control characters and escape sequences' introducers with visible escapes (`\x1b`, `\n`, `\u202e`),
 * so a hostile file name or matched text cannot move the cursor, recolour or rewrite the terminal.
 */
export function neutralize(text: string): string {
  return text.replace(UNSAFE, (char) => {
    const code = char.charCodeAt(0);
    if (char === "\n") return "\\n";
    if (char === "\r") return "\\r";
    if (char === "\t") return "\\t";
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
