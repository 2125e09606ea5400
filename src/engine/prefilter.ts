// One pass over the text for every rule keyword: where each keyword occurs. Only rules whose keyword
// occurs run, and anchored rules (anchor.ts) and the entropy detector try their regex only at those
// places, so no rule searches the whole text again for its own keyword.
//
// The pass looks up each position's next three characters (ASCII letters lower-cased) in a table of
// the keywords' rarest three, and compares a keyword only where they are in the table. Its hot loop,
// comparisons included, is WebAssembly (prefilter.wat): the text is copied in a byte a character
// (latin1: a character beyond U+00FF keeps its low byte, which may make an occurrence there but not in
// the text, so each occurrence found is checked against the text itself). WebAssembly because this
// loop runs over every byte scanned: the same loop in JavaScript, or one case-insensitive regex
// alternation of all keywords, is several times slower (README, Performance).
// Keywords that are not plain ASCII (custom rules may have them) are found by a regex each.
import { COMMON_TRIGRAMS } from "./common-trigrams.js";
import { WASM_BASE64 } from "./prefilter-wasm.js";
import type { CompiledRule } from "./rules.js";

export interface Prefilter {
  /** The rules the prefilter was built from: selected rules run in this order. */
  rules: readonly CompiledRule[];
  /** Each rule's place in `rules`. */
  order: ReadonlyMap<CompiledRule, number>;
  /** For each lower-cased keyword: the places of the rules it (or any keyword it contains) triggers. */
  placesByKeyword: Map<string, Int32Array>;
  /** The places of the rules that run whatever the text: those without keywords, which onlyPaths keeps to their paths (rulesSkippedAt). */
  alwaysPlaces: Int32Array;
  /** selectRules' marks, one a rule, all 0 between its calls. */
  marks: Uint8Array;
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
  /** The hot loop's memory (laid out by tableFrom), and where the text's segments and the occurrences go in it. */
  memory: Buffer;
  layout: TableLayout;
  /** The occurrences the hot loop wrote: two numbers each, where one starts and its keyword's number. */
  output: Int32Array;
  /** scanTable's positions of each keyword (by its number) in the text it is scanning; all undefined between its calls. */
  positions: (number[] | undefined)[];
  occurrences: (
    input: number,
    length: number,
    from: number,
    to: number,
    slots: number,
    groups: number,
    entries: number,
    keywords: number,
    out: number,
  ) => number;
}

/** Where the hot loop's memory holds what (prefilter.wat says what each part holds). */
interface TableLayout {
  slots: number;
  groups: number;
  entries: number;
  keywords: number;
  /**
   * The segment of the text looked at, with up to `margin` characters on each side (the longest
   * keyword's length: a keyword found in the segment may start before it or end after it), and room
   * for the bytes past them that a 4-byte load also reads.
   */
  input: number;
  margin: number;
  out: number;
}

/** How many positions of the text the hot loop looks at in one call. */
export const SEGMENT = 32 * 1024;

/** Compiled once a thread, on first use; each keyword table gets its own instance and memory. */
let wasmModule: WebAssembly.Module | undefined;

/**
 * By character code: 2 for letters that are frequent in code and prose ("etaoinsrhldcu"), 1 for the
 * other lower-case letters, 0 for the rest: among three-character sequences that are not common
 * ones (COMMON_TRIGRAMS), the keyword is looked up by the one of least common characters.
 */
const COMMONNESS = new Uint8Array(128);
for (let code = 97; code <= 122; code++) COMMONNESS[code] = "etaoinsrhldcu".includes(String.fromCharCode(code)) ? 2 : 1;
const commonness = (code: number): number => (code < 128 ? (COMMONNESS[code] ?? 0) : 0);

/** Each common three-character sequence (tripleOf) and its place, most common first; made on first use. */
let commonTriples: Map<number, number> | undefined;

function commonPlace(three: number): number | undefined {
  if (!commonTriples) {
    commonTriples = new Map();
    for (let at = 0; at + 3 <= COMMON_TRIGRAMS.length; at += 3) {
      const triple = tripleOf(COMMON_TRIGRAMS.charCodeAt(at), COMMON_TRIGRAMS.charCodeAt(at + 1), COMMON_TRIGRAMS.charCodeAt(at + 2));
      commonTriples.set(triple, at / 3);
    }
  }
  return commonTriples.get(three);
}

/**
 * Where the keyword's least common three characters start: every position of the text where they
 * are is compared with the keyword. A sequence that is not among the common ones beats any that is,
 * and a less common one beats a more common one ("gma" in "figma", not "fig" as in "config"); letter
 * frequencies break ties ("x-s" in "index-servers", not "ind").
 */
