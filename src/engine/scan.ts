// The engine: text in, findings out. No I/O, no git.
import { fingerprint } from "../fingerprint.js";
import type { Chunk, Finding } from "../types.js";
import { classifyCharset, shannonEntropy } from "./entropy.js";
import { buildPrefilter, type Prefilter, selectRules } from "./prefilter.js";
import type { CompiledAllow, CompiledEntropyRule, CompiledRegexRule, CompiledRule } from "./rules.js";
import { runValidator } from "./validators.js";

export interface Ruleset {
  rules: CompiledRule[];
  prefilter: Prefilter;
}

export function createRuleset(rules: CompiledRule[]): Ruleset {
  return { rules, prefilter: buildPrefilter(rules) };
}

/** A match before it is placed on a line: offsets into the chunk's text. */
interface RawMatch {
  rule: CompiledRule;
  start: number;
  end: number;
  secret: string;
  match: string;
  entropy: number;
  /** The secret of the rule named in `requires`, when one was found (AWS key id, Twilio SID). */
  companion?: string;
}

export function scanChunk(chunk: Chunk, ruleset: Ruleset): Finding[] {
  const text = chunk.text;
  const raw: RawMatch[] = [];
  for (const rule of selectRules(ruleset.prefilter, text, ruleset.rules)) {
    if (rule.kind === "regex") collectRegexMatches(rule, text, raw);
    else collectEntropyMatches(rule, text, raw);
  }
  if (raw.length === 0) return [];

  const lines = new LineIndex(text);
  const reportable = raw.filter((match) => match.rule.report && attachCompanion(match, raw, lines));
  const findings: Finding[] = [];
  for (const match of dropOverlaps(reportable)) {
    const start = lines.position(match.start);
    const end = lines.position(match.end);
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
      secret: match.secret,
      match: match.match,
      fingerprint: fingerprint(match.rule.id, chunk.path, match.secret),
      entropy: Math.round(match.entropy * 1000) / 1000,
      ...(match.companion !== undefined ? { companion: match.companion } : {}),
      ...(chunk.commit ? { commit: chunk.commit } : {}),
    });
  }
  return findings;
}

function collectRegexMatches(rule: CompiledRegexRule, text: string, out: RawMatch[]): void {
  const regex = rule.regex;
  regex.lastIndex = 0;
  for (let found = regex.exec(text); found !== null; found = regex.exec(text)) {
    if (found[0].length === 0) {
      regex.lastIndex++;
      continue;
    }
    const span = found.indices?.[rule.secretGroup];
    const secret = found[rule.secretGroup];
    if (!span || secret === undefined || secret.length === 0) continue;
    const entropy = shannonEntropy(secret);
    if (rule.minEntropy !== undefined && entropy < rule.minEntropy) continue;
    if (rule.validate && !runValidator(rule.validate, secret)) continue;
    if (isAllowedSecret(rule.allow, secret)) continue;
    out.push({ rule, start: span[0], end: span[1], secret, match: found[0], entropy });
  }
}

function collectEntropyMatches(rule: CompiledEntropyRule, text: string, out: RawMatch[]): void {
  const regex = rule.regex;
  regex.lastIndex = 0;
  for (let found = regex.exec(text); found !== null; found = regex.exec(text)) {
    const group = [1, 2, 3, 4].find((index) => found[index] !== undefined);
    const span = group === undefined ? undefined : found.indices?.[group];
    const value = group === undefined ? undefined : found[group];
    if (!span || value === undefined) continue;
    const charset = classifyCharset(value);
    const floor = charset ? rule.charsets[charset] : undefined;
    if (!floor || value.length < floor.minLength) continue;
    const entropy = shannonEntropy(value);
    if (entropy < floor.threshold || !mixesCharacterClasses(value, charset)) continue;
    if (isAllowedSecret(rule.allow, value)) continue;
    out.push({ rule, start: span[0], end: span[1], secret: value, match: found[0], entropy });
  }
}

/** Random keys mix letters and digits; identifiers and words do not. */
function mixesCharacterClasses(value: string, charset: string | undefined): boolean {
  if (charset === "hex") return /[0-9]/.test(value) && /[a-f]/i.test(value);
  return /[0-9]/.test(value) && /[a-z]/.test(value) && /[A-Z]/.test(value);
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
 * entropy detector, then the longer secret wins, then the rule listed first.
 */
function dropOverlaps(matches: RawMatch[]): RawMatch[] {
  const rank = (match: RawMatch): number => (match.rule.kind === "entropy" ? 1 : 0);
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
