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
  const indexes = new Map([...byPath].map(([path, secrets]) => [path, secretIndex(secrets)]));
  const shown = new Map<string, string>();
  // Every finding's path is in byPath, so each has its index.
  return findings.map((finding) => redactAgainst(finding, indexes.get(finding.path) as SecretIndex, shown));
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

/**
 * A file's secrets by length, longest first, and the first two characters of each (one, for a secret of
 * one): most places in a text start no secret, and are passed over at a look-up. By length, not by a
 * prefix: secrets share their provider's prefix (`sk-proj-`, `AKIA`), so a file of keys would put them
 * all under one.
 */
interface SecretIndex {
  lengths: number[];
  byLength: Map<number, Set<string>>;
  starts: Set<string>;
}

function secretIndex(secrets: readonly string[]): SecretIndex {
  const index: SecretIndex = { lengths: [], byLength: new Map(), starts: new Set() };
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    const same = index.byLength.get(secret.length);
    if (same) same.add(secret);
    else index.byLength.set(secret.length, new Set([secret]));
    index.starts.add(secret.slice(0, 2));
  }
  index.lengths = [...index.byLength.keys()].sort((a, b) => b - a);
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
  if (!index.starts.has(text.slice(at, at + 2)) && !index.starts.has(text.charAt(at))) return undefined;
  for (const length of index.lengths) {
    if (at + length > text.length) continue;
    const candidate = text.slice(at, at + length);
    if (index.byLength.get(length)?.has(candidate)) return candidate;
  }
  return undefined;
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
