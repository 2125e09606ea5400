// The generic high-entropy detector: `name = value` assignments whose name holds a secret-like
// keyword and whose value looks random. Plus the entropy measures the regex rules use too.
import { buildPrefilter, findKeywords, type KeywordPositions } from "./prefilter.js";
import { looksLikePlaceholder } from "./placeholders.js";
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

export type Charset = "hex" | "base64";

/** The narrowest charset a value fits, or undefined when it has other characters. */
export function classifyCharset(value: string): Charset | undefined {
  if (/^[0-9a-fA-F]+$/.test(value)) return "hex";
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) return "base64";
  return undefined;
}

// Names that hold public or derived values (hashes, ids, versions) or fakes, not credentials.
const NOT_SECRET_NAME =
  /public|pubkey|hash|sha\d*\b|sha_|digest|checksum|integrity|fingerprint|uuid|guid|etag|commit|nonce|version|_id\b|url|uri\b|endpoint|path|file|name\b|type\b|format|length|size|count|example|sample|dummy|mock|fake|placeholder|regex|pattern|field|label|header|policy|expire|ttl/i;

/** Lines longer than this are minified code or data, not assignments a person wrote. */
const MAX_ASSIGNMENT_LINE = 1000;

export function collectEntropyMatches(rule: CompiledEntropyRule, run: Run, out: RawMatch[]): void {
  const { layer, depth, order } = run;
  const text = layer.text;
  for (const found of assignments(rule, text, run.keywords)) {
    const group = [1, 2, 3, 4].find((index) => found[index] !== undefined);
    const span = group === undefined ? undefined : found.indices?.[group];
    const value = group === undefined ? undefined : found[group];
    if (!span || value === undefined) continue;
    const charset = classifyCharset(value) ?? (looksLikeGeneratedPassword(value) ? "base64" : undefined);
    const floor = charset ? rule.charsets[charset] : undefined;
    if (!floor || value.length < floor.minLength) continue;
    const entropy = shannonEntropy(value);
    if (entropy < floor.threshold || !mixesCharacterClasses(value, charset)) continue;
    const name = text.slice(found.index, span[0]);
    if (NOT_SECRET_NAME.test(name) || lineLongerThan(text, span[0], MAX_ASSIGNMENT_LINE)) continue;
    if (isAllowedSecret(rule.allow, value) || looksLikePlaceholder(value)) continue;
    const [start, end] = layer.outer(span[0], span[1]);
    out.push({ rule, start, end, secret: value, match: found[0], entropy, depth, order });
  }
}

/** Characters of an assignment's name (`[\w.-]` in the rule's regex). */
const NAME_CHAR = /[\w.-]/;

/**
 * The matches of the rule's assignment regex, as a global search would find them, but tried only
 * at the start of the name around each keyword: a name's match always starts where its run of name
 * characters does (or where the previous match ended), so no other start can match. The keywords
 * are visited as a search for any of them (`secret|token|…`, case-insensitive) would meet them.
 * `found`: where the keywords occur in the text (the prefilter's answer; found again when not given).
 */
export function* assignments(
  rule: CompiledEntropyRule,
  text: string,
  found: KeywordPositions = findKeywords(buildPrefilter([rule]), text),
): Generator<RegExpExecArray> {
  const regex = rule.regex;
  let done = 0; // the global search would resume here: the end of the last match, or past a failed start
  let next = 0; // the keyword search would resume here
  for (const [position, length] of keywordHits(rule.keywords, found)) {
    if (position < next) continue;
    let start = position;
    while (start > done && NAME_CHAR.test(text[start - 1] ?? "")) start--;
    if (start < done) {
      next = Math.max(position + length, done);
      continue;
    }
    regex.lastIndex = start;
    const match = regex.exec(text);
    done = match ? Math.max(regex.lastIndex, start + 1) : start + 1;
    if (match) {
      next = done;
      yield match;
    } else next = position + 1;
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
 * ("Ln2VQu#Ppgsd0Og2jbH8"). Judged as base64 would be; URLs, paths and code are not passwords.
 */
function looksLikeGeneratedPassword(value: string): boolean {
  if (!/^[\x21-\x7e]+$/.test(value) || /:\/\/|^[./~]|[(){}<>[\]]/.test(value)) return false;
  const symbols = value.replace(/[A-Za-z0-9]/g, "").length;
  return symbols > 0 && symbols * 4 <= value.length;
}

/** Random keys mix letters and digits; identifiers and words do not. */
function mixesCharacterClasses(value: string, charset: string | undefined): boolean {
  if (charset === "hex") return /[0-9]/.test(value) && /[a-f]/i.test(value);
  return /[0-9].*[0-9]/.test(value) && /[a-z]/.test(value) && /[A-Z]/.test(value);
}
