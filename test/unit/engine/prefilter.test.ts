// The keyword prefilter finds every occurrence of every keyword (ASCII case ignored), and selects
// exactly the rules whose keyword occurs in the text.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildPrefilter, findKeywords, type Prefilter, prefilterData, rulesByKeyword, SEGMENT, selectRules } from "../../../src/engine/prefilter.js";
import { type CompiledRule, compileRules, parseRuleDef, parseRuleFiles } from "../../../src/engine/rules.js";
import { readDefaultRuleSources } from "../../../src/config/default-rules.js";

const rules = compileRules(parseRuleFiles(readDefaultRuleSources()));
const prefilter = buildPrefilter(rules);

/** The reference: a keyword occurs when the text, with ASCII letters lower-cased, contains it. */
function expected(ruleset: readonly CompiledRule[], text: string): string[] {
  const lower = text.replace(/[A-Z]/g, (char) => char.toLowerCase());
  return ruleset.filter((rule) => rule.keywords.length === 0 || rule.keywords.some((keyword) => lower.includes(keyword))).map((rule) => rule.id);
}

/** The reference: every start of every keyword in the text with ASCII letters lower-cased, overlapping ones too. */
function expectedPositions(keywords: readonly string[], text: string): Record<string, number[]> {
  const lower = text.replace(/[A-Z]/g, (char) => char.toLowerCase());
  const out: Record<string, number[]> = {};
  for (const keyword of keywords) {
    const positions: number[] = [];
    for (let at = lower.indexOf(keyword); at !== -1; at = lower.indexOf(keyword, at + 1)) positions.push(at);
    if (positions.length > 0) out[keyword] = positions;
  }
  return out;
}

const positions = (own: Prefilter, text: string): Record<string, number[]> => Object.fromEntries(findKeywords(own, text));
const select = (own: Prefilter, text: string): CompiledRule[] => selectRules(own, findKeywords(own, text));
const ids = (selected: CompiledRule[]) => selected.map((rule) => rule.id);

function customRules(keywords: string[]): CompiledRule[] {
  const def = parseRuleDef({ id: "custom", name: "Custom", keywords, pattern: "custom-[0-9]{8}" }, "keyscan.toml");
  return compileRules([{ def, source: "keyscan.toml" }]);
}

