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

/** An anchor on one keyword, bounded, in a pattern that does not begin at a line's start. */
const one = (literal: string, minOffset: number, maxOffset: number, caseSensitive = true, notAfter?: string) => ({
  keywords: [{ literal, minOffset, maxOffset, sameLine: true, ...(notAfter === undefined ? {} : { notAfter }) }],
  caseSensitive,
  lineStart: false,
});

describe("findAnchor", () => {
  it("places the keyword at its distance from the start of a match", () => {
    expect(findAnchor("(?<![\\w-])(ghp_[A-Za-z0-9]{36})(?![\\w-])", ["ghp_"])).toEqual(one("ghp_", 0, 0, true, "[\\w-]"));
    expect(findAnchor("(?<![\\w-])([0-9a-f]{32}-us\\d{1,2})", ["-us"])).toEqual(one("-us", 32, 32));
    expect(findAnchor("(?i)\\b(?:https?|ftps?|wss?)://[^@]{1,9}@", ["://"])).toEqual(one("://", 2, 5, false));
    expect(findAnchor("(?i)\\bHeroku[\\w.-]*", ["heroku"])).toEqual(one("Heroku", 0, 0, false, "\\w"));
  });

  it("places each keyword of a group of alternatives that all hold one", () => {
    expect(findAnchor("(?i)x\\s?(?:Password|Pwd)=(\\w+)", ["password", "pwd"])).toEqual({
      keywords: [
        { literal: "Password", minOffset: 1, maxOffset: 2, sameLine: false },
        { literal: "Pwd", minOffset: 1, maxOffset: 2, sameLine: false },
      ],
      caseSensitive: false,
      lineStart: false,
    });
    expect(findAnchor("(?:ab(?:ghp_|gho_)|cghs_)[a-z]{36}", ["ghp_", "gho_", "ghs_"])?.keywords).toEqual([
      { literal: "ghp_", minOffset: 2, maxOffset: 2, sameLine: true },
      { literal: "gho_", minOffset: 2, maxOffset: 2, sameLine: true },
      { literal: "ghs_", minOffset: 1, maxOffset: 1, sameLine: true },
    ]);
    expect(findAnchor("(?:ghp_|gh[op]_)[a-z]{36}", ["ghp_", "gho_"]), "an alternative without a keyword").toBeUndefined();
  });

  it("places a keyword after an unbounded part that cannot hold a newline anywhere on its line", () => {
    expect(findAnchor("[ \\t]*password[:=]", ["password"])).toEqual({
      keywords: [{ literal: "password", minOffset: 0, sameLine: true }],
      caseSensitive: true,
      lineStart: false,
    });
    expect(findAnchor("x[^;\\n]+;password", ["password"])?.keywords).toEqual([{ literal: "password", minOffset: 3, sameLine: true }]);
    expect(findAnchor("x.{2,}password", ["password"]), "a dot does not match a newline").toMatchObject({ keywords: [{ minOffset: 3 }] });
    expect(findAnchor("x\\s*password", ["password"]), "\\s matches a newline").toBeUndefined();
    expect(findAnchor("x[^;]*password", ["password"]), "a negated class without \\n matches one").toBeUndefined();
    expect(findAnchor("x\\n?password", ["password"]), "bounded, but not on the keyword's line").toEqual({
      keywords: [{ literal: "password", minOffset: 1, maxOffset: 2, sameLine: false }],
      caseSensitive: true,
      lineStart: false,
    });
  });

  it("knows what an assertion right before the keyword refuses before it: \\b before a word character, a lookbehind of one class", () => {
    expect(findAnchor("\\baws[a-z]{4}", ["aws"])?.keywords).toEqual([{ literal: "aws", minOffset: 0, maxOffset: 0, sameLine: true, notAfter: "\\w" }]);
    expect(findAnchor("(?<![$.])\\bsecret=", ["secret"])?.keywords[0]?.notAfter, "the assertion nearest the keyword").toBe("\\w");
    expect(findAnchor("(?<![.$])ion_[a-z]{4}", ["ion_"])?.keywords[0]?.notAfter).toBe("[.$]");
    expect(findAnchor("\\b(?:sk-|rk-)[a-z]{4}", ["sk-", "rk-"])?.keywords.map((keyword) => keyword.notAfter), "a group's alternatives that start with their keyword").toEqual(["\\w", "\\w"]);
    expect(findAnchor("\\b://x", ["://"])?.keywords[0]?.notAfter, "\\b before a character that is no word's").toBeUndefined();
    expect(findAnchor("(?<!ab)token", ["token"])?.keywords[0]?.notAfter, "a lookbehind of more than one character").toBeUndefined();
    expect(findAnchor("\\bx?token", ["token"])?.keywords[0]?.notAfter, "something between").toBeUndefined();
    expect(findAnchor("(?<![\\w-])[a-z]{2}(?:ghp_)", ["ghp_"])?.keywords[0]?.notAfter).toBeUndefined();
  });

  it("tries no occurrence after a character the assertion refuses, and finds what a global search finds", () => {
    const toml = `[[rule]]\nid = "t"\nname = "t"\nkeywords = ["aws"]\npattern = '''\\baws_([a-z]{4})'''\nseverity = "low"\n`;
    const [aws] = compileRules(parseRuleFiles([{ file: "t.toml", text: toml }])) as CompiledRegexRule[];
    if (!aws) throw new Error("no rule");
    const text = "laws_abcd aws_efgh draws_ijkl\naws_mnop";
    expect(anchoredSearch(aws, text)).toEqual(globalSearch(aws, text));
    expect(anchoredSearch(aws, text)).toEqual(["10:aws_efgh", "30:aws_mnop"]);
  });

  it("knows a pattern that begins with (?<![^\\n]) starts at a line's start", () => {
    expect(findAnchor("(?<![^\\n])[ \\t]+token:", ["token"])).toMatchObject({ lineStart: true, keywords: [{ minOffset: 1, sameLine: true }] });
    expect(findAnchor("(?<![^\\r\\n])[ \\t]+token:", ["token"])).toMatchObject({ lineStart: false });
    expect(findAnchor("x(?<![^\\n])token:", ["token"])).toMatchObject({ lineStart: false });
  });

  it("reads a class of a letter's two cases as that letter in either case", () => {
    expect(findAnchor("\\b[Pp][Ss]exec\\s-p (\\w+)", ["psexec"])).toEqual({
      keywords: [{ literal: "psexec", minOffset: 0, maxOffset: 0, sameLine: true, caseless: true, notAfter: "\\w" }],
      caseSensitive: true,
      lineStart: false,
    });
    expect(findAnchor("x[sS]exec", ["sexec"])?.keywords).toEqual([{ literal: "sexec", minOffset: 1, maxOffset: 1, sameLine: true, caseless: true }]);
    expect(findAnchor("[Pq]sexec", ["psexec"]), "two letters that are not one's cases").toBeUndefined();
    expect(findAnchor("[^Pp]sexec", ["psexec"]), "a negated class").toBeUndefined();
    expect(findAnchor("[Pp1]sexec", ["psexec"]), "a third member").toBeUndefined();
  });

  it("gives none when the keyword is optional, repeated, alternated, after an unbounded part, or the pattern is not valid", () => {
    expect(findAnchor("(?:ghp_)?[a-z]{36}", ["ghp_"])).toBeUndefined();
    expect(findAnchor("(?:ghp_)+[a-z]{36}", ["ghp_"])).toBeUndefined();
    expect(findAnchor("ghp_[a-z]{36}|gho_[a-z]{36}", ["ghp_"])).toBeUndefined();
    expect(findAnchor("(?:ghp_|gho_)[a-z]{36}", ["ghp_"])).toBeUndefined();
    expect(findAnchor("[a-z\\n]+-us\\d", ["-us"])).toBeUndefined();
    expect(findAnchor("(a)\\1-us", ["-us"])).toBeUndefined();
    expect(findAnchor("x(-us", ["-us"])).toBeUndefined();
    expect(findAnchor("[a-us", ["-us"])).toBeUndefined();
    expect(findAnchor("(?i:ghp_)[a-z]{36}", ["ghp_"]), "a group with flags of its own").toBeUndefined();
    expect(findAnchor("(?i:ghp_|gho_)[a-z]{36}", ["ghp_", "gho_"]), "alternatives with flags of their own").toBeUndefined();
  });

  // The hand-written reader this one replaced read some of these wrongly (a wrong offset) and gave up on the others.
  it("reads escapes, classes and braces as JavaScript does (without the u flag, as rules compile)", () => {
    const at = (offset: number, literal: string) => one(literal, offset, offset);
    expect(findAnchor("[^]ab]ghp_", ["ghp_"]), "[^] is a whole class (any character, a newline too): ab] are literals after it").toEqual({
      ...at(4, "ghp_"),
      keywords: [{ literal: "ghp_", minOffset: 4, maxOffset: 4, sameLine: false }],
    });
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
      for (const example of [...rule.def.examples.match.map(exampleText), ...rule.def.examples.nomatch.map(exampleText)]) {
        const text = `x ${example} y\n${example}${example}\n"${example}",${example.toUpperCase()}`;
        expect(anchoredSearch(rule, text), rule.id).toEqual(globalSearch(rule, text));
      }
    }
  });

  it("finds what a whole-text search finds for rules on several keywords, on a line, at a line's start, or with long windows", () => {
    const toml = (id: string, keywords: string[], pattern: string) =>
      `[[rule]]\nid = "${id}"\nname = "${id}"\nkeywords = ${JSON.stringify(keywords)}\npattern = '''${pattern}'''\n`;
    const own = compileRules(
      parseRuleFiles([
        {
          file: "own.toml",
          text: [
            toml("line-start", ["password"], "(?i)(?<![^\\n])[ \\t]*password[ \\t]*[:=][ \\t]*(\\S{6,})"),
            toml("either", ["password", "pwd"], "(?i)x[^\\n]{0,400}?(?:Password|Pwd)=(\\w{3,})"),
            toml("either-case", ["password", "pwd"], "ab?(?:Password|PWD)=(\\w{3,})"),
            toml("on-the-line", ["sig="], "[a-z =]*sig=(\\w{4})"),
            toml("any-case-name", ["pwd", "sig="], "(?:\\b[Pp][Ww][Dd]|sig=) (\\w{3,})"),
          ].join(""),
        },
      ]),
    ).filter((compiled): compiled is CompiledRegexRule => compiled.kind === "regex");
    expect(own.map((rule) => [rule.id, rule.anchored?.keywords.length, rule.anchored?.lineStart])).toEqual([
      ["line-start", 1, true],
      ["either", 2, false],
      ["either-case", 2, false],
      ["on-the-line", 1, false],
      ["any-case-name", 2, false],
    ]);
    // A name spelt in classes of both cases is found in any case, though the pattern is case-sensitive.
    const anyCase = own.find((rule) => rule.id === "any-case-name") as CompiledRegexRule;
    expect(anchoredSearch(anyCase, "pWd abc sig= def PWD ghi")).toEqual(["0:pWd abc", "8:sig= def", "17:PWD ghi"]);
    expect(anchoredSearch(anyCase, "xpwd abc SIG= def")).toEqual([]);
    const pieces = ["password", "PASSWORD", "Password", "pwd", "PWD", "pWd", "sig=", "x", "a", "b", " ", "\n", "=", ":", "abc123", " ".repeat(300), "a".repeat(300)];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 16 }), fc.constantFrom(...own), (parts, rule) => {
        const text = parts.join("");
        expect(anchoredSearch(rule, text)).toEqual(globalSearch(rule, text));
      }),
      { numRuns: 3000, seed: 5 },
    );
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
