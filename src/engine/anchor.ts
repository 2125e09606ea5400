// Where a rule's keyword sits in every match of its pattern, when the pattern says so plainly.
//
// Most rules spell their keyword out as a fixed part of the pattern, at a bounded distance from the
// start of the match: `(?<![\w-])(ghp_[A-Za-z0-9]{36})` has "ghp_" at offset 0, the Mailchimp key
// `([0-9a-f]{32}-us\d{1,2})` has "-us" at offset 32. Such a rule need not search the whole text from
// every position: a match can only start a known distance before an occurrence of the keyword.
//
// The analysis is deliberately small and conservative: it walks the pattern's syntax tree
// (regex-syntax.ts) along the top-level sequence, descending into unquantified groups, measures each
// part's width, and looks for a keyword in a run of plain literal characters. A group of
// alternatives counts when each alternative holds a keyword (`(?:Password|Pwd)=`): a match then
// holds one of them. A top-level alternative, an invalid pattern, or a part of unbounded width
// before the keyword (a `+`, a back-reference) that can also match a newline means "no anchor", and
// the rule searches the whole text as before. Before a keyword that no newline precedes, a match
// starts on the keyword's line, however wide what comes before it; and a pattern that begins with
// `(?<![^\n])` (the rules' way of saying "at a line's start") starts there.

import { type AST, parseRegex, repetitionOf, withoutInlineFlag } from "./regex-syntax.js";

export interface Anchor {
  /** Every match holds at least one of these keywords, where it says. */
  keywords: AnchorKeyword[];
  /** False for a `(?i)` pattern: the literals are then searched case-insensitively. */
  caseSensitive: boolean;
  /** The pattern begins with `(?<![^\n])`: a match starts at the start of a line. */
  lineStart: boolean;
}

export interface AnchorKeyword {
  /** The keyword as the pattern spells it. */
  literal: string;
  /** How far before the keyword's first character a match can start; no maxOffset: any distance on its line (sameLine). */
  minOffset: number;
  maxOffset?: number;
  /** Nothing before the keyword in a match can be a newline: the match starts on the keyword's line. */
  sameLine: boolean;
  /** Some of its letters are spelt as a class of their two cases (`[Pp]`): it is found ignoring case, even in a case-sensitive pattern. */
  caseless?: boolean;
  /**
   * A class (a regex source) the character just before the keyword must not be in, from an assertion
   * the pattern puts right before it: `\b` before a keyword starting with a word character (`\baws`),
   * a lookbehind of one class (`(?<![\w-])ghp_`). An occurrence after such a character (the `aws` of
   * "laws") cannot be in a match, and is not tried.
   */
  notAfter?: string;
}

interface Part {
  min: number;
  max: number;
  /** Whether it can match a newline. */
  newline: boolean;
  /** The character, for a plain literal character matched once. */
  literal?: string;
  /** The literal is a letter matched in either case (`[Pp]`). */
  caseless?: boolean;
  /** The parts of each alternative, for an unquantified group of several. */
  alternatives?: Part[][];
  /** An assertion on the character before what follows: `\b` ("word"), or the class a negative lookbehind of one character refuses. */
  before?: "word" | { refused: string };
}

/** The anchor of `pattern` (a rule pattern, `(?i)` allowed) on its keywords, or undefined. */
export function findAnchor(pattern: string, keywords: readonly string[]): Anchor | undefined {
  const { source, insensitive } = withoutInlineFlag(pattern);
  const flags = insensitive ? "i" : "";
  let tree: AST.Pattern;
  try {
    tree = parseRegex(source, flags);
  } catch {
    return undefined; // not a valid pattern: compiling the rule says why
  }
  const [only, ...others] = tree.alternatives;
  if (!only || others.length > 0) return undefined; // top-level alternatives: no keyword is in every match
  const found = locate(partsOf(only.elements, flags), keywords.map((keyword) => keyword.toLowerCase()));
  if (!found) return undefined;
  return { keywords: found, caseSensitive: !insensitive, lineStart: startsAtLineStart(only.elements[0]) };
}

