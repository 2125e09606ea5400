// Redaction: the one place that decides how much of a secret a report may show.
import { isGuessable } from "../engine/entropy.js";
import type { Finding } from "../types.js";

const KEPT_PREFIX = 4;
const REDACTED = /\u2026\((\d+ chars|redacted)\)$/;

/**
 * The secret's first few characters and its length, e.g. `sk-p…(164 chars)`: a provider prefix, not key
 * material. A guessable secret (a password: isGuessable) shows neither, `…(redacted)`: its first letters and
 * length would narrow a dictionary attack to a handful of words.
 */
export function redactSecret(secret: string): string {
  // Already redacted (a report read back by `keyscan report merge`): redacting again would misstate the length.
  if (REDACTED.test(secret)) return secret;
  if (isGuessable(secret)) return "…(redacted)";
  // Slice by code points so a kept prefix never ends in half a surrogate pair.
  const prefix = Array.from(secret).slice(0, KEPT_PREFIX).join("");
  return `${prefix}…(${secret.length} chars)`;
}

/** A copy of the finding with its secret (and companion) redacted everywhere it is carried: secret, match and companion. */
export function redactFinding(finding: Finding): Finding {
  return redactAgainst(finding, secretsOf(finding));
}

/**
 * The findings redacted, each match against every secret found in the same file, not only its own: a
 * JDBC URL carrying an API key before its password matches the password's rule whole, key included.
 */
export function redactFindings(findings: readonly Finding[]): Finding[] {
  const byPath = new Map<string, string[]>();
  for (const finding of findings) {
    const secrets = byPath.get(finding.path) ?? [];
    secrets.push(...secretsOf(finding));
    byPath.set(finding.path, secrets);
  }
  return findings.map((finding) => redactAgainst(finding, byPath.get(finding.path) ?? secretsOf(finding)));
}

function secretsOf(finding: Finding): string[] {
  return finding.companion === undefined ? [finding.secret] : [finding.secret, finding.companion];
}

function redactAgainst(finding: Finding, secrets: readonly string[]): Finding {
  // Longest first: a secret that contains another is replaced whole.
  const ordered = [...new Set(secrets)].filter((secret) => secret.length > 0).sort((a, b) => b.length - a.length);
  let match = finding.match;
  for (const secret of ordered) match = match.split(secret).join(redactSecret(secret));
  return {
    ...finding,
    secret: redactSecret(finding.secret),
    match,
    ...(finding.companion !== undefined ? { companion: redactSecret(finding.companion) } : {}),
  };
}
