// The eval's reading of detect-secrets' detector tests: a negative case that holds a positive case
// (another detector's) or a positive case's secret in a syntax the detector does not parse is not
// scored as a negative; one that runs the secret on past its end (a length test) still is.
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
    expect(read.positiveValueNegatives).toBe(1);
  });

  it("drops a negative case holding a positive case's secret whole, and keeps one that runs it on", () => {
    const secret = "7f3c9a1e-44b2-4c0d-9e8a-2b6d5f1c0a93";
    const testFile = (cases: string): string => ["import pytest", "", "@pytest.mark.parametrize(", "    'payload, should_flag',", `    [${cases}],`, ")", "def test_analyze(payload, should_flag):", "    pass", ""].join("\n");
    rmSync(join(root, "tests"), { recursive: true, force: true });
    mkdirSync(join(root, "tests", "plugins"), { recursive: true });
    writeFileSync(
      join(root, "tests", "plugins", "acme_registry_test.py"),
      testFile(`('//acme.example/:_token=${secret}', True), ('_token=${secret}', False), ('_token=${secret}_extra', False), ('_token=\${ACME_TOKEN}', False)`),
    );
    const read = detectSecretsExamples(root);
    expect(read.examples.map((example) => `${example.text} ${example.positive}`).sort()).toEqual([
      `//acme.example/:_token=${secret} true`,
      "_token=${ACME_TOKEN} false",
      `_token=${secret}_extra false`,
    ]);
    expect(read.positiveValueNegatives).toBe(1);
  });
});
