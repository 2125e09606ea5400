import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findConfig, parseConfig } from "../../../src/config/load.js";
import { UsageError } from "../../../src/errors.js";
import { buildContext } from "../../../src/run/pipeline.js";

describe("config", () => {
  it("reads disable, allow and custom rules", () => {
    const config = parseConfig(
      `disable = ["openai-legacy-key"]
[allow]
paths = ["fixtures/**"]
stopwords = ["example"]

[[rule]]
id = "acme-token"
name = "Acme token"
keywords = ["acme_"]
pattern = '''acme_[a-z0-9]{16}'''
`,
      "keyscan.toml",
    );
    expect(config.disable).toEqual(["openai-legacy-key"]);
    expect(config.allow.paths).toEqual(["fixtures/**"]);
    expect(config.rules.map((rule) => rule.id)).toEqual(["acme-token"]);
    const context = buildContext(config);
    const ids = context.ruleset.rules.map((rule) => rule.id);
    expect(ids).toContain("acme-token");
    expect(ids).not.toContain("openai-legacy-key");
  });

  it("names the file, the line and the nearest key for an unknown key", () => {
    expect(() => parseConfig('disable = []\n\n[alow]\npaths = ["x"]\n', "keyscan.toml")).toThrow(
      'keyscan.toml:3: unknown key "alow" (did you mean "allow"?)',
    );
  });

  it("names the rule id of a custom rule with a bad regex", () => {
    const text = `[[rule]]\nid = "broken"\nname = "Broken"\nkeywords = ["zz"]\npattern = "zz(["\n`;
    expect(() => buildContext(parseConfig(text, "keyscan.toml"))).toThrow(/keyscan\.toml: rule "broken": invalid pattern/);
  });

  it("rejects wrong types and invalid TOML with one sentence naming the file", () => {
    expect(() => parseConfig("disable = 3\n", "k.toml")).toThrow(UsageError);
    expect(() => parseConfig("disable = 3\n", "k.toml")).toThrow(/^k\.toml:1: disable: /);
    expect(() => parseConfig("disable = [\n", "k.toml")).toThrow(/^k\.toml:\d+:\d+: invalid TOML/);
  });

  it("words schema problems in full sentences (zod/mini's English messages are configured)", () => {
    expect(() => parseConfig("disable = 3\n", "k.toml")).toThrow("k.toml:1: disable: Invalid input: expected array, received number");
    const rule = '[[rule]]\nid = "r"\nname = "R"\npattern = "x"\nsecretGroup = -1\n';
    expect(() => parseConfig(rule, "k.toml")).toThrow('k.toml: rule "r": secretGroup: Too small: expected number to be >=0');
  });

  it("rejects disabling a rule that does not exist, suggesting the nearest", () => {
    const config = parseConfig('disable = ["openai-projct-key"]\n', "keyscan.toml");
    expect(() => buildContext(config)).toThrow('did you mean "openai-project-key"');
  });

  it("is found from the scan root upward, stopping at the repository root", () => {
    const top = mkdtempSync(join(tmpdir(), "keyscan-config-"));
    const repo = join(top, "repo");
    mkdirSync(join(repo, "a", "b"), { recursive: true });
    writeFileSync(join(top, "keyscan.toml"), "");
    expect(findConfig(join(repo, "a", "b"), repo)).toBeUndefined();
    writeFileSync(join(repo, ".keyscan.toml"), "");
    expect(findConfig(join(repo, "a", "b"), repo)).toBe(join(repo, ".keyscan.toml"));
    writeFileSync(join(repo, "a", "keyscan.toml"), "");
    expect(findConfig(join(repo, "a", "b"), repo)).toBe(join(repo, "a", "keyscan.toml"));
  });
});