function rarestTriple(keyword: string): number {
  let best = 0;
  let bestCost = Number.POSITIVE_INFINITY;
  for (let at = 0; at + 3 <= keyword.length; at++) {
    const [a, b, c] = [keyword.charCodeAt(at), keyword.charCodeAt(at + 1), keyword.charCodeAt(at + 2)];
    const place = commonPlace(tripleOf(a, b, c));
    const rank = place === undefined ? 0 : COMMON_TRIGRAMS.length / 3 - place;
    const cost = rank * 8 + commonness(a) + commonness(b) + commonness(c);
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

/** A character code as the hot loop folds it: its low byte, OR 0x20 (ASCII letters lower-cased). */
const fold = (code: number): number => (code & 0xff) | 0x20;

/** Three character codes as the hot loop reads them: one little-endian number, the first lowest. */
const tripleOf = (a: number, b: number, c: number): number => fold(a) | (fold(b) << 8) | (fold(c) << 16);

/** True when the three characters at `at` are, case folded, among the common sequences of code and prose (COMMON_TRIGRAMS). */
export function isCommonTrigram(text: string, at: number): boolean {
  return commonPlace(tripleOf(text.charCodeAt(at), text.charCodeAt(at + 1), text.charCodeAt(at + 2))) !== undefined;
}

/** How many slots the table has: with 2^17 rather than 2^16, half as many positions pass one by chance (2^18 was no faster). */
const SLOTS = 1 << 17;

/** Three folded characters to a slot (prefilter.wat computes the same). */
const slotOf = (three: number): number => Math.imul(three, 0x9e3779b1) >>> 15;

export const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const isPlain = (keyword: string): boolean => keyword.length >= 2 && keyword.length < 256 && /^[\x01-\x7f]+$/.test(keyword);

/**
 * A prefilter as plain data (JSON), rules given by their index: what buildPrefilter works out from a
 * rule list's keywords. The build works it out for the default rules (config/default-rules.ts), so
 * that a start (the CLI's, each worker's) only turns it into tables: worked out at start, before the
 * code is warm, it cost several milliseconds. Any other rule list has it worked out.
 */
export interface PrefilterData {
  /** The keywords of the rules it was worked out for, in order (keywordsKey): it serves exactly those. */
  ruleKeywords: string;
  /** Rules without keywords. */
  always: number[];
  /** Every keyword, lower-cased, and for each the rules it triggers. */
  keywords: string[];
  rulesByKeyword: number[][];
  /** The plain ASCII keywords' table (KeywordTable): group n + 1 is at slot slots[n]. */
  table?: { keywords: string[]; slots: number[]; groupStarts: number[]; entries: number[] };
  /** The keywords that are not plain ASCII. */
  others: string[];
}

const keywordsKey = (rules: readonly CompiledRule[]): string => JSON.stringify(rules.map((rule) => rule.keywords));

/** The prefilter of these rules; `precomputed` (prefilterData's) is used when it was made for rules with the same keywords. */
export function buildPrefilter(rules: readonly CompiledRule[], precomputed?: PrefilterData): Prefilter {
  const data = precomputed && precomputed.ruleKeywords === keywordsKey(rules) ? precomputed : prefilterData(rules);
  return {
    rules: [...rules],
    order: new Map(rules.map((each, index) => [each, index])),
    placesByKeyword: new Map(data.keywords.map((keyword, index) => [keyword, Int32Array.from(data.rulesByKeyword[index] ?? [])])),
    alwaysPlaces: Int32Array.from(data.always),
    marks: new Uint8Array(rules.length),
    table: data.table ? tableFrom(data.table) : undefined,
    others: data.others.map((keyword) => ({ keyword, regex: new RegExp(escapeRegex(keyword), "gi") })),
  };
}

export function prefilterData(rules: readonly CompiledRule[]): PrefilterData {
  const keywords = [...new Set(rules.flatMap((rule) => rule.keywords))];
  // A keyword found in the text also finds every rule whose own keyword is part of it ("api_key" finds
  // the rules of "key"). At each position of a keyword, only the keywords that begin with the two
  // characters there are compared, rather than every substring looked up or every keyword asked of
  // every other: there are hundreds of keywords.
  const rulesByOwnKeyword = new Map<string, number[]>();
  rules.forEach((rule, index) => {
    for (const own of new Set(rule.keywords)) {
      const indexes = rulesByOwnKeyword.get(own);
      if (indexes) indexes.push(index);
      else rulesByOwnKeyword.set(own, [index]);
    }
  });
  /** The keywords by their first two characters (a keyword has at least two: schema.ts). */
  const byStart = new Map<string, string[]>();
  for (const own of rulesByOwnKeyword.keys()) {
    const start = own.slice(0, 2);
    const group = byStart.get(start);
    if (group) group.push(own);
    else byStart.set(start, [own]);
  }
  const rulesByKeyword = keywords.map((keyword) => {
    const found = new Set<number>();
    const addStartingAt = (start: number, group: readonly string[] | undefined): void => {
      for (const own of group ?? []) {
        if (keyword.startsWith(own, start)) for (const index of rulesByOwnKeyword.get(own) ?? []) found.add(index);
      }
    };
    for (let start = 0; start + 2 <= keyword.length; start++) addStartingAt(start, byStart.get(keyword.slice(start, start + 2)));
    return [...found].sort((a, b) => a - b);
  });
  const plain = keywords.filter(isPlain);
  return {
    ruleKeywords: keywordsKey(rules),
    always: rules.flatMap((rule, index) => (rule.keywords.length === 0 ? [index] : [])),
    keywords,
    rulesByKeyword,
    ...(plain.length > 0 ? { table: tableData(plain) } : {}),
    others: keywords.filter((keyword) => !isPlain(keyword)),
  };
}

function tableData(keywords: readonly string[]): NonNullable<PrefilterData["table"]> {
  const bySlot = new Map<number, number[]>();
  const add = (three: number, entry: number): void => {
    const slot = slotOf(three);
    const group = bySlot.get(slot) ?? [];
    group.push(three, entry);
    bySlot.set(slot, group);
  };
  keywords.forEach((keyword, index) => {
    const offset = rarestTriple(keyword);
    const a = keyword.charCodeAt(offset);
    const b = keyword.charCodeAt(offset + 1);
    if (keyword.length >= 3) add(tripleOf(a, b, keyword.charCodeAt(offset + 2)), index * 256 + offset);
    else {
      // A two-character keyword: any character follows it (any byte past the text's end). Folding
      // sets bit 0x20, so the bytes with it set are every third character the loop can read, once each.
      for (let third = 0x20; third < 256; third++) if (third & 0x20) add(tripleOf(a, b, third), index * 256);
    }
  });
  const slots: number[] = [];
  const groupStarts = [0];
  const entries: number[] = [];
  for (const [slot, group] of bySlot) {
    slots.push(slot);
    entries.push(...group);
    groupStarts.push(entries.length);
  }
  return { keywords: [...keywords], slots, groupStarts, entries };
}

/**
 * The table's data laid out in a memory of its own for the hot loop: the slots, the groups' starts,
 * the entries, each keyword's place and length, the keywords' bytes, then the input and the output.
 * The output has room for every occurrence a segment can hold: at each position, at most one for
 * each entry of the slot's group.
 */
function tableFrom(data: NonNullable<PrefilterData["table"]>): KeywordTable {
  const keywordBytes = data.keywords.join("");
  const margin = Math.max(...data.keywords.map((keyword) => keyword.length));
  let largestGroup = 0;
  for (let group = 1; group < data.groupStarts.length; group++) {
    largestGroup = Math.max(largestGroup, ((data.groupStarts[group] ?? 0) - (data.groupStarts[group - 1] ?? 0)) / 2);
  }
  const slots = 0;
  const groups = slots + SLOTS * 2;
  const entries = groups + data.groupStarts.length * 4;
  const keywords = entries + data.entries.length * 4;
  const bytes = keywords + data.keywords.length * 8;
  const input = alignTo(bytes + keywordBytes.length, 64);
  const out = alignTo(input + margin + SEGMENT + margin + 8, 64);
  const end = out + SEGMENT * largestGroup * 8;
  wasmModule ??= new WebAssembly.Module(Buffer.from(WASM_BASE64, "base64"));
  const wasmMemory = new WebAssembly.Memory({ initial: Math.ceil(end / 65536) });
  const instance = new WebAssembly.Instance(wasmModule, { prefilter: { memory: wasmMemory } });
  const memory = Buffer.from(wasmMemory.buffer);
  const slotView = new Uint16Array(wasmMemory.buffer, slots, SLOTS);
  data.slots.forEach((slot, number) => {
    slotView[slot] = number + 1;
  });
  new Uint32Array(wasmMemory.buffer, groups, data.groupStarts.length).set(data.groupStarts);
  new Int32Array(wasmMemory.buffer, entries, data.entries.length).set(data.entries);
  const keywordView = new Uint32Array(wasmMemory.buffer, keywords, data.keywords.length * 2);
  let place = bytes;
  data.keywords.forEach((keyword, index) => {
    keywordView[2 * index] = place;
    keywordView[2 * index + 1] = keyword.length;
    place += keyword.length;
  });
  memory.write(keywordBytes, bytes, "latin1");
  return {
    keywords: data.keywords,
    memory,
    layout: { slots, groups, entries, keywords, input, margin, out },
    output: new Int32Array(wasmMemory.buffer, out, (end - out) / 4),
    positions: new Array<number[] | undefined>(data.keywords.length).fill(undefined),
    occurrences: instance.exports.occurrences as KeywordTable["occurrences"],
  };
}

const alignTo = (offset: number, alignment: number): number => Math.ceil(offset / alignment) * alignment;

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

/**
 * The rules worth running on a text where `found` keywords occur, in their original order: each
 * keyword marks its rules' places, and the marked places are read in order, as a text selects a few
 * of hundreds (and every file is a text) and a sort or a set of them cost more than the marks.
 */
/** For each keyword, the rules it triggers (what placesByKeyword holds, as rules). */
export function rulesByKeyword(prefilter: Prefilter): Map<string, CompiledRule[]> {
  const rule = (place: number): CompiledRule => prefilter.rules[place] as CompiledRule;
  return new Map([...prefilter.placesByKeyword].map(([keyword, places]) => [keyword, Array.from(places, rule)]));
}

export function selectRules(prefilter: Prefilter, found: KeywordPositions): CompiledRule[] {
  const { marks, rules } = prefilter;
  let first = marks.length;
  let last = -1;
  for (const keyword of found.keys()) {
    const places = prefilter.placesByKeyword.get(keyword);
    if (places === undefined) continue;
    for (let i = 0; i < places.length; i++) {
      const place = places[i] as number;
      marks[place] = 1;
      if (place < first) first = place;
      if (place > last) last = place;
    }
  }
  const always = prefilter.alwaysPlaces;
  for (let i = 0; i < always.length; i++) {
    const place = always[i] as number;
    marks[place] = 1;
    if (place < first) first = place;
    if (place > last) last = place;
  }
  const selected: CompiledRule[] = [];
  for (let place = first; place <= last; place++) {
    if (marks[place] === 0) continue;
    marks[place] = 0;
    selected.push(rules[place] as CompiledRule);
  }
  return selected;
}

function scanTable(table: KeywordTable, text: string, found: KeywordPositions): void {
  const { memory, output, layout, positions } = table;
  const { margin } = layout;
  /** The numbers of the keywords found: a text holds a few of the hundreds, and only their entries of `positions` are read. */
  const indexes: number[] = [];
  // No keyword is shorter than two characters: the last one starts none.
  for (let start = 0; start < text.length - 1; start += SEGMENT) {
    // The segment with the characters around it that a keyword found in it may take in. Past the
    // text's end, whatever the memory holds is never part of an occurrence (the loop is told the length).
    const from = Math.min(start, margin);
    const length = memory.write(text.slice(start - from, start + SEGMENT + margin), layout.input, from + SEGMENT + margin, "latin1");
    const to = Math.min(length, from + SEGMENT);
    const count = table.occurrences(layout.input, length, from, to, layout.slots, layout.groups, layout.entries, layout.keywords, layout.out);
    for (let occurrence = 0; occurrence < count; occurrence++) {
      const keywordStart = start - from + (output[2 * occurrence] ?? 0);
      const index = output[2 * occurrence + 1] ?? 0;
      // A character beyond U+00FF was copied as its low byte: only the text says whether it is the keyword's.
      if (!occursAt(text, keywordStart, table.keywords[index] ?? "")) continue;
      const starts = positions[index];
      if (starts) starts.push(keywordStart);
      else {
        positions[index] = [keywordStart];
        indexes.push(index);
      }
    }
  }
  // In the keywords' order.
  indexes.sort((a, b) => a - b);
  for (const index of indexes) {
    found.set(table.keywords[index] ?? "", positions[index] as number[]);
    positions[index] = undefined;
  }
}

/** True when `keyword` (lower-case ASCII) starts at `start`, ignoring ASCII case. */
function occursAt(text: string, start: number, keyword: string): boolean {
  if (start < 0 || start + keyword.length > text.length) return false;
  for (let i = 0; i < keyword.length; i++) {
    if (LOWER[text.charCodeAt(start + i)] !== keyword.charCodeAt(i)) return false;
  }
  return true;
}
