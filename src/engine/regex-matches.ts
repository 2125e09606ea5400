// Where a regex rule's pattern matches in a text: a global search, or, for a rule anchored on its
// keyword (anchor.ts), tries only just before each place the keyword occurs.
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
  return rule.anchored ? anchoredMatches(rule.anchored, text, keywords.get(rule.anchored.keyword) ?? []) : globalMatches(rule.regex, text);
}

/** Every non-empty match of a global regex, in order. */
function* globalMatches(regex: RegExp, text: string): Generator<RegExpExecArray> {
  regex.lastIndex = 0;
  for (let found = regex.exec(text); found !== null; found = regex.exec(text)) {
    if (found[0].length === 0) regex.lastIndex++;
    else yield found;
  }
}

/**
 * The matches a global search would find, for a rule whose every match holds its keyword between
 * minOffset and maxOffset characters after the match's start: the pattern is tried (sticky) only at
 * those starts before each occurrence of the keyword (`positions`, ascending, ignoring case), in
 * order, never twice, and never before the end of the previous match. A keyword is rare, so most of
 * the text is never tried at all.
 */
function* anchoredMatches(search: AnchoredSearch, text: string, positions: readonly number[]): Generator<RegExpExecArray> {
  const { literal, sticky, minOffset, maxOffset } = search;
  let next = 0; // the first start not yet tried (or inside the previous match)
  for (const position of positions) {
    if (literal !== undefined && !text.startsWith(literal, position)) continue; // a case-sensitive pattern
    const last = position - minOffset;
    let start = Math.max(next, position - maxOffset);
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
