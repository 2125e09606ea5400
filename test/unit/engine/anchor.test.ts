// Anchored rules (src/engine/anchor.ts) search only near their keyword: they must find exactly what
// a search of the whole text finds.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findAnchor } from "../../../src/engine/anchor.js";
import { compileRules, type CompiledRegexRule, parseRuleFiles } from "../../../src/engine/rules.js";
import { exampleText } from "../../../src/engine/examples.js";
import { regexRuleMatches } from "../../../src/engine/regex-matches.js";
import { readDefaultRuleSources } from "../../../src/config/default-rules.js";

const rules = compileRules(parseRuleFiles(readDefaultRuleSources())).filter(
  (rule): rule is CompiledRegexRule => rule.kind === "regex",
);

/** What a global search from the start finds: the reference. */
function globalSearch(rule: CompiledRegexRule, text: string): string[] {
  const regex = new RegExp(rule.regex.source, rule.regex.flags);
  const out: string[] = [];
  for (let found = regex.exec(text); found !== null; found = regex.exec(text)) {
    if (found[0].length === 0) regex.lastIndex++;
    else out.push(`${found.index}:${found[0]}`);
  }
  return out;
}

const anchoredSearch = (rule: CompiledRegexRule, text: string): string[] =>
  [...regexRuleMatches(rule, text)].map((found) => `${found.index}:${found[0]}`);

describe("findAnchor", () => {
  it("places the keyword at its distance from the start of a match", () => {
    expect(findAnchor("(?<![\\w-])(ghp_[A-Za-z0-9]{36})(?![\\w-])", ["ghp_"])).toEqual({ literal: "ghp_", caseSensitive: true, minOffset: 0, maxOffset: 0 });
    expect(findAnchor("(?<![\\w-])([0-9a-f]{32}-us\\d{1,2})", ["-us"])).toMatchObject({ minOffset: 32, maxOffset: 32 });
    expect(findAnchor("(?i)\\b(?:https?|ftps?|wss?)://[^@]{1,9}@", ["://"])).toEqual({ literal: "://", caseSensitive: false, minOffset: 2, maxOffset: 5 });
    expect(findAnchor("(?i)\\bHeroku[\\w.-]*", ["heroku"])).toMatchObject({ literal: "Heroku", minOffset: 0 });
  });

  it("gives none when the keyword is optional, repeated, alternated, after an unbounded part, or the pattern is not valid", () => {
    expect(findAnchor("(?:ghp_)?[a-z]{36}", ["ghp_"])).toBeUndefined();
    expect(findAnchor("(?:ghp_)+[a-z]{36}", ["ghp_"])).toBeUndefined();
    expect(findAnchor("ghp_[a-z]{36}|gho_[a-z]{36}", ["ghp_"])).toBeUndefined();
    expect(findAnchor("(?:ghp_|gho_)[a-z]{36}", ["ghp_"])).toBeUndefined();
    expect(findAnchor("[a-z]+-us\\d", ["-us"])).toBeUndefined();
    expect(findAnchor("(a)\\1-us", ["-us"])).toBeUndefined();
    expect(findAnchor("x(-us", ["-us"])).toBeUndefined();
    expect(findAnchor("[a-us", ["-us"])).toBeUndefined();
    expect(findAnchor("(?i:ghp_)[a-z]{36}", ["ghp_"]), "a group with flags of its own").toBeUndefined();
  });

  // The hand-written reader this one replaced read some of these wrongly (a wrong offset) and gave up on the others.
  it("reads escapes, classes and braces as JavaScript does (without the u flag, as rules compile)", () => {
    const at = (offset: number, literal: string) => ({ literal, caseSensitive: true, minOffset: offset, maxOffset: offset });
    expect(findAnchor("[^]ab]ghp_", ["ghp_"]), "[^] is a whole class: ab] are literals after it").toEqual(at(4, "ghp_"));
    expect(findAnchor("[]ab]ghp_", ["ghp_"]), "[] is a whole class").toEqual(at(4, "ghp_"));
    expect(findAnchor("[\\]]ghp_", ["ghp_"])).toEqual(at(1, "ghp_"));
    expect(findAnchor("x{2,-us", ["-us"]), "a brace that starts no quantifier is a literal").toEqual(at(4, "-us"));
    expect(findAnchor("\\u{61}ghp_", ["ghp_"]), "without the u flag, \\u{61} is 61 u's").toEqual(at(61, "ghp_"));
    expect(findAnchor("\\x2dus\\d", ["-us"])).toEqual(at(0, "-us"));
    expect(findAnchor("ghp_\\r?\\n[a-z]{36}", ["ghp_"])).toEqual(at(0, "ghp_"));
    expect(findAnchor("(?<ñ>x)(?<name>ghp_)", ["ghp_"])).toEqual(at(1, "ghp_"));
    expect(findAnchor("ghp_(a)\\1", ["ghp_"]), "a back-reference after the keyword").toEqual(at(0, "ghp_"));
  });

  it("anchors most default rules", () => {
    expect(rules.filter((rule) => rule.anchored).length).toBeGreaterThan(rules.length / 2);
  });
});

describe("anchored search", () => {
  it("finds what a whole-text search finds for a rule whose [^] class is followed by a literal ]", () => {
    const [rule] = compileRules(
      parseRuleFiles([
        { file: "acme.toml", text: `[[rule]]\nid = "acme"\nname = "Acme"\nkeywords = ["acme_"]\npattern = '''[^]x]acme_([a-z]{8})'''\n` },
      ]),
    ).filter((compiled): compiled is CompiledRegexRule => compiled.kind === "regex");
    if (!rule) throw new Error("the rule did not compile");
    const text = "key = ?x]acme_abcdefgh and 0x]acme_hgfedcba";
    expect(anchoredSearch(rule, text)).toEqual(["6:?x]acme_abcdefgh", "27:0x]acme_hgfedcba"]);
    expect(anchoredSearch(rule, text)).toEqual(globalSearch(rule, text));
  });

  it("finds what a whole-text search finds for every default rule, on its examples in context", () => {
    for (const rule of rules) {
      for (const example of [...rule.def.examples.match.map(exampleText), ...rule.def.examples.nomatch]) {
        const text = `x ${example} y\n${example}${example}\n"${example}",${example.toUpperCase()}`;
        expect(anchoredSearch(rule, text), rule.id).toEqual(globalSearch(rule, text));
      }
    }
  });

  it("finds what a whole-text search finds in random mixes of keywords, examples and noise", () => {
    const anchored = rules.filter((rule) => rule.anchored);
    const pieces = [
      ...anchored.flatMap((rule) => [...rule.keywords, ...rule.def.examples.match.map(exampleText)]),
      "-",
      "_",
      ":",
      "/",
      "@",
      " ",
      "\n",
      "0123456789abcdef",
      "ABCDEFGHIJ",
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 12 }), fc.constantFrom(...anchored), (parts, rule) => {
        const text = parts.join("");
        expect(anchoredSearch(rule, text)).toEqual(globalSearch(rule, text));
      }),
      { numRuns: 3000, seed: 42 },
    );
  });
});
