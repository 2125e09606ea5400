// `npm run eval`: detection quality in numbers.
// 1. Precision, recall and F1, overall and per family, on the labelled corpus (fixtures/corpus),
//    read from keyscan's own JSON report (the built CLI), or from the engine when no CLI is built.
// 2. False alarms per 100 MB on real code written by others: the installed node_modules.
// 3. With a folder of fetched snapshots (`npm run eval -- DIR` or KEYSCAN_CORPORA=DIR; see
//    scripts/peers.ts): other scanners' published examples, and real public source, triaged.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { generateCorpus } from "../fixtures/corpus/generate.js";
import { configFileKind } from "../src/engine/config-files.js";
import { compileRules, parseRuleFiles } from "../src/engine/rules.js";
import { createRuleset, type Ruleset, rulesSkippedAt } from "../src/engine/ruleset.js";
import { findMatches } from "../src/engine/scan.js";
import { readDefaultRuleSources } from "../src/config/default-rules.js";
import { decodeText } from "../src/sources/decode.js";
import { evaluatePeers, evaluateRealCode, type ScanResult, sourceOf } from "./peers.js";
import { printProviderListCoverage } from "./provider-lists.js";
import { printScore, score } from "./score.js";

interface Hit {
  file: string;
  line: number;
  ruleId: string;
}

const corpora = process.argv[2] ?? process.env.KEYSCAN_CORPORA;

const ruleset = createRuleset(compileRules(parseRuleFiles(readDefaultRuleSources())));
const familyOf = new Map(ruleset.rules.map((rule) => [rule.id, rule.def.tags[0] ?? rule.id]));

/** A snapshot's files, without its .git and the `.keyscan-source` note that names its commit (peers.ts, sourceOf). */
function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== ".git") walk(path, out);
    else if (entry.isFile() && entry.name !== ".keyscan-source") out.push(path);
  }
  return out;
}

/** A file's text as the CLI reads it (sources/decode.ts); undefined for a binary file with nothing to scan. */
function readText(path: string): string | undefined {
  return decodeText(readFileSync(path));
}

function scanWithEngine(root: string, set: Ruleset): ScanResult {
  const hits: ScanResult["hits"] = [];
  let bytes = 0;
  let files = 0;
  for (const path of walk(root)) {
    if (statSync(path).size > 10 * 1024 * 1024) continue;
    const text = readText(path);
    if (text === undefined) continue;
    files++;
    bytes += Buffer.byteLength(text);
    const file = relative(root, path).replaceAll("\\", "/");
    // As the CLI scans a file at this path: a configuration file's bare values are literal text (config-files.ts).
    for (const finding of findMatches(text, set, { skip: new Set(rulesSkippedAt(set, file)), configFile: configFileKind(file) })) hits.push({ file, line: finding.line, ruleId: finding.ruleId, secret: finding.secret });
  }
  return { hits, bytes, files };
}

/** keyscan's JSON report of the corpus directory, or undefined when the CLI is not built or fails. */
function scanWithCli(root: string): Hit[] | undefined {
  const repo = join(import.meta.dirname, "..");
  const cli = join(repo, "dist", "cli.cjs");
  // Rebuild so the report reflects the current rules and engine, not a stale bundle.
  if (existsSync(join(repo, "src", "cli.ts"))) spawnSync(process.execPath, [join(repo, "scripts", "build.mjs")], { cwd: repo, stdio: "inherit" });
  if (!existsSync(cli)) return undefined;
  const run = spawnSync(process.execPath, [cli, "scan", ".", "--format", "json", "--no-redact", "--no-color"], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.status !== 0 && run.status !== 1) {
    console.log(`(the CLI exited ${run.status}: ${run.stderr.trim().split("\n")[0]}; using the engine API instead)`);
    return undefined;
  }
  const report = JSON.parse(run.stdout) as { findings: { file: string; line: number; ruleId: string }[] };
  return report.findings.map((finding) => ({ file: finding.file.replace(/^\.\//, ""), line: finding.line, ruleId: finding.ruleId }));
}

function evaluateCorpus(): void {
  const corpus = generateCorpus();
  const root = mkdtempSync(join(tmpdir(), "keyscan-corpus-"));
  try {
    for (const [file, text] of corpus.files) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), text);
    }
    const started = Date.now();
    const fromCli = scanWithCli(root);
    const hits = fromCli ?? scanWithEngine(root, ruleset).hits;
    const source = fromCli ? "keyscan's JSON report (dist/cli.cjs scan --format json)" : "the engine API";
    console.log(`Corpus: ${corpus.files.size} files, ${corpus.positives.length} labelled secrets, ${corpus.negatives.length} hard negatives; scanned through ${source} in ${Date.now() - started} ms`);

    const key = (file: string, line: number): string => `${file}:${line}`;
    const flagged = hits.map((hit) => ({ where: key(hit.file, hit.line), ruleId: hit.ruleId }));
    const result = score(corpus.positives, flagged, key, (ruleId) => familyOf.get(ruleId) ?? ruleId);
    printScore(result);
    const { misses, falseAlarms } = result;
    const negativeKinds = new Map<string, number>();
    for (const negative of corpus.negatives) negativeKinds.set(negative.kind, (negativeKinds.get(negative.kind) ?? 0) + 1);
    console.log(`\nHard negatives by kind: ${[...negativeKinds].map(([kind, count]) => `${kind} ${count}`).join(", ")}`);
    if (misses.length > 0) console.log(`\nMissed (${misses.length}):\n  ${misses.slice(0, 40).join("\n  ")}`);
    if (falseAlarms.length > 0) console.log(`\nFalse alarms (${falseAlarms.length}):\n  ${falseAlarms.slice(0, 40).join("\n  ")}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function evaluateNodeModules(): void {
  const root = join(import.meta.dirname, "..", "node_modules");
  if (!existsSync(root)) {
    console.log("\nnode_modules: not installed (run npm ci), skipped.");
    return;
  }
  const started = Date.now();
  const { hits, bytes, files } = scanWithEngine(root, ruleset);
  const seconds = (Date.now() - started) / 1000;
  const megabytes = bytes / 1024 / 1024;
  console.log(`\nnode_modules: ${files} text files, ${megabytes.toFixed(1)} MB in ${seconds.toFixed(1)} s (${(megabytes / seconds).toFixed(1)} MB/s, one thread)`);
  console.log(`Findings: ${hits.length}, ${((hits.length / megabytes) * 100).toFixed(2)} per 100 MB (target <= 2)`);
  for (const hit of hits) console.log(`  node_modules/${hit.file}:${hit.line} ${hit.ruleId}`);
}

evaluateCorpus();
evaluateNodeModules();
if (corpora) {
  const family = (ruleId: string): string => familyOf.get(ruleId) ?? ruleId;
  evaluatePeers(corpora, ruleset, family);
  printProviderListCoverage(join(corpora, "peers"), ruleset, sourceOf, Boolean(process.env.KEYSCAN_EVAL_VERBOSE));
  evaluateRealCode(corpora, ruleset, scanWithEngine, join(import.meta.dirname, "..", "fixtures", "real-code-triage.tsv"));
} else console.log("\nPeer examples and real code: give a folder of snapshots (npm run eval -- DIR, or KEYSCAN_CORPORA=DIR) to score them.");
