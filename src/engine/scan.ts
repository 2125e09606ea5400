// The engine: text in, findings out. No I/O, no git.
import { fingerprint } from "../run/fingerprint.js";
import type { Chunk, Finding } from "../types.js";
import { classifyCharset, shannonEntropy } from "./entropy.js";
import { decodeLayers, type Layer, nest } from "./decode.js";
import { looksLikePlaceholder } from "./placeholders.js";
import { buildPrefilter, findKeywords, type KeywordPositions, type Prefilter, selectRules } from "./prefilter.js";
import type { AnchoredSearch, CompiledAllow, CompiledEntropyRule, CompiledRegexRule, CompiledRule } from "./rules.js";
import { runValidator } from "./validators.js";

export interface Ruleset {
  rules: CompiledRule[];
  prefilter: Prefilter;
  /** Each rule's place in `rules`. */
  order: ReadonlyMap<CompiledRule, number>;
  /** Rules that run only when another rule makes them count (see runDeferred). */
  deferrable: ReadonlySet<CompiledRule>;
}

export function createRuleset(rules: CompiledRule[]): Ruleset {
  const requiredBy = (rule: CompiledRule): CompiledRule[] =>
    rules.filter((other) => other.kind === "regex" && other.requires?.rule === rule.id);
  // A rule with a validator never waits: its vetoes count even where it reports nothing.
  const dependents = rules.filter(
    (rule) => rule.kind === "regex" && rule.requires && !rule.validate && requiredBy(rule).length === 0,
  );
  // A companion that is never reported, only required by dependents.
  const companions = rules.filter(
    (rule) =>
      rule.kind === "regex" &&
      !rule.report &&
      !rule.requires &&
      !rule.validate &&
      requiredBy(rule).length > 0 &&
      requiredBy(rule).every((other) => dependents.includes(other)),
  );
  const deferrable = [...dependents, ...companions];
  return {
    rules,
    prefilter: buildPrefilter(rules),
    order: new Map(rules.map((rule, index) => [rule, index])),
    deferrable: new Set(deferrable),
  };
}

/** A match before it is placed on a line: offsets into the chunk's text. */
interface RawMatch {
  rule: CompiledRule;
  start: number;
  end: number;
  secret: string;
  match: string;
  entropy: number;
  /** 0 for the chunk's own text, 1+ for text decoded from it (JSON escapes, URL encoding, base64). */
  depth: number;
  /** The secret of the rule named in `requires`, when one was found (AWS key id, Twilio SID). */
  companion?: string;
  /** Failed its rule's validator: never reported, and the entropy detector may not claim its text. */
  vetoed?: boolean;
  /** Where running every layer's rules one after the other puts the match (see Run.order). */
  order: number;
}

/** One rule's run over one layer of the chunk. */
interface Run {
  layer: Layer;
  depth: number;
  /** Where the keywords occur in the layer's text. */
  keywords: KeywordPositions;
  /** The layer's number × the number of rules + the rule's place: the order a straight run makes its matches in. */
  order: number;
}

/** How many times decoded text is decoded again (base64 inside base64). */
const MAX_DEPTH = 2;

const OUTER: Layer = { text: "", entropy: true, outer: (start, end) => [start, end] };

