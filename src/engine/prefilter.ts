// One pass over the text for every rule keyword; only rules whose keyword occurs run their regex.
import type { CompiledRule } from "./rules.js";

export interface Prefilter {
  /** Rules that run whatever the text (none have no keywords today, but custom rules may). */
  always: CompiledRule[];
  keywordRegex: RegExp | undefined;
  /** For each lower-cased keyword: the rules it (or any keyword it contains) triggers. */
  rulesByKeyword: Map<string, CompiledRule[]>;
}

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function buildPrefilter(rules: readonly CompiledRule[]): Prefilter {
  const keywords = [...new Set(rules.flatMap((rule) => rule.keywords))];
  // Longest first, so that at any position the alternation records the longest keyword;
  // the shorter keywords it contains are credited through rulesByKeyword below.
  keywords.sort((a, b) => b.length - a.length);
  const rulesByKeyword = new Map<string, CompiledRule[]>();
  for (const keyword of keywords) {
    rulesByKeyword.set(
      keyword,
      rules.filter((rule) => rule.keywords.some((own) => keyword.includes(own))),
    );
  }
  return {
    always: rules.filter((rule) => rule.keywords.length === 0),
    keywordRegex: keywords.length > 0 ? new RegExp(keywords.map(escapeRegex).join("|"), "gi") : undefined,
    rulesByKeyword,
  };
}

/** The rules worth running on this text, in their original order. */
export function selectRules(prefilter: Prefilter, text: string, allRules: readonly CompiledRule[]): CompiledRule[] {
  const selected = new Set<CompiledRule>(prefilter.always);
  const regex = prefilter.keywordRegex;
  if (regex) {
    const seen = new Set<string>();
    regex.lastIndex = 0;
    for (let match = regex.exec(text); match !== null; match = regex.exec(text)) {
      const keyword = match[0].toLowerCase();
      if (!seen.has(keyword)) {
        seen.add(keyword);
        for (const rule of prefilter.rulesByKeyword.get(keyword) ?? []) selected.add(rule);
        if (selected.size === allRules.length) break;
      }
      // Step one character, not past the match, so a keyword that overlaps this one is not missed.
      regex.lastIndex = match.index + 1;
    }
  }
  return allRules.filter((rule) => selected.has(rule));
}
