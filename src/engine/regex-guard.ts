// A static check for patterns that can backtrack catastrophically. V8's regex engine has no time
// limit, so a rule such as `(a+)+$` would hang a scan on a line of 60,000 `a`s: such patterns are
// refused when the rules load instead.
//
// The check finds a repeated group whose iterations can split the same text in more than one way:
//   - the group's body holds a variable-width repetition (`(a+)+`, `(\w+\s?)*`) and no required
//     character that repetition cannot match to mark where one iteration ends (`(-[a-z]+)*` is safe);
//   - two alternatives of the group can match the same text (`(a|a)*`, `(\w|\d)+`, `(a|aa)+`).
// A counted repeat counts (`(\w+\s?){5}` tries every way of cutting a run in five), and so do the
// insides of lookarounds. It also finds runs of adjacent unbounded repetitions that can take the same
// characters (`\w*\w*\w*`): each extra one multiplies the ways to split a run.
// It walks the pattern's syntax tree (regex-syntax.ts), so it sees groups, classes and escapes as V8 does.
// It is a heuristic with no false negatives on those shapes, and it accepts every default rule.
// Patterns it misses are still bounded: V8 falls back to its linear engine (start/regexp-flags.ts)
// and the scan pool stops a file that overruns its time budget.

import { type AST, parseRegex, repetitionOf } from "./regex-syntax.js";

/** Which characters an atom can match: 128 ASCII code points, then a few non-ASCII probes. */
type CharSet = boolean[];

const PROBES = [...Array.from({ length: 128 }, (_, code) => String.fromCharCode(code)), "é", "\u00a0", "€", "\u{1F600}"];

interface Quantity {
  min: number;
  max: number;
}

type Node =
  | { kind: "char"; set: CharSet; q: Quantity; text: string }
  | { kind: "group"; alternatives: Node[][]; q: Quantity; source: string }
  | { kind: "zero" }; // anchors, word boundaries, lookarounds: they consume nothing

const ONE: Quantity = { min: 1, max: 1 };

/** A group repeated up to this many times or more counts as a loop: two ambiguous iterations already square the work. */
const LOOP_MIN_REPEATS = 2;

/** Adjacent unbounded repetitions over common characters, from this many in a row (two are quadratic at worst). */
const MAX_ADJACENT_RUNS = 3;

/**
 * The part of `source` that can backtrack catastrophically, e.g. `(a+)+`, or undefined when the
 * pattern is safe. `flags` are the RegExp's (`i`, `u` and `v` change what a character class matches).
 * Throws a SyntaxError when `source` is not a valid pattern under `flags`.
 */
export function catastrophicPart(source: string, flags = ""): string | undefined {
  const tree = parseRegex(source, flags);
  // Atoms are probed one character at a time, with `.` taking any character, as in the pattern's `s` mode.
  const probeFlags = `${flags.replace(/[dgsy]/g, "")}s`;
  const reader = new TreeReader();
  const alternatives = tree.alternatives.map((alternative) => reader.sequence(alternative, probeFlags));
  return findRisk({ kind: "group", alternatives, q: ONE, source }) ?? reader.lookarounds.map(findRisk).find((risk) => risk !== undefined);
}

function findRisk(node: Node): string | undefined {
  if (node.kind !== "group") return undefined;
  for (const sequence of node.alternatives) {
    const run = adjacentRun(sequence);
    if (run) return run;
    for (const child of sequence) {
      const inner = findRisk(child);
      if (inner) return inner;
    }
  }
  const loops = node.q.max >= LOOP_MIN_REPEATS;
  if (!loops) return undefined;
  if (node.alternatives.some(iterationIsAmbiguous) || alternativesOverlap(node.alternatives)) return node.source;
  return undefined;
}

/**
 * The source of MAX_ADJACENT_RUNS or more unbounded repetitions in a row, each able to take characters
 * the one before it takes (`\w*\w*\w*`, `a+a*a+`); undefined when there is none.
 */
function adjacentRun(sequence: readonly Node[]): string | undefined {
  let run: Node[] = [];
  for (const node of sequence) {
    if (node.kind === "zero") continue;
    const previous = run.at(-1);
    const unbounded = node.q.max === Number.POSITIVE_INFINITY;
    if (unbounded && previous && intersects(charsOf(previous), charsOf(node))) run.push(node);
    else run = unbounded ? [node] : [];
    if (run.length >= MAX_ADJACENT_RUNS) return run.map(sourceOf).join("");
  }
  return undefined;
}

/** A node's source text where the parser kept it (groups), else a placeholder for a character atom. */
const sourceOf = (node: Node): string => (node.kind === "group" ? node.source : node.kind === "char" ? node.text : "");

/** A body with a variable-width repetition and no required delimiter that repetition cannot eat. */
function iterationIsAmbiguous(sequence: readonly Node[]): boolean {
  const repeated = sequence.flatMap(variableParts);
  if (repeated.length === 0) return false;
  const delimiters = sequence.filter((node): node is Extract<Node, { kind: "char" }> => node.kind === "char" && node.q.min >= 1);
  return !delimiters.some((delimiter) => repeated.every((set) => !intersects(set, delimiter.set)));
}