export function scanChunk(chunk: Chunk, ruleset: Ruleset): Finding[] {
  const text = chunk.text;
  const raw: RawMatch[] = [];
  const deferred: Deferred[] = [];
  let layers = 0;
  const scanLayer = (layer: Layer, depth: number): void => collectMatches(ruleset, layer, depth, layers++, raw, deferred);
  const entropyHere = entropyAllowedIn(chunk.path);
  scanLayer({ ...OUTER, text, entropy: entropyHere }, 0);
  let pending = decodeLayers(text).map((layer) => ({ layer, depth: 1 }));
  while (pending.length > 0) {
    const next: typeof pending = [];
    for (const { layer, depth } of pending) {
      scanLayer({ ...layer, entropy: layer.entropy && entropyHere }, depth);
      // Only base64 reveals text the outer scan has not seen decoded; JSON and URL layers stop here.
      if (depth < MAX_DEPTH && !layer.entropy) {
        for (const child of decodeLayers(layer.text)) next.push({ layer: nest(layer, child), depth: depth + 1 });
      }
    }
    pending = next;
  }
  runDeferred(deferred, raw);
  if (raw.length === 0) return [];
  dropVetoed(raw);

  const lines = new LineIndex(text);
  const reportable = raw.filter((match) => match.rule.report && attachCompanion(match, raw, lines));
  const findings: Finding[] = [];
  for (const match of dropOverlaps(reportable)) {
    if (chunk.window && match.start >= chunk.window.handOff) continue;
    const start = inFile(lines.position(match.start), chunk.window);
    const end = inFile(lines.position(match.end), chunk.window);
    if (chunk.lines && !touches(chunk.lines, start.line, end.line)) continue;
    findings.push({
      ruleId: match.rule.id,
      ruleName: match.rule.name,
      severity: match.rule.severity,
      path: chunk.path,
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
      secret: ownCopy(match.secret),
      match: ownCopy(match.match),
      fingerprint: fingerprint(match.rule.id, chunk.path, match.secret),
      entropy: Math.round(match.entropy * 1000) / 1000,
      ...(match.companion !== undefined ? { companion: match.companion } : {}),
      ...(chunk.commit ? { commit: chunk.commit } : {}),
    });
  }
  return findings;
}

/**
 * A copy of `part` that does not keep the text it was cut from alive. V8 makes a substring of 13
 * characters or more a view into its parent string, so a finding's secret, kept until the report,
 * would hold its whole chunk: one 4 MB window of a big file per finding (a 2 GB file with 2,226
 * findings peaked at 2.8 GB). The concatenation makes a small flat string, and the slice a view of that.
 */
const ownCopy = (part: string): string => ` ${part}`.slice(1);

/**
 * Runs the rules whose keywords occur in the layer's text (the `number`th layer scanned); offsets
 * are mapped to the outer text. Deferrable rules are left in `deferred` for runDeferred.
 */
function collectMatches(ruleset: Ruleset, layer: Layer, depth: number, number: number, out: RawMatch[], deferred: Deferred[]): void {
  const keywords = findKeywords(ruleset.prefilter, layer.text);
  for (const rule of selectRules(ruleset.prefilter, keywords, ruleset.rules)) {
    const run = { layer, depth, keywords, order: number * ruleset.rules.length + (ruleset.order.get(rule) ?? 0) };
    if (rule.kind === "regex" && ruleset.deferrable.has(rule)) deferred.push({ rule, run });
    else if (rule.kind === "regex") collectRegexMatches(rule, run, out);
    else if (layer.entropy) collectEntropyMatches(rule, run, out);
  }
}

interface Deferred {
  rule: CompiledRegexRule;
  run: Run;
}

/**
 * Runs the deferred rules where they can change the findings, in two steps. A companion that is
 * never reported runs only if a rule requiring it was selected somewhere in the chunk; a rule with
 * `requires` only if its companion matched somewhere in the chunk. Elsewhere their matches could
 * not be reported (attachCompanion) and veto nothing (no validator), so their runs would change
 * nothing. The AWS secret key's pattern, any 40 base64 characters, was the costliest regex on the
 * bench tree. The matches are then put back in the order a straight run gives them, which
 * dropOverlaps relies on to break ties.
 */
function runDeferred(deferred: readonly Deferred[], raw: RawMatch[]): void {
  if (deferred.length === 0) return;
  const before = raw.length;
  const wanted = new Set(deferred.map(({ rule }) => rule.requires?.rule));
  for (const { rule, run } of deferred) {
    if (!rule.requires && wanted.has(rule.id)) collectRegexMatches(rule, run, raw);
  }
  const matched = new Set(raw.filter((match) => !match.vetoed).map((match) => match.rule.id));
  for (const { rule, run } of deferred) {
    if (rule.requires && matched.has(rule.requires.rule)) collectRegexMatches(rule, run, raw);
  }
  if (raw.length > before) raw.sort((a, b) => a.order - b.order); // stable: a rule's matches stay in text order
}

