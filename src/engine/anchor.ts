// Where a rule's keyword sits in every match of its pattern, when the pattern says so plainly.
//
// Most rules spell their keyword out as a fixed part of the pattern, at a bounded distance from the
// start of the match: `(?<![\w-])(ghp_[A-Za-z0-9]{36})` has "ghp_" at offset 0, the Mailchimp key
// `([0-9a-f]{32}-us\d{1,2})` has "-us" at offset 32. Such a rule need not search the whole text from
// every position: a match can only start a known distance before an occurrence of the keyword.
//
// The analysis is deliberately small and conservative: it walks the pattern's syntax tree
// (regex-syntax.ts) along the top-level sequence, descending into unquantified groups without
// alternatives, measures each part's width, and looks for the keyword in a run of plain literal
// characters. A top-level alternative, an invalid pattern, or a part of unbounded width before the
// keyword (a `+`, a back-reference) means "no anchor", and the rule searches the whole text as before.

import { type AST, parseRegex, repetitionOf, withoutInlineFlag } from "./regex-syntax.js";

export interface Anchor {
  /** The keyword as the pattern spells it. */
  literal: string;
  /** False for a `(?i)` pattern: the literal is then searched case-insensitively. */
  caseSensitive: boolean;
  /** How far before the keyword's first character a match can start. */
  minOffset: number;
  maxOffset: number;
}

interface Part {
  min: number;
  max: number;
  /** The character, for a plain literal character matched once. */
  literal?: string;
}

/** The anchor of the first keyword found as a fixed literal of `pattern` (a rule pattern, `(?i)` allowed), or undefined. */
export function findAnchor(pattern: string, keywords: readonly string[]): Anchor | undefined {
  const { source, insensitive } = withoutInlineFlag(pattern);
  let tree: AST.Pattern;
  try {
    tree = parseRegex(source, insensitive ? "i" : "");
  } catch {
    return undefined; // not a valid pattern: compiling the rule says why
  }
  const [only, ...others] = tree.alternatives;
  if (!only || others.length > 0) return undefined; // top-level alternatives: no keyword is in every match
  const parts = partsOf(only.elements);
  for (const keyword of keywords) {
    const found = locate(parts, keyword.toLowerCase());
    if (found) return { ...found, caseSensitive: !insensitive };
  }
  return undefined;
}

/** The keyword inside a run of literal parts, with the width range of everything before it. */
function locate(parts: readonly Part[], keyword: string): Omit<Anchor, "caseSensitive"> | undefined {
  if (keyword.length === 0) return undefined;
  let min = 0;
  let max = 0;
  for (let start = 0; start < parts.length; start++) {
    let run = "";
    for (let at = start; at < parts.length && run.length < keyword.length; at++) {
      const literal = parts[at]?.literal;
      if (literal === undefined) break;
      run += literal;
    }
    if (run.toLowerCase() === keyword) return Number.isFinite(max) ? { literal: run, minOffset: min, maxOffset: max } : undefined;
    const part = parts[start];
    min += part?.min ?? 0;
    max += part?.max ?? 0;
  }
  return undefined;
}

/**
 * The parts of a sequence. An unquantified group without alternatives adds its own parts (it is
 * matched exactly once); any other group counts as one part of its width.
 */
function partsOf(elements: readonly AST.Element[]): Part[] {
  return elements.flatMap((element): Part[] => {
    const { atom, min, max } = repetitionOf(element);
    if (element.type === "Quantifier") {
      const width = widthOf(partsOf([atom]));
      return [{ min: times(width.min, min), max: times(width.max, max) }];
    }
    switch (atom.type) {
      case "Character":
        return [{ min: 1, max: 1, literal: String.fromCodePoint(atom.value) }];
      case "CharacterClass":
      case "CharacterSet":
      case "ExpressionCharacterClass":
        return [{ min: 1, max: 1 }];
      case "Assertion":
        return [{ min: 0, max: 0 }]; // ^, $, \b, \B and lookarounds match no characters
      case "Backreference":
        return [{ min: 0, max: Number.POSITIVE_INFINITY }]; // as long as what its group matched
      case "Group":
      case "CapturingGroup": {
        // A group with flags of its own, `(?i:…)`, holds no literal the pattern's case applies to.
        const inline = atom.alternatives.length === 1 && !(atom.type === "Group" && atom.modifiers);
        if (inline) return partsOf(atom.alternatives[0]?.elements ?? []);
        const widths = atom.alternatives.map((alternative) => widthOf(partsOf(alternative.elements)));
        return [{ min: Math.min(...widths.map((w) => w.min)), max: Math.max(...widths.map((w) => w.max)) }];
      }
    }
  });
}

/** A width repeated: 0 stays 0 however often it repeats, and anything repeated 0 times is 0 (0 × Infinity would be NaN). */
const times = (width: number, count: number): number => (width === 0 || count === 0 ? 0 : width * count);

function widthOf(parts: readonly Part[]): { min: number; max: number } {
  return parts.reduce((sum, part) => ({ min: sum.min + part.min, max: sum.max + part.max }), { min: 0, max: 0 });
}
