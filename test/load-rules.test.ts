// The default rules precompiled for the bundles (scripts/build.mjs) are the rules of rules/*.toml.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileRules, parseRuleFiles, type RuleSource } from "../src/engine/rules.js";
import { precompiledRules, readDefaultRuleSources } from "../src/load-rules.js";

const precompiled = (): RuleSource[] => JSON.parse(precompiledRules()) as RuleSource[];

describe("precompiled default rules", () => {
  it("hold the same definitions as rules/*.toml, with each secret group spelled out, marked as checked", () => {
    const fromToml = parseRuleFiles(readDefaultRuleSources());
    const fromJson = parseRuleFiles(precompiled());
    const secretGroups = new Map(compileRules(fromToml).map((rule) => [rule.id, rule.kind === "regex" ? rule.secretGroup : undefined]));
    const spelledOut = fromToml.map(({ def, source }) => ({
      def: def.kind === "entropy" ? def : { ...def, secretGroup: secretGroups.get(def.id) },
      source,
    }));
    expect(fromJson.map(({ def, source }) => ({ def, source }))).toEqual(spelledOut);
    expect(fromJson.every((entry) => entry.checked)).toBe(true);
    expect(fromToml.some((entry) => entry.checked)).toBe(false);
  });

  it("compile to the same regexes and secret groups as the TOML, without the checks", () => {
    const shape = (sources: RuleSource[]) =>
      compileRules(parseRuleFiles(sources)).map((rule) => [rule.id, rule.regex.source, rule.regex.flags, rule.kind === "regex" ? rule.secretGroup : -1]);
    expect(shape(precompiled())).toEqual(shape(readDefaultRuleSources()));
  });

  it("are embedded in the built CLI (the global setup builds dist/)", () => {
    const bundle = readFileSync(join(import.meta.dirname, "..", "dist", "cli.js"), "utf8");
    expect(bundle).not.toContain("KEYSCAN_PRECOMPILED_RULES");
    expect(bundle).toContain('{"file":"rules/openai.toml","checked":[');
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
