// `npm run holdout`: precision, recall and F1 on the hold-out corpus (fixtures/holdout), written
// independently of the rules' own corpus. Runs the built CLI with a config that allows nothing
// (the project's keyscan.toml allows fixtures/**), then lists every miss and false alarm.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileRules, parseRuleFiles } from "../src/engine/rules.js";
import { readDefaultRuleSources } from "../src/load-rules.js";

interface Label {
  file: string;
  line: number;
  family: string;
}
interface Manifest {
  positives: Label[];
  negatives: { file: string; line: number; kind: string }[];
}

const repo = join(import.meta.dirname, "..");
const holdout = join(repo, "fixtures", "holdout");
const corpus = join(holdout, "corpus");
const manifest = JSON.parse(readFileSync(join(holdout, "manifest.json"), "utf8")) as Manifest;
const familyOf = new Map(compileRules(parseRuleFiles(readDefaultRuleSources())).map((rule) => [rule.id, rule.def.tags[0] ?? rule.id]));

spawnSync(process.execPath, [join(repo, "scripts", "build.mjs")], { cwd: repo, stdio: "inherit" });
const temp = mkdtempSync(join(tmpdir(), "keyscan-holdout-"));
const emptyConfig = join(temp, "keyscan.toml");
writeFileSync(emptyConfig, "");
const run = spawnSync(
  process.execPath,
  [join(repo, "dist", "cli.js"), "scan", ".", "--format", "json", "--no-redact", "--no-color", "--no-progress", "--config", emptyConfig],
  { cwd: corpus, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 },
);
rmSync(temp, { recursive: true, force: true });
if (run.status !== 0 && run.status !== 1) throw new Error(`keyscan exited ${run.status}: ${run.stderr.trim()}`);
const findings = (JSON.parse(run.stdout) as { findings: { file: string; line: number; ruleId: string; secret: string }[] }).findings;

// The CLI names files from the repository's root: labels name them from the corpus folder.
const key = (file: string, line: number): string => `${file.replace(/^\.\//, "").replace(/^fixtures\/holdout\/corpus\//, "")}:${line}`;
const flagged = new Map<string, { ruleId: string; secret: string }>();
for (const finding of findings) if (!flagged.has(key(finding.file, finding.line))) flagged.set(key(finding.file, finding.line), finding);
const labelled = new Set(manifest.positives.map((label) => key(label.file, label.line)));

const counts = new Map<string, { tp: number; fn: number; fp: number }>();
const of = (family: string) => {
  const entry = counts.get(family) ?? { tp: 0, fn: 0, fp: 0 };
  counts.set(family, entry);
  return entry;
};
const misses: string[] = [];
const falseAlarms: string[] = [];
for (const label of manifest.positives) {
  if (flagged.has(key(label.file, label.line))) of(label.family).tp++;
  else {
    of(label.family).fn++;
    misses.push(`${key(label.file, label.line)} (${label.family})`);
  }
}
const negativeKind = new Map(manifest.negatives.map((negative) => [key(negative.file, negative.line), negative.kind]));
for (const [where, finding] of flagged) {
  if (labelled.has(where)) continue;
  of(familyOf.get(finding.ruleId) ?? finding.ruleId).fp++;
  const kind = negativeKind.get(where);
  falseAlarms.push(`${where} ${finding.ruleId}${kind ? ` [${kind}]` : ""}: ${finding.secret.slice(0, 60)}`);
}

const fmt = (value: number): string => (Number.isNaN(value) ? "  n/a" : value.toFixed(3));
const f1 = (p: number, r: number): number => (p + r === 0 ? 0 : (2 * p * r) / (p + r));
console.log(`Hold-out: ${manifest.positives.length} labelled secrets, ${manifest.negatives.length} hard negatives, ${findings.length} findings`);
console.log(`\n${"family".padEnd(16)} ${"TP".padStart(4)} ${"FN".padStart(4)} ${"FP".padStart(4)}  precision  recall     F1`);
const rows = [...counts.entries()].sort(([a], [b]) => a.localeCompare(b));
const total = rows.reduce((sum, [, c]) => ({ tp: sum.tp + c.tp, fn: sum.fn + c.fn, fp: sum.fp + c.fp }), { tp: 0, fn: 0, fp: 0 });
for (const [name, c] of [...rows, ["OVERALL", total] as const]) {
  const precision = c.tp / (c.tp + c.fp);
  const recall = c.tp / (c.tp + c.fn);
  console.log(`${name.padEnd(16)} ${String(c.tp).padStart(4)} ${String(c.fn).padStart(4)} ${String(c.fp).padStart(4)}  ${fmt(precision).padStart(9)}  ${fmt(recall).padStart(6)}  ${fmt(f1(precision, recall)).padStart(5)}`);
}
console.log(`\nMissed (${misses.length}):${misses.map((miss) => `\n  ${miss}`).join("")}`);
console.log(`\nFalse alarms (${falseAlarms.length}):${falseAlarms.map((alarm) => `\n  ${alarm}`).join("")}`);