// Lockfiles, checksum lists, source maps and minified bundles are full of high-entropy strings
// that are hashes or code, never assignments of secrets: the entropy detector skips them.
const NO_ENTROPY_PATHS =
  /(?:^|\/)(?:package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?|go\.sum|go\.work\.sum|Cargo\.lock|poetry\.lock|Pipfile\.lock|uv\.lock|pdm\.lock|Gemfile\.lock|composer\.lock|Podfile\.lock|mix\.lock|flake\.lock|packages\.lock\.json|gradle\.lockfile|[^/]*\.(?:sum|sha1|sha256|sha512|md5|map|min\.js|min\.css|svg)|(?:SHA\d*|MD5)SUMS?(?:\.\w+)?)$/i;

export function entropyAllowedIn(path: string): boolean {
  return !NO_ENTROPY_PATHS.test(path);
}

function collectRegexMatches(rule: CompiledRegexRule, run: Run, out: RawMatch[]): void {
  const { layer, depth, order } = run;
  const text = layer.text;
  for (const found of regexRuleMatches(rule, text, run.keywords)) {
    const span = found.indices?.[rule.secretGroup];
    const secret = found[rule.secretGroup];
    if (!span || secret === undefined || secret.length === 0) continue;
    const entropy = shannonEntropy(secret);
    if (rule.minEntropy !== undefined && entropy < rule.minEntropy) continue;
    const [start, end] = layer.outer(span[0], span[1]);
    if (rule.validate && !runValidator(rule.validate, secret)) {
      // A token whose checksum or structure is wrong is not a secret, whatever its entropy.
      out.push({ rule, start, end, secret, match: found[0], entropy, depth, vetoed: true, order });
      continue;
    }
    if (isAllowedSecret(rule.allow, secret) || looksLikePlaceholder(secret)) continue;
    out.push({ rule, start, end, secret, match: found[0], entropy, depth, order });
  }
}

/**
 * Every non-empty match of the rule's pattern in the text, in order, as a global search finds them.
 * `keywords`: where the keywords occur in the text (the prefilter's answer; found again when not given).
 */
export function regexRuleMatches(
  rule: CompiledRegexRule,
  text: string,
  keywords: KeywordPositions = findKeywords(buildPrefilter([rule]), text),
): Iterable<RegExpExecArray> {
  return rule.anchored ? anchoredMatches(rule.anchored, text, keywords.get(rule.anchored.keyword) ?? []) : globalMatches(rule.regex, text);
}

/** Every non-empty match of a global regex, in order. */
function* globalMatches(regex: RegExp, text: string): Generator<RegExpExecArray> {
  regex.lastIndex = 0;
  for (let found = regex.exec(text); found !== null; found = regex.exec(text)) {
    if (found[0].length === 0) regex.lastIndex++;
    else yield found;
  }
}

/**
 * The matches a global search would find, for a rule whose every match holds its keyword between
 * minOffset and maxOffset characters after the match's start: the pattern is tried (sticky) only at
 * those starts before each occurrence of the keyword (`positions`, ascending, ignoring case), in
 * order, never twice, and never before the end of the previous match. On the bench tree this skips
 * most of each selected rule's work.
 */
function* anchoredMatches(search: AnchoredSearch, text: string, positions: readonly number[]): Generator<RegExpExecArray> {
  const { literal, sticky, minOffset, maxOffset } = search;
  let next = 0; // the first start not yet tried (or inside the previous match)
  for (const position of positions) {
    if (literal !== undefined && !text.startsWith(literal, position)) continue; // a case-sensitive pattern
    const last = position - minOffset;
    let start = Math.max(next, position - maxOffset);
    while (start <= last) {
      sticky.lastIndex = start;
      const found = sticky.exec(text);
      if (found !== null && found[0].length > 0) {
        start += found[0].length;
        yield found;
      } else start++;
    }
    next = Math.max(next, start);
  }
}

