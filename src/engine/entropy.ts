// The generic high-entropy detector: `name = value` assignments whose name holds a secret-like
// keyword and whose value looks random. Plus the entropy measures the regex rules use too.
import { buildPrefilter, findKeywords, type KeywordPositions } from "./prefilter.js";
import { looksLikePlaceholder } from "./placeholders.js";
import { isPublishedValue } from "./public-values.js";
import { type CompiledEntropyRule, isAllowedSecret } from "./rules.js";
import type { RawMatch, Run } from "./scan.js";

/** Shannon entropy of a string, in bits per character. */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const probability = count / text.length;
    entropy -= probability * Math.log2(probability);
  }
  return entropy;
}

/**
 * Below this estimated strength (length × Shannon entropy per character) a secret could be found by guessing:
 * a password, a short token. The estimate undercounts a random string (a 20-character random password scores
 * about 82), so the bar sits high; a provider's API key (40 characters and up) clears it by far.
 */
const GUESSABLE_BITS = 128;

/** True when a secret is short or repetitive enough to be guessed from a hash, a prefix or a length. */
export function isGuessable(secret: string): boolean {
  return secret.length * shannonEntropy(secret) < GUESSABLE_BITS;
}

export type Charset = "hex" | "base64";

/** The narrowest charset a value fits, or undefined when it has other characters. */
export function classifyCharset(value: string): Charset | undefined {
  if (/^[0-9a-fA-F]+$/.test(value)) return "hex";
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) return "base64";
  return undefined;
}

// Words of names that hold public or derived values (hashes, ids, versions), fakes, or tokens
// that guard forms rather than grant access (CSRF, Rails' authenticity_token), not credentials.
// Whole words: SERVICE_ACCOUNT_TOKEN holds "count" and PROFILE_SECRET "file", yet both are secrets.
const NOT_SECRET_WORD =
  /^(?:public|publishable|pubkey|hash(?:ed)?|sha\d*|md5|digest|checksum|integrity|fingerprint|uuid|guid|etag|commit|nonce|versions?|ids?|urls?|uris?|endpoints?|paths?|files?|filename|names?|types?|format|length|size|count|example|sample|dummy|mock|fake|placeholder|regex|pattern|fields?|label|headers?|policy|expires?|expiry|expiration|ttl|csrf|xsrf|authenticity)$/;

/** The words of a name: `SERVICE_ACCOUNT_TOKEN` and `serviceAccountToken` give service, account, token. */
function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

/** Lines longer than this are minified code or data, not assignments a person wrote. */
const MAX_ASSIGNMENT_LINE = 1000;

export function collectEntropyMatches(rule: CompiledEntropyRule, run: Run, out: RawMatch[]): void {
  const { layer, depth, order } = run;
  const text = layer.text;
  for (const found of assignments(rule, text, run.keywords)) {
    const { value, valueStart, valueEnd } = found;
    // The line first: a value on a minified line may be megabytes long.
    if (lineLongerThan(text, valueStart, MAX_ASSIGNMENT_LINE)) continue;
    const charset = classifyCharset(value) ?? (looksLikeGeneratedPassword(value) ? "base64" : undefined);
    const floor = charset ? rule.charsets[charset] : undefined;
    if (!floor || value.length < floor.minLength) continue;
    const entropy = shannonEntropy(value);
    if (entropy < floor.threshold || !mixesCharacterClasses(value, charset, entropy)) continue;
    const words = nameWords(text.slice(found.start, found.nameEnd));
    if (words.some((word) => NOT_SECRET_WORD.test(word)) || isPasswordDigest(words, value, charset)) continue;
    if (isSignatureNonce(words, text, found.start, valueEnd)) continue;
    if (isAllowedSecret(rule.allow, value) || looksLikePlaceholder(value) || isHashOrEncodedText(value) || isPublishedValue(value)) continue;
    const [start, end] = layer.outer(valueStart, valueEnd);
    out.push({ rule, start, end, secret: value, match: text.slice(found.start, valueEnd), entropy, depth, order });
  }
}

/** A `name = value` candidate: offsets into the text. */
export interface Assignment {
  start: number;
  nameEnd: number;
  value: string;
  valueStart: number;
  valueEnd: number;
}

