// Go (RE2) regular expressions, as gitleaks configs hold them, rewritten as JavaScript patterns that
// match exactly the same strings under keyscan's flags (no `m`, no `s`, no `u`; a leading `(?i)` becomes `i`).
//
// What differs between the two dialects, and how each difference is carried over:
// - Go's flags may change mid-pattern: `(?i)` to the end of the group, `(?i:...)`, `(?-i:...)`. JavaScript
//   (Node 20) has only whole-pattern flags, so a scoped case-insensitive part spells out both cases (`[aA]`).
// - `(?s)` makes `.` match a newline: written `[\s\S]`. Without it Go's `.` is "anything but \n", while
//   JavaScript's also refuses \r, U+2028 and U+2029: written `[^\n]`.
// - `(?m)` makes `^`/`$` match at line ends: written as lookarounds, since keyscan never sets the m flag.
//   For the same reason `\A` and `\z` (start and end of text) are exactly `^` and `$` there.
// - `(?U)` swaps greedy and lazy repetition: each quantifier is written with the other form.
// - Go's `\s` is [\t\n\f\r ]; JavaScript's also takes \v and Unicode spaces: written out.
// - POSIX classes `[[:alpha:]]` become ranges; `\Q...\E` becomes escaped literals; `(?P<n>` becomes `(?<n>`.
// What cannot be carried over exactly is refused with a reason: Unicode classes (`\pL`, need the u flag),
// `\C`, characters beyond U+FFFF inside classes, and syntax RE2 itself rejects (lookaround, atomic groups,
// possessive quantifiers, backreferences). Case folding is ASCII-exact; Go also folds a few rare letters
// (the Kelvin sign, long s) that JavaScript does not.

/** `groups`: how many capturing groups the pattern has (numbering is kept). */
export type Translation = { ok: true; pattern: string; groups: number } | { ok: false; reason: string };

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  U: boolean;
}

class Refused extends Error {}
/** Thrown when a case-sensitive part meets a pattern translated with the whole-pattern `i` flag. */
class NeedsFolding extends Error {}

const WHITESPACE = "\\t\\n\\f\\r ";

