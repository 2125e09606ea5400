// A configuration file's bare values through the CLI: a password with brackets in an .env file and
// in YAML is found whole, while the same bytes in a JavaScript file are read as code and are not,
// though the scan reads each distinct content once. The values are drawn at run time.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { LETTERS, randomString, rng } from "../../fixtures/fake-keys.js";
import { runCli } from "../helpers/cli.js";

const scratch = mkdtempSync(join(tmpdir(), "keyscan-config-values-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it("finds a bracketed password in .env and YAML files, and not in the same text in code", () => {
  const random = rng(7);
  const part = (): string => `${randomString(random, LETTERS, 3)}${Math.floor(random() * 90) + 10}`;
  const password = `${part()}(${part()})${part()}!`;
  const envText = `DB_PASSWORD=${password}\n`;
  writeFileSync(join(scratch, ".env"), envText);
  writeFileSync(join(scratch, "settings.js"), envText);
  writeFileSync(join(scratch, "app.yml"), `db:\n  password: ${password} # rotated\n`);
  const result = runCli(["scan", ".", "-f", "json", "--no-redact"], { cwd: scratch });
  expect(result.code).toBe(1);
  const findings: { file: string; line: number; ruleId: string; secret: string }[] = JSON.parse(result.stdout).findings;
  // Drawn at random, it is judged a random value (generic-high-entropy) as much as a chosen password.
  const generic = (ruleId: string): boolean => ruleId.startsWith("generic-");
  expect(findings.map(({ file, line, ruleId, secret }) => ({ file, line, generic: generic(ruleId), secret })).sort((a, b) => a.file.localeCompare(b.file))).toEqual([
    { file: ".env", line: 1, generic: true, secret: password },
    { file: "app.yml", line: 2, generic: true, secret: password },
  ]);
});
