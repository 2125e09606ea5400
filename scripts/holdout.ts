// `npm run holdout`: precision, recall and F1 on the hold-out corpus (fixtures/holdout), written
// independently of the rules' own corpus. Runs the built CLI with a config that allows nothing
// (the project's keyscan.toml allows fixtures/**), then lists every miss and false alarm.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileRules, parseRuleFiles } from "../src/engine/rules.js";
import { readDefaultRuleSources } from "../src/config/default-rules.js";
import { type Label, printScore, score } from "./score.js";

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
  [join(repo, "dist", "cli.cjs"), "scan", ".", "--format", "json", "--no-redact", "--no-color", "--no-progress", "--config", emptyConfig],
  { cwd: corpus, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 },
);
rmSync(temp, { recursive: true, force: true });
if (run.status !== 0 && run.status !== 1) throw new Error(`keyscan exited ${run.status}: ${run.stderr.trim()}`);
const findings = (JSON.parse(run.stdout) as { findings: { file: string; line: number; ruleId: string; secret: string }[] }).findings;

// The CLI names files from the repository's root: labels name them from the corpus folder.
const key = (file: string, line: number): string => `${file.replace(/^\.\//, "").replace(/^fixtures\/holdout\/corpus\//, "")}:${line}`;
const negativeKind = new Map(manifest.negatives.map((negative) => [key(negative.file, negative.line), negative.kind]));
const flagged = findings.map((finding) => {
  const where = key(finding.file, finding.line);
  const kind = negativeKind.get(where);
  return { where, ruleId: finding.ruleId, detail: `${kind ? `[${kind}] ` : ""}${finding.secret.slice(0, 60)}` };
});
const result = score(manifest.positives, flagged, key, (ruleId) => familyOf.get(ruleId) ?? ruleId);
console.log(`Hold-out: ${manifest.positives.length} labelled secrets, ${manifest.negatives.length} hard negatives, ${findings.length} findings`);
printScore(result);
console.log(`\nMissed (${result.misses.length}):${result.misses.map((miss) => `\n  ${miss}`).join("")}`);
console.log(`\nFalse alarms (${result.falseAlarms.length}):${result.falseAlarms.map((alarm) => `\n  ${alarm}`).join("")}`);
