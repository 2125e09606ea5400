// The eval's reading of peers' rule files: what it scores, and what it leaves out by the peer's own
// labels or because a test token fails its format's checksum.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ALNUM, checksummedToken, randomString, rng } from "../../../fixtures/fake-keys.js";
import { looksLikePlaceholderExample, rejectedByCheck, ruleFileExamples, withoutRejectingChecks } from "../../../scripts/peers.js";
import { readDefaultRuleSources } from "../../../src/config/default-rules.js";
import { compileRules, parseRuleFiles } from "../../../src/engine/rules.js";
import { createRuleset } from "../../../src/engine/ruleset.js";

const folder = mkdtempSync(join(tmpdir(), "keyscan-peers-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("peer rule files", () => {
  it("leaves out rules the peer does not call secrets, and negatives another rule lists as positives", () => {
    writeFileSync(
      join(folder, "acme.yml"),
      [
        "rules:",
        "- id: acme.1",
        "  categories: [api, secret]",
        "  examples: ['ACME_TOKEN=one']",
        "  negative_examples: ['ACME_TOKEN=two', 'plain text']",
        "- id: acme.2",
        "  categories: [api, identifier]",
        "  examples: ['acme-account-42']",
        "- id: acme.3",
        "  visible: false",
        "  examples: ['acme.example.net']",
        "- id: acme.4",
        "  examples: ['ACME_TOKEN=two']",
        "",
      ].join("\n"),
    );
    const read = ruleFileExamples(folder, "peer");
    expect(read.examples.map((example) => `${example.file} ${example.positive}`).sort()).toEqual([
      "peer/acme.1/match-0.txt true",
      "peer/acme.1/nomatch-1.txt false",
      "peer/acme.4/match-0.txt true",
    ]);
    expect(read.notCredentials).toBe(2);
    expect(read.otherRulesPositives).toBe(1);
  });
});

describe("malformed test tokens", () => {
  const ruleset = createRuleset(compileRules(parseRuleFiles(readDefaultRuleSources())));
  const unchecked = withoutRejectingChecks(ruleset);

  it("a GitHub token whose checksum is wrong is malformed; one whose checksum is right is not", () => {
    const token = checksummedToken(11, "ghp");
    const broken = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
    expect(rejectedByCheck(`GITHUB_TOKEN=${broken}`, "match-0.txt", ruleset, unchecked)).toBe(true);
    expect(rejectedByCheck(`GITHUB_TOKEN=${token}`, "match-0.txt", ruleset, unchecked)).toBe(false);
  });

  it("reads the text as a file of the example's name: a rule kept to other paths finds nothing there", () => {
    // A malformed JWT (its header is no JSON) whose payload, decoded, holds a line that reads as a .pgpass
    // entry: the rule for those runs only in files named .pgpass, not in match-0.txt.
    const payload = Buffer.from('{"x":1}\ndb.example.net:5432:app:report:Qz8#mesa-91').toString("base64url");
    const malformed = `ANON_KEY=eyJhbGciOiJIUzI1NiIsEnR5cCI6IkpXVCJ9.${payload}.WQWcwBAQFNE259f2o8ruFln_UMLTFEnEaUD7KHrs9Aw`;
    expect(rejectedByCheck(malformed, "match-0.txt", ruleset, unchecked)).toBe(true);
  });

  it("text no rule matches at all is not malformed, only unmatched", () => {
    expect(rejectedByCheck("nothing to see here", "match-0.txt", ruleset, unchecked)).toBe(false);
  });

  it("a placeholder password where a password goes is left out; a chosen one is scored", () => {
    expect(rejectedByCheck("postgresql://user:secret@localhost:5433/database", "match-0.txt", ruleset, unchecked)).toBe(true);
    // Made up: a password someone chose. keyscan:allow-next-line
    expect(rejectedByCheck("postgresql://app:Ruby-Kettle-48@db.internal:5432/app", "match-0.txt", ruleset, unchecked)).toBe(false);
  });
});

describe("placeholder examples", () => {
  // A random value of key length, made at run time: the repository holds no key-shaped literal.
  const random = randomString(rng(7), ALNUM, 32);

  it("a name assigned to is not a value, even with a digit in it; the value decides", () => {
    expect(looksLikePlaceholderExample("ACME2_CLIENT_SECRET='abcdef1234567890abcdef1234567890abcdef12'")).toBe(true);
    expect(looksLikePlaceholderExample("acme2ClientSecret: \"YOUR_CLIENT_SECRET_GOES_HERE_1234567890\"")).toBe(true);
    // A random value beside the placeholder keeps the example scored.
    expect(looksLikePlaceholderExample(`ACME2_CLIENT_ID='abcdef1234567890abcdef12'\nACME2_CLIENT_SECRET='${random}'`)).toBe(false);
  });

  it("a token's own = or : is not an assignment: its parts stay values", () => {
    // A token with '=' before a checksum, and a URL's user:password.
    expect(looksLikePlaceholderExample(`api_token = 'abcdef1234567890abcdef12'\nkey = 'ATATT3x${random}=9F1A2B3C'`)).toBe(false);
    expect(looksLikePlaceholderExample(`url = 'https://abcdef1234567890abcdef:${random}@db.acme-corp.net'`)).toBe(false);
  });
});
