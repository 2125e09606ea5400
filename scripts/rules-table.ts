// Regenerates the "What keyscan detects" table in README.md from the default rules:
// `npx tsx scripts/rules-table.ts` (with --check, exits 1 when the README is out of date).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compileRules, parseRuleFiles } from "../src/engine/rules.js";
import { readDefaultRuleSources } from "../src/config/default-rules.js";

const START = "<!-- rules-table:start -->";
const END = "<!-- rules-table:end -->";

export function rulesTable(): string {
  const rules = compileRules(parseRuleFiles(readDefaultRuleSources())).filter((rule) => rule.report);
  const cell = (text: string): string => text.replaceAll("|", "\\|");
  const rows = rules.map((rule) => {
    const offline = rule.kind === "regex" && rule.validate ? rule.validate : "";
    const paired = rule.kind === "regex" && rule.requires ? `needs ${rule.requires.rule} within ${rule.requires.within} lines` : "";
    return `| \`${rule.id}\` | ${cell(rule.name)} | ${rule.severity} | ${rule.keywords.map((k) => `\`${cell(k)}\``).join(" ")} | ${[offline, paired].filter(Boolean).join("; ")} | ${rule.verify ?? ""} |`;
  });
  return [
    `${rules.length} rules (generated from rules/*.toml by scripts/rules-table.ts). "Offline check" is a checksum or structure test the secret must pass; "Live check" is the provider asked under \`--verify\`.`,
    "",
    "| Rule | Detects | Severity | Keywords | Offline check | Live check |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

const readmePath = join(import.meta.dirname, "..", "README.md");
const readme = readFileSync(readmePath, "utf8");
const start = readme.indexOf(START);
const end = readme.indexOf(END);
if (start === -1 || end < start) throw new Error(`README.md lacks the ${START} … ${END} markers`);
const updated = `${readme.slice(0, start + START.length)}\n${rulesTable()}\n${readme.slice(end)}`;
if (process.argv.includes("--check")) {
  if (updated !== readme) {
    console.error("README.md's rules table is out of date: run npx tsx scripts/rules-table.ts");
    process.exit(1);
  }
} else {
  writeFileSync(readmePath, updated);
}
