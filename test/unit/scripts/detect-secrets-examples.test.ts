// The eval's reading of detect-secrets' detector tests: a detector's negative case that another
// detector's tests list as a positive is not scored as a negative.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { detectSecretsExamples } from "../../../scripts/detect-secrets-examples.js";

const root = mkdtempSync(join(tmpdir(), "keyscan-ds-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("detect-secrets' detector tests", () => {
  it("drops a negative case another detector lists as a positive, and keeps the other negatives", () => {
    mkdirSync(join(root, "tests", "plugins"), { recursive: true });
    const testFile = (cases: string): string => ["import pytest", "", "@pytest.mark.parametrize(", "    'payload, should_flag',", `    [${cases}],`, ")", "def test_analyze(payload, should_flag):", "    pass", ""].join("\n");
    writeFileSync(join(root, "tests", "plugins", "acme_token_test.py"), testFile("('acme_tok_one', True), ('beta_tok_two', False), ('plain text', False)"));
    writeFileSync(join(root, "tests", "plugins", "beta_token_test.py"), testFile("('beta_tok_two', True)"));
    const read = detectSecretsExamples(root);
    expect(read.examples.map((example) => `${example.family} ${example.text} ${example.positive}`).sort()).toEqual([
      "acme_token acme_tok_one true",
      "acme_token plain text false",
      "beta_token beta_tok_two true",
    ]);
    expect(read.otherDetectorsPositives).toBe(1);
  });
});
