// One pass over the text for every rule keyword: where each keyword occurs. Only rules whose keyword
// occurs run, and anchored rules (anchor.ts) and the entropy detector try their regex only at those
// places, so no rule searches the whole text again for its own keyword.
//
// The pass looks up each position's last three characters (lower-cased) in a table of the keywords'
// rarest three, and compares a keyword only where they are equal: ~5× faster than V8 running one
// case-insensitive alternation of ~150 keywords, which tries the alternatives at every position.
// Keywords that are not plain ASCII (custom rules may have them) are found by a regex each.
import type { CompiledRule } from "./rules.js";

export interface Prefilter {
  /** Rules that run whatever the text (none have no keywords today, but custom rules may). */
  always: CompiledRule[];
  /** For each lower-cased keyword: the rules it (or any keyword it contains) triggers. */
  rulesByKeyword: Map<string, CompiledRule[]>;
  /** The plain ASCII keywords' table, or undefined when there are none. */
  table: KeywordTable | undefined;
  /** The other keywords, each with a case-insensitive regex that finds it. */
  others: { keyword: string; regex: RegExp }[];
}

/** For each keyword that occurs in a text (lower-cased, as rules list them): where it starts, in ascending order. */
export type KeywordPositions = Map<string, number[]>;

interface KeywordTable {
  /** Lower-case, ASCII. */
  keywords: string[];
  /** By hash of three lower-cased characters: 1 + the number of the group of entries holding them, or 0. */
  slots: Uint16Array;
  /** Group g's entries are entries[groupStarts[g]] up to entries[groupStarts[g + 1]]. */
  groupStarts: Uint32Array;
  /**
   * Two numbers an entry: the three characters as the scan's rolling value holds them, then the
   * keyword's index × 256 + where in the keyword those characters are.
   */
  entries: Int32Array;
  /** Two-character keywords, checked once more at the text's end (where no third character follows). */
  short: number[];
}

/** Letters that are frequent in code and prose: a keyword is looked up by its three least common characters. */
const COMMON = "etaoinsrhldcu";
const commonness = (char: string): number => (COMMON.includes(char) ? 2 : /[a-z]/.test(char) ? 1 : 0);

/** Where the keyword's least common three characters start ("x-s" in "index-servers", not "ind"). */
function rarestTriple(keyword: string): number {
  let best = 0;
  let bestCost = Number.POSITIVE_INFINITY;
  for (let at = 0; at + 3 <= keyword.length; at++) {
    const cost = [...keyword.slice(at, at + 3)].reduce((sum, char) => sum + commonness(char), 0);
    if (cost < bestCost) {
      best = at;
      bestCost = cost;
    }
  }
  return best;
}

/** ASCII lower-casing by character code; every other character is 0, which no keyword holds. */
const LOWER = new Uint8Array(65536);
for (let code = 1; code < 128; code++) LOWER[code] = code >= 65 && code <= 90 ? code | 32 : code;

/** Three 7-bit characters, as the scan's rolling value holds them, to a 16-bit slot. */
const slotOf = (three: number): number => Math.imul(three, 0x9e3779b1) >>> 16;

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const isPlain = (keyword: string): boolean => keyword.length >= 2 && keyword.length < 256 && /^[\x01-\x7f]+$/.test(keyword);

export function buildPrefilter(rules: readonly CompiledRule[]): Prefilter {
  const keywords = [...new Set(rules.flatMap((rule) => rule.keywords))];
  const rulesByKeyword = new Map<string, CompiledRule[]>();
  for (const keyword of keywords) {
    rulesByKeyword.set(
      keyword,
      rules.filter((rule) => rule.keywords.some((own) => keyword.includes(own))),
    );
  }
  const plain = keywords.filter(isPlain);
  return {
    always: rules.filter((rule) => rule.keywords.length === 0),
    rulesByKeyword,
    table: plain.length > 0 ? buildTable(plain) : undefined,
    others: keywords
      .filter((keyword) => !isPlain(keyword))
      .map((keyword) => ({ keyword, regex: new RegExp(escapeRegex(keyword), "gi") })),
  };
}

