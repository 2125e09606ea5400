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
  return redactAgainst(finding, secretIndex(secretsOf(finding)), new Map());
}

/**
 * The findings redacted, each match against every secret found in the same file, not only its own: a
 * JDBC URL carrying an API key before its password matches the password's rule whole, key included.
 * Each file's secrets are indexed once, so a file with thousands of findings (a dump of keys) costs a
 * look-up per character of each match, not a search for every secret of the file in each match.
 */
export function redactFindings(findings: readonly Finding[]): Finding[] {
  const byPath = new Map<string, string[]>();
  for (const finding of findings) {
    const secrets = byPath.get(finding.path) ?? [];
    secrets.push(...secretsOf(finding));
    byPath.set(finding.path, secrets);
  }
  const indexes = new Map<string, SecretIndex>();
  const shown = new Map<string, string>();
  return findings.map((finding) => {
    let index = indexes.get(finding.path);
    if (!index) {
      index = secretIndex(byPath.get(finding.path) ?? []);
      indexes.set(finding.path, index);
    }
    return redactAgainst(finding, index, shown);
  });
}

/** The text with every one of the secrets in it redacted (a diff, notes): one pass, however many secrets. */
export function redactSecretsIn(text: string, secrets: readonly string[]): string {
  return redactIn(text, secretIndex(secrets), new Map());
}

function secretsOf(finding: Finding): string[] {
  return finding.companion === undefined ? [finding.secret] : [finding.secret, finding.companion];
}

function redactAgainst(finding: Finding, index: SecretIndex, shown: Map<string, string>): Finding {
  return {
    ...finding,
    secret: shownAs(finding.secret, shown),
    match: redactIn(finding.match, index, shown),
    ...(finding.companion !== undefined ? { companion: shownAs(finding.companion, shown) } : {}),
  };
}

/** Characters of a secret's start by which the index finds it. */
const INDEXED_PREFIX = 4;

/** Secrets by their first INDEXED_PREFIX characters, longest first in each list; the shorter secrets apart. */
interface SecretIndex {
  byPrefix: Map<string, string[]>;
  short: string[];
}

function secretIndex(secrets: readonly string[]): SecretIndex {
  const index: SecretIndex = { byPrefix: new Map(), short: [] };
  for (const secret of new Set(secrets)) {
    if (secret.length === 0) continue;
    if (secret.length < INDEXED_PREFIX) {
      index.short.push(secret);
      continue;
    }
    const prefix = secret.slice(0, INDEXED_PREFIX);
    const list = index.byPrefix.get(prefix);
    if (list) list.push(secret);
    else index.byPrefix.set(prefix, [secret]);
  }
  for (const list of [index.short, ...index.byPrefix.values()]) list.sort((a, b) => b.length - a.length);
  return index;
}

/**
 * The text with each secret of the index redacted where it occurs, read once from the start: at each
 * character the longest secret starting there is replaced whole, so a secret that contains another is
 * never cut by the shorter one.
 */
function redactIn(text: string, index: SecretIndex, shown: Map<string, string>): string {
  let out = "";
  let copied = 0;
  for (let at = 0; at < text.length; ) {
    const secret = longestAt(text, at, index);
    if (secret === undefined) {
      at++;
      continue;
    }
    out += text.slice(copied, at) + shownAs(secret, shown);
    at += secret.length;
    copied = at;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

function longestAt(text: string, at: number, index: SecretIndex): string | undefined {
  const long = index.byPrefix.get(text.slice(at, at + INDEXED_PREFIX))?.find((secret) => text.startsWith(secret, at));
  return long ?? index.short.find((secret) => text.startsWith(secret, at));
}

/** A secret's redacted form, worked out once for every place that shows it (`shown`). */
function shownAs(secret: string, shown: Map<string, string>): string {
  let redacted = shown.get(secret);
  if (redacted === undefined) {
    redacted = redactSecret(secret);
    shown.set(secret, redacted);
  }
  return redacted;
}
