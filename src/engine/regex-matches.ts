// Where a regex rule's pattern matches in a text: a global search, or, for a rule anchored on its
// keywords (anchor.ts), tries only just before each place one occurs.
import { buildPrefilter, findKeywords, type KeywordPositions } from "./prefilter.js";
import type { AnchoredSearch, CompiledRegexRule } from "./rules.js";

/**
 * Every non-empty match of the rule's pattern in the text, in order, as a global search finds them.
 * `keywords`: where the keywords occur in the text (the prefilter's answer; found again when not given).
 */
export function regexRuleMatches(
  rule: CompiledRegexRule,
  text: string,
  keywords: KeywordPositions = findKeywords(buildPrefilter([rule]), text),
): Iterable<RegExpExecArray> {
  return rule.anchored ? anchoredMatches(rule.anchored, rule.regex, text, keywords) : globalMatches(rule.regex, text);
}

/** The characters of a text searched at a time by piecewiseMatches, and the context each piece has on either side. */
const PIECE = 64 * 1024;
const PIECE_CONTEXT = 32 * 1024;

/**
 * The matches of a global regex, found a piece of the text at a time, for a text on which V8 stopped
 * the regex for outgrowing its backtracking stack (RangeError): each piece is searched with
 * PIECE_CONTEXT characters on either side, so lookarounds see the text around it, and keeps the
 * matches that start in it and end before its context does. A match longer than the context (none
 * of the rules' is) may be missed or cut short.
 */
export function piecewiseMatches(regex: RegExp, text: string): RegExpExecArray[] {
  const matches: RegExpExecArray[] = [];
  for (let from = 0; from < text.length; from += PIECE) {
    const start = Math.max(0, from - PIECE_CONTEXT);
    const end = Math.min(text.length, from + PIECE + PIECE_CONTEXT);
    const piece = text.slice(start, end);
    regex.lastIndex = from - start;
    for (let found = regex.exec(piece); found !== null && found.index + start < from + PIECE; found = regex.exec(piece)) {
      if (found[0].length === 0) {
        regex.lastIndex++;
        continue;
      }
      // A match that runs to the piece's end may go on beyond it: it is not taken cut.
      if (end < text.length && found.index + found[0].length >= piece.length) continue;
      found.index += start;
      for (const span of found.indices ?? []) {
        if (!span) continue;
        span[0] += start;
        span[1] += start;
      }
      matches.push(found);
    }
  }
  return matches;
}

/** Every non-empty match of a global regex, in order. */
function* globalMatches(regex: RegExp, text: string): Generator<RegExpExecArray> {
  regex.lastIndex = 0;
  for (let found = regex.exec(text); found !== null; found = regex.exec(text)) {
    if (found[0].length === 0) regex.lastIndex++;
    else yield found;
  }
}

/** Above this many starts, a window is searched by the global regex rather than tried start by start. */
const LONG_WINDOW = 256;

/**
 * The matches a global search would find, for a rule whose every match holds one of its keywords
 * at a known distance from the match's start: the pattern is tried (sticky) only at the starts that
 * distance before each occurrence of a keyword (`keywords`: ascending, ignoring case), in order,
 * never twice, and never before the end of the previous match. A keyword is rare, so most of the
 * text is never tried at all. A long window (a keyword far along a long line, for a rule that
 * allows any distance on the line) is searched by `global` instead: the match it finds is the next
 * one whether or not it lies in the window, as no match starts outside the windows, and when it
 * finds none there is none left; so no character is searched twice.
 */
function* anchoredMatches(search: AnchoredSearch, global: RegExp, text: string, keywords: KeywordPositions): Generator<RegExpExecArray> {
  const windows = startWindows(search, text, keywords);
  const { sticky } = search;
  let next = 0; // the first start not yet tried (or inside the previous match)
  for (let window = 0; window < windows.length; window += 2) {
    const last = windows[window + 1] ?? -1;
    let start = Math.max(next, windows[window] ?? 0);
    if (last - start >= LONG_WINDOW) {
      const found = nextNonEmpty(global, text, start);
      if (found === null) return;
      start = found.index + found[0].length;
      yield found;
    }
    while (start <= last) {
      sticky.lastIndex = start;
      const found = sticky.exec(text);
      if (found !== null && found[0].length > 0) {
        start += found[0].length;
        yield found;
      } else start++;
    }
    next = Math.max(next, start);
  }
}

/** The first non-empty match of a global regex from `start` on, or null. */
function nextNonEmpty(regex: RegExp, text: string, start: number): RegExpExecArray | null {
  regex.lastIndex = start;
  for (let found = regex.exec(text); found !== null; found = regex.exec(text)) {
    if (found[0].length > 0) return found;
    regex.lastIndex = found.index + 1;
  }
  return null;
}

/**
 * The first and last start a match can have, for each occurrence of each keyword (two numbers
 * each), ordered by first start. The start of the keyword's line is found by looking back from the
 * keyword no further than the previous occurrence: a long line holding many occurrences is read
 * once, not once for each.
 */
function startWindows(search: AnchoredSearch, text: string, keywords: KeywordPositions): number[] {
  const windows: number[] = [];
  for (const { keyword, literal, minOffset, maxOffset, sameLine, notAfter } of search.keywords) {
    let previous = 0;
    let previousLineStart = 0;
    for (const position of keywords.get(keyword) ?? []) {
      if (literal !== undefined && !text.startsWith(literal, position)) continue; // a case-sensitive pattern
      // The pattern asserts what precedes the keyword (`\baws` is not in "laws"): no match holds this one.
      if (notAfter !== undefined && position > 0 && notAfter.test(text.charAt(position - 1))) continue;
      let first = maxOffset === undefined ? 0 : Math.max(0, position - maxOffset);
      let last = position - minOffset;
      // The line bounds a window only where nothing else does, or where the match starts at its start.
      if (sameLine && (maxOffset === undefined || search.lineStart)) {
        let lineStart = position;
        while (lineStart > previous && text.charCodeAt(lineStart - 1) !== 10) lineStart--;
        if (lineStart === previous && lineStart > 0 && text.charCodeAt(lineStart - 1) !== 10) lineStart = previousLineStart;
        previous = position;
        previousLineStart = lineStart;
        first = Math.max(first, lineStart);
        if (search.lineStart) {
          if (lineStart < first || lineStart > last) continue;
          last = lineStart;
        }
      }
      if (first <= last) windows.push(first, last);
    }
  }
  if (search.keywords.length > 1) {
    const order = Array.from({ length: windows.length / 2 }, (_, index) => index).sort(
      (a, b) => (windows[2 * a] ?? 0) - (windows[2 * b] ?? 0),
    );
    return order.flatMap((index) => [windows[2 * index] ?? 0, windows[2 * index + 1] ?? 0]);
  }
  return windows;
}
