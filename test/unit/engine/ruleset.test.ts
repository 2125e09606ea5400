// Which rules a path skips (an entropy or password rule's skipPaths, a regex rule's onlyPaths): each
// distinct regex is tested once for a path, and every rule that has it is skipped there.
import { describe, expect, it } from "vitest";
import { readDefaultRuleSources } from "../../../src/config/default-rules.js";
import { type CompiledRule, compileRules, parseRuleDef, parseRuleFiles } from "../../../src/engine/rules.js";
import { createRuleset, rulesSkippedAt } from "../../../src/engine/ruleset.js";

/** The reference: every rule whose own skipPaths matches the path or whose onlyPaths does not, ids sorted. */
const expectedSkipped = (rules: readonly CompiledRule[], path: string): string[] =>
  rules
    .filter((rule) => (rule.kind === "regex" ? rule.onlyPaths !== undefined && !rule.onlyPaths.test(path) : rule.skipPaths?.test(path)))
    .map((rule) => rule.id)
    .sort();

const customEntropyRule = (id: string, skipPaths: string[]) => ({
  def: parseRuleDef({ kind: "entropy", id, name: id, keywords: ["token"], charsets: { hex: { minLength: 32, threshold: 3 } }, skipPaths }, "keyscan.toml"),
  source: "keyscan.toml",
});

const paths = [
  "package-lock.json",
  "web/yarn.lock",
  "PACKAGE-LOCK.JSON",
  "dist/app.min.js",
  "SHA256SUMS.txt",
  "src/app.ts",
  "vendor/lib/token.ts",
  "vendor.ts",
  "docs/fixtures/keys.md",
  "fixtures/generated/data.json",
];

describe("rulesSkippedAt", () => {
  it("skips each rule whose skipPaths match the path, as testing every rule's own regex does (default rules)", () => {
    const rules = compileRules(parseRuleFiles(readDefaultRuleSources()));
    const ruleset = createRuleset(rules);
    expect(rulesSkippedAt(ruleset, "package-lock.json").length).toBeGreaterThan(1);
    for (const path of paths) expect(rulesSkippedAt(ruleset, path), path).toEqual(expectedSkipped(rules, path));
  });

  it("tests rules that share their skipPaths once and still skips each, and keeps rules with other paths apart", () => {
    const rules = compileRules([
      ...parseRuleFiles(readDefaultRuleSources()),
      customEntropyRule("custom-vendor", ["(?:^|/)vendor/"]),
      customEntropyRule("custom-vendor-too", ["(?:^|/)vendor/"]),
      customEntropyRule("custom-fixtures", ["(?:^|/)fixtures/", "\\.md$"]),
    ]);
    const ruleset = createRuleset(rules);
    const groups = ruleset.pathSkipping;
    expect(groups.reduce((count, group) => count + group.ids.length, 0)).toBe(rules.filter((rule) => (rule.kind === "regex" ? rule.onlyPaths : rule.skipPaths)).length);
    expect(groups.find((group) => group.ids.includes("custom-vendor"))?.ids).toEqual(["custom-vendor", "custom-vendor-too"]);
    const custom = (path: string): string[] => rulesSkippedAt(ruleset, path).filter((id) => id.startsWith("custom-"));
    expect(custom("vendor/lib/token.ts")).toEqual(["custom-vendor", "custom-vendor-too"]);
    expect(custom("docs/fixtures/keys.md")).toEqual(["custom-fixtures"]);
    for (const path of paths) expect(rulesSkippedAt(ruleset, path), path).toEqual(expectedSkipped(rules, path));
  });

  it("skips a regex rule with onlyPaths everywhere but there, and lets such a rule go without keywords", () => {
    const def = parseRuleDef({ id: "custom-key-file", name: "key file", pattern: "^KEY=(\\w{16})$", onlyPaths: ["(?:^|/)\\.keyfile$"] }, "keyscan.toml");
    const rules = compileRules([{ def, source: "keyscan.toml" }]);
    const ruleset = createRuleset(rules);
    expect(rulesSkippedAt(ruleset, "config/.keyfile")).toEqual([]);
    expect(rulesSkippedAt(ruleset, "config/keyfile.txt")).toEqual(["custom-key-file"]);
    expect(() => compileRules([{ def: parseRuleDef({ id: "no-words", name: "n", pattern: "x(\\w+)" }, "keyscan.toml"), source: "keyscan.toml" }])).toThrow(/keywords/);
  });
});
