// The default rules precompiled for the bundles (scripts/build.mjs) are the rules of rules/*.toml.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Anchor } from "../../src/engine/anchor.js";
import { afterEach, vi } from "vitest";
import {
  type AnchoredSearch,
  type CompiledRule,
  compileRules,
  deferredRuleDef,
  type ParsedRuleDef,
  parseRuleFiles,
  type RuleSource,
  type SourcedRuleDef,
} from "../../src/engine/rules.js";
import { precompiledRules, readDefaultRuleSources, readRuleFiles, withDetails, defaultRulesDir } from "../../src/config/default-rules.js";
import { buildContext, scanText } from "../../src/run/pipeline.js";
import { emptyConfig } from "../../src/config/load.js";
import { checksummedToken } from "../../fixtures/fake-keys.js";

const precompiled = (): RuleSource[] => {
  const { rules, details } = precompiledRules();
  return withDetails(rules, details.join("\n"));
};

/**
 * Each rule's definition as the build checked it: a deferred rule's parsed from its details, its pattern's
 * named parts (stored as calls) expanded as when the rule is first used.
 */
const definitions = (entries: SourcedRuleDef[]): ParsedRuleDef[] =>
  entries.map((entry) => ("deferred" in entry ? { ...deferredRuleDef(entry.deferred.detail), source: entry.source, checked: true } : entry));

describe("precompiled default rules", () => {
  it("hold the same definitions as rules/*.toml, with each secret group spelled out, marked as checked, without examples", () => {
    const fromToml = parseRuleFiles(readRuleFiles(defaultRulesDir));
    const fromJson = definitions(parseRuleFiles(precompiled()));
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
    const def = parseRuleFiles(readRuleFiles(defaultRulesDir)).find((entry) => entry.def.id === "github-ghp")?.def;
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

  it("carry, of each deferred regex rule, the fields every rule set reads, as its definition has them", () => {
    const entries = parseRuleFiles(precompiled());
    const deferred = entries.flatMap((entry) => ("deferred" in entry ? [entry.deferred] : []));
    expect(deferred.length).toBeGreaterThan(400);
    // The generic detector's entropy and password rules, carried whole.
    expect(entries.filter((entry) => !("deferred" in entry)).map((entry) => ("def" in entry ? entry.def.kind : "?")).sort()).toEqual(["entropy", "password"]);
    for (const { detail, ...summary } of deferred) {
      const { def } = deferredRuleDef(detail);
      if (def.kind !== "regex") throw new Error(`${def.id}: only regex rules are deferred`);
      expect(summary).toEqual(
        JSON.parse(
          JSON.stringify({
            id: def.id,
            keywords: def.keywords.map((word) => word.toLowerCase()),
            report: def.report,
            validate: def.validate,
            requires: def.requires,
            ...(def.onlyPaths.length > 0 ? { onlyPaths: def.onlyPaths } : {}),
          }),
        ),
      );
    }
  });

  describe("deferred rules' details", () => {
    afterEach(() => vi.restoreAllMocks());
    const details = new Set(precompiledRules().details);
    /** The details parsed while `run` runs. */
    const parsedDuring = (run: () => void): string[] => {
      const parse = vi.spyOn(JSON, "parse");
      run();
      return parse.mock.calls.map(([text]) => text).filter((text) => details.has(text));
    };

    it("are parsed for none of the rules while the rule set is built and a text without their keywords is scanned", () => {
      const sources = precompiled();
      expect(parsedDuring(() => scanText({ path: "notes.txt", text: "nothing to see here\n" }, buildContext(emptyConfig(), sources)))).toEqual([]);
    });

    it("are parsed for the rules a text's keywords select, and the rule then finds what the TOML's finds", () => {
      const context = buildContext(emptyConfig(), precompiled());
      const token = checksummedToken(19, "ghp");
      const chunk = { path: "config.js", text: `const token = "${token}";\n` };
      const parsed = parsedDuring(() => expect(scanText(chunk, context).map((finding) => finding.ruleId)).toEqual(scanText(chunk, buildContext()).map((finding) => finding.ruleId)));
      expect(parsed.length).toBeGreaterThan(0);
      expect(parsed.length).toBeLessThan(20);
      expect(parsed.some((text) => text.includes('"id":"github-ghp"'))).toBe(true);
    });
  });

  it("carry each deferred rule's details as one line of ASCII JSON (the bundle joins them into one string of one byte a character)", () => {
    const { details } = precompiledRules();
    expect(details.filter((line) => !/^[\x20-\x7e]*$/.test(line))).toEqual([]);
    // A rule's text beyond ASCII (a dash in a name) survives the escaping.
    const texts = details.map((line) => JSON.stringify(JSON.parse(line)));
    expect(texts.some((text) => /[^\x00-\x7f]/.test(text))).toBe(true);
  });

  it("are embedded in the built CLI (the global setup builds dist/)", () => {
    const bundle = readFileSync(join(import.meta.dirname, "..", "..", "dist", "cli-main.cjs"), "utf8");
    expect(bundle).not.toContain("KEYSCAN_PRECOMPILED_RULES");
    expect(bundle).toContain('{"file":"rules/openai.toml","checked":[');
    expect(bundle).not.toContain("KEYSCAN_PRECOMPILED_RULE_DETAILS");
    expect(bundle).toContain('{"def":{"kind":"regex","id":"openai-');
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