describe("prefilter", () => {
  it("finds keywords at the start and end of the text, in any ASCII case, and two-character ones last", () => {
    for (const text of ["ghp_", "xx GHP_", "SK", "a sk", "Q~", "ghp", "", "g", "\u212Aind: sk"]) {
      expect(ids(select(prefilter, text)), JSON.stringify(text)).toEqual(expected(rules, text));
    }
  });

  it("has a keyword select the rules of every keyword it contains, and only those", () => {
    const rule = (id: string, keywords: string[]) => ({ def: parseRuleDef({ id, name: id, keywords, pattern: `${id}-[0-9]{8}` }, "keyscan.toml"), source: "keyscan.toml" });
    const own = compileRules([rule("short", ["token"]), rule("long", ["bot_token", "discord"]), rule("other", ["tok"])]);
    const selectedBy = rulesByKeyword(buildPrefilter(own));
    const idsOf = (keyword: string) => (selectedBy.get(keyword) ?? []).map((selected) => selected.id).sort();
    expect(idsOf("bot_token")).toEqual(["long", "other", "short"]);
    expect(idsOf("token")).toEqual(["other", "short"]);
    expect(idsOf("tok")).toEqual(["other"]);
    expect(idsOf("discord")).toEqual(["long"]);
  });

  it("gives each keyword of the default rules (and a custom rule's) the rules of every keyword it contains", () => {
    const all = [...rules, ...customRules(["ke", "sk", "-----begin"])];
    const selectedBy = rulesByKeyword(buildPrefilter(all));
    for (const keyword of new Set(all.flatMap((rule) => rule.keywords))) {
      const reference = all.filter((rule) => rule.keywords.some((own) => keyword.includes(own))).map((rule) => rule.id);
      expect((selectedBy.get(keyword) ?? []).map((rule) => rule.id), keyword).toEqual(reference);
    }
  });

  it("turns data worked out beforehand (as the build does for the default rules) into the same prefilter", () => {
    const precomputed = JSON.parse(JSON.stringify(prefilterData(rules))) as ReturnType<typeof prefilterData>;
    const rebuilt = buildPrefilter(rules, precomputed);
    const ruleIds = (own: Prefilter) => [...rulesByKeyword(own)].map(([keyword, selected]) => [keyword, ids(selected)]);
    expect(ruleIds(rebuilt)).toEqual(ruleIds(prefilter));
    expect(rebuilt.table?.keywords).toEqual(prefilter.table?.keywords);
    // The tables as the hot loop reads them: everything in its memory before the text's place.
    const tables = (own: Prefilter) => [...(own.table?.memory.subarray(0, own.table.layout.input) ?? [])];
    expect(tables(rebuilt)).toEqual(tables(prefilter));
    const text = "OPENAI_API_KEY=x ghp_ sk- AKIA password: Q~";
    expect(positions(rebuilt, text)).toEqual(positions(prefilter, text));
  });

  it("does not use data worked out for rules with other keywords (a rule turned off, a custom rule)", () => {
    const precomputed = prefilterData(rules);
    const fewer = rules.filter((rule) => rule.id !== "github-ghp");
    expect(ids(select(buildPrefilter(fewer, precomputed), "ghp_"))).toEqual(expected(fewer, "ghp_"));
    const more = [...rules, ...customRules(["zqxv-custom"])];
    expect(ids(select(buildPrefilter(more, precomputed), "a zqxv-custom b"))).toEqual(expected(more, "a zqxv-custom b"));
    expect(ids(select(buildPrefilter(more, precomputed), "a zqxv-custom b"))).toContain("custom");
  });

  it("does not let non-ASCII letters stand for ASCII ones (as the i flag does not)", () => {
    expect(ids(select(prefilter, "ſecret \u212Aey İd"))).toEqual(expected(rules, "ſecret \u212Aey İd"));
    expect(ids(select(prefilter, "ſecret"))).not.toContain("generic-high-entropy");
  });

  it("selects what the reference selects on random mixes of keywords, their case variants and noise", () => {
    const keywords = [...prefilter.placesByKeyword.keys()];
    const pieces = [...keywords, ...keywords.map((keyword) => keyword.toUpperCase()), ...keywords.map((keyword) => keyword.slice(1)), " ", "é", "\n", "x", "_"];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 8 }), (parts) => {
        const text = parts.join("");
        expect(ids(select(prefilter, text))).toEqual(expected(rules, text));
        expect(positions(prefilter, text)).toEqual(expectedPositions(keywords, text));
      }),
      { numRuns: 2000, seed: 7 },
    );
  });

  it("reports every occurrence, overlapping ones and two-character keywords at the very end included", () => {
    const text = "TOKENtoken sksk Q~q~ xoxb-xoxb- ghp_GHP_ secret_secret";
    expect(positions(prefilter, text)).toEqual(expectedPositions([...prefilter.placesByKeyword.keys()], text));
    expect(positions(prefilter, "sksk")).toEqual({ sk: [0, 2] });
  });

  it("gives each text its own occurrences, in the keywords' order, whatever the texts before it held", () => {
    const keywords = [...prefilter.placesByKeyword.keys()];
    for (const text of ["password token ghp_", "token", "", "ghp_ password ghp_", "nothing here"]) {
      const found = findKeywords(prefilter, text);
      expect(Object.fromEntries(found), JSON.stringify(text)).toEqual(expectedPositions(keywords, text));
      const order = [...found.keys()].map((keyword) => prefilter.table?.keywords.indexOf(keyword) ?? -1);
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  });

  it("finds custom keywords that are not plain ASCII (through a regex each) beside plain ones", () => {
    const custom = customRules(["clé-api", "cle-api"]);
    const own = buildPrefilter(custom);
    expect(positions(own, "CLÉ-API cle-api Clé-Api")).toEqual({ "clé-api": [0, 16], "cle-api": [8] });
  });

  it("handles custom keywords that are not plain ASCII (through the regex fallback)", () => {
    const custom = customRules(["clé-api"]);
    const own = buildPrefilter(custom);
    expect(own.table).toBeUndefined();
    expect(ids(select(own, "la cle-api est"))).toEqual([]);
    expect(ids(select(own, "la CLÉ-API est"))).toEqual(["custom"]);
    expect(ids(select(own, "la clé-api est"))).toEqual(["custom"]);
    expect(ids(select(own, "la Clé-Api est"))).toEqual(["custom"]);
  });

  it("finds keywords that cross the hot loop's segments, and those right at a segment's end", () => {
    const keywords = [...prefilter.placesByKeyword.keys()];
    for (const keyword of ["sk", "ghp_", "xoxb-", "private key-----", "q~"]) {
      for (let shift = -keyword.length; shift <= 1; shift++) {
        const at = SEGMENT + shift;
        const text = `${"x".repeat(at)}${keyword.toUpperCase()}${"y".repeat(SEGMENT)}${keyword}`;
        expect(positions(prefilter, text), `${keyword} at ${at}`).toEqual(expectedPositions(keywords, text));
      }
    }
  });

  it("finds a keyword at each of the six positions one load covers, and among the last positions of a text", () => {
    const keywords = [...prefilter.placesByKeyword.keys()];
    for (const keyword of ["sk", "pat", "token", "ghp_"]) {
      for (let before = 0; before < 14; before++) {
        for (let after = 0; after < 8; after++) {
          const text = `${"x".repeat(before)}${keyword}${"y".repeat(after)}`;
          expect(positions(prefilter, text), JSON.stringify(text)).toEqual(expectedPositions(keywords, text));
        }
      }
    }
  });

  it("does not take a character beyond U+00FF for the ASCII letter its low byte spells", () => {
    // U+0173 and U+016B end in the bytes of "s" and "k": the hot loop sees "sk", the comparison does not.
    expect(positions(prefilter, "\u0173\u016b \u0167\u0168\u0170_")).toEqual({});
    expect(positions(prefilter, "\u0173k sk")).toEqual({ sk: [3] });
  });

  it("agrees with the reference on long texts of keywords, noise and characters beyond U+00FF", () => {
    const keywords = [...prefilter.placesByKeyword.keys()];
    const pieces = [...keywords, ...keywords.map((keyword) => keyword.toUpperCase()), "\u0173", "\u016b", "é", "\n", "x".repeat(997)];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { minLength: 40, maxLength: 200 }), (parts) => {
        const text = parts.join("");
        expect(positions(prefilter, text)).toEqual(expectedPositions(keywords, text));
      }),
      { numRuns: 200, seed: 11 },
    );
  });
});