/**
 * Where a keyword sits in every match of a sequence of parts: the first keyword (in the rule's
 * order) found as a run of literal parts, else the first group of alternatives that each place one.
 */
function locate(parts: readonly Part[], keywords: readonly string[]): AnchorKeyword[] | undefined {
  for (const keyword of keywords) {
    const found = locateLiteral(parts, keyword);
    if (found) return [found];
  }
  let min = 0;
  let max = 0;
  let newline = false;
  let previous: Part | undefined;
  for (const part of parts) {
    const inside = part.alternatives?.map((alternative) => locate(alternative, keywords));
    if (inside?.every((found) => found !== undefined)) {
      // A keyword that starts its alternative follows what precedes the group.
      const atStart = (found: AnchorKeyword): AnchorKeyword => (found.maxOffset === 0 ? withNotAfter(found, previous) : found);
      const shifted = inside.flat().map((found) => shift(atStart(found), min, max, newline));
      if (shifted.every(isBounded)) return shifted;
    }
    min += part.min;
    max += part.max;
    newline ||= part.newline;
    previous = part;
  }
  return undefined;
}

/** The keyword with the class its preceding character must not be in, when `before` asserts one. */
function withNotAfter(found: AnchorKeyword, before: Part | undefined): AnchorKeyword {
  if (before?.before === undefined || found.notAfter !== undefined) return found;
  if (before.before !== "word") return { ...found, notAfter: before.before.refused };
  // `\b` before a word character: what precedes it is no word character.
  return /^\w/.test(found.literal) ? { ...found, notAfter: "\\w" } : found;
}

/** The keyword inside a run of literal parts, with the width range of everything before it. */
function locateLiteral(parts: readonly Part[], keyword: string): AnchorKeyword | undefined {
  if (keyword.length === 0) return undefined;
  let min = 0;
  let max = 0;
  let newline = false;
  for (let start = 0; start < parts.length; start++) {
    let run = "";
    let caseless = false;
    for (let at = start; at < parts.length && run.length < keyword.length; at++) {
      const literal = parts[at]?.literal;
      if (literal === undefined) break;
      run += literal;
      caseless ||= parts[at]?.caseless ?? false;
    }
    if (run.toLowerCase() === keyword) {
      const atKeyword = withNotAfter({ literal: run, minOffset: 0, maxOffset: 0, sameLine: true, ...(caseless ? { caseless } : {}) }, parts[start - 1]);
      const found = shift(atKeyword, min, max, newline);
      return isBounded(found) ? found : undefined;
    }
    const part = parts[start];
    min += part?.min ?? 0;
    max += part?.max ?? 0;
    newline ||= part?.newline ?? false;
  }
  return undefined;
}

/** A keyword's place after a prefix of `min` to `max` characters that can (`newline`) hold a newline or not. */
function shift(found: AnchorKeyword, min: number, max: number, newline: boolean): AnchorKeyword {
  const maxOffset = (found.maxOffset ?? Number.POSITIVE_INFINITY) + max;
  const sameLine = found.sameLine && !newline;
  return {
    literal: found.literal,
    minOffset: found.minOffset + min,
    ...(Number.isFinite(maxOffset) ? { maxOffset } : {}),
    sameLine,
    ...(found.caseless ? { caseless: true } : {}),
    ...(found.notAfter !== undefined ? { notAfter: found.notAfter } : {}),
  };
}

/** A keyword at a distance a search can try: bounded, or on the keyword's line. */
const isBounded = (found: AnchorKeyword): boolean => found.maxOffset !== undefined || found.sameLine;

/** True for `(?<![^\n])`: not after a character other than a newline. */
function startsAtLineStart(first: AST.Element | undefined): boolean {
  if (first?.type !== "Assertion" || first.kind !== "lookbehind" || !first.negate || first.alternatives.length !== 1) return false;
  const [only, ...others] = first.alternatives[0]?.elements ?? [];
  if (only?.type !== "CharacterClass" || others.length > 0 || !only.negate || only.elements.length !== 1) return false;
  const [character] = only.elements;
  return character?.type === "Character" && character.value === 10;
}

