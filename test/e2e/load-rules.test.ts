// The default rules precompiled for the bundles (scripts/build.mjs) are the rules of rules/*.toml.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Anchor } from "../../src/engine/anchor.js";
import { type AnchoredSearch, type CompiledRule, compileRules, parseRuleFiles, type RuleSource } from "../../src/engine/rules.js";
import { precompiledRules, readDefaultRuleSources } from "../../src/config/default-rules.js";

const precompiled = (): RuleSource[] => JSON.parse(precompiledRules()) as RuleSource[];

describe("precompiled default rules", () => {
  it("hold the same definitions as rules/*.toml, with each secret group spelled out, marked as checked, without examples", () => {
    const fromToml = parseRuleFiles(readDefaultRuleSources());
    const fromJson = parseRuleFiles(precompiled());
    const secretGroups = new Map(compileRules(fromToml).map((rule) => [rule.id, rule.kind === "regex" ? rule.secretGroup : undefined]));
    const noExamples = { match: [], nomatch: [] };
    const spelledOut = fromToml.map(({ def, source }) => ({
      def: def.kind === "regex" ? { ...def, examples: noExamples, secretGroup: secretGroups.get(def.id) } : { ...def, examples: noExamples },
      source,
    }));
    expect(fromJson.map(({ def, source }) => ({ def, source }))).toEqual(spelledOut);
    expect(fromJson.every((entry) => entry.checked)).toBe(true);
    expect(fromToml.some((entry) => entry.checked)).toBe(false);
  });

  it("compile to the same regexes, secret groups and anchored searches as the TOML, without the checks", () => {
    const shape = (sources: RuleSource[]) =>
      compileRules(parseRuleFiles(sources)).map((rule) => {
        if (rule.kind === "entropy") return [rule.id, rule.regex.source, rule.regex.flags];
        const { sticky, ...anchored } = rule.anchored ?? { sticky: undefined };
        return [rule.id, rule.regex.source, rule.regex.flags, rule.secretGroup, anchored, sticky?.source, sticky?.flags];
      });
    expect(shape(precompiled())).toEqual(shape(readDefaultRuleSources()));
    const anchored = compileRules(parseRuleFiles(precompiled())).filter((rule) => rule.kind === "regex" && rule.anchored);
    expect(anchored.length).toBeGreaterThan(50);
  });

  it("carry anchors that compiling uses as given, not worked out again", () => {
    const def = parseRuleFiles(readDefaultRuleSources()).find((entry) => entry.def.id === "github-ghp")?.def;
    if (!def || def.kind !== "regex") throw new Error("github-ghp is a default regex rule");
    const compiled = (anchor: Anchor | null) => compileRules(parseRuleFiles([{ file: "rules/test.toml", checked: [{ def, anchor }] }]))[0];
    const given = { keywords: [{ literal: "GHP_", minOffset: 2, maxOffset: 3, sameLine: true }], caseSensitive: false, lineStart: false };
    expect(compiled(given)).toMatchObject({ anchored: { keywords: [{ keyword: "ghp_", minOffset: 2, maxOffset: 3 }] } });
    const anchoredOf = (rule: CompiledRule | undefined): AnchoredSearch | undefined => {
      if (rule?.kind !== "regex") throw new Error("github-ghp compiles to a regex rule");
      return rule.anchored;
    };
    expect(anchoredOf(compiled(given))?.keywords[0]?.keyword).toBe("ghp_");
    expect(anchoredOf(compiled(given))?.keywords[0]?.literal).toBeUndefined();
    expect(anchoredOf(compiled(null))).toBeUndefined();
    expect(compileRules([{ def, source: "rules/test.toml" }])[0]).toMatchObject({
      anchored: { keywords: [{ keyword: "ghp_", literal: "ghp_", minOffset: 0 }] },
    });
  });

  it("are embedded in the built CLI (the global setup builds dist/)", () => {
    const bundle = readFileSync(join(import.meta.dirname, "..", "..", "dist", "cli-main.cjs"), "utf8");
    expect(bundle).not.toContain("KEYSCAN_PRECOMPILED_RULES");
    expect(bundle).toContain('{"file":"rules/openai.toml","checked":[');
    expect(bundle).not.toContain("KEYSCAN_PRECOMPILED_PREFILTER");
    expect(bundle).toContain('{"ruleKeywords":');
  });

  it("fail the build when a rule would be refused at run time (a runaway pattern)", () => {
    const dir = mkdtempSync(join(tmpdir(), "keyscan-rules-"));
    try {
      const rule = ["[[rule]]", 'id = "runaway"', 'name = "Runaway"', 'keywords = ["aaaa"]', "pattern = '(a+)+$'", ""];
      writeFileSync(join(dir, "bad.toml"), rule.join("\n"));
      expect(() => precompiledRules(dir)).toThrow(/rules\/bad\.toml: rule "runaway": pattern can backtrack catastrophically/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
