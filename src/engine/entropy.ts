// The generic high-entropy detector: `name = value` assignments whose name holds a secret-like
// keyword and whose value looks random. Plus the entropy measures the regex rules use too.
import { hasMismatchedBracket, withoutUnopenedClosers } from "./brackets.js";
import { type ConfigFileKind, entryQuote, isConfigValue, isQuotedListItem, startsConfigLine } from "./config-files.js";
import { buildPrefilter, findKeywords, isCommonTrigram, type KeywordPositions } from "./prefilter.js";
import { isPlaceholderPassword, looksLikePlaceholder } from "./placeholders.js";
import { isPublicClientKey, isPublishedValue, namesStorageEmulator } from "./public-values.js";
import { isDrawnFromPrintable, shannonEntropy, symbolKinds } from "./randomness.js";
import { type CompiledEntropyRule, isAllowedSecret, PASSWORD_MIN_LENGTH } from "./rules.js";
import type { RawMatch, Run } from "./scan.js";

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

// Words of names that hold public or derived values (hashes, ids, versions, error codes; a sealed or wrapped key is
// a key encrypted under another, stored beside the data it opens), fakes, stand-ins
// for a hidden value (`REDACTED_CREDENTIAL_VALUE`), or tokens that guard forms rather than grant access
// (CSRF, Rails' authenticity_token), not credentials.
// Whole words: SERVICE_ACCOUNT_TOKEN holds "count" and PROFILE_SECRET "file", yet both are secrets.
export const NOT_SECRET_WORD =
  /^(?:public|publishable|pubkey|hash(?:ed)?|sha\d*|md5|digest|checksum|integrity|fingerprint|uuid|guid|etag|commit|nonce|versions?|ids?|urls?|uris?|endpoints?|paths?|files?|filename|names?|types?|format|length|size|count|example|sample|dummy|mock|fake|placeholder|regex|pattern|fields?|label|headers?|policy|errors?|expires?|expiry|expiration|ttl|csrf|xsrf|authenticity|redacted|masked|blank|sealed|wrapped)$/;

// The keyword `key` alone names a lookup far more often than a credential: a map's key, a cache
// key, a React list key, a translation key. A name it finds counts only when `key` is its last word
// and another word says what the key opens (`widget_key`, `boxKey`, `config.mapquest.key`).
const BARE_KEY = "key";

// Words that, before `key`, make it a lookup's key or a public one, whatever its value: cache keys
// (and a CI cache's `restore-keys`) and idempotency keys are digests and UUIDs, a shard or partition
// key names a field, a CAPTCHA's site key and a video player's embed key sit in public pages, and a Sentry DSN's `sentry_key` is sent
// by every browser (Sentry documents DSNs as safe to publish), and a status badge's key goes into the
// image URL a README shows to everyone (`badge.svg?badge_key=…`). A compound or composite key joins
// the fields a record or a cache entry is looked up by (`{entity:…:e=<id>:i=<id>}`). Keys whose
// value is a column or field name (`primaryKey`, `sortKey`, `foreignKey`, `i18nKey`) are not
// listed: such values never look random, while Azure's `primaryKey` is a credential.
const LOOKUP_KEY_WORD = /^(?:cache|restore|idempotency|dedupe?|deduplication|site|sentry|player|badge|shard|partition|compound|composite)$/;

// The word right before `key` in a WebSocket handshake's `Sec-WebSocket-Key`: 16 random bytes the
// client makes up for each connection and sends in the clear (RFC 6455), a nonce, not a credential.
// Only right before it: `WEBSOCKET_API_KEY` is a key to a service.
const WEBSOCKET_NONCE_WORD = "websocket";

/**
 * How the name says it holds a credential: "keyword" when it holds one of the rule's keywords other
 * than `key` (`client_secret`, `apiToken`); "qualified key" when it ends in a qualified `key` or `keys` (see
 * BARE_KEY) and is not an index in brackets (`cookies[SessionKey]`: a variable holding an entry's
 * key), nor qualified only by words that say nothing of what it opens (NOT_QUALIFIER_WORD: `expectedKey`);
 * undefined when it does not say so.
 */
function credentialName(name: string, words: string[], keywords: readonly string[], isIndex: boolean): "keyword" | "qualified key" | "bare key" | undefined {
  const lower = name.toLowerCase();
  if (keywords.some((keyword) => keyword !== BARE_KEY && lower.includes(keyword))) return "keyword";
  if (!isIndex && words.length === 1 && words[0] === BARE_KEY) return "bare key";
  // Plural too: `APP_KEYS` (Strapi's session keys) holds a list of keys (listItems).
  const last = words.at(-1);
  if (isIndex || words.length < 2 || (last !== BARE_KEY && last !== `${BARE_KEY}s`) || words.at(-2) === WEBSOCKET_NONCE_WORD) return undefined;
  const qualifiers = words.slice(0, -1);
  // Words that say nothing of what the key opens leave it bare (`expectedKey`, `theKey`, a test's or prose's).
  if (qualifiers.every((word) => NOT_QUALIFIER_WORD.test(word))) return undefined;
  return qualifiers.some((word) => LOOKUP_KEY_WORD.test(word)) ? undefined : "qualified key";
}

// A value strongly random, as a machine draws keys: 24 characters or more, letters in both cases with
// two digits or more, spread as a draw from 62 characters is (a random 24-character draw measures about
// 4.3 bits per character, 32 about 4.6). Names, paths, digests (hex), ids and versions fail it.
const STRONG_DRAW_MIN_LENGTH = 24;
const STRONG_DRAW_MIN_ENTROPY = 4.3;

function isStrongDraw(value: string, entropy: number): boolean {
  return (
    value.length >= STRONG_DRAW_MIN_LENGTH &&
    /[a-z]/.test(value) &&
    /[A-Z]/.test(value) &&
    /[0-9].*[0-9]/.test(value) &&
    entropy >= STRONG_DRAW_MIN_ENTROPY
  );
}

// A `key` alone names a lookup's key (a map's, a cache's, a list item's, a translation's) far more
// often than a credential, and such keys are names, paths, digests (hex) or ids: a value under it
// counts only when assigned (`=`, `:`, not prose's `key …`), of letters and digits alone, and a strong draw.
function isBareKeyValue(value: string, between: string, entropy: number): boolean {
  return /[=:]/.test(between) && /^[A-Za-z0-9]+$/.test(value) && isStrongDraw(value, entropy);
}

