// The human report: findings grouped by file, then a one-line summary.
import pc from "picocolors";
import { plural } from "../plural.js";
import { formatBytes } from "../size.js";
import type { Finding, ScanStats, Severity, Verification } from "../types.js";
import { type ReportInput, neutralize, rulesById, severityOrder, sortFindings } from "./common.js";
import { redactFinding } from "./redact.js";

type Colors = ReturnType<typeof pc.createColors>;

export function renderText(input: ReportInput): string {
  const c = pc.createColors(input.color);
  const findings = sortFindings(input.redact ? input.findings.map(redactFinding) : input.findings);
  const remediation = rulesById(input.rules);
  const out: string[] = [];

  if (findings.length === 0 && !input.quiet) out.push(c.green("No secrets found."));
  for (const [path, group] of groupByPath(findings)) {
    out.push(c.bold(c.underline(neutralize(path))));
    for (const finding of group) {
      out.push(...findingLines(finding, remediation.get(finding.ruleId)?.remediation, c), "");
    }
  }
  if (input.quiet) return out.length > 0 ? `${out.join("\n")}` : "";
  out.push(summaryLine(input.stats, findings, c));
  if (input.mode === "staged" && findings.length > 0) out.push("", ...blockedMessage(findings.length, c));
  return `${out.join("\n")}\n`;
}

function groupByPath(findings: readonly Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    const group = groups.get(finding.path);
    if (group) group.push(finding);
    else groups.set(finding.path, [finding]);
  }
  return groups;
}

function findingLines(finding: Finding, remediation: string | undefined, c: Colors): string[] {
  const where = `${neutralize(finding.path)}:${finding.line}:${finding.column}`;
  const lines = [
    `  ${c.cyan(where)}  ${severityLabel(finding.severity, c)}  ${neutralize(finding.ruleName)} ${c.dim(`[${finding.ruleId}]`)}`,
    field("secret", c.yellow(neutralize(finding.secret)), c),
  ];
  // The whole match gives context (`API_KEY = …`) when the rule matched more than the secret itself.
  if (finding.match !== finding.secret) lines.push(field("match", neutralize(finding.match), c));
  if (finding.commit) {
    const { sha, author, email, date } = finding.commit;
    lines.push(field("commit", `${sha.slice(0, 12)} by ${neutralize(author)} <${neutralize(email)}> on ${neutralize(date)}`, c));
  }
  if (finding.verification) lines.push(field("verified", verificationLabel(finding.verification, c), c));
  if (remediation) lines.push(field("fix", neutralize(remediation), c));
  lines.push(field("fingerprint", `${finding.fingerprint} ${c.dim("(add to .keyscanignore to ignore)")}`, c));
  return lines;
}

function field(label: string, value: string, c: Colors): string {
  return `    ${c.dim(label.padEnd(12))}${value}`;
}

function severityLabel(severity: Severity, c: Colors): string {
  const label = severity.toUpperCase();
  if (severity === "critical") return c.bold(c.red(label));
  if (severity === "high") return c.red(label);
  if (severity === "medium") return c.yellow(label);
  return c.blue(label);
}

function verificationLabel(verification: Verification, c: Colors): string {
  const about = [verification.identity, verification.detail].filter((part) => part !== undefined && part !== "");
  const suffix = about.length > 0 ? ` — ${neutralize(about.join("; "))}` : "";
  if (verification.status === "valid") return `${c.bold(c.red("✔ live"))}${suffix}`;
  if (verification.status === "invalid") return `${c.green("✘ revoked or invalid")}${suffix}`;
  return `${c.yellow("? unknown")}${suffix}`;
}

/** e.g. `Scanned 120 files (1.4 MB) in 0.82 s; skipped 3 (2 binary, 1 large). 2 findings (1 critical, 1 high).` */
export function summaryLine(stats: ScanStats, findings: readonly Finding[], c: Colors = pc.createColors(false)): string {
  const scanned = [`${plural(stats.files, "file")} (${formatBytes(stats.bytes)})`];
  if (stats.commits !== undefined) scanned.push(plural(stats.commits, "commit"));
  if (stats.blobs !== undefined) scanned.push(plural(stats.blobs, "blob"));
  let line = `Scanned ${scanned.join(", ")} in ${humanDuration(stats.durationMs)}`;

  const allowed = stats.skippedAllowed ?? 0;
  // [count, noun, plural noun]
  const skipped: [number, string, string][] = [
    [stats.skippedBinary, "binary", "binary"],
    [stats.skippedLarge, "large", "large"],
    [stats.unreadable, "unreadable", "unreadable"],
    [allowed, "allow-listed path", "allow-listed paths"],
    [stats.skippedOther - allowed, "symlink or submodule", "symlinks or submodules"],
  ];
  const skippedTotal = skipped.reduce((sum, [count]) => sum + count, 0);
  if (skippedTotal > 0) {
    const parts = skipped.filter(([count]) => count > 0).map(([count, noun, nouns]) => plural(count, noun, nouns));
    line += `; skipped ${skippedTotal} (${parts.join(", ")})`;
  }

  const found = plural(findings.length, "finding");
  const bySeverity = severityOrder
    .map((severity) => [severity, findings.filter((finding) => finding.severity === severity).length] as const)
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => `${count} ${severity}`);
  const tail = findings.length > 0 ? c.red(`${found} (${bySeverity.join(", ")})`) : c.green(found);
  return `${line}. ${tail}.`;
}

function blockedMessage(count: number, c: Colors): string[] {
  return [
    c.bold(c.red(`Commit blocked: ${count === 1 ? "a secret was" : `${count} secrets were`} found in the staged changes.`)),
    "To go on, do one of:",
    "  - remove the key from the file (load it from the environment instead) and `git add` the file again;",
    "  - if it is a false positive, add a `keyscan:allow` comment on that line and `git add` it again;",
    "  - bypass the check for this one commit with `git commit --no-verify`.",
  ];
}

/** Bytes in B, KB, MB or GB (1 KB = 1024 B), one decimal above bytes. */
export function humanDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