/** The character sets of every repetition of variable width in a node, its own included. */
function variableParts(node: Node): CharSet[] {
  if (node.kind === "zero") return [];
  const own = node.q.max > node.q.min ? [charsOf(node)] : [];
  if (node.kind === "char") return own;
  return [...own, ...node.alternatives.flat().flatMap(variableParts)];
}

/** True when two alternatives can match the same text (compared position by position when both are fixed sequences of single characters). */
function alternativesOverlap(alternatives: readonly Node[][]): boolean {
  for (let i = 0; i < alternatives.length; i++) {
    for (let j = i + 1; j < alternatives.length; j++) {
      const a = alternatives[i] ?? [];
      const b = alternatives[j] ?? [];
      if (a.length === 0 || b.length === 0) return true; // an empty alternative inside a loop
      const fixedA = fixedChars(a);
      const fixedB = fixedChars(b);
      if (fixedA && fixedB) {
        const shorter = Math.min(fixedA.length, fixedB.length);
        let same = true;
        for (let k = 0; k < shorter && same; k++) same = intersects(fixedA[k] ?? [], fixedB[k] ?? []);
        if (same) return true;
      } else if (intersects(firstChars(a), firstChars(b))) return true;
    }
  }
  return false;
}

/** The character sets of a sequence made only of single characters, each exactly once; else undefined. */
function fixedChars(sequence: readonly Node[]): CharSet[] | undefined {
  const sets: CharSet[] = [];
  for (const node of sequence) {
    if (node.kind === "zero") continue;
    if (node.kind !== "char" || node.q.min !== 1 || node.q.max !== 1) return undefined;
    sets.push(node.set);
  }
  return sets;
}

/** Characters a sequence can start with. */
function firstChars(sequence: readonly Node[]): CharSet {
  const set: CharSet = new Array(PROBES.length).fill(false);
  for (const node of sequence) {
    if (node.kind === "zero") continue;
    const first = node.kind === "char" ? node.set : node.alternatives.map(firstChars).reduce(union, set);
    for (let i = 0; i < set.length; i++) set[i] ||= first[i] ?? false;
    if (node.q.min >= 1) break;
  }
  return set;
}

function charsOf(node: Node): CharSet {
  if (node.kind === "char") return node.set;
  if (node.kind === "zero") return new Array(PROBES.length).fill(false);
  return node.alternatives.flat().map(charsOf).reduce(union, new Array(PROBES.length).fill(false));
}

function union(a: CharSet, b: CharSet): CharSet {
  return a.map((value, i) => value || (b[i] ?? false));
}

function intersects(a: CharSet, b: CharSet): boolean {
  return a.some((value, i) => value && (b[i] ?? false));
}

/** The syntax tree (regex-syntax.ts) read as the nodes above: groups, quantities and the characters each atom matches. */
class TreeReader {
  /** The contents of the lookarounds read, innermost first: they match nothing themselves, but run their pattern at each try. */
  readonly lookarounds: Node[] = [];

  /** An alternative's elements as nodes; `flags` are those in force there (a group may change `i`). */
  sequence(alternative: AST.Alternative, flags: string): Node[] {
    return alternative.elements.map((element) => this.node(element, flags));
  }

  private node(element: AST.Element, flags: string): Node {
    const { atom, min, max } = repetitionOf(element);
    const q = { min, max };
    switch (atom.type) {
      case "Assertion":
        if (atom.kind === "lookahead" || atom.kind === "lookbehind") {
          const alternatives = atom.alternatives.map((alternative) => this.sequence(alternative, flags));
          this.lookarounds.push({ kind: "group", alternatives, q: ONE, source: atom.raw });
        }
        // A lookaround, ^, $, \b or \B matches no characters itself (so a quantifier on a lookahead changes nothing).
        return { kind: "zero" };
      case "Group":
      case "CapturingGroup": {
        const inside = atom.type === "Group" ? flagsInside(atom, flags) : flags;
        return { kind: "group", alternatives: atom.alternatives.map((alternative) => this.sequence(alternative, inside)), q, source: element.raw };
      }
      case "Backreference":
        // What it matches depends on the text, so assume anything.
        return { kind: "char", set: new Array(PROBES.length).fill(true), q, text: element.raw };
      default:
        return { kind: "char", set: charSet(atom.raw, flags), q, text: element.raw };
    }
  }
}

/** The flags in force inside a group: `(?i:…)` adds case-insensitivity, `(?-i:…)` removes it. */
function flagsInside(group: AST.Group, flags: string): string {
  if (group.modifiers?.add.ignoreCase && !flags.includes("i")) return `${flags}i`;
  if (group.modifiers?.remove?.ignoreCase) return flags.replace("i", "");
  return flags;
}

/** The characters that an atom (its source: a character, a class, an escape) matches, found by testing it on each probe. */
function charSet(atom: string, flags: string): CharSet {
  let regex: RegExp;
  try {
    regex = new RegExp(`^(?:${atom})$`, flags);
  } catch {
    return new Array(PROBES.length).fill(true); // an atom that cannot stand alone: assume anything
  }
  return PROBES.map((probe) => regex.test(probe));
}
