// `npm run holdout`: precision, recall and F1 on the labelled sets written apart from the rules, each
// scanned by the built CLI with a config that allows nothing (the project's keyscan.toml allows
// fixtures/**), listing every miss and false alarm:
// - fixtures/holdout: written by this project, independently of the rules' own corpus;
// - fixtures/independent: written by an engineer who never read the rules or the detector, from the
//   providers' documentation of their formats (its README says how).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileRules, parseRuleFiles } from "../src/engine/rules.js";
import { readDefaultRuleSources } from "../src/config/default-rules.js";
import { type Label, printScore, score } from "./score.js";

interface LabelledSet {
  name: string;
  /** The folder scanned; labels name files from it. */
  corpus: string;
  positives: Label[];
  /** "file:line" of each hard negative, with its kind, to name it in the false-alarm list. */
  negatives: Map<string, string>;
}

const repo = join(import.meta.dirname, "..");
const familyOf = new Map(compileRules(parseRuleFiles(readDefaultRuleSources())).map((rule) => [rule.id, rule.def.tags[0] ?? rule.id]));
const key = (file: string, line: number): string => `${file.replace(/^\.\//, "")}:${line}`;

/** fixtures/holdout/manifest.json: positives with their family, negatives with their kind. */
function holdoutSet(): LabelledSet {
  const dir = join(repo, "fixtures", "holdout");
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as {
    positives: Label[];
    negatives: { file: string; line: number; kind: string }[];
  };
  return {
    name: "hold-out (fixtures/holdout)",
    corpus: join(dir, "corpus"),
    positives: manifest.positives,
    negatives: new Map(manifest.negatives.map((negative) => [key(negative.file, negative.line), negative.kind])),
  };
}

/** fixtures/independent/labels.tsv: file, line, kind (secret | negative), provider, secret, note; files named from that folder. */
function independentSet(): LabelledSet {
  const dir = join(repo, "fixtures", "independent");
  const rows = readFileSync(join(dir, "labels.tsv"), "utf8").trimEnd().split("\n").slice(1).map((row) => row.split("\t"));
  const positives: Label[] = [];
  const negatives = new Map<string, string>();
  for (const [file = "", line = "", kind = "", provider = "", , note = ""] of rows) {
    const inCorpus = file.replace(/^corpus\//, "");
    if (kind === "secret") positives.push({ file: inCorpus, line: Number(line), family: provider });
    else negatives.set(key(inCorpus, Number(line)), `${provider}: ${note}`);
  }
  return { name: "independent (fixtures/independent)", corpus: join(dir, "corpus"), positives, negatives };
}

function scanWithCli(corpus: string): { file: string; line: number; ruleId: string; secret: string }[] {
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
  return (JSON.parse(run.stdout) as { findings: { file: string; line: number; ruleId: string; secret: string }[] }).findings;
}

spawnSync(process.execPath, [join(repo, "scripts", "build.mjs")], { cwd: repo, stdio: "inherit" });
for (const set of [holdoutSet(), independentSet()]) {
  const findings = scanWithCli(set.corpus);
  // The CLI names files from the repository's root when the corpus sits inside this repository.
  const inCorpus = (file: string): string => file.replace(/^fixtures\/(holdout|independent)\/corpus\//, "");
  const flagged = findings.map((finding) => {
    const where = key(inCorpus(finding.file), finding.line);
    const kind = set.negatives.get(where);
    return { where, ruleId: finding.ruleId, detail: `${kind ? `[${kind}] ` : ""}${finding.secret.slice(0, 60)}` };
  });
  const result = score(set.positives, flagged, key, (ruleId) => familyOf.get(ruleId) ?? ruleId);
  console.log(`\n${set.name}: ${set.positives.length} labelled secrets, ${set.negatives.size} hard negatives, ${findings.length} findings`);
  printScore(result);
  console.log(`\nMissed (${result.misses.length}):${result.misses.map((miss) => `\n  ${miss}`).join("")}`);
  console.log(`\nFalse alarms (${result.falseAlarms.length}):${result.falseAlarms.map((alarm) => `\n  ${alarm}`).join("")}`);
}