// A dotenv file's variable whose name says nothing of a credential (`mimi=…`, `DJANGO_SK=…`): the file
// holds what is kept out of code, so a value there counts when it is a strong draw of base64's
// characters (`+`, `/`, `-`, `_`, `=` padding allowed), unless the name says what the value identifies
// (DOTENV_ID_WORD; NOT_SECRET_WORD, below, as for any name: public, id, url…), or the value opens with a
// vendor's lower-case prefix (`org-…`, `cus_…`, `acct_…`): a secret with a vendor's prefix is its
// provider rule's to find, so one that no rule knows is an id.
function isDotenvValue(value: string, entropy: number, words: readonly string[]): boolean {
  if (words.some((word) => DOTENV_ID_WORD.test(word)) || /^[a-z]{2,8}[-_]/.test(value)) return false;
  return /^[A-Za-z0-9+/_-]+={0,2}$/.test(value) && isStrongDraw(value, entropy);
}

// Words of a name that say what its value identifies, not what it unlocks.
const DOTENV_ID_WORD =
  /^(?:org|organi[sz]ation|tenant|account|acct|project|workspace|team|user|username|owner|customer|bucket|region|zone|cluster|channel|site|domain|host|build|release|branch|ref|tag)$/;

// A dotenv file's assignment: a name at a line's start (after `export `), then `=`.
const DOTENV_NAME = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][\w.-]*)[ \t]*=/gm;

/**
 * A dotenv file's assignments: those the keywords found (`byKeyword`), then every other variable of
 * the file, marked `anyName`.
 */
function withDotenvNames(rule: CompiledEntropyRule, text: string, byKeyword: Iterable<Assignment>): Assignment[] {
  const found = [...byKeyword];
  const valueStarts = new Set(found.map((assignment) => assignment.valueStart));
  for (const line of text.matchAll(DOTENV_NAME)) {
    const name = line[1] as string;
    if (name.length > MAX_NAME) continue;
    // The name ends where the spaces before its `=` start.
    const nameEnd = line.index + line[0].replace(/[ \t]*=$/, "").length;
    const read = assignmentAt(rule, text, nameEnd - name.length, nameEnd, "dotenv");
    if (read?.assignment && !valueStarts.has(read.valueStart)) found.push({ ...read.assignment, anyName: true });
  }
  return found;
}

/** The words of a name: `SERVICE_ACCOUNT_TOKEN` and `serviceAccountToken` give service, account, token. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

// Words before a bare `key` that say nothing of what it opens: prose's articles and pronouns.
// Adjectives that say what state a key is in, not what it opens (a test's `unknown key XAmzChecksumCRC32 is
// error`), are none either.
const NOT_QUALIFIER_WORD =
  /^(?:the|a|an|this|that|these|those|your|my|our|its|their|his|her|each|every|any|some|same|one|new|old|no|unknown|invalid|missing|wrong|bad|empty|given|expected|unexpected|duplicate)$/i;
// How many spaces or tabs may separate a bare `key` from the word before it (`blitapp   PRIVATE    KEY`).
const MAX_QUALIFIER_GAP = 8;

/**
 * Where a name starts once a bare `key` takes the word before it on its line as its qualifier:
 * `flickr KEY …`, `secret key = …`, `API key: …` are names in words, as written in config files and
 * notes. Only a name that is `key` alone is extended, by one word (a run of name characters of at
 * most MAX_NAME, not an article or a pronoun), so the work per candidate stays bounded.
 */
function qualifiedNameStart(text: string, start: number, nameEnd: number): number {
  if (text.slice(start, nameEnd).toLowerCase() !== BARE_KEY) return start;
  let gapStart = start;
  while (gapStart > 0 && start - gapStart < MAX_QUALIFIER_GAP && (text[gapStart - 1] === " " || text[gapStart - 1] === "\t")) gapStart--;
  if (gapStart === start) return start;
  let wordStart = gapStart;
  while (wordStart > 0 && gapStart - wordStart < MAX_NAME && isNameChar(text.charCodeAt(wordStart - 1))) wordStart--;
  const word = text.slice(wordStart, gapStart);
  return /[A-Za-z]/.test(word) && !NOT_QUALIFIER_WORD.test(word) ? wordStart : start;
}

/**
 * Where a name starts once a prefix joined to it by `/` is taken in: a Kubernetes annotation's key is
 * `prefix/name`, and the prefix says what the value is (Helm's `checksum/secrets: <sha256>`, a digest of
 * the chart's Secret). One run of name characters, of at most MAX_NAME, so the work stays bounded.
 */
function annotationPrefixStart(text: string, start: number): number {
  if (text[start - 1] !== "/") return start;
  let prefixStart = start - 1;
  while (prefixStart > 0 && start - prefixStart <= MAX_NAME && isNameChar(text.charCodeAt(prefixStart - 1))) prefixStart--;
  return prefixStart < start - 1 ? prefixStart : start;
}

/**
 * Each assignment, and a value that is a list of keys (`APP_KEYS=k1,k2`: Strapi's session keys, a
 * rotation's new and old key) as its items instead: each is judged alone, as the whole would not be (a
 * comma is in no key's alphabet). A list only when every item is as long as a key and drawn from a key's
 * characters (base64's, hex's), so a password with a comma in it, a cache key's `os:…;sdk:…` parts or a
 * password hash's `$i=10000,l=32$…` stay whole.
 */
function* listItems(found: Iterable<Assignment>): Generator<Assignment> {
  for (const assignment of found) {
    const items = assignment.value.includes(",") ? assignment.value.split(",") : [];
    if (items.length < 2 || items.some((item) => item.length < MIN_LIST_ITEM || !KEY_CHARACTERS.test(item))) {
      yield assignment;
      continue;
    }
    let at = assignment.valueStart;
    for (const item of items) {
      yield { ...assignment, value: item, valueStart: at, valueEnd: at + item.length };
      at += item.length + 1;
    }
  }
}

