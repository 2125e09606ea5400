// Every default rule carries examples that must and must not match; this one test runs them all.
import { describe, expect, it } from "vitest";
import { compileRules, parseRuleFiles } from "../src/engine/rules.js";
import { createRuleset } from "../src/engine/ruleset.js";
import { scanText } from "../src/run/pipeline.js";
import { readDefaultRuleSources } from "../src/config/default-rules.js";

const rules = compileRules(parseRuleFiles(readDefaultRuleSources()));
const ruleset = createRuleset(rules);

/** Helper rules (report = false) are tested as if they reported, alongside the others. */
function rulesetReporting(id: string) {
  const rule = rules.find((candidate) => candidate.id === id);
  if (!rule || rule.report) return ruleset;
  return createRuleset(rules.map((candidate) => (candidate.id === id ? { ...candidate, report: true } : candidate)));
}

const idsFound = (text: string, id: string): string[] =>
  scanText({ path: "example.txt", text }, { ruleset: rulesetReporting(id) }).map((finding) => finding.ruleId);

describe("default rules", () => {
  it("cover at least 80 reporting rules", () => {
    expect(rules.filter((rule) => rule.report).length).toBeGreaterThanOrEqual(80);
  });

  it("each carry at least two examples that match and two that do not, and a remediation", () => {
    for (const rule of rules) {
      expect(rule.def.examples.match.length, rule.id).toBeGreaterThanOrEqual(2);
      expect(rule.def.examples.nomatch.length, rule.id).toBeGreaterThanOrEqual(2);
      expect(rule.remediation.length, rule.id).toBeGreaterThan(20);
    }
  });

  for (const rule of rules) {
    it(`${rule.id}: examples.match are found by the rule`, () => {
      for (const example of rule.def.examples.match) expect(idsFound(example, rule.id), example).toContain(rule.id);
    });
    it(`${rule.id}: examples.nomatch are not`, () => {
      for (const example of rule.def.examples.nomatch) expect(idsFound(example, rule.id), example).not.toContain(rule.id);
    });
  }
});
