// The engine: text in, path-free matches out (rule, offsets, position in the text, secret,
// entropy). No I/O, no git, no paths: the run step stamps each match with where its text was found.
import type { Match } from "../types.js";
import type { ConfigFileKind } from "./config-files.js";
import { collectEntropyMatches } from "./entropy.js";
import { shannonEntropy } from "./randomness.js";
import { collectPasswordMatches } from "./passwords.js";
import { decodeLayers, type Layer, nest } from "./decode.js";
import { LineIndex } from "./line-index.js";
import { looksLikePlaceholder } from "./placeholders.js";
import { type KeywordPositions, findKeywords, selectRules } from "./prefilter.js";
import { piecewiseMatches, regexRuleMatches } from "./regex-matches.js";
import { type CompiledRegexRule, type CompiledRule, isAllowedSecret } from "./rules.js";
import type { Ruleset } from "./ruleset.js";
import { runValidator } from "./validators.js";

export interface FindOptions {
  /** Ids of rules that do not run on this text (see rulesSkippedAt): the entropy detector in a lockfile, say. */
  skip?: ReadonlySet<string>;
  /** The text is a configuration file's, and which kind (config-files.ts configFileKind): its bare values are literal text. */
  configFile?: ConfigFileKind;
}

/** A match before it is placed on a line: offsets into the chunk's text. */
export interface RawMatch {
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
export interface Run {
  layer: Layer;
  depth: number;
  /** Where the keywords occur in the layer's text. */
  keywords: KeywordPositions;
  /** The layer's number × the number of rules + the rule's place: the order a straight run makes its matches in. */
  order: number;
  /** The layer is a configuration file's own text (FindOptions.configFile); text decoded from it never is. */
  configFile: ConfigFileKind;
}

/** How many times decoded text is decoded again (base64 inside base64). */
const MAX_DEPTH = 2;

const OUTER: Layer = { text: "", entropy: true, outer: (start, end) => [start, end] };

/** The matches of the ruleset's rules in the text, in text order; overlapping matches are resolved (dropOverlaps). */
export function findMatches(text: string, ruleset: Ruleset, options: FindOptions = {}): Match[] {
  const raw: RawMatch[] = [];
  const deferred: Deferred[] = [];
  const skip = options.skip ?? NONE;
  let layers = 0;
  const configFile = options.configFile;
  const scanLayer = (layer: Layer, depth: number): void => collectMatches(ruleset, layer, depth, layers++, skip, depth === 0 ? configFile : undefined, raw, deferred);
  scanLayer({ ...OUTER, text }, 0);
  let pending = decodeLayers(text).map((layer) => ({ layer, depth: 1 }));
  while (pending.length > 0) {
    const next: typeof pending = [];
    for (const { layer, depth } of pending) {
      scanLayer(layer, depth);
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
  return dropOverlaps(reportable).map((match) => {
    const start = lines.position(match.start);
    const end = lines.position(match.end);
    return {
      ruleId: match.rule.id,
      ruleName: match.rule.name,
      severity: match.rule.severity,
      start: match.start,
      end: match.end,
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
      secret: ownCopy(match.secret),
      match: ownCopy(match.match),
      entropy: Math.round(match.entropy * 1000) / 1000,
      ...(match.companion !== undefined ? { companion: match.companion } : {}),
    };
  });
}

const NONE: ReadonlySet<string> = new Set();

/**
 * A copy of `part` that does not keep the text it was cut from alive. V8 makes a substring of 13
 * characters or more a view into its parent string, so a finding's secret, kept until the report,
 * would hold its whole chunk: a whole window of a big file per finding (a 2 GB file with 2,226
 * findings peaked at 2.8 GB). The concatenation makes a small flat string, and the slice a view of that.
 */
const ownCopy = (part: string): string => ` ${part}`.slice(1);

/**
 * Runs the rules whose keywords occur in the layer's text (the `number`th layer scanned); offsets
 * are mapped to the outer text. Deferrable rules are left in `deferred` for runDeferred.
 */
function collectMatches(
  ruleset: Ruleset,
  layer: Layer,
  depth: number,
  number: number,
  skip: ReadonlySet<string>,
  configFile: ConfigFileKind,
  out: RawMatch[],
  deferred: Deferred[],
): void {
  const keywords = findKeywords(ruleset.prefilter, layer.text);
  const selected = selectRules(ruleset.prefilter, keywords);
  // A dotenv file's every name is read (entropy.ts), so its random-value detector runs whether or not a keyword is there.
  const randomValues = configFile === "dotenv" ? ruleset.rules.find((rule) => rule.kind === "entropy" && rule.values !== "password") : undefined;
  if (randomValues && !selected.includes(randomValues)) selected.push(randomValues);
  for (const rule of selected) {
    if (skip.has(rule.id)) continue;
    const run = { layer, depth, keywords, order: number * ruleset.rules.length + (ruleset.order.get(rule) ?? 0), configFile };
    if (rule.kind === "regex" && ruleset.deferrable.has(rule)) deferred.push({ rule, run });
    else if (rule.kind === "regex") collectRegexMatches(rule, run, out);
    else if (!layer.entropy) continue;
    else if (rule.values === "password") collectPasswordMatches(rule, run, out);
    else collectEntropyMatches(rule, run, out);
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
 * nothing; and such patterns are costly, as the AWS secret key's (any 40 base64 characters) matches
 * almost anywhere. The matches are then put back in the order a straight run gives them, which
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

function collectRegexMatches(rule: CompiledRegexRule, run: Run, out: RawMatch[]): void {
  const before = out.length;
  try {
    addRegexMatches(rule, run, regexRuleMatches(rule, run.layer.text, run.keywords), out);
  } catch (error) {
    // V8 stops a regex whose backtracking outgrows its stack with a RangeError: an unbounded repeat
    // over a run of megabytes (a "JWT" of two 3 MB parts). The text is then searched a piece at a time.
    if (!(error instanceof RangeError)) throw error;
    out.length = before;
    addRegexMatches(rule, run, piecewiseMatches(rule.regex, run.layer.text), out);
  }
}

function addRegexMatches(rule: CompiledRegexRule, run: Run, matches: Iterable<RegExpExecArray>, out: RawMatch[]): void {
  const { layer, depth, order } = run;
  for (const found of matches) {
    const span = found.indices?.[rule.secretGroup];
    const secret = found[rule.secretGroup];
    if (!span || secret === undefined || secret.length === 0) continue;
    const entropy = shannonEntropy(secret);
    if (rule.minEntropy !== undefined && entropy < rule.minEntropy) continue;
    const [start, end] = layer.outer(span[0], span[1]);
    if (rule.validate && !runValidator(rule.validate, secret, found[0])) {
      // A token whose checksum or structure is wrong is not a secret, whatever its entropy.
      out.push({ rule, start, end, secret, match: found[0], entropy, depth, vetoed: true, order });
      continue;
    }
    if (isAllowedSecret(rule.allow, secret) || looksLikePlaceholder(secret)) continue;
    out.push({ rule, start, end, secret, match: found[0], entropy, depth, order });
  }
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
 * secret wins, then a match read in context (a rule that read the provider's name beside the
 * value, or found its companion, says whose it is better than one that read a shared format alone:
 * a JWT, an `sk_live_` key), then the rule listed first.
 */
function dropOverlaps(matches: RawMatch[]): RawMatch[] {
  if (matches.length < 2) return matches;
  const specificity = (rule: CompiledRule): number => (rule.kind === "entropy" ? 4 : rule.def.tags.includes("generic") ? 2 : 0);
  const rank = (match: RawMatch): number => specificity(match.rule) + (match.depth > 0 ? 1 : 0);
  const shapeOnly = (match: RawMatch): number =>
    match.match.length === match.secret.length && !("requires" in match.rule.def && match.rule.def.requires) ? 1 : 0;
  const ordered = [...matches].sort(
    (a, b) => rank(a) - rank(b) || b.end - b.start - (a.end - a.start) || shapeOnly(a) - shapeOnly(b) || a.start - b.start,
  );
  // The kept matches by where they start, OVERLAP_BUCKET characters a bucket: a match can overlap only
  // one that starts less than the longest match's length before it, so a few buckets are read for each,
  // not every match kept (a file with 100,000 keys took seconds to compare each with all the others).
  let longest = 0;
  for (const match of matches) longest = Math.max(longest, match.end - match.start);
  const kept: RawMatch[] = [];
  const keptByBucket = new Map<number, RawMatch[]>();
  const overlapsKept = (match: RawMatch): boolean => {
    const last = Math.floor(match.end / OVERLAP_BUCKET);
    for (let bucket = Math.floor((match.start - longest) / OVERLAP_BUCKET); bucket <= last; bucket++) {
      for (const other of keptByBucket.get(bucket) ?? []) if (match.start < other.end && other.start < match.end) return true;
    }
    return false;
  };
  for (const match of ordered) {
    if (overlapsKept(match)) continue;
    kept.push(match);
    const bucket = Math.floor(match.start / OVERLAP_BUCKET);
    const same = keptByBucket.get(bucket);
    if (same) same.push(match);
    else keptByBucket.set(bucket, [match]);
  }
  return kept.sort((a, b) => a.start - b.start);
}

const OVERLAP_BUCKET = 1024;
