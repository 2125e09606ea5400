// The human report: findings grouped by file, then a one-line summary.
import pc from "picocolors";
import { plural } from "../format/plural.js";
import { formatBytes } from "../format/size.js";
import type { Finding, RuleMeta, ScanStats, Severity, Verification } from "../types.js";
import { BROWSER_EXPOSURE, type ReportInput, neutralize, rulesById, severityOrder, sortFindings } from "./common.js";
import { redactFinding, redactFindings, redactSecret } from "./redact.js";
import { type SecretEntry, groupSecrets } from "./secrets.js";

type Colors = ReturnType<typeof pc.createColors>;

export function renderText(input: ReportInput): string {
  const c = pc.createColors(input.color);
  const findings = sortFindings(input.redact ? redactFindings(input.findings) : input.findings);
  // Looked up only for a finding: a clean report reads no rule.
  let byId: Map<string, RuleMeta> | undefined;
  const remediation = (ruleId: string): string | undefined => (byId ??= rulesById(input.rules)).get(ruleId)?.remediation;
  const out: string[] = [];

  if (findings.length === 0 && !input.quiet) out.push(c.green("No secrets found."));
  if (input.mode === "history" && findings.length > 0) {
    // History: one entry a secret, however many commits and paths it appeared in.
    const secrets = input.secrets ?? groupSecrets(input.findings);
    for (const entry of secrets) out.push(...secretLines(entry, input.redact, remediation(entry.ruleId), c), "");
    if (input.quiet) return out.join("\n");
    out.push(secretsSummaryLine(input.stats, secrets, findings.length, c));
    return `${out.join("\n")}\n`;
  }
  for (const [path, group] of groupByPath(findings)) {
    out.push(c.bold(c.underline(neutralize(path))));
    for (const finding of group) {
      out.push(...findingLines(finding, remediation(finding.ruleId), c), "");
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
  if (finding.original) {
    const { path, line, column } = finding.original;
    lines.push(field("source", c.cyan(`${neutralize(path)}:${line}:${column}`) + c.dim(" (through the source map)"), c));
  }
  if (finding.exposure === "browser") lines.push(field("exposed", c.red(BROWSER_EXPOSURE), c));
  for (const note of finding.notes ?? []) lines.push(field("note", neutralize(note), c));
  if (remediation) lines.push(field("fix", neutralize(remediation), c));
  lines.push(field("fingerprint", `${finding.fingerprint} ${c.dim("(add to .keyscanignore to ignore)")}`, c));
  return lines;
}

/** Locations listed in full for one secret; the rest are counted. */
const LISTED_LOCATIONS = 10;

function secretLines(entry: SecretEntry, redact: boolean, remediation: string | undefined, c: Colors): string[] {
  const state =
    entry.state === "present" ? c.red("still in HEAD") : entry.state === "removed" ? c.yellow("removed, still in history") : c.dim("state unknown");
  const lines = [
    `${c.bold(entry.id)}  ${severityLabel(entry.severity, c)}  ${neutralize(entry.ruleName)} ${c.dim(`[${entry.ruleId}]`)}  ${state}`,
    field("secret", c.yellow(neutralize(redact ? redactSecret(entry.secret) : entry.secret)), c),
  ];
  // The first place's whole match gives context (`API_KEY = …`), as in the per-location view.
  const first = entry.locations[0];
  if (first && first.match !== first.secret) lines.push(field("match", neutralize((redact ? redactFinding(first) : first).match), c));
  const event = (life: NonNullable<SecretEntry["introduced"]>) =>
    `${neutralize(life.date.slice(0, 10))} by ${neutralize(life.author)} <${neutralize(life.email)}> in ${life.sha.slice(0, 12)}`;
  if (entry.introduced) lines.push(field("introduced", event(entry.introduced), c));
  if (entry.removed) lines.push(field("removed", event(entry.removed), c));
  if (entry.movedTo) lines.push(field("moved to", c.cyan(entry.movedTo.map(neutralize).join(", ")), c));
  const places = entry.locations.map(
    (finding) => `${neutralize(finding.path)}:${finding.line}:${finding.column}${finding.commit ? ` (${finding.commit.sha.slice(0, 12)})` : ""}`,
  );
  const more = places.length > LISTED_LOCATIONS ? [`… and ${places.length - LISTED_LOCATIONS} more`] : [];
  for (const [index, place] of [...places.slice(0, LISTED_LOCATIONS), ...more].entries()) lines.push(field(index === 0 ? "found in" : "", c.cyan(place), c));
  if (entry.verification) lines.push(field("verified", verificationLabel(entry.verification, c), c));
  if (remediation) lines.push(field("fix", neutralize(remediation), c));
  const fingerprints = [...new Set(entry.locations.map((finding) => finding.fingerprint))];
  lines.push(field(fingerprints.length === 1 ? "fingerprint" : "fingerprints", `${fingerprints.join(" ")} ${c.dim("(add to .keyscanignore to ignore)")}`, c));
  return lines;
}

/** The summary of a history scan counts secrets, then the places they were found and where they stand. */
function secretsSummaryLine(stats: ScanStats, secrets: readonly SecretEntry[], locations: number, c: Colors): string {
  const scanned = `${scannedPart(stats)}.`;
  const bySeverity = severityOrder
    .map((severity) => [severity, secrets.filter((entry) => entry.severity === severity).length] as const)
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => `${count} ${severity}`);
  const states = [
    [secrets.filter((entry) => entry.state === "present").length, "still in HEAD"],
    [secrets.filter((entry) => entry.state === "removed").length, "removed but in history"],
  ] as const;
  const standing = states.filter(([count]) => count > 0).map(([count, what]) => `${count} ${what}`);
  const found = `${plural(secrets.length, "secret")} (${bySeverity.join(", ")}) in ${plural(locations, "location")}`;
  return `${scanned} ${c.red(found)}${standing.length > 0 ? `; ${standing.join(", ")}` : ""}.`;
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
  const line = scannedPart(stats);
  const found = plural(findings.length, "finding");
  const bySeverity = severityOrder
    .map((severity) => [severity, findings.filter((finding) => finding.severity === severity).length] as const)
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => `${count} ${severity}`);
  const tail = findings.length > 0 ? c.red(`${found} (${bySeverity.join(", ")})`) : c.green(found);
  return `${line}. ${tail}.`;
}

/** What was scanned and skipped: the summary line's first sentence, without its full stop. */
function scannedPart(stats: ScanStats): string {
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
    [stats.timedOut ?? 0, "timed out", "timed out"],
  ];
  const skippedTotal = skipped.reduce((sum, [count]) => sum + count, 0);
  if (skippedTotal > 0) {
    const parts = skipped.filter(([count]) => count > 0).map(([count, noun, nouns]) => plural(count, noun, nouns));
    line += `; skipped ${skippedTotal} (${parts.join(", ")})`;
  }
  return line;
}

function blockedMessage(count: number, c: Colors): string[] {
  return [
    c.bold(c.red(`Commit blocked: ${count === 1 ? "a secret was" : `${count} secrets were`} found in the staged changes.`)),
    "To go on, do one of:",
    "  - run `keyscan fix` to move the key into .env and read it from the environment, then `git add` the files again;",
    "  - remove the key from the file (load it from the environment instead) and `git add` the file again;",
    "  - if it is a false positive, add a `keyscan:allow` comment on that line and `git add` it again,",
    "    or add its fingerprint to .keyscanignore;",
    "  - bypass the check for this one commit with `git commit --no-verify`.",
  ];
}

/** Bytes in B, KB, MB or GB (1 KB = 1024 B), one decimal above bytes. */
export function humanDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