function buildTable(keywords: readonly string[]): KeywordTable {
  const bySlot = new Map<number, number[]>();
  const add = (three: number, entry: number): void => {
    const slot = slotOf(three);
    const group = bySlot.get(slot) ?? [];
    group.push(three, entry);
    bySlot.set(slot, group);
  };
  const short: number[] = [];
  keywords.forEach((keyword, index) => {
    const offset = rarestTriple(keyword);
    const [a = 0, b = 0, c] = [...keyword.slice(offset)].map((char) => LOWER[char.charCodeAt(0)] ?? 0);
    if (c !== undefined) add((a << 14) | (b << 7) | c, index * 256 + offset);
    else {
      // Any third character (0 stands for every non-ASCII one) follows a two-character keyword.
      short.push(index);
      for (let third = 0; third < 128; third++) add((a << 14) | (b << 7) | third, index * 256);
    }
  });
  const slots = new Uint16Array(65536);
  const groups = [...bySlot];
  const groupStarts = new Uint32Array(groups.length + 1);
  const entries: number[] = [];
  groups.forEach(([slot, group], number) => {
    slots[slot] = number + 1;
    entries.push(...group);
    groupStarts[number + 1] = entries.length;
  });
  return { keywords: [...keywords], slots, groupStarts, entries: Int32Array.from(entries), short };
}

/** Where every keyword occurs in the text (overlapping occurrences too), ignoring ASCII case. */
export function findKeywords(prefilter: Prefilter, text: string): KeywordPositions {
  const found: KeywordPositions = new Map();
  if (prefilter.table) scanTable(prefilter.table, text, found);
  for (const { keyword, regex } of prefilter.others) {
    const positions: number[] = [];
    regex.lastIndex = 0;
    for (let match = regex.exec(text); match !== null; match = regex.exec(text)) {
      positions.push(match.index);
      regex.lastIndex = match.index + 1; // occurrences may overlap
    }
    if (positions.length > 0) found.set(keyword, positions);
  }
  return found;
}

/** The rules worth running on a text where `found` keywords occur, in their original order. */
export function selectRules(prefilter: Prefilter, found: KeywordPositions, allRules: readonly CompiledRule[]): CompiledRule[] {
  const selected = new Set<CompiledRule>(prefilter.always);
  for (const keyword of found.keys()) for (const rule of prefilter.rulesByKeyword.get(keyword) ?? []) selected.add(rule);
  return selected.size === 0 ? [] : allRules.filter((rule) => selected.has(rule));
}

function scanTable(table: KeywordTable, text: string, found: KeywordPositions): void {
  const { slots, groupStarts, entries } = table;
  /** By keyword index: its positions so far. */
  const positions: (number[] | undefined)[] = [];
  const length = text.length;
  let three = 0;
  // The hot loop: a table lookup a character; the entries are looked at on ~2% of characters.
  for (let at = 0; at < length; at++) {
    three = ((three << 7) | (LOWER[text.charCodeAt(at)] ?? 0)) & 0x1fffff;
    const group = slots[Math.imul(three, 0x9e3779b1) >>> 16] ?? 0;
    if (group === 0) continue;
    const end = groupStarts[group] ?? 0;
    for (let entry = groupStarts[group - 1] ?? 0; entry < end; entry += 2) {
      if (entries[entry] !== three) continue;
      const where = entries[entry + 1] ?? 0;
      const index = where >> 8;
      const start = at - 2 - (where & 255);
      if (occursAt(text, start, table.keywords[index] ?? "")) (positions[index] ??= []).push(start);
    }
  }
  for (const index of table.short) {
    if (occursAt(text, length - 2, table.keywords[index] ?? "")) (positions[index] ??= []).push(length - 2);
  }
  positions.forEach((starts, index) => {
    if (starts) found.set(table.keywords[index] ?? "", starts);
  });
}

/** True when `keyword` (lower-case ASCII) starts at `start`, ignoring ASCII case. */
function occursAt(text: string, start: number, keyword: string): boolean {
  if (start < 0 || start + keyword.length > text.length) return false;
  for (let i = 0; i < keyword.length; i++) {
    if (LOWER[text.charCodeAt(start + i)] !== keyword.charCodeAt(i)) return false;
  }
  return true;
}
