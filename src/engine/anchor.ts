// Where a rule's keyword sits in every match of its pattern, when the pattern says so plainly.
//
// Most rules spell their keyword out as a fixed part of the pattern, at a bounded distance from the
// start of the match: `(?<![\w-])(ghp_[A-Za-z0-9]{36})` has "ghp_" at offset 0, the Mailchimp key
// `([0-9a-f]{32}-us\d{1,2})` has "-us" at offset 32. Such a rule need not search the whole text from
// every position: a match can only start a known distance before an occurrence of the keyword.
//
// The analysis is deliberately small and conservative: it reads the pattern's top-level sequence
// (descending into unquantified groups without alternatives), measures each part's width, and looks
// for the keyword in a run of plain literal characters. Anything it does not understand (a top-level
// alternative, a back-reference, an unbounded part before the keyword) means "no anchor", and the
// rule searches the whole text as before.

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

const QUANTIFIER = /^(?:[?*+]|\{(\d+)(?:(,)(\d*))?\})\??/;
const CLASS_ESCAPES = new Set(["d", "D", "w", "W", "s", "S"]);
const ZERO_WIDTH_ESCAPES = new Set(["b", "B"]);

/** The anchor of the first keyword found as a fixed literal of `pattern` (a rule pattern, `(?i)` allowed), or undefined. */
export function findAnchor(pattern: string, keywords: readonly string[]): Anchor | undefined {
  const source = pattern.startsWith("(?i)") ? pattern.slice(4) : pattern;
  let parts: Part[] | undefined;
  try {
    parts = new Reader(source).pattern();
  } catch {
    return undefined; // a construct the reader does not know: no anchor
  }
  if (!parts) return undefined;
  for (const keyword of keywords) {
    const found = locate(parts, keyword.toLowerCase());
    if (found) return { ...found, caseSensitive: source === pattern };
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

class Reader {
  private at = 0;

  constructor(private readonly source: string) {}

  /** The parts of the whole pattern; undefined when it has top-level alternatives (or a stray `)`). */
  pattern(): Part[] | undefined {
    const parts = this.sequence();
    return this.at === this.source.length ? parts : undefined;
  }

  /**
   * The parts of a sequence, up to `|`, `)` or the end. An unquantified group without alternatives
   * adds its own parts (it is matched exactly once); any other group counts as one part of its width.
   */
  private sequence(): Part[] {
    const parts: Part[] = [];
    while (this.at < this.source.length && this.peek() !== ")" && this.peek() !== "|") {
      const atom = this.atom();
      const quantified = this.quantifier();
      const width = Array.isArray(atom) ? widthOf(atom) : atom;
      if (quantified) parts.push({ min: width.min * quantified.min, max: width.max * quantified.max });
      else if (Array.isArray(atom)) parts.push(...atom);
      else parts.push(atom);
    }
    return parts;
  }

  private peek(): string {
    return this.source[this.at] ?? "";
  }

  /** One atom: a part, or the parts of a group that may be inlined. */
  private atom(): Part | Part[] {
    const char = this.source[this.at++] ?? "";
    if (char === "(") return this.group();
    if (char === "[") {
      this.skipClass();
      return { min: 1, max: 1 };
    }
    if (char === ".") return { min: 1, max: 1 };
    if (char === "^" || char === "$") return { min: 0, max: 0 };
    if (char === "\\") return this.escape();
    if ("*+?{}]".includes(char)) throw new Error(`unexpected ${char}`);
    return { min: 1, max: 1, literal: char };
  }

  private escape(): Part {
    const char = this.source[this.at++] ?? "";
    if (ZERO_WIDTH_ESCAPES.has(char)) return { min: 0, max: 0 };
    if (CLASS_ESCAPES.has(char)) return { min: 1, max: 1 };
    if (/[a-zA-Z0-9]/.test(char)) throw new Error(`escape \\${char}`); // \n, \x41, \1, \k<…>: not worth the cases
    return { min: 1, max: 1, literal: char };
  }

  private skipClass(): void {
    if (this.peek() === "^") this.at++;
    if (this.peek() === "]") this.at++; // a leading "]" is a literal in some dialects; JS would end the class: refuse
    while (this.at < this.source.length && this.peek() !== "]") this.at += this.peek() === "\\" ? 2 : 1;
    if (this.peek() !== "]") throw new Error("unterminated class");
    this.at++;
  }

  /** After "(": a lookaround (zero width), or a group whose parts are inlined when it has no alternatives. */
  private group(): Part | Part[] {
    let lookaround = false;
    if (this.source.startsWith("?:", this.at)) this.at += 2;
    else if (/^\?<?[=!]/.test(this.source.slice(this.at, this.at + 3))) {
      lookaround = true;
      this.at += this.source[this.at + 1] === "<" ? 3 : 2;
    } else if (this.source.startsWith("?<", this.at)) {
      const close = this.source.indexOf(">", this.at);
      if (close === -1) throw new Error("unterminated group name");
      this.at = close + 1;
    } else if (this.peek() === "?") throw new Error("unknown group");
    const alternatives: Part[][] = [];
    for (;;) {
      const parts = this.sequence();
      alternatives.push(parts);
      if (this.peek() === "|") {
        this.at++;
        continue;
      }
      if (this.peek() !== ")") throw new Error("unterminated group");
      this.at++;
      break;
    }
    if (lookaround) return { min: 0, max: 0 };
    if (alternatives.length === 1) return alternatives[0] ?? [];
    const widths = alternatives.map(widthOf);
    return { min: Math.min(...widths.map((w) => w.min)), max: Math.max(...widths.map((w) => w.max)) };
  }

  /** The quantifier after an atom, as repeat counts, or undefined. */
  private quantifier(): { min: number; max: number } | undefined {
    const found = QUANTIFIER.exec(this.source.slice(this.at, this.at + 24));
    if (!found) {
      if (this.peek() === "{") throw new Error("a literal {");
      return undefined;
    }
    this.at += found[0].length;
    const symbol = found[0][0];
    if (symbol === "?") return { min: 0, max: 1 };
    if (symbol === "*") return { min: 0, max: Number.POSITIVE_INFINITY };
    if (symbol === "+") return { min: 1, max: Number.POSITIVE_INFINITY };
    const low = Number(found[1]);
    if (found[2] === undefined) return { min: low, max: low };
    return { min: low, max: found[3] === "" ? Number.POSITIVE_INFINITY : Number(found[3]) };
  }
}

function widthOf(parts: readonly Part[]): { min: number; max: number } {
  return parts.reduce((sum, part) => ({ min: sum.min + part.min, max: sum.max + part.max }), { min: 0, max: 0 });
}