/**
 * The parts of a sequence. An unquantified group without alternatives adds its own parts (it is
 * matched exactly once); an unquantified group of alternatives is one part that keeps theirs; any
 * other group counts as one part of its width.
 */
function partsOf(elements: readonly AST.Element[], flags: string): Part[] {
  return elements.flatMap((element): Part[] => {
    const { atom, min, max } = repetitionOf(element);
    if (element.type === "Quantifier") {
      const inside = partsOf([atom], flags);
      const width = widthOf(inside);
      return [{ min: times(width.min, min), max: times(width.max, max), newline: max > 0 && inside.some((part) => part.newline) }];
    }
    switch (atom.type) {
      case "Character":
        return [{ min: 1, max: 1, newline: atom.value === 10, literal: String.fromCodePoint(atom.value) }];
      case "CharacterClass": {
        const letter = caselessLetter(atom);
        if (letter !== undefined) return [{ min: 1, max: 1, newline: false, literal: letter, caseless: true }];
        return [{ min: 1, max: 1, newline: new RegExp(atom.raw, flags).test("\n") }];
      }
      case "CharacterSet":
      case "ExpressionCharacterClass":
        return [{ min: 1, max: 1, newline: new RegExp(atom.raw, flags).test("\n") }];
      case "Assertion":
        return [{ min: 0, max: 0, newline: false, ...beforeOf(atom) }]; // ^, $, \b, \B and lookarounds match no characters
      case "Backreference":
        return [{ min: 0, max: Number.POSITIVE_INFINITY, newline: true }]; // as long as what its group matched
      case "Group":
      case "CapturingGroup": {
        // A group with flags of its own, `(?i:…)`, holds no literal the pattern's case applies to.
        const modified = atom.type === "Group" && atom.modifiers !== null;
        const alternatives = atom.alternatives.map((alternative) => partsOf(alternative.elements, flags));
        if (alternatives.length === 1 && !modified) return alternatives[0] ?? [];
        const widths = alternatives.map(widthOf);
        return [
          {
            min: Math.min(...widths.map((w) => w.min)),
            max: Math.max(...widths.map((w) => w.max)),
            newline: alternatives.some((parts) => parts.some((part) => part.newline)),
            ...(modified ? {} : { alternatives }),
          },
        ];
      }
    }
  });
}

/** What an assertion says of the character before the next one: `\b`, or a negative lookbehind of one class (`(?<![\w-])`). */
function beforeOf(assertion: AST.Assertion): Pick<Part, "before"> {
  if (assertion.kind === "word" && !assertion.negate) return { before: "word" };
  if (assertion.kind !== "lookbehind" || !assertion.negate || assertion.alternatives.length !== 1) return {};
  const [only, ...others] = assertion.alternatives[0]?.elements ?? [];
  if (others.length > 0 || (only?.type !== "CharacterClass" && only?.type !== "CharacterSet")) return {};
  return { before: { refused: only.raw } };
}

/** The letter (lower case) of a class of exactly its two cases, `[Pp]` or `[pP]`: a pattern's way to spell a word in any case. */
function caselessLetter(atom: AST.CharacterClass): string | undefined {
  if (atom.negate || atom.elements.length !== 2) return undefined;
  const [a, b] = atom.elements;
  if (a?.type !== "Character" || b?.type !== "Character") return undefined;
  const [one, other] = [String.fromCodePoint(a.value), String.fromCodePoint(b.value)];
  const lower = one.toLowerCase();
  return /^[a-z]$/.test(lower) && one !== other && lower === other.toLowerCase() ? lower : undefined;
}

/** A width repeated: 0 stays 0 however often it repeats, and anything repeated 0 times is 0 (0 × Infinity would be NaN). */
const times = (width: number, count: number): number => (width === 0 || count === 0 ? 0 : width * count);

function widthOf(parts: readonly Part[]): { min: number; max: number } {
  return parts.reduce((sum, part) => ({ min: sum.min + part.min, max: sum.max + part.max }), { min: 0, max: 0 });
}