/** The shortest item of a list of keys (listItems): as short as the shortest key the detector judges. */
const MIN_LIST_ITEM = 16;
const KEY_CHARACTERS = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** Lines longer than this are minified code or data, not assignments a person wrote. */
export const MAX_ASSIGNMENT_LINE = 1000;

export function collectEntropyMatches(rule: CompiledEntropyRule, run: Run, out: RawMatch[]): void {
  const { layer, depth, order } = run;
  const text = layer.text;
  const byKeyword = assignments(rule, text, run.keywords, undefined, run.configFile);
  for (const found of listItems(run.configFile === "dotenv" ? withDotenvNames(rule, text, byKeyword) : byKeyword)) {
    const { value, valueStart, valueEnd } = found;
    // The line first: a value on a minified line may be megabytes long.
    if (lineLongerThan(text, valueStart, MAX_ASSIGNMENT_LINE)) continue;
    if (found.configValue && !isConfigValue(value, text, found.restStart)) continue;
    // A hex key behind `0x` or a vendor's prefix, or in a UUID's dashes, is judged by its hex digits.
    const bareUuid = RANDOM_UUID.test(value);
    const hex = bareUuid ? value.replaceAll("-", "") : hexDigitsOf(value);
    const judged = hex ?? value;
    const charset = hex ? "hex" : (classifyCharset(value) ?? (looksLikeGeneratedPassword(value, found.configValue) ? "base64" : undefined));
    const floor = charset ? rule.charsets[charset] : undefined;
    if (!floor || judged.length < floor.minLength) continue;
    const entropy = shannonEntropy(judged);
    if (entropy < floor.threshold || !mixesCharacterClasses(judged, charset, entropy)) continue;
    const name = text.slice(annotationPrefixStart(text, qualifiedNameStart(text, found.start, found.nameEnd)), found.nameEnd);
    const words = nameWords(name);
    const naming = found.anyName ? "dotenv name" : credentialName(name, words, rule.keywords, text[found.start - 1] === "[");
    if (!naming || (naming === "bare key" && !isBareKeyValue(judged, text.slice(found.nameEnd, valueStart), entropy))) continue;
    if (naming === "dotenv name" && !isDotenvValue(value, entropy, words)) continue;
    if (bareUuid && !isUuidCredentialName(words)) continue;
    if (words.some((word) => NOT_SECRET_WORD.test(word)) || isPasswordDigest(words, value, charset) || isOpenPgpFingerprint(words, value, charset)) continue;
    if (isPathKeyedDigest(text, found.start, value, charset) || isLookupArgument(words, text, found.nameEnd) || isStorageEmulatorKey(text, found.start, valueEnd)) continue;
    if (isSignatureNonce(words, text, found.start, valueEnd) || isTypeAlias(text, found.start) || isPublicClientKey(words, text, found.start)) continue;
    if (!found.configValue && !QUOTES.has(text.charCodeAt(valueStart - 1)) && isNameInCode(value)) continue;
    if (isAllowedSecret(rule.allow, value) || looksLikePlaceholder(value) || isHashOrEncodedText(value) || isPublishedValue(value)) continue;
    if (SIGV4_CREDENTIAL_SCOPE.test(value)) continue;
    if (isWordLabel(value)) continue;
    const [start, end] = layer.outer(valueStart, valueEnd);
    const reported = judged === value ? entropy : shannonEntropy(value);
    // A literal compared before the name (`"…" == api_key`) ends before it.
    const match = text.slice(Math.min(found.start, valueStart), Math.max(found.nameEnd, valueEnd));
    out.push({ rule, start, end, secret: value, match, entropy: reported, depth, order });
  }
}

// AWS Signature Version 4's `X-Amz-Credential`: an access key id, a date, a region, a service and
// `aws4_request` (slashes URL-encoded in a query). Every signed request and presigned URL carries it in
// the clear; what signs is the secret key, which it never holds. Other providers sign the same way under
// their own name (Google Cloud Storage's `goog4_request`, curl's `--aws-sigv4 "provider1:provider2"`
// gives `provider2_request`), so the scope ends in any lower-case name before `_request`.
const SIGV4_CREDENTIAL_SCOPE = /^[A-Za-z0-9]{3,128}(?:\/|%2F)\d{8}(?:\/|%2F)[a-z0-9-]+(?:\/|%2F)[a-z0-9-]+(?:\/|%2F)[a-z][a-z0-9]*_request(?![\w-])/i;

/** A `name = value` candidate: offsets into the text. */
export interface Assignment {
  start: number;
  nameEnd: number;
  value: string;
  valueStart: number;
  valueEnd: number;
  /**
   * Where the rest of the value's line starts: after the value, or after the `}` of the interpolation it
   * is the default of; undefined when the value is delimited whatever follows it: that `}` closes a
   * string too, or a shell script's word ends it (isShellWord).
   */
  restStart: number | undefined;
  /** A dotenv file's variable found by its line, not by a keyword in its name (dotenvAssignments). */
  anyName?: true;
  /** A bare value read as a config file's (config-files.ts): literal text, its brackets no code. */
  configValue: boolean;
}

// ", ', `: what comes before a quoted value.
const QUOTES = new Set([0x22, 0x27, 0x60]);

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
 * `acceptsName`: when given, a name (its start and end in the text) it refuses is not tried: the
 * password rules judge the name before the value, and most names holding `pass` are no password's
 * (`bypass`, `passwordResetUrl`).
 * `configFile`: the text is a configuration file's (config-files.ts): a bare value after a key that
 * starts its line is read with the rule's configRegex.
 */
export function* assignments(
  rule: CompiledEntropyRule,
  text: string,
  found: KeywordPositions = findKeywords(buildPrefilter([rule]), text),
  acceptsName?: (start: number, nameEnd: number) => boolean,
  configFile: ConfigFileKind = undefined,
): Generator<Assignment> {
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
    if (nameEnd - start > MAX_NAME || (acceptsName && !acceptsName(start, nameEnd))) continue;
    const read = assignmentAt(rule, text, start, nameEnd, configFile);
    if (!read) continue;
    done = read.valueStart;
    if (read.assignment) yield read.assignment;
  }
}

/**
 * The value assigned to the name at `start`–`nameEnd`, as the rule's regex reads it after the name:
 * where it starts, and the assignment when the value is long enough to judge; undefined when none follows.
 */