// Names that hold public or derived values (hashes, ids, versions) or fakes, not credentials.
const NOT_SECRET_NAME =
  /public|pubkey|hash|sha\d*\b|sha_|digest|checksum|integrity|fingerprint|uuid|guid|etag|commit|nonce|version|_id\b|url|uri\b|endpoint|path|file|name\b|type\b|format|length|size|count|example|sample|dummy|mock|fake|placeholder|regex|pattern|field|label|header|policy|expire|ttl/i;

/** Lines longer than this are minified code or data, not assignments a person wrote. */
const MAX_ASSIGNMENT_LINE = 1000;

function collectEntropyMatches(rule: CompiledEntropyRule, run: Run, out: RawMatch[]): void {
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

/** Removes vetoed matches, and entropy matches that overlap one. */
function dropVetoed(raw: RawMatch[]): void {
  const vetoed = raw.filter((match) => match.vetoed);
  if (vetoed.length === 0) return;
  const keep = raw.filter(
    (match) =>
      !match.vetoed &&
      !(match.rule.kind === "entropy" && vetoed.some((veto) => match.start < veto.end && veto.start < match.end)),
  );
  raw.splice(0, raw.length, ...keep);
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

export function isAllowedSecret(allow: CompiledAllow | undefined, secret: string): boolean {
  if (!allow) return false;
  if (allow.regexes.some((regex) => regex.test(secret))) return true;
  const lower = secret.toLowerCase();
  return allow.stopwords.some((word) => lower.includes(word));
}

/** For a rule with `requires`: finds the nearest companion match and keeps its secret; false if none. */
function attachCompanion(match: RawMatch, all: readonly RawMatch[], lines: LineIndex): boolean {
  const rule = match.rule;
  if (rule.kind !== "regex" || !rule.requires) return true;
  const { rule: companionId, within } = rule.requires;
  const line = lines.position(match.start).line;
  let nearest: RawMatch | undefined;
  let nearestDistance = Number.POSITIVE_INFINITY;
  for (const other of all) {
    if (other.rule.id !== companionId) continue;
    const distance = Math.abs(lines.position(other.start).line - line);
    if (distance <= within && distance < nearestDistance) {
      nearest = other;
      nearestDistance = distance;
    }
  }
  if (!nearest) return false;
  match.companion = nearest.secret;
  return true;
}

/**
 * Where two findings cover overlapping text, keep one: a specific rule beats the generic
 * entropy detector, a match in the text as written beats one in decoded text, then the longer
 * secret wins, then the rule listed first.
 */
function dropOverlaps(matches: RawMatch[]): RawMatch[] {
  const rank = (match: RawMatch): number => (match.rule.kind === "entropy" ? 2 : 0) + (match.depth > 0 ? 1 : 0);
  const ordered = [...matches].sort(
    (a, b) => rank(a) - rank(b) || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const kept: RawMatch[] = [];
  for (const match of ordered) {
    if (!kept.some((other) => match.start < other.end && other.start < match.end)) kept.push(match);
  }
  return kept.sort((a, b) => a.start - b.start);
}

function touches(lines: ReadonlySet<number>, first: number, last: number): boolean {
  for (let line = first; line <= last; line++) if (lines.has(line)) return true;
  return false;
}

/** A position in a window's text (see Chunk.window) as a position in its file. */
function inFile(position: { line: number; column: number }, window: Chunk["window"]): { line: number; column: number } {
  if (!window) return position;
  const column = position.line === 1 ? position.column + window.column - 1 : position.column;
  return { line: position.line + window.line - 1, column };
}

/** Maps offsets to 1-based line and UTF-16 column. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) this.starts.push(at + 1);
  }

  position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.starts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - (this.starts[low] ?? 0) + 1 };
  }
}
