// Findings for the reporter tests, made by the real engine from fake keys generated at run time.
import { openaiLegacyKey, openaiProjectKey, password } from "../../../fixtures/fake-keys.js";
import { compileRules, parseRuleFiles } from "../../../src/engine/rules.js";
import { createRuleset } from "../../../src/engine/ruleset.js";
import { scanText } from "../../../src/run/pipeline.js";
import { readDefaultRuleSources } from "../../../src/config/default-rules.js";
import type { ReportInput } from "../../../src/report/common.js";
import { type Chunk, emptyStats, type Finding, type RuleMeta } from "../../../src/types.js";

// Two test-only rules beside the shipped OpenAI ones, for the medium and low severities.
const extraRules = `
[[rule]]
id = "test-password"
name = "Password in assignment"
keywords = ["password"]
pattern = '''password\\s*=\\s*"([^"]{4,})"'''
severity = "medium"
remediation = "Move the password to the environment."
tags = ["password"]

[[rule]]
id = "test-pin"
name = "Short PIN"
keywords = ["pin:"]
pattern = '''pin:([0-9]{4,8})'''
severity = "low"
`;

// Only the OpenAI rules file, so these tests do not depend on rules other people are editing.
const openai = readDefaultRuleSources().filter((source) => source.file === "rules/openai.toml");
const compiled = compileRules(parseRuleFiles([...openai, { file: "test.toml", text: extraRules }]));
const ruleset = createRuleset(compiled);

export const rules: RuleMeta[] = compiled.map((rule) => ({
  id: rule.id,
  name: rule.name,
  severity: rule.severity,
  remediation: rule.remediation,
  ...(rule.def.description !== undefined ? { description: rule.def.description } : {}),
  tags: rule.def.tags,
}));

export function scan(chunk: Chunk): Finding[] {
  return scanText(chunk, { ruleset });
}

export const keys = {
  project: openaiProjectKey(101),
  legacy: openaiLegacyKey(102),
  password: password(103, 16),
  pin: "48213907",
};

/** Four findings over two files, one of each severity's family. */
export function sampleFindings(): Finding[] {
  return [
    ...scan({ path: "src/config.ts", text: `// settings\nexport const key = "${keys.project}";\nconst password = "${keys.password}";\n` }),
    ...scan({ path: "app/main.py", text: `OPENAI_API_KEY = '${keys.legacy}'\n# pin:${keys.pin}\n` }),
  ];
}

export function input(findings: Finding[], overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    findings,
    stats: { ...emptyStats(), files: 12, bytes: 5 * 1024 * 1024 + 300 * 1024, skippedBinary: 2, skippedLarge: 1, durationMs: 1234 },
    mode: "scan",
    rules,
    redact: true,
    color: false,
    toolVersion: "0.1.0",
    ...overrides,
  };
}
