// The keyword prefilter selects exactly the rules whose keyword occurs in the text (ASCII case ignored).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildPrefilter, selectRules } from "../src/engine/prefilter.js";
import { type CompiledRule, compileRules, parseRuleDef, parseRuleFiles } from "../src/engine/rules.js";
import { readDefaultRuleSources } from "../src/load-rules.js";

const rules = compileRules(parseRuleFiles(readDefaultRuleSources()));
const prefilter = buildPrefilter(rules);

/** The reference: a keyword occurs when the text, with ASCII letters lower-cased, contains it. */
function expected(ruleset: readonly CompiledRule[], text: string): string[] {
  const lower = text.replace(/[A-Z]/g, (char) => char.toLowerCase());
  return ruleset.filter((rule) => rule.keywords.length === 0 || rule.keywords.some((keyword) => lower.includes(keyword))).map((rule) => rule.id);
}

const ids = (selected: CompiledRule[]) => selected.map((rule) => rule.id);

function customRules(keywords: string[]): CompiledRule[] {
  const def = parseRuleDef({ id: "custom", name: "Custom", keywords, pattern: "custom-[0-9]{8}" }, "keyscan.toml");
  return compileRules([{ def, source: "keyscan.toml" }]);
}

describe("prefilter", () => {
  it("finds keywords at the start and end of the text, in any ASCII case, and two-character ones last", () => {
    for (const text of ["ghp_", "xx GHP_", "SK", "a sk", "Q~", "ghp", "", "g", "\u212Aind: sk"]) {
      expect(ids(selectRules(prefilter, text, rules)), JSON.stringify(text)).toEqual(expected(rules, text));
    }
  });

  it("does not let non-ASCII letters stand for ASCII ones (as the i flag does not)", () => {
    expect(ids(selectRules(prefilter, "ſecret \u212Aey İd", rules))).toEqual(expected(rules, "ſecret \u212Aey İd"));
    expect(ids(selectRules(prefilter, "ſecret", rules))).not.toContain("generic-high-entropy");
  });

  it("selects what the reference selects on random mixes of keywords, their case variants and noise", () => {
    const keywords = [...prefilter.rulesByKeyword.keys()];
    const pieces = [...keywords, ...keywords.map((keyword) => keyword.toUpperCase()), ...keywords.map((keyword) => keyword.slice(1)), " ", "é", "\n", "x", "_"];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 8 }), (parts) => {
        const text = parts.join("");
        expect(ids(selectRules(prefilter, text, rules))).toEqual(expected(rules, text));
      }),
      { numRuns: 2000, seed: 7 },
    );
  });

  it("handles custom keywords that are not plain ASCII (through the regex fallback)", () => {
    const custom = customRules(["clé-api"]);
    const own = buildPrefilter(custom);
    expect(own.table).toBeUndefined();
    expect(ids(selectRules(own, "la cle-api est", custom))).toEqual([]);
    expect(ids(selectRules(own, "la CLÉ-API est", custom))).toEqual(["custom"]);
    expect(ids(selectRules(own, "la clé-api est", custom))).toEqual(["custom"]);
    expect(ids(selectRules(own, "la Clé-Api est", custom))).toEqual(["custom"]);
  });
});