/** Characters of an assignment's name. */
const isNameChar = (code: number): boolean =>
  (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95 || code === 46 || code === 45;

/**
 * Names longer than this are not names a person gives a setting (the longest seen in config keys,
 * `spring.datasource.hikari.data-source-properties.password`, has 55 characters); the bound keeps
 * the work per keyword constant.
 */
const MAX_NAME = 128;

/**
 * The `name = value` candidates in the text, in order. A name is a run of name characters
 * ([A-Za-z0-9_.-]) of at most MAX_NAME that holds a keyword (found by the prefilter); each run is
 * tried once, from its first keyword, with the rule's sticky operator-and-value regex at its end.
 * The text is read a bounded number of times however keywords repeat (`token_token_…`, a 10 MB
 * word holding `token`): each run is walked once, and each try reads at most 1,000 characters past
 * the next quote or space.
 * `found`: where the keywords occur in the text (the prefilter's answer; found again when not given).
 */
export function* assignments(
  rule: CompiledEntropyRule,
  text: string,
  found: KeywordPositions = findKeywords(buildPrefilter([rule]), text),
): Generator<Assignment> {
  const regex = rule.regex;
  // Where the last candidate's value starts: names start here or later. Not its end: a value may
  // be a lookup holding the name that matters (`token = process.env.API_TOKEN || "…"`).
  let done = 0;
  let tried = 0; // the end of the last run of name characters tried
  for (const [position] of keywordHits(rule.keywords, found)) {
    if (position < done || position < tried) continue;
    let start = position;
    while (start > done && position - start <= MAX_NAME && isNameChar(text.charCodeAt(start - 1))) start--;
    let nameEnd = position;
    while (nameEnd < text.length && isNameChar(text.charCodeAt(nameEnd))) nameEnd++;
    tried = nameEnd;
    if (nameEnd - start > MAX_NAME) continue;
    regex.lastIndex = nameEnd;
    const match = regex.exec(text);
    if (!match) continue;
    const group = match.findIndex((part, index) => index > 0 && part !== undefined);
    const span = match.indices?.[group];
    const value = match[group];
    if (group < 1 || !span || value === undefined) continue;
    done = span[0];
    yield { start, nameEnd, value, valueStart: span[0], valueEnd: span[1] };
  }
}

/**
 * Where an alternation of the keywords would match, ascending, each position once with the length
 * of the match there: that of the first keyword, in the rule's order, that occurs there.
 */
function keywordHits(keywords: readonly string[], found: KeywordPositions): [number, number][] {
  const lengths = new Map<number, number>();
  for (const keyword of keywords) {
    for (const position of found.get(keyword) ?? []) if (!lengths.has(position)) lengths.set(position, keyword.length);
  }
  return [...lengths].sort((a, b) => a[0] - b[0]);
}

/**
 * True when the line holding `offset` is longer than `limit`. Looks at no more than 2 × limit
 * characters, so a 5 MB single-line bundle with many candidates is not scanned end to end for each.
 */
function lineLongerThan(text: string, offset: number, limit: number): boolean {
  const from = Math.max(0, offset - limit);
  const newline = text.slice(from, offset).lastIndexOf("\n");
  if (newline === -1 && from > 0) return true; // no line break in the `limit` characters before
  const lineStart = newline === -1 ? 0 : from + newline + 1;
  return !text.slice(offset, lineStart + limit + 1).includes("\n") && lineStart + limit + 1 <= text.length;
}

/**
 * A password from a generator: printable ASCII with a few symbols among letters and digits
 * ("Ln2VQu#Ppgsd0Og2jbH8"), or a key drawn from letters, digits and punctuation alike (WordPress's
 * salts, Django's SECRET_KEY). Judged as base64 would be.
 */
function looksLikeGeneratedPassword(value: string): boolean {
  if (!/^[\x21-\x7e]+$/.test(value) || /:\/\/|%[0-9A-F]{2}/.test(value)) return false;
  if (isPunctuationDenseKey(value)) return true;
  // Paths, code, query strings (`bd4f21f&genuine=%5BFILTERED%5D`) and file names
  // (`_AppLayout.e6a6a429.js`) are not passwords.
  if (/^[./~]|[(){}<>[\]]|[&?]\w+=|\.(?:[cm]?js|ts|css|json|map|html?|png|svg|jpe?g|gif|txt|md|xml|ya?ml|php|rb|py)$/.test(value)) return false;
  const symbols = value.replace(/[A-Za-z0-9]/g, "").length;
  return symbols > 0 && symbols * 4 <= value.length;
}

// A key drawn evenly from ~90 printable characters spreads over its alphabet: at 40 characters it
// reaches 5 bits per character, with 6 or more kinds of punctuation. Regexes and templates repeat
// their few symbols (`(?=.*`, `{{ … }}`) and stay near 4.4.
const DENSE_KEY_MIN_LENGTH = 40;
const DENSE_KEY_MIN_ENTROPY = 5.0;
const DENSE_KEY_MIN_SYMBOL_KINDS = 6;

function isPunctuationDenseKey(value: string): boolean {
  // A method call is code on one line (`crypto.getRandomValues(buf).map(…)`).
  if (value.length < DENSE_KEY_MIN_LENGTH || /\.[A-Za-z]{3,}\(/.test(value)) return false;
  const symbolKinds = new Set(value.replace(/[A-Za-z0-9]/g, "")).size;
  return symbolKinds >= DENSE_KEY_MIN_SYMBOL_KINDS && shannonEntropy(value) >= DENSE_KEY_MIN_ENTROPY;
}

// A crypt(3) password hash (`$6$rounds=656000$salt$hash`, `$2b$12$…`, `$y$…`, `$argon2id$…`):
// what a system stores instead of the password, published in test users and Ansible examples.
const CRYPT_HASH = /^\$(?:[0-9a-z]{1,2}|argon2[a-z]*|scrypt|pbkdf2[\w-]*)\$[^\s$]*\$/;

/**
 * Values that look random but are derived, public, corrupted or encoded text: a crypt(3) hash, base64 of
 * plain words (`QUNDRVNTX0tFWQ0K` is "ACCESS_KEY\r\n"; a random key's bytes are never all
 * letters), or base64 of a public key (see isPublicKeyDer).
 */
function isHashOrEncodedText(value: string): boolean {
  if (CRYPT_HASH.test(value)) return true;
  // Padding inside a base64 value: deliberately corrupted test data (`rcHu+=HzSFw89Ypyhn/896A==f34`).
  if (/^[A-Za-z0-9+/]+=+[A-Za-z0-9+/]/.test(value)) return true;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return false;
  const bytes = Buffer.from(value, "base64");
  return (value.length % 4 === 0 && /^[A-Za-z_ .,\r\n-]+$/.test(bytes.toString("latin1"))) || isPublicKeyDer(bytes);
}

/**
 * The start of a DER SubjectPublicKeyInfo, the body of a PEM "PUBLIC KEY": a SEQUENCE holding a
 * SEQUENCE that opens with an algorithm OID. A private key's body (PKCS#1, PKCS#8) opens with an
 * INTEGER version instead, so no private key is let through. Webhook verifiers publish these.
 */
function isPublicKeyDer(bytes: Buffer): boolean {
  if (bytes[0] !== 0x30) return false;
  const lengthBytes = (bytes[1] ?? 0) & 0x80 ? (bytes[1] ?? 0) & 0x7f : 0;
  const inner = 2 + lengthBytes;
  return bytes[inner] === 0x30 && bytes[inner + 2] === 0x06;
}

// A password field holding a digest's worth of hex (MD5, SHA-1, SHA-256, SHA-512) stores the
// password's hash, as user lists in framework configs do, not the password.
const DIGEST_LENGTHS = new Set([32, 40, 64, 128]);
const PASSWORD_WORD = /^(?:password|passwd|pwd)$/;

function isPasswordDigest(name: string[], value: string, charset: string | undefined): boolean {
  return charset === "hex" && DIGEST_LENGTHS.has(value.length) && PASSWORD_WORD.test(name.at(-1) ?? "");
}

// How far around a `token` its webhook siblings are looked for: one small object or call.
const SIGNATURE_CONTEXT = 160;

/**
 * A webhook's signed `token`, `timestamp` and `signature` triple (Mailgun's and others'): the
 * token is a per-request nonce sent in the clear, the secret is the signing key. Looked for within
 * SIGNATURE_CONTEXT characters on either side, so the cost per candidate stays bounded.
 */
function isSignatureNonce(name: string[], text: string, start: number, end: number): boolean {
  if (name.at(-1) !== "token") return false;
  const around = text.slice(Math.max(0, start - SIGNATURE_CONTEXT), end + SIGNATURE_CONTEXT);
  return /\btimestamp\b/i.test(around) && /\bsignature\b/i.test(around);
}

// A key in one case (Azure DevOps' 52-character base32 tokens, lower-case only) is told from words
// and identifiers by its length and by how evenly it spreads over its alphabet: words with numbers
// in them (`webpackchunkname2024…`) stay under 4.4 bits per character, 40 random characters of
// [a-z0-9] reach about 4.6.
const SINGLE_CASE_MIN_LENGTH = 40;
const SINGLE_CASE_MIN_ENTROPY = 4.4;

/** Random keys mix letters and digits; identifiers and words do not. */
function mixesCharacterClasses(value: string, charset: string | undefined, entropy: number): boolean {
  if (charset === "hex") return /[0-9]/.test(value) && /[a-f]/i.test(value);
  // A vendor's prefix before a hex key (`sk-` and 32 hex digits): the key itself is hex.
  const prefixedHex = /^[a-z]{2,10}[-_]([0-9a-f]{32,})$/.exec(value)?.[1];
  if (prefixedHex) return mixesCharacterClasses(prefixedHex, "hex", entropy);
  if (!/[0-9].*[0-9]/.test(value)) return false;
  if (/[a-z]/.test(value) && /[A-Z]/.test(value)) return true;
  // Django's keys draw from lower-case letters, digits and punctuation.
  if (isPunctuationDenseKey(value)) return true;
  return /^[a-z0-9]+$|^[A-Z0-9]+$/.test(value) && value.length >= SINGLE_CASE_MIN_LENGTH && entropy >= SINGLE_CASE_MIN_ENTROPY;
}
