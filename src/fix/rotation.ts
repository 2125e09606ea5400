// Rotation advice: moving a key out of the code does not make it secret again. Each exposed key gets
// its provider's steps (the rule's remediation text) and, when --verify ran, whether it is still live.
import { redactSecret } from "../report/redact.js";
import type { Finding, RuleMeta } from "../types.js";

/**
 * One paragraph per distinct key: where it was found, its variable (when the code now reads one),
 * the --verify verdict, and the provider's steps. `names` maps a secret to its variable.
 */
export function rotationAdvice(findings: readonly Finding[], rules: readonly RuleMeta[], names: ReadonlyMap<string, string>, redact: boolean): string[] {
  const remediation = new Map(rules.map((rule) => [rule.id, rule.remediation]));
  const bySecret = new Map<string, Finding[]>();
  for (const finding of findings) bySecret.set(finding.secret, [...(bySecret.get(finding.secret) ?? []), finding]);
  const lines: string[] = [];
  for (const [secret, group] of bySecret) {
    const first = group[0] as Finding;
    const name = names.get(secret);
    const where = [...new Set(group.map((finding) => `${finding.path}:${finding.line}`))].join(", ");
    const shown = redact ? redactSecret(secret) : secret;
    lines.push(`- ${first.ruleName} ${shown}${name ? ` (now read from ${name})` : ""}, found in ${where}`);
    lines.push(`    ${verdict(group)}`);
    const store = name ? ` Then put the new value in .env as ${name}.` : "";
    lines.push(`    ${providerSteps(remediation.get(first.ruleId))}${store}`);
  }
  return lines;
}

function verdict(group: readonly Finding[]): string {
  const status = group.find((finding) => finding.verification)?.verification?.status;
  if (status === "valid") return "--verify: LIVE. It was exposed and still works: revoke it now, before anything else.";
  if (status === "invalid") return "--verify: revoked or invalid already. Make sure nothing still depends on it.";
  if (status === "unknown") return "--verify: could not tell whether it is live. Treat it as live: it was exposed, so revoke it.";
  return "It was exposed (it sat in a file others can read), so treat it as compromised and revoke it (`--verify` asks the provider whether it is live).";
}

/**
 * The rule's remediation, minus its closing advice to read the key from the environment, which the
 * fix has just done; a rule without one gets the general steps.
 */
function providerSteps(remediation: string | undefined): string {
  const steps = (remediation ?? "").replace(/,? and (?:read|load|keep)\b[^.]*(?:environment|Key Vault|secret manager|secret store)[^.]*\.$/, ".");
  return steps.trim() || "Revoke it at the provider, create a new one, and put the new value in .env.";
}