function assignmentAt(
  rule: CompiledEntropyRule,
  text: string,
  start: number,
  nameEnd: number,
  configFile: ConfigFileKind,
): { valueStart: number; assignment?: Assignment } | undefined {
  // A name inside an interpolation (`${DB_PASSWORD:-…}` in a shell script or a compose file, Spring's
  // `${db.password:…}`) has its default after it: literal text in any file, as a config file's values are.
  const inInterpolation = text.startsWith("${", start - 2);
  // In a shell script a word glued to a name's `=` is literal text wherever the name is on its line: an
  // option's `--from-literal=password=…`, `docker run -e DB_PASSWORD=…`, `helm --set db.password=…`.
  const shellAssignment = configFile === "shell" && text[nameEnd] === "=";
  const quote = entryQuote(text, start, nameEnd, configFile);
  const asConfig = inInterpolation || shellAssignment || quote !== undefined || (configFile !== undefined && startsConfigLine(text, start));
  const regex = asConfig ? rule.configRegex : rule.regex;
  regex.lastIndex = nameEnd;
  const match = regex.exec(text);
  if (!match) return undefined;
  const group = match.findIndex((part, index) => index > 0 && part !== undefined);
  const read = match.indices?.[group];
  if (group < 1 || !read || match[group] === undefined) return undefined;
  // A string literal written inside a string's escaped quotes, as source code (Gradle's `buildConfigField
  // "String", "API_KEY", "\"…\""`): the value is inside them.
  const inEscapedQuotes = text.charCodeAt(read[0] - 1) === 0x22 && text.startsWith('\\"', read[0]) && text.startsWith('\\"', read[1] - 2) && read[1] - read[0] > 4;
  const span: [number, number] = inEscapedQuotes ? [read[0] + 2, read[1] - 2] : [read[0], read[1]];
  const value = text.slice(span[0], span[1]);
  // A quoted value is read alike everywhere; only a bare one is a config file's literal text.
  const configValue = asConfig && !QUOTES.has(text.charCodeAt(span[0] - 1));
  const closingQuote = configValue ? quote : undefined;
  const close = configValue ? configValueEnd(value, inInterpolation, closingQuote, configFile) : -1;
  // A bare value in code ends before the closing brackets of the code around it (rules.ts).
  const bareInCode = !asConfig && !QUOTES.has(text.charCodeAt(span[0] - 1));
  const length = bareInCode ? withoutUnopenedClosers(value) : value.length;
  const valueStart = span[0];
  // A shell word cut at an operator is as short as what is left of it (`PW=ab;cdefgh`: `ab`).
  const shellWordCut = close >= 0 && !inInterpolation;
  if (length < PASSWORD_MIN_LENGTH || (shellWordCut && close < PASSWORD_MIN_LENGTH)) return { valueStart };
  const valueEnd = close >= 0 ? valueStart + close : valueStart + length;
  // A quoted entry's closing quote delimits its value, whatever code follows the string on its line; a YAML
  // list item's line may go on with a comment only.
  const closed = closingQuote !== undefined && text[valueEnd] === closingQuote;
  const listItem = closed && configFile !== undefined && isQuotedListItem(text, start);
  const restStart = closed ? (listItem ? valueEnd + 1 : undefined) : restOfLineStart(text, nameEnd, valueStart, valueEnd, inInterpolation, configFile);
  return { valueStart, assignment: { start, nameEnd, value: text.slice(valueStart, valueEnd), valueStart, valueEnd, restStart, configValue } };
}

/**
 * Where a config file's bare value ends before its text runs out, or -1. An interpolation's default ends
 * at the first `}`, as shells and Spring read it, where a config file's bare value would go on (the rest
 * of its line starts after the `}` and the quote of a string around it); a quoted entry's value at its
 * closing quote (`putenv("DB_PASSWORD=…")`, `- "DB_PASSWORD=…"`: config-files.ts entryQuote); a shell
 * script's word at the shell's operators (`;`, `&`, `|`, redirections, brackets) and at a quote: one
 * opened before the name closes there (`set "DB_PASSWORD=…"`).
 */
function configValueEnd(value: string, inInterpolation: boolean, closingQuote: string | undefined, configFile: ConfigFileKind): number {
  if (inInterpolation) return value.indexOf("}");
  if (closingQuote) return value.indexOf(closingQuote);
  return configFile === "shell" ? value.search(SHELL_WORD_END) : -1;
}

/** Where an assignment's value leaves the rest of its line (Assignment.restStart). */
function restOfLineStart(text: string, nameEnd: number, valueStart: number, valueEnd: number, inInterpolation: boolean, configFile: ConfigFileKind): number | undefined {
  if (inInterpolation && text[valueEnd] === "}") {
    // Closed inside a string (`@Value("${api.token:…}")`, `"${API_TOKEN:-…}"`), the default is delimited
    // whatever code follows the string on its line: no rest is read.
    return QUOTES.has(text.charCodeAt(valueEnd + 1)) ? undefined : valueEnd + 1;
  }
  return configFile === "shell" && isShellWord(text, nameEnd, valueStart, valueEnd) ? undefined : valueEnd;
}

/**
 * A shell variable's value glued to its `NAME=` and ended by the shell's own word break, before a
 * command it is given to (`PGPASSWORD=… psql`), or by an operator (SHELL_WORD_END: `&& ./migrate`,
 * `; export NAME`, `| tee`): the shell takes exactly that word, whatever follows on its line.
 */
