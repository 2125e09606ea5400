// Redaction: the one place that decides how much of a secret a report may show.
import type { Finding } from "../types.js";

/** Secrets shorter than this keep only a quarter of their characters, so a short password is not mostly revealed. */
const SHORT_SECRET = 12;
const KEPT_PREFIX = 4;
const REDACTED = /…\(\d+ chars\)$/;

/**
 * The secret's first few characters and its length, e.g. `sk-p…(164 chars)`.
 * Long secrets keep 4 characters (a provider prefix, not key material); short ones keep floor(length / 4).
 */
export function redactSecret(secret: string): string {
  // Already redacted (a report read back by `keyscan report merge`): redacting again would misstate the length.
  if (REDACTED.test(secret)) return secret;
  const kept = secret.length < SHORT_SECRET ? Math.floor(secret.length / 4) : KEPT_PREFIX;
  // Slice by code points so a kept prefix never ends in half a surrogate pair.
  const prefix = Array.from(secret).slice(0, kept).join("");
  return `${prefix}…(${secret.length} chars)`;
}

/** A copy of the finding with its secret (and companion) redacted everywhere it is carried: secret, match and companion. */
export function redactFinding(finding: Finding): Finding {
  let match = replaceAll(finding.match, finding.secret, redactSecret(finding.secret));
  if (finding.companion !== undefined) match = replaceAll(match, finding.companion, redactSecret(finding.companion));
  return {
    ...finding,
    secret: redactSecret(finding.secret),
    match,
    ...(finding.companion !== undefined ? { companion: redactSecret(finding.companion) } : {}),
  };
}

function replaceAll(text: string, search: string, replacement: string): string {
  return search.length > 0 ? text.split(search).join(replacement) : text;
}
