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
// It is a heuristic with no false negatives on those shapes, and it accepts every default rule.
// Patterns it misses are still bounded: V8 falls back to its linear engine (start/linear-regexp.ts)
// and the scan pool stops a file that overruns its time budget.

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
 * pattern is safe. `flags` are the RegExp's (`i` and `u` change what a character class matches).
 */
export function catastrophicPart(source: string, flags = ""): string | undefined {
  const parser = new Parser(source, flags.replace(/[gdy]/g, ""));
  const alternatives = parser.alternatives();
  return findRisk({ kind: "group", alternatives, q: ONE, source }) ?? parser.lookarounds.map(findRisk).find((risk) => risk !== undefined);
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

/** A small recursive-descent reader of JavaScript regex syntax, enough to see groups, quantifiers and atoms. */
class Parser {
  private at = 0;
  /** The contents of the lookarounds read: they match nothing themselves, but run their pattern at each try. */
  readonly lookarounds: Node[] = [];

  constructor(
    private readonly source: string,
    private readonly flags: string,
  ) {}

  alternatives(): Node[][] {
    const alternatives: Node[][] = [[]];
    while (this.at < this.source.length && this.source[this.at] !== ")") {
      if (this.source[this.at] === "|") {
        this.at++;
        alternatives.push([]);
        continue;
      }
      const start = this.at;
      const atom = this.atom();
      const q = this.quantifier();
      const text = this.source.slice(start, this.at);
      const node: Node = atom.kind === "zero" ? atom : atom.kind === "char" ? { ...atom, q, text } : { ...atom, q, source: text };
      alternatives[alternatives.length - 1]?.push(node);
    }
    return alternatives;
  }

  private atom(): Node | { kind: "char"; set: CharSet } | { kind: "group"; alternatives: Node[][] } {
    const char = this.source[this.at] ?? "";
    if (char === "(") return this.group();
    if (char === "^" || char === "$") {
      this.at++;
      return { kind: "zero" };
    }
    if (char === "[") return { kind: "char", set: this.charSet(this.classEnd()) };
    if (char === "\\") {
      const next = this.source[this.at + 1] ?? "";
      if (next === "b" || next === "B") {
        this.at += 2;
        return { kind: "zero" };
      }
      if (/[1-9]/.test(next) || next === "k") {
        // A backreference: what it matches depends on the text, so assume anything.
        this.at += 2;
        if (next === "k") this.at = this.source.indexOf(">", this.at) + 1 || this.source.length;
        else while (/[0-9]/.test(this.source[this.at] ?? "")) this.at++;
        return { kind: "char", set: new Array(PROBES.length).fill(true) };
      }
      return { kind: "char", set: this.charSet(this.escapeEnd()) };
    }
    return { kind: "char", set: this.charSet(this.at + char.length) };
  }

  private group(): Node | { kind: "group"; alternatives: Node[][] } {
    const start = this.at;
    const lookaround = /^\(\?(?:=|!|<=|<!)/.exec(this.source.slice(this.at));
    const prefix = lookaround?.[0] ?? /^\(\?(?::|<[A-Za-z_$][\w$]*>)/.exec(this.source.slice(this.at))?.[0] ?? "(";
    this.at += prefix.length;
    const alternatives = this.alternatives();
    this.at++; // ")"
    if (!lookaround) return { kind: "group", alternatives };
    this.lookarounds.push({ kind: "group", alternatives, q: ONE, source: this.source.slice(start, this.at) });
    return { kind: "zero" };
  }

  /** The index after a character class `[...]` starting here. In JavaScript `[]` and `[^]` are whole classes: a `]` first closes the class. */
  private classEnd(): number {
    let at = this.at + 1;
    if (this.source[at] === "^") at++;
    while (at < this.source.length && this.source[at] !== "]") at += this.source[at] === "\\" ? 2 : 1;
    return at + 1;
  }

  /** The index after an escape sequence starting here (`\w`, `\x41`, `\u{1F600}`, `\p{L}`, `\cJ`). */
  private escapeEnd(): number {
    const rest = this.source.slice(this.at);
    const match = /^\\(?:x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|[pP]\{[^}]*\}|c[A-Za-z]|0|.)/su.exec(rest);
    return this.at + (match?.[0].length ?? 1);
  }

  /** The characters that the atom from here to `end` matches, found by testing it on each probe. */
  private charSet(end: number): CharSet {
    const atom = this.source.slice(this.at, end);
    this.at = end;
    let regex: RegExp;
    try {
      regex = new RegExp(`^(?:${atom})$`, `${this.flags}s`);
    } catch {
      return new Array(PROBES.length).fill(true);
    }
    return PROBES.map((probe) => regex.test(probe));
  }

  private quantifier(): Quantity {
    const match = /^(?:([*+?])|\{(\d+)(,(\d*))?\})\??/.exec(this.source.slice(this.at));
    if (!match) return ONE;
    this.at += match[0].length;
    if (match[1] === "*") return { min: 0, max: Number.POSITIVE_INFINITY };
    if (match[1] === "+") return { min: 1, max: Number.POSITIVE_INFINITY };
    if (match[1] === "?") return { min: 0, max: 1 };
    const min = Number(match[2]);
    const max = match[3] === undefined ? min : match[4] === "" ? Number.POSITIVE_INFINITY : Number(match[4]);
    return { min, max };
  }
}