function isShellWord(text: string, nameEnd: number, valueStart: number, valueEnd: number): boolean {
  return valueStart === nameEnd + 1 && text[nameEnd] === "=" && /^(?:[ \t]+\S|[;&|<>()]|["'`](?![^\s;&|<>()]))/.test(text.slice(valueEnd, valueEnd + 2));
}

const SHELL_WORD_END = /[;&|<>()"'`]/;

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
export function lineLongerThan(text: string, offset: number, limit: number): boolean {
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
function looksLikeGeneratedPassword(value: string, configValue: boolean): boolean {
  if (!/^[\x21-\x7e]+$/.test(value) || value.includes("://") || REQUIREMENT_PIN.test(value)) return false;
  // Before the test for URL encoding: a key drawn from punctuation holds `%` and two digits at times.
  if (isPunctuationDenseKey(value)) return true;
  if (/%[0-9A-F]{2}/.test(value) || isPathOrCode(value, configValue)) return false;
  const symbols = value.replace(/[A-Za-z0-9]/g, "").length;
  return symbols > 0 && symbols * 4 <= value.length;
}

// A package requirement with its version (`SQLAlchemy==2.0.51`, `requests>=2.31`, `Django~=4.2.0`), as
// tox.ini and requirements files list them after a name that may hold a keyword (`langchain-notiktoken`
// holds `token`): a package's name, an operator, dotted version numbers.
const REQUIREMENT_PIN = /^[A-Za-z][\w.-]*(?:===?|[<>~!]=|[<>])\d+(?:\.\d+)*(?:[.-]?(?:a|b|rc|post|dev)\d*)*(?:\.\*)?$/;

/**
 * Paths, code, query strings (`bd4f21f&genuine=%5BFILTERED%5D`) and file names
 * (`_AppLayout.e6a6a429.js`, `brainpoolP384t1.key`): not passwords. Code is told by its brackets,
 * which pair up or are left open where an expression was cut (`getenv(`); brackets closed out of
 * turn (`k)7]x{`) are a typed or random value's punctuation. In a config file's bare value
 * (`configValue`) there is no code: brackets are characters.
 */
export function isPathOrCode(value: string, configValue = false): boolean {
  if (!configValue && /[(){}<>[\]]/.test(value) && !hasMismatchedBracket(value)) return true;
  return /^[./~]|[&?][\w-]+=|\.(?:[cm]?js|ts|css|json|map|html?|png|svg|jpe?g|gif|txt|md|xml|ya?ml|php|rb|py|key|pem|crt|cer|der|p12|pfx|jks|pub|csr)$/.test(value);
}

// Keys drawn from ~90 printable characters: isDrawnFromPrintable (randomness.ts).
const DENSE_KEY_MIN_LENGTH = 40;
// A key with no upper-case letter draws from about 50 characters (Django's get_random_secret_key:
// a-z, 0-9 and 14 symbols), so it spreads less: of 10,000 random 50-character Django keys 6% reach
// 5 bits, while 99.5% reach 4.4 with 5 or more kinds of punctuation and two digits. The values of one
// case with 4 or more kinds of punctuation assigned to credential names in six real trees and
// node_modules measure 4.5 at most, and are code (a method call), paths or URLs, turned away
// before or by this test.
const ONE_CASE_DENSE_KEY_MIN_ENTROPY = 4.4;
const ONE_CASE_DENSE_KEY_MIN_SYMBOL_KINDS = 5;

// A value typed from many kinds of punctuation among letters, as people write a secret by hand
// (`q]r{{w!k)x$…`), is as hard to guess as a drawn one, and shorter keys are drawn from punctuation
// too: from 20 characters, 8 kinds of punctuation, letters, and brackets closed out of turn, which
// no code, regex or template has (isPathOrCode). A random 20-character draw from printable ASCII
// has about 6 kinds of punctuation, one of 40 characters about 11.
const TYPED_DENSE_MIN_LENGTH = 20;
const TYPED_DENSE_MIN_SYMBOL_KINDS = 8;
const TYPED_DENSE_MIN_ENTROPY = 4.0;

function isPunctuationDenseKey(value: string): boolean {
  if (value.length < TYPED_DENSE_MIN_LENGTH) return false;
  // Most values hold fewer symbols than any kind of dense key has kinds: they are not measured.
  if (countSymbols(value, ONE_CASE_DENSE_KEY_MIN_SYMBOL_KINDS) < ONE_CASE_DENSE_KEY_MIN_SYMBOL_KINDS) return false;
  const kinds = symbolKinds(value);
  const entropy = shannonEntropy(value);
  if (kinds >= TYPED_DENSE_MIN_SYMBOL_KINDS && entropy >= TYPED_DENSE_MIN_ENTROPY && /[A-Za-z]/.test(value) && hasMismatchedBracket(value)) return true;
  // A method call is code on one line (`crypto.getRandomValues(buf).map(…)`).
  if (value.length < DENSE_KEY_MIN_LENGTH || /\.[A-Za-z]{3,}\(/.test(value)) return false;
  if (isDrawnFromPrintable(value)) return true;
  return !/[A-Z]/.test(value) && /[0-9].*[0-9]/.test(value) && kinds >= ONE_CASE_DENSE_KEY_MIN_SYMBOL_KINDS && entropy >= ONE_CASE_DENSE_KEY_MIN_ENTROPY;
}

/** How many characters of `value` are neither letters nor digits, counted up to `enough`. */
function countSymbols(value: string, enough: number): number {
  let symbols = 0;
  for (let i = 0; i < value.length && symbols < enough; i++) if (!isAlphanumeric(value.charCodeAt(i))) symbols++;
  return symbols;
}

const isAlphanumeric = (code: number): boolean => (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);

// A crypt(3) password hash (`$6$rounds=656000$salt$hash`, `$2b$12$…`, `$y$…`, `$argon2id$…`):
// what a system stores instead of the password, published in test users and Ansible examples.
const CRYPT_HASH = /^\$(?:[0-9a-z]{1,2}|argon2[a-z]*|scrypt|pbkdf2[\w-]*)\$[^\s$]*\$/;

/**
 * Values that look random but are derived, public, corrupted or encoded text: a crypt(3) hash, base64 of
 * plain words (`QUNDRVNTX0tFWQ0K` is "ACCESS_KEY\r\n"; a random key's bytes are never all
 * letters), base64 of a JSON object's text (`eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9`, a JWT's header
 * alone, as documentation cuts it; what such JSON holds is scanned in its decoded view), base64 of a
 * login whose password is a stand-in (see isStandInLogin), or base64 of a public key (see
 * isPublicKeyDer; a VAPID key's uncompressed point).
 */
// The start of a JSON object's text, printable throughout: what base64 of a JWT's header or claims decodes to.
const JSON_OBJECT_TEXT = /^\{\s*"[\x20-\x7e]*$/;

export function isHashOrEncodedText(value: string): boolean {
  if (CRYPT_HASH.test(value)) return true;
  // Padding inside or before a base64 value: deliberately corrupted test data
  // (`rcHu+=HzSFw89Ypyhn/896A==f34`, `====CT70aTYB…`). Only where all else is base64: a key drawn
  // from punctuation (Django's) holds `=` among its other symbols.
  if (/^[A-Za-z0-9+/]*=+[A-Za-z0-9+/][A-Za-z0-9+/=]*$/.test(value)) return true;
  // A JWT's parts are base64url without padding (RFC 7515): a header padded with `=` before the next
  // part is written by hand, a test's stand-in (`eyJhbGc=.eyJzdWI=.SflKxw`), never a token issued.
  if (/^eyJ[\w-]*=+\./.test(value)) return true;
  // A P-256 public key as Web Push's VAPID `applicationServerKey` is written: 65 bytes, 0x04 first (an
  // uncompressed point), in base64url. The private key is 32 bytes.
  if (value.length === 87 && /^[\w-]+$/.test(value) && Buffer.from(value, "base64")[0] === 0x04) return true;
  // A JWT's header and claims without a signature (`eyJhbGci….eyJzdWIi…`): nothing signed, nothing to sign with.
  if (/^eyJ[\w-]+\.eyJ[\w-]+$/.test(value)) return value.split(".").every((part) => JSON_OBJECT_TEXT.test(Buffer.from(part, "base64url").toString("latin1")));
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return false;
  const bytes = Buffer.from(value, "base64");
  const text = bytes.toString("latin1");
  // Base64 of digits that are a stand-in (`MDEyMzQ1Njc4OTAx…`, 0123456789 over and over) is the stand-in,
  // encoded. Digits only: random bytes never decode to digits alone, while base64 of letters may be how a
  // service writes its key.
  const standIn = /^\d+$/.test(text) && looksLikePlaceholder(text);
  return (value.length % 4 === 0 && /^[A-Za-z_ .,\r\n-]+$/.test(text)) || JSON_OBJECT_TEXT.test(text) || standIn || isStandInLogin(text) || isPublicKeyDer(bytes);
}

// A `user:password` pair, as HTTP Basic authentication encodes it: printable text throughout. Random
// bytes decode to a `:` and a printable byte or two at their end about once in a thousand keys; with
// any byte allowed before it, those keys were taken for a login with a stand-in password.
const USER_PASSWORD_PAIR = /^[\x21-\x39\x3b-\x7e]+:([\x21-\x7e]+)$/;

/**
 * Decoded text that is a `user:password` pair with a stand-in password (`username:password`, `user:pass1`):
 * base64 written to show how a login is encoded (a test's expected Basic credentials), holding no password.
 */
function isStandInLogin(text: string): boolean {
  const password = USER_PASSWORD_PAIR.exec(text)?.[1];
  return password !== undefined && isPlaceholderPassword(password);
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
export const PASSWORD_WORD = /^(?:password|passwd|passphrase|pwd)$/;

export function isPasswordDigest(name: readonly string[], value: string, charset: string | undefined): boolean {
  return charset === "hex" && DIGEST_LENGTHS.has(value.length) && PASSWORD_WORD.test(name.at(-1) ?? "");
}

/**
 * A digest's worth of hex under a name joined to a path by `/`: a manifest of one digest per entry
 * (an i18n lock's `workspace/api_keys/api_key: <md5>`, a Helm annotation's `checksum/secret: <sha256>`),
 * where the path names what was hashed. A key under such a name is still read in any other form.
 */
function isPathKeyedDigest(text: string, nameStart: number, value: string, charset: string | undefined): boolean {
  return charset === "hex" && DIGEST_LENGTHS.has(value.length) && text[nameStart - 1] === "/";
}

// The first word of a call that looks a record up, or acts on one, by what it is given: an id or a
// name (`getApiKeysWithEnvironmentPermissions("clj28r6va…")`, `revokeToken(tokenId)`), not a credential.
// Setters (`setApiKey("…")`) and constructors are not among them.
const LOOKUP_CALL_WORD = /^(?:get|find|fetch|load|list|lookup|read|delete|remove|revoke|has)$/;

/** True when the name is a lookup's call (LOOKUP_CALL_WORD) and the value its argument. */
function isLookupArgument(words: readonly string[], text: string, nameEnd: number): boolean {
  return LOOKUP_CALL_WORD.test(words[0] ?? "") && text[nameEnd] === "(";
}

// Documentation sets the storage emulator's published key next to its account's name
// (`…_ACCOUNT_NAME=devstoreaccount1`, see namesStorageEmulator). How far around the key the name is looked
// for: the lines of one configuration block.
const STORAGE_EMULATOR_CONTEXT = 300;

function isStorageEmulatorKey(text: string, start: number, end: number): boolean {
  return namesStorageEmulator(text.slice(Math.max(0, start - STORAGE_EMULATOR_CONTEXT), end + STORAGE_EMULATOR_CONTEXT));
}

// An OpenPGP key's fingerprint: 40 hex digits (v4) or 64 (v6). Under a GPG or PGP name
// (Dockerfiles' `ENV GPG_KEY …`, `GPG key …` in release notes) it names a public key to verify
// downloads with; an exported private key is armored base64, never one hex run.
const OPENPGP_FINGERPRINT_LENGTHS = new Set([40, 64]);
const OPENPGP_WORD = /^(?:gpg|pgp|gnupg|openpgp)$/;

function isOpenPgpFingerprint(name: string[], value: string, charset: string | undefined): boolean {
  return charset === "hex" && OPENPGP_FINGERPRINT_LENGTHS.has(value.length) && name.some((word) => OPENPGP_WORD.test(word));
}

// How far around a `token` its webhook siblings are looked for: one small object or call.
const SIGNATURE_CONTEXT = 160;

// A label spelled in words with a little hex or a number: `ISSUE-17040-TEXT-FILE-ONLY-9f31c7`,
// `__assistantStreamSnapshotPollutionRegression_019ffd14__`, a test's marker. Each part between
// separators is words (camel-case humps of 3 letters or more, or a word in capitals) or hex digits,
// and the hex is shorter than LABEL_MAX_MATERIAL; a part of mixed random characters, as every key
// has, makes it no label, and so does a UUID's 32 hex digits after a vendor's words.
// The pieces of a name: camel-case humps, runs of capitals, digits, underscores.
export const NAME_PIECES = /[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+|_+|\$/g;
const LABEL_MIN_WORDS = 3;
const LABEL_MAX_MATERIAL = 16;

function isWordLabel(value: string): boolean {
  let words = 0;
  let material = 0;
  for (const part of value.split(/[-_.]+/)) {
    if (part === "") continue;
    const humps = part.match(NAME_PIECES) ?? [];
    if (humps.join("") === part && humps.every((hump) => /^[A-Za-z]{3,}$|^[A-Z]{2}$/.test(hump))) words += humps.length;
    else if (/^[0-9a-f]+$|^[0-9A-F]+$/.test(part)) material += part.length;
    else return false;
  }
  return words >= LABEL_MIN_WORDS && material < LABEL_MAX_MATERIAL;
}

// TypeScript's `type Name = …` and `import Name = A.B` (exported or declared): what follows the `=` is a
// type or a namespace's member, never a value.
const TYPE_ALIAS_BEFORE_NAME = /(?:^|[\s;{])(?:(?:export|declare)\s+)*(?:type|import)\s+$/;

/** True when the assignment's name is a TypeScript alias's (`export type ConnectionAccessTokenUrl = Management.Url`). */
function isTypeAlias(text: string, nameStart: number): boolean {
  const lineStart = text.lastIndexOf("\n", nameStart - 1) + 1;
  return nameStart - lineStart >= 5 && TYPE_ALIAS_BEFORE_NAME.test(text.slice(Math.max(lineStart, nameStart - 40), nameStart));
}

/**
 * A segment of a member chain that reads as a name: it starts with no digit, and its every hump
 * holds two lower-case letters or more (`AuthMechanism`, `V2Namespace2`, `sha256`), or it is in
 * capitals (`MONGODB_X509`). A random key's segment has one-letter humps (`JGbZZaCk…`).
 */
function readsAsName(segment: string): boolean {
  if (!/^[A-Za-z_$]/.test(segment)) return false;
  const pieces = segment.match(NAME_PIECES) ?? [];
  return pieces.join("") === segment && pieces.every((piece) => !/[a-z]/.test(piece) || /[a-z]{2}/.test(piece));
}

// A lone name read as a variable's: camel case, a lower-case word first, then capitalised words of
// three letters or more and short numbers (`isSecretBase64Encoded`). At least two capitalised words:
// a key in one case (`shwc7ighlfw9fcoul7ahojmf2sx2dabv`, `YTR4GR5T89WQP8HJKLDF`) has none, and a
// random key in both cases has humps of one or two letters.
const CAMEL_CASE_NAME = /^[a-z]{2,}(?:[A-Z][a-z]{2,}|\d{1,3})+$/;
const CAPITALISED_WORD = /[A-Z][a-z]{2,}/g;
const VARIABLE_NAME_MIN_CAPITALISED = 2;

/**
 * A value without quotes in code that is a name or a chain of names, negated or not: a member read,
 * an enum's case (`AuthMechanism.MONGODB_X509`, `V2Namespace2.Core.AccountTokenCreateParams`,
 * `!auth.isSecretBase64Encoded`), or a variable whose name is words (`cryptoKey = isSecretBase64Encoded`).
 * Not a literal.
 */
function isNameInCode(value: string): boolean {
  // Optional chaining reads members as code alone does (`config.i18n?.supportedLanguages`).
  if (/\?\.[A-Za-z_$]/.test(value)) return true;
  const segments = value.replace(/^!/, "").split(".");
  if (segments.length >= 2) return segments.every(readsAsName);
  const name = segments[0] ?? "";
  return CAMEL_CASE_NAME.test(name) && (name.match(CAPITALISED_WORD)?.length ?? 0) >= VARIABLE_NAME_MIN_CAPITALISED;
}

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

// A key in one case ([a-z0-9] or [A-Z0-9]) is told from words and identifiers with numbers in
// them by how it spreads over its alphabet. Two signs, measured on the distinct alphanumeric tokens
// of six real source trees (Rails, Spring Boot, Symfony, Laravel, Terraform, Ansible: 1,453 of them
// in one case, 16 characters or more) and on random strings:
// - letter-digit switches: a random string of [a-z0-9] switches between a letter and a digit at
//   40% of its adjacent pairs; the trees' words and identifiers with numbers at 15% at most
//   (`separatorkey0separatorvalue0`; `autoconfiguredspringdataneo4j` 7%). The bar: one pair in six.
// - entropy: at most 1.2 bits under log2 of the length, or of 36 once the length passes the
//   alphabet's size (what that many draws from [a-z0-9] reach), against repeated runs.
// Together they let through 96% of random strings of 20 characters, 98 to 99% of 24 to 39, and
// 99.5% of 40 and more; of the trees' tokens the 8 that pass are random (ULIDs, SecureRandom
// output, a PNG's base64 in an SVG). A name with several numbers in it (`release2024q3hotfix17b`)
// can pass: it still has to be assigned to a credential's name. From 40 characters, an entropy of
// 4.4 bits also suffices (Azure DevOps' base32 tokens, a-z and 2-7, may have few digits).
const SINGLE_CASE_MIN_LENGTH = 20;
const SINGLE_CASE_ALPHABET = 36;
const SINGLE_CASE_ENTROPY_SLACK = 1.2;
const SINGLE_CASE_MIN_SWITCH_SHARE = 1 / 6;
const LONG_SINGLE_CASE_LENGTH = 40;
const LONG_SINGLE_CASE_MIN_ENTROPY = 4.4;

/**
 * A token a machine issued, judged as the generic detector judges a value: both cases of letters, or
 * in one case its letters and digits (hex, or [a-z0-9] long and switching enough between the two).
 * Separators (`-`, `_`, `.`) are left out of the judgement.
 */
export function looksLikeMachineToken(value: string): boolean {
  if (/[a-z]/.test(value) && /[A-Z]/.test(value)) return true;
  // A vendor's prefix before hex digits (`sk-` and 32 hex, DeepSeek's keys) is judged by its digits.
  const hex = hexDigitsOf(value);
  if (hex) return mixesCharacterClasses(hex, "hex", shannonEntropy(hex));
  const characters = value.replace(/[^A-Za-z0-9]/g, "");
  return mixesCharacterClasses(characters, classifyCharset(characters), shannonEntropy(characters));
}

/** Random keys mix letters and digits; identifiers and words do not. */
function mixesCharacterClasses(value: string, charset: string | undefined, entropy: number): boolean {
  if (charset === "hex") return /[0-9]/.test(value) && /[a-f]/i.test(value);
  // Keys drawn or typed from punctuation (Django's: lower-case letters, digits and symbols) mix it in.
  if (isPunctuationDenseKey(value)) return true;
  if (!/[0-9].*[0-9]/.test(value)) return isScrambledCase(value);
  if (/[a-z]/.test(value) && /[A-Z]/.test(value)) return true;
  if (!/^[a-z0-9]+$|^[A-Z0-9]+$/.test(value) || value.length < SINGLE_CASE_MIN_LENGTH) return false;
  if (value.length >= LONG_SINGLE_CASE_LENGTH && entropy >= LONG_SINGLE_CASE_MIN_ENTROPY) return true;
  return (
    entropy >= Math.log2(Math.min(value.length, SINGLE_CASE_ALPHABET)) - SINGLE_CASE_ENTROPY_SLACK &&
    letterDigitSwitches(value) >= (value.length - 1) * SINGLE_CASE_MIN_SWITCH_SHARE
  );
}

// A random key in both cases may hold one digit or none: a 24-character base62 key has fewer than two
// in 8% of draws, a 32-character one in 3%. Without digits to tell it from a name, its letters do: its
// case changes at random, so much of it is in humps of one or two letters (`A`, `Ty`, `CR` in
// `ALnwTyCRFtow`), where a name is words. Measured on the 94,469 function names of 20 characters or
// more with fewer than two digits in the 54 real trees: none has 35% of its letters in such humps (the
// most, 33%: `isEqualByComparingTo`, `expectNotToBeLevel2xx`), and with the words test below 57% to 72%
// of random keys of 16 to 40 characters with fewer than two digits pass. Words written in mixed case on purpose (a test's
// `x-aUtHeNtIcAtIoN-tOkEn`, a demo's `TH!Si$ASup3RSeCreTAP!KEy`, a slug with a short random tail)
// have such humps too, and are told by their letters read in one case: most of their three-letter
// sequences are common ones of code and prose (COMMON_TRIGRAMS, 904 of the 17,576 of letters), where
// a random key's are so by chance, one in twenty.
const SCRAMBLED_CASE_MIN_SHORT_SHARE = 0.35;
const SCRAMBLED_CASE_MAX_COMMON_SHARE = 0.25;

/** A value in both cases whose letters are mostly in humps of one or two and do not spell words: random case. */
function isScrambledCase(value: string): boolean {
  if (!/[a-z]/.test(value) || !/[A-Z]/.test(value)) return false;
  let letters = 0;
  let short = 0;
  let trigrams = 0;
  let common = 0;
  for (const piece of value.match(/[A-Za-z]+/g) ?? []) {
    for (let at = 0; at + 3 <= piece.length; at++, trigrams++) if (isCommonTrigram(piece, at)) common++;
  }
  for (const piece of value.match(NAME_PIECES) ?? []) {
    if (!/^[A-Za-z]+$/.test(piece)) continue;
    letters += piece.length;
    if (piece.length <= 2) short += piece.length;
  }
  return letters > 0 && short / letters >= SCRAMBLED_CASE_MIN_SHORT_SHARE && common <= trigrams * SCRAMBLED_CASE_MAX_COMMON_SHARE;
}

/** How many adjacent pairs of characters are a letter and a digit, in either order. */
function letterDigitSwitches(value: string): number {
  let switches = 0;
  for (let i = 1; i < value.length; i++) if (isDigit(value.charCodeAt(i)) !== isDigit(value.charCodeAt(i - 1))) switches++;
  return switches;
}

const isDigit = (code: number): boolean => code >= 48 && code <= 57;

// A vendor's prefix before a key: one or two words of letters and a dash or underscore (`sk-`,
// `px-api-`). Not digits: `sha256-` and `md5_` name a digest's algorithm.
export const VENDOR_PREFIX = /^(?:[a-z]{2,10}[-_]){1,2}/;

// Names that make a random UUID a credential: a token or a secret after a word saying whose (npm's
// legacy NPM_TOKEN, build-trigger tokens are UUIDs), or an API key after the name of the service it
// opens (`HEROKU_API_KEY`, `EXA_API_KEY`: services that issue UUIDs as keys). Under any other name
// (`first_key`, a bare `api_key`, `requestId`) a UUID is the usual form of an id or a lookup key, and a
// bare `token` (an API response's, a test's `"Token: …"` message) as often a request's or a page's.
const UUID_CREDENTIAL_WORD = /^(?:token|secret)$/;

function isUuidCredentialName(words: readonly string[]): boolean {
  if (words.length >= 2 && UUID_CREDENTIAL_WORD.test(words.at(-1) ?? "")) return true;
  return words.length >= 3 && words.at(-2) === "api" && words.at(-1) === "key";
}

// A random UUID (version 4: its version digit is 4, its variant 8, 9, a or b).
const RANDOM_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * The hex digits of a hex key written with more than its digits, or undefined: `0x` and the digits
 * (an Ethereum private key), a vendor's prefix and 32 digits or more (`sk-` and 32 hex digits), a
 * vendor's prefix and a random UUID (`px-api-` and a UUID, as Pixie's keys). A UUID alone is the
 * usual form of an id, and is left alone.
 */
function hexDigitsOf(value: string): string | undefined {
  const prefixed = /^0x([0-9a-fA-F]+)$/.exec(value)?.[1];
  if (prefixed) return prefixed;
  const prefix = VENDOR_PREFIX.exec(value)?.[0];
  if (!prefix) return undefined;
  const body = value.slice(prefix.length);
  if (RANDOM_UUID.test(body)) return body.replaceAll("-", "");
  return /^[0-9a-f]{32,}$/.test(body) ? body : undefined;
}
