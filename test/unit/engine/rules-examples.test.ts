// Every default rule carries examples that must and must not match; this one test runs them all
// (engine/examples.ts, which `keyscan rules --check` runs too).
import { describe, expect, it } from "vitest";
import { ALNUM, randomString, rng } from "../../../fixtures/fake-keys.js";
import { readDefaultRuleSources } from "../../../src/config/default-rules.js";
import { exampleFailures } from "../../../src/engine/examples.js";
import { compileRules, parseRuleFiles } from "../../../src/engine/rules.js";

const rules = compileRules(parseRuleFiles(readDefaultRuleSources()));

describe("default rules", () => {
  it("each have an id of their own: rule files that give two rules one id are refused", () => {
    expect(new Set(rules.map((rule) => rule.id)).size).toBe(rules.length);
    const file = (name: string, id: string) => ({
      file: name,
      text: `[[rule]]\nid = "${id}"\nname = "n"\nkeywords = ["acme"]\npattern = 'acme_([a-z0-9]{20})'\nremediation = "Rotate it at Acme."\n`,
    });
    expect(() => parseRuleFiles([file("a.toml", "acme-token"), file("b.toml", "acme-token")])).toThrow('b.toml: rule "acme-token": a.toml has a rule with this id already');
    expect(parseRuleFiles([file("a.toml", "acme-token"), file("b.toml", "acme-other")])).toHaveLength(2);
  });

  it("cover at least 250 reporting rules", () => {
    expect(rules.filter((rule) => rule.report).length).toBeGreaterThanOrEqual(250);
  });

  it("each carry at least two examples that match and two that do not, and a remediation", () => {
    for (const rule of rules) {
      expect(rule.def.examples.match.length, rule.id).toBeGreaterThanOrEqual(2);
      expect(rule.def.examples.nomatch.length, rule.id).toBeGreaterThanOrEqual(2);
      expect(rule.remediation.length, rule.id).toBeGreaterThan(20);
    }
  });

  it("pin the secret each example of a reporting rule yields ({ text, secret })", () => {
    const unpinned = rules.filter((rule) => rule.report).flatMap((rule) =>
      rule.def.examples.match.filter((entry) => typeof entry === "string" || entry.secret === undefined).map((entry) => `${rule.id}: ${typeof entry === "string" ? entry : entry.text}`),
    );
    expect(unpinned).toEqual([]);
  });

  for (const rule of rules) {
    it(`${rule.id}: examples.match are found (with the secret they pin), examples.nomatch are not`, () => {
      expect(exampleFailures(rule, rules)).toEqual([]);
    });
  }
});

describe("example checks", () => {
  const [acme] = compileRules(
    parseRuleFiles([
      {
        file: "acme.toml",
        text: `[[rule]]
id = "acme-token"
name = "Acme token"
keywords = ["acme_"]
pattern = '''acme_([a-z0-9]{8})(?:_([a-z0-9]{4}))?'''
examples.match = [{ text = "t = acme_0123abcd_wxyz", secret = "0123abcd" }, { text = "t = acme_0123abcd", secret = "acme_0123abcd" }, "no token here"]
examples.nomatch = ["acme_short", "acme_0123abcd"]
`,
      },
    ]),
  );

  it("name each example that is not found, reports another secret, or matches when it should not", () => {
    if (!acme) throw new Error("setup: the rule did not compile");
    expect(exampleFailures(acme, [acme])).toEqual([
      { ruleId: "acme-token", example: "t = acme_0123abcd", problem: 'found secret "0123abcd" instead of "acme_0123abcd"' },
      { ruleId: "acme-token", example: "no token here", problem: "not found" },
      { ruleId: "acme-token", example: "acme_0123abcd", problem: "found, but should not be" },
    ]);
  });

  it("scan a pinned example at its path, where the rules that skip that path do not run", () => {
    const defaults = compileRules(parseRuleFiles(readDefaultRuleSources()));
    const entropy = defaults.find((rule) => rule.id === "generic-high-entropy");
    if (!entropy) throw new Error("setup: no entropy rule");
    const text = `API_SECRET=${randomString(rng(18), ALNUM, 32)}`;
    const at = (path: string) => ({ ...entropy, def: { ...entropy.def, examples: { match: [{ text, path }], nomatch: [] } } });
    expect(exampleFailures(at("config/.env"), defaults)).toEqual([]);
    expect(exampleFailures(at("yarn.lock"), defaults)).toEqual([{ ruleId: "generic-high-entropy", example: text, problem: "not found" }]);
  });
});
