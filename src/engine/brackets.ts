// How a value's brackets pair up. Code, regexes and templates nest their brackets; a value typed or
// drawn at random from punctuation (`m)k{7]x(`) closes brackets it never opened. The detectors read
// a value's brackets to tell the two apart: what pairs up is code or a template, what does not is a
// value written as it is.

// Each opening bracket's code, and the code of the bracket that closes it: ( ), [ ], { }, < >.
const CLOSER_OF = new Map([
  [0x28, 0x29],
  [0x5b, 0x5d],
  [0x7b, 0x7d],
  [0x3c, 0x3e],
]);
const CLOSERS = new Set(CLOSER_OF.values());
const OPENER_OF = new Map([...CLOSER_OF].map(([opener, closer]) => [closer, opener]));
const GREATER = 0x3e;
const ARROW_SHAFTS = new Set([0x2d, 0x3d]); // the `-` of `->`, the `=` of `=>`

export type Pairing = "closed" | "open" | "mismatched";

/**
 * Reads `text` from `from` (at most `limit` characters) and tells how its brackets pair up:
 * "mismatched" at the first closing bracket that does not close the last one opened (`o)` after
 * `{`, a `]` with nothing open), "closed" when `untilClosed` and the brackets open at `from` have
 * all closed, else "open" (brackets left open, as in code cut mid-expression, `getenv(`, or none
 * at all). Arrows (`->`, `=>`) are not brackets.
 */
function pair(text: string, from: number, limit: number, untilClosed: boolean): Pairing {
  const open: number[] = [];
  const end = Math.min(text.length, from + limit);
  for (let i = from; i < end; i++) {
    const code = text.charCodeAt(i);
    const closer = CLOSER_OF.get(code);
    if (closer !== undefined) {
      open.push(closer);
      continue;
    }
    if (!CLOSERS.has(code) || (code === GREATER && ARROW_SHAFTS.has(text.charCodeAt(i - 1)))) continue;
    if (open.pop() !== code) return "mismatched";
    if (untilClosed && open.length === 0) return "closed";
  }
  return "open";
}

/** True when a closing bracket of `text` does not close the last bracket opened: no code, regex or template. */
export function hasMismatchedBracket(text: string): boolean {
  return pair(text, 0, text.length, false) === "mismatched";
}

/**
 * How the group opened at `from` (a bracket) ends: "closed", "open" when the text (or `limit`
 * characters) ends first, "mismatched" when a bracket inside closes out of turn.
 */
export function groupEnd(text: string, from: number, limit: number): Pairing {
  return pair(text, from, limit, true);
}

/**
 * The length of `value` without the closing brackets at its end that close nothing opened in it: the
 * brackets of the code around a bare value (`login({password: pw})` gives `pw})`, `f(token=abc)`
 * gives `abc)`). A closer that pairs with an opener of the value stays (`m{{h}o)p${…}}` keeps its `}}`).
 */
export function withoutUnopenedClosers(value: string): number {
  let end = value.length;
  while (end > 0) {
    const code = value.charCodeAt(end - 1);
    if (!CLOSERS.has(code) || code === GREATER) break;
    const opener = OPENER_OF.get(code);
    let opened = 0;
    let closed = 0;
    for (let i = 0; i < end; i++) {
      const at = value.charCodeAt(i);
      if (at === opener) opened++;
      else if (at === code) closed++;
    }
    if (closed <= opened) break;
    end--;
  }
  return end;
}
