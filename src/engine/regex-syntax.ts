// The engine's one reader of regular-expression source: a pattern parsed into a syntax tree by
// @eslint-community/regexpp, the parser ESLint uses. It reads ECMAScript syntax as V8 does: Annex B's
// leniencies (a `{` that starts no quantifier is a literal) without the u or v flag, the stricter
// syntax with them. anchor.ts (where a rule's keyword sits) and regex-guard.ts (the backtracking
// check) each walk this tree for their own question, so neither has a reader of its own.
import { type AST, RegExpParser } from "@eslint-community/regexpp";

export type { AST };

/** Left at its default ECMAScript version, the newest it knows (modifiers, duplicate group names), as newer Node versions accept them. */
const parser = new RegExpParser();

/**
 * The last pattern read. Compiling a custom rule reads its pattern twice in a row, for the guard and
 * then for the anchor: they share one tree (neither changes it).
 */
let lastRead: { source: string; syntax: string; tree: AST.Pattern } | undefined;

/**
 * The syntax tree of `source` read under `flags` (a RegExp's flags: only u and v change the syntax).
 * Throws a SyntaxError when the source is not a valid pattern under those flags.
 */
export function parseRegex(source: string, flags: string): AST.Pattern {
  const unicode = flags.includes("u");
  const unicodeSets = flags.includes("v");
  const syntax = unicodeSets ? "v" : unicode ? "u" : "";
  if (lastRead?.source === source && lastRead.syntax === syntax) return lastRead.tree;
  const tree = parser.parsePattern(source, 0, source.length, { unicode, unicodeSets });
  lastRead = { source, syntax, tree };
  return tree;
}

/**
 * A rule's pattern as JavaScript source: a leading `(?i)` (gitleaks' Go syntax, allowed in rules)
 * taken off and given as `insensitive`, for the `i` flag.
 */
export function withoutInlineFlag(pattern: string): { source: string; insensitive: boolean } {
  const insensitive = pattern.startsWith("(?i)");
  return { source: insensitive ? pattern.slice(4) : pattern, insensitive };
}

/** An element read as what repeats and how often: `a{2,5}` is `a` 2 to 5 times, an unquantified element once. */
export interface Repetition {
  atom: Exclude<AST.Element, AST.Quantifier>;
  min: number;
  max: number;
}

export function repetitionOf(element: AST.Element): Repetition {
  return element.type === "Quantifier" ? { atom: element.element, min: element.min, max: element.max } : { atom: element, min: 1, max: 1 };
}