const POSIX_CLASSES: Record<string, string> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  ascii: "\\x00-\\x7f",
  blank: "\\t ",
  cntrl: "\\x00-\\x1f\\x7f",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-\\/:-@\\[-`{-~",
  space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z",
  word: "0-9A-Za-z_",
  xdigit: "0-9A-Fa-f",
};

/** Translates a Go regex; a leading `(?i)` in the result means "case-insensitive throughout". */
export function translateGoRegex(source: string): Translation {
  try {
    const wholeI = /^\(\?[imsU]*i[imsU]*\)/.test(source);
    if (wholeI) {
      try {
        const translator = new Translator(source, true);
        return { ok: true, pattern: `(?i)${translator.run()}`, groups: translator.groups };
      } catch (error) {
        if (!(error instanceof NeedsFolding)) throw error;
      }
    }
    const translator = new Translator(source, false);
    return { ok: true, pattern: translator.run(), groups: translator.groups };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, reason: error.message };
    throw error;
  }
}

class Translator {
  private pos = 0;
  private out = "";
  private flags: Flags = { i: false, m: false, s: false, U: false };
  private readonly saved: Flags[] = [];
  groups = 0;

  /** `wholeI`: the result gets the `i` flag, so case-insensitive parts need no spelling out. */
  constructor(
    private readonly src: string,
    private readonly wholeI: boolean,
  ) {}

  run(): string {
    while (this.pos < this.src.length) this.atom();
    if (this.saved.length > 0) throw new Refused("unbalanced parentheses");
    return this.out;
  }

  private atom(): void {
    const c = this.src[this.pos] ?? "";
    switch (c) {
      case "\\":
        this.escape();
        return;
      case "[":
        this.pos++;
        this.characterClass();
        return;
      case "(":
        this.openGroup();
        return;
      case ")": {
        const outer = this.saved.pop();
        if (!outer) throw new Refused("unbalanced parentheses");
        this.flags = outer;
        this.out += ")";
        this.pos++;
        this.quantifier();
        return;
      }
      case ".":
        this.out += this.flags.s ? "[\\s\\S]" : "[^\\n]";
        this.pos++;
        this.quantifier();
        return;
      case "^":
        this.out += this.flags.m ? "(?<![^\\n])" : "^";
        this.pos++;
        return;
      case "$":
        this.out += this.flags.m ? "(?![^\\n])" : "$";
        this.pos++;
        return;
      case "|":
        this.out += "|";
        this.pos++;
        return;
      case "*":
      case "+":
      case "?":
        throw new Refused(`quantifier "${c}" with nothing to repeat`);
      default: {
        const point = this.src.codePointAt(this.pos) ?? 0;
        this.pos += point > 0xffff ? 2 : 1;
        this.emitLiteral(point);
        this.quantifier();
      }
    }
  }

  private escape(): void {
    const next = this.src[this.pos + 1];
    if (next === undefined) throw new Refused("trailing backslash");
    const simple: Record<string, string> = {
      d: "\\d",
      D: "\\D",
      w: "\\w",
      W: "\\W",
      b: "\\b",
      B: "\\B",
      s: `[${WHITESPACE}]`,
      S: `[^${WHITESPACE}]`,
      A: "^",
      z: "$",
    };
    const replacement = simple[next];
    if (replacement !== undefined) {
      this.pos += 2;
      this.out += replacement;
      if (!"bBAz".includes(next)) this.quantifier();
      return;
    }
    if (next === "Q") {
      const end = this.src.indexOf("\\E", this.pos + 2);
      const text = this.src.slice(this.pos + 2, end === -1 ? undefined : end);
      this.pos = end === -1 ? this.src.length : end + 2;
      for (const char of text) this.emitLiteral(char.codePointAt(0) ?? 0);
      this.quantifier(); // applies to the last character, as in Go
      return;
    }
    this.emitLiteral(this.escapedCharacter());
    this.quantifier();
  }

  /** An escape that stands for one character (`\x41`, `\.`, `\n`); advances past it. */
  private escapedCharacter(): number {
    const next = this.src[this.pos + 1] ?? "";
    const rest = this.src.slice(this.pos + 1);
    const named: Record<string, number> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };
    let match: RegExpMatchArray | null;
    if (named[next] !== undefined) {
      this.pos += 2;
      return named[next];
    }
    if ((match = rest.match(/^x\{([0-9A-Fa-f]{1,8})\}/)) || (match = rest.match(/^x([0-9A-Fa-f]{2})/))) {
      this.pos += 1 + match[0].length;
      return Number.parseInt(match[1] ?? "", 16);
    }
    if ((match = rest.match(/^[0-7]{1,3}/))) {
      if (/^[1-9]$/.test(match[0])) throw new Refused(`backreference \\${match[0]} (not RE2 syntax)`);
      this.pos += 1 + match[0].length;
      return Number.parseInt(match[0], 8);
    }
    if ("pP".includes(next)) throw new Refused(`Unicode class \\${next}... needs JavaScript's u flag`);
    if (next === "C") throw new Refused("\\C (any byte) has no JavaScript equivalent");
    if (/[!-/:-@[-`{-~]/.test(next)) {
      this.pos += 2;
      return next.charCodeAt(0);
    }
    throw new Refused(`unknown escape \\${next}`);
  }

  /** One character as one atom, both cases spelled out where only this part is case-insensitive. */
  private emitLiteral(point: number): void {
    if (point > 0xffff) {
      // Go matches code points; without the u flag JavaScript sees two code units: group them.
      this.out += `(?:${String.fromCodePoint(point)})`;
      return;
    }
    const other = otherCase(point);
    if (other !== undefined && this.flags.i !== this.wholeI) {
      if (this.wholeI) throw new NeedsFolding();
      this.out += `[${escapeInClass(point)}${escapeInClass(other)}]`;
    } else {
      this.out += escapeLiteral(point);
    }
  }

  /** Reads a quantifier after an atom, if any, and writes it (swapping greediness under `(?U)`). */
  private quantifier(): void {
    const rest = this.src.slice(this.pos);
    const match = rest.match(/^(?:[*+?]|\{\d+(?:,\d*)?\})/);
    if (!match) return;
    this.pos += match[0].length;
    let lazy = false;
    if (this.src[this.pos] === "?") {
      lazy = true;
      this.pos++;
    }
    if (/^(?:[*+?]|\{\d+(?:,\d*)?\})/.test(this.src.slice(this.pos))) {
      throw new Refused("possessive or nested quantifier (not RE2 syntax)");
    }
    if (this.flags.U) lazy = !lazy;
    this.out += match[0] + (lazy ? "?" : "");
  }

  private openGroup(): void {
    const rest = this.src.slice(this.pos);
    const named = rest.match(/^\(\?P?<(\w+)>/);
    if (named) {
      this.pos += named[0].length;
      this.groups++;
      this.saved.push({ ...this.flags });
      this.out += `(?<${named[1]}>`;
      return;
    }
    const flagGroup = rest.match(/^\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])/);
    if (flagGroup) {
      const flags = this.applyFlags(flagGroup[1] ?? "", flagGroup[2] ?? "");
      this.pos += flagGroup[0].length;
      if (flagGroup[3] === ")") {
        this.flags = flags; // to the end of the enclosing group
      } else {
        this.saved.push(this.flags);
        this.flags = flags;
        this.out += "(?:";
      }
      return;
    }
    if (rest.startsWith("(?")) {
      throw new Refused(`group "${rest.slice(0, 4)}" (lookaround and atomic groups are not RE2 syntax)`);
    }
    this.pos++;
    this.groups++;
    this.saved.push({ ...this.flags });
    this.out += "(";
  }

  private applyFlags(set: string, clear: string): Flags {
    const flags = { ...this.flags };
    for (const [letters, value] of [
      [set, true],
      [clear, false],
    ] as const) {
      for (const letter of letters) {
        if (letter !== "i" && letter !== "m" && letter !== "s" && letter !== "U") {
          throw new Refused(`unknown flag "${letter}"`);
        }
        flags[letter] = value;
      }
    }
    return flags;
  }

  /** After the opening `[`: reads to the closing `]` and writes a JavaScript class. */
  private characterClass(): void {
    let negated = false;
    if (this.src[this.pos] === "^") {
      negated = true;
      this.pos++;
    }
    const ranges: [number, number][] = [];
    let shorthands = "";
    let first = true;
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined) throw new Refused("missing ]");
      if (c === "]" && !first) {
        this.pos++;
        break;
      }
      first = false;
      const posix = this.src.slice(this.pos).match(/^\[:(\^?)([a-z]+):\]/);
      if (posix) {
        const expansion = POSIX_CLASSES[posix[2] ?? ""];
        if (!expansion) throw new Refused(`unknown POSIX class [:${posix[2]}:]`);
        if (posix[1]) throw new Refused(`negated POSIX class [:^${posix[2]}:] inside a class`);
        shorthands += expansion;
        this.pos += posix[0].length;
        continue;
      }
      if (c === "\\") {
        const next = this.src[this.pos + 1] ?? "";
        if ("dDwW".includes(next) && next !== "") {
          shorthands += `\\${next}`;
          this.pos += 2;
          continue;
        }
        if (next === "s") {
          shorthands += WHITESPACE;
          this.pos += 2;
          continue;
        }
        if (next === "S") throw new Refused("\\S inside a class");
        if (next === "b") throw new Refused("\\b inside a class");
      }
      const low = this.classCharacter();
      if (this.src[this.pos] === "-" && this.src[this.pos + 1] !== "]" && this.src[this.pos + 1] !== undefined) {
        this.pos++;
        const high = this.classCharacter();
        if (high < low) throw new Refused("character range out of order");
        ranges.push([low, high]);
      } else {
        ranges.push([low, low]);
      }
    }
    const hasCase = ranges.some(
      ([low, high]) => overlaps(low, high, 65, 90) || overlaps(low, high, 97, 122) || (high > 127 && (low !== high || otherCase(low) !== undefined)),
    );
    if (hasCase && this.flags.i !== this.wholeI) {
      if (this.wholeI) throw new NeedsFolding();
      ranges.push(...foldRanges(ranges));
    }
    const body = ranges.map(([low, high]) => (low === high ? escapeInClass(low) : `${escapeInClass(low)}-${escapeInClass(high)}`));
    this.out += `[${negated ? "^" : ""}${body.join("")}${shorthands}]`;
    this.quantifier();
  }

  /** One character inside a class (literal or escaped); advances past it. */
  private classCharacter(): number {
    const point = this.src[this.pos] === "\\" ? this.escapedCharacter() : (this.src.codePointAt(this.pos++) ?? 0);
    if (point > 0xffff) throw new Refused("a character beyond U+FFFF inside a class needs JavaScript's u flag");
    return point;
  }
}

function overlaps(low: number, high: number, from: number, to: number): boolean {
  return low <= to && high >= from;
}

/** The other-case counterparts of the ASCII letters in the ranges. */
function foldRanges(ranges: readonly [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const [low, high] of ranges) {
    if (high > 127 && low !== high) throw new Refused("a case-insensitive range beyond ASCII");
    const other = high > 127 ? otherCase(low) : undefined;
    if (other !== undefined) out.push([other, other]);
    if (overlaps(low, high, 97, 122)) out.push([Math.max(low, 97) - 32, Math.min(high, 122) - 32]);
    if (overlaps(low, high, 65, 90)) out.push([Math.max(low, 65) + 32, Math.min(high, 90) + 32]);
  }
  return out;
}

/** The other case of a character that has exactly one, e.g. "a" ↔ "A", "é" ↔ "É". */
function otherCase(point: number): number | undefined {
  const char = String.fromCharCode(point);
  const lower = char.toLowerCase();
  const upper = char.toUpperCase();
  if (lower === upper || lower.length !== 1 || upper.length !== 1) return undefined;
  return (char === lower ? upper : lower).charCodeAt(0);
}

const CONTROL_ESCAPES: Record<number, string> = { 9: "\\t", 10: "\\n", 11: "\\v", 12: "\\f", 13: "\\r" };

function escapeLiteral(point: number): string {
  const char = String.fromCharCode(point);
  if ("\\^$.|?*+()[]{}/".includes(char)) return `\\${char}`;
  return escapeControl(point) ?? char;
}

function escapeInClass(point: number): string {
  const char = String.fromCharCode(point);
  if ("\\]^-[".includes(char)) return `\\${char}`;
  return escapeControl(point) ?? char;
}

function escapeControl(point: number): string | undefined {
  if (point >= 0x20 && point !== 0x7f) return undefined;
  return CONTROL_ESCAPES[point] ?? `\\x${point.toString(16).padStart(2, "0")}`;
}
