// A pattern's named parts: `(?&gap)` is written once and used by many rules, custom rules included.
import { describe, expect, it } from "vitest";
import { randomString, rng } from "../../../fixtures/fake-keys.js";
import { precompiledRules } from "../../../src/config/default-rules.js";
import { collapseFragments, expandFragments } from "../../../src/engine/fragments.js";
import { compileRules, parseRuleDef } from "../../../src/engine/rules.js";

const hex = (length: number) => randomString(rng(31), "0123456789abcdef", length);

describe("named pattern parts", () => {
  it("expands (?&gap) wherever it stands, and leaves a pattern without one as it is", () => {
    const plain = String.raw`\bacme_([A-Za-z0-9]{32})\b`;
    expect(expandFragments(plain)).toBe(plain);
    const expanded = expandFragments(String.raw`acme(?&gap)(x)|beta(?&gap)(y)`);
    expect(expanded).not.toContain("(?&");
    expect(expanded.startsWith("acme(?:")).toBe(true);
  });

  it("collapses a part's text back to its call, so expanding gives the pattern back", () => {
    const written = String.raw`acme(?&gap)(x)|beta(?&sep)(y)|plain_(z)`;
    expect(collapseFragments(expandFragments(written))).toBe(written);
    // A pattern that holds none of the parts' texts is left as it is.
    expect(collapseFragments(String.raw`acme_([A-Za-z0-9]{32})`)).toBe(String.raw`acme_([A-Za-z0-9]{32})`);
  });

  it("the build stores the default rules' patterns with their parts as calls, and each reads back as written", () => {
    const { details } = precompiledRules();
    const patterns = details.map((line) => (JSON.parse(line) as { def: { pattern: string } }).def.pattern);
    expect(patterns.filter((pattern) => pattern.includes("(?&gap)")).length).toBeGreaterThan(100);
    for (const pattern of patterns) expect(collapseFragments(expandFragments(pattern))).toBe(pattern);
  });

  it("a custom rule using (?&gap) finds a value after a label on the line and on the next line, and not two lines down", () => {
    const def = parseRuleDef({ id: "acme-key", name: "Acme key", keywords: ["acme"], pattern: String.raw`(?i)\bacme[\w.-]{0,40}(?&gap)([a-f0-9]{32})(?![\w-])` }, "keyscan.toml");
    const [rule] = compileRules([{ def, source: "keyscan.toml" }]);
    expect(rule?.kind).toBe("regex");
    const regex = new RegExp(def.kind === "regex" ? def.pattern.replace(/^\(\?i\)/, "") : "", "i");
    const value = hex(32);
    expect(`acme private access key = ${value}`.match(regex)?.[1]).toBe(value);
    expect(`acme:\n  api_key: "${value}"`.match(regex)?.[1]).toBe(value);
    expect(`acme:\n\n  ${value}`.match(regex)).toBeNull();
    expect(`acme release commit ${value}`.match(regex)).toBeNull();
  });

  it("(?&sep) takes a separator on the name's line only, with no label and no line break", () => {
    const regex = new RegExp(expandFragments(String.raw`acme[\w.-]{0,40}secret[\w.-]{0,40}(?&sep)([a-f0-9]{32})(?![\w-])`), "i");
    const value = hex(32);
    expect(`ACME_SECRET_KEY: String = "${value}"`.match(regex)?.[1]).toBe(value);
    expect(`acme_secret:\n  ${value}`.match(regex)).toBeNull();
    expect(`acme_secret private key ${value}`.match(regex)).toBeNull();
  });

  it("an unknown part is refused with the rule named, not read as literal text", () => {
    const def = parseRuleDef({ id: "acme-key", name: "Acme key", keywords: ["acme"], pattern: String.raw`acme(?&nosuchpart)([a-z]{8})` }, "keyscan.toml");
    expect(() => compileRules([{ def, source: "keyscan.toml" }])).toThrow(/keyscan\.toml: rule "acme-key": invalid pattern/);
  });
});
