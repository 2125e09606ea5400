// `npm run bench`: keyscan against its peers and against the floor, as ratios from one run.
// Real corpora are prepared once from public repositories (scripts/bench/real-corpora.ts) and named by
// --real DIR or KEYSCAN_BENCH_REAL; the generated ones are built once under .bench/ (git-ignored) and
// reused (scripts/bench/corpora.ts). `--only tree,history,scale,staged,big,generated` runs some rows.
// Prints a Markdown table (for the README) and the machine it ran on.
import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { buildContext } from "../src/run/pipeline.js";
import { BENCH_DIR, history, staged, workingTree } from "./bench/corpora.js";
import { canMeasureRss, type Command, log, type Measured, measure } from "./bench/measure.js";
import { installPeers } from "./bench/peers.js";
import { describeCorpora, parseBenchArgs, realRows } from "./bench/real.js";
import { loadRealCorpora, prepareRealCorpora } from "./bench/real-corpora.js";

const ROOT = join(import.meta.dirname, "..");
const CLI = join(ROOT, "dist", "cli.cjs");
const RUNS = 5;
/** secretlint takes ~11 s a run here: the fewest runs that still give a median. */
const SECRETLINT_RUNS = 3;
/** Peak RSS allowed on every bench corpus but the 1 GB tree and the 2 GB file (real.ts: 300 MB). */
const MAX_RSS_MB = 250;

function versionOf(cmd: string, args: string[]): string | undefined {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).split("\n")[0]?.trim();
  } catch {
    return undefined;
  }
}

function keyscan(label: string, cwd: string, args: string[]): Command {
  return { label, cmd: process.execPath, args: [CLI, ...args, "--no-progress", "-f", "json"], cwd, okCodes: [0, 1] };
}

const peers = installPeers(BENCH_DIR);

/** secretlint 13 with its recommended preset, over every file under `cwd`. */
function secretlintCommand(cwd: string): Command {
  const rc = join(BENCH_DIR, "secretlintrc.json");
  writeFileSync(rc, `${JSON.stringify({ rules: [{ id: "@secretlint/secretlint-rule-preset-recommend" }] })}\n`);
  return { label: "secretlint", cmd: peers.secretlintBin, args: ["--secretlintrc", rc, "**/*"], cwd, okCodes: [0, 1] };
}

/** Every keyword of keyscan's rules: what ripgrep searches for. */
const KEYWORDS = [...buildContext().ruleset.prefilter.placesByKeyword.keys()];

/** ripgrep counting the rule keywords (case-insensitive, fixed strings) in every file under `cwd`. */
function ripgrepCommand(cwd: string): Command {
  return {
    label: "ripgrep",
    cmd: "rg",
    args: ["--count", "-i", "-F", "--no-ignore", "--hidden", "-g", "!.git", ...KEYWORDS.flatMap((k) => ["-e", k]), "."],
    cwd,
    okCodes: [0, 1],
  };
}

export interface Row {
  comparison: string;
  corpus: string;
  ours: Measured;
  peer?: Measured;
  /** The figure compared with the target, already formatted. */
  ratio: string;
  target: string;
  pass: boolean | undefined;
}

const seconds = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);
const mb = (kb: number | undefined): string => (kb === undefined ? "n/a" : `${Math.round(kb / 1024)} MB`);
const runs = (measured: Measured | undefined): string => (measured ? ` (${measured.runs}×)` : "");

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2));
  if (args.prepare && args.realDir) {
    log(`preparing the real corpora in ${args.realDir} …`);
    console.log(describeCorpora(prepareRealCorpora(args.realDir, args.prepare.tree, args.prepare.history)));
    return;
  }
  log("building dist/ …");
  execFileSync(process.execPath, [join(ROOT, "scripts", "build.mjs")], { cwd: ROOT, stdio: "inherit" });
  if (!existsSync(CLI)) throw new Error("dist/cli.cjs was not built");

  const rows: Row[] = [];
  const ourRuns: Measured[] = [];
  let corporaText = "";
  if (args.realDir) {
    const corpora = loadRealCorpora(args.realDir);
    corporaText = describeCorpora(corpora);
    log(corporaText);
    const real = await realRows({
      realDir: args.realDir,
      corpora,
      parts: args.parts,
      keyscan,
      secretlint: secretlintCommand,
      ripgrep: versionOf("rg", ["--version"]) ? ripgrepCommand : undefined,
      runs: RUNS,
      secretlintRuns: SECRETLINT_RUNS,
    });
    rows.push(...real.rows);
    ourRuns.push(...real.measured);
  } else {
    log("No real corpora (KEYSCAN_BENCH_REAL or --real DIR): generated rows only. The README's Performance section says how to prepare them.");
  }
  if (!args.parts.has("generated")) {
    printReport(rows, ourRuns, { rg: versionOf("rg", ["--version"]) }, corporaText);
    return;
  }

  log("generated corpora (built once under .bench/, then reused) …");
  const tree = workingTree();
  const repo = await history();
  const hook = staged();
  const treeMb = `${Math.round(tree.bytes / 1024 ** 2)} MB, ${tree.files} files`;
  // (a) working tree vs secretlint and ripgrep; (d) one thread vs two.
  log("(a) working tree …");
  const two = await measure(keyscan("keyscan scan --threads 2", tree.dir, ["scan", ".", "--threads", "2"]), RUNS, 1);
  const one = await measure(keyscan("keyscan scan --threads 1", tree.dir, ["scan", ".", "--threads", "1"]), RUNS);
  const secretlint = await measure(secretlintCommand(tree.dir), SECRETLINT_RUNS);
  rows.push({
    comparison: "generated tree: keyscan vs secretlint 13 (recommended preset)",
    corpus: treeMb,
    ours: two,
    peer: secretlint,
    ratio: `${(secretlint.medianMs / two.medianMs).toFixed(1)}× faster`,
    target: "≥ 15× faster",
    pass: secretlint.medianMs / two.medianMs >= 15,
  });
  const rgVersion = versionOf("rg", ["--version"]);
  if (rgVersion) {
    const rg = await measure(ripgrepCommand(tree.dir), RUNS);
    rows.push({
      comparison: `generated tree: keyscan vs ripgrep (${KEYWORDS.length} rule keywords, -i -F)`,
      corpus: treeMb,
      ours: two,
      peer: rg,
      ratio: `${(two.medianMs / rg.medianMs).toFixed(2)}× rg's time`,
      target: "≤ 2× rg's time",
      pass: two.medianMs / rg.medianMs <= 2,
    });
  } else {
    log("ripgrep (rg) is not installed: `apt-get install -y ripgrep`; its row is left out.");
  }
  rows.push({
    comparison: "generated tree: --threads 1 vs --threads 2",
    corpus: treeMb,
    ours: two,
    peer: one,
    ratio: `${(one.medianMs / two.medianMs).toFixed(2)}× faster with 2`,
    target: "≥ 1.6×",
    pass: one.medianMs / two.medianMs >= 1.6,
  });

  // The same figures on one copy of the tree: no file there is a copy of another copy's, so this
  // is the engine's speed on distinct content (the 7 copies above are scanned once each content).
  log("(a) one copy of the working tree …");
  const copyDir = join(tree.dir, "copy-1");
  const copyCorpus = `copy-1 alone, ${Math.round(tree.bytes / tree.copies / 1024 ** 2)} MB`;
  const copyOurs = await measure(keyscan("keyscan scan copy-1 --threads 2", copyDir, ["scan", ".", "--threads", "2"]), RUNS, 1);
  const copySecretlint = await measure(secretlintCommand(copyDir), SECRETLINT_RUNS);
  rows.push({
    comparison: "generated tree, one copy (distinct content): keyscan vs secretlint",
    corpus: copyCorpus,
    ours: copyOurs,
    peer: copySecretlint,
    ratio: `${(copySecretlint.medianMs / copyOurs.medianMs).toFixed(1)}× faster`,
    target: "(for reference)",
    pass: undefined,
  });
  if (rgVersion) {
    const copyRg = await measure(ripgrepCommand(copyDir), RUNS);
    rows.push({
      comparison: "generated tree, one copy (distinct content): keyscan vs ripgrep",
      corpus: copyCorpus,
      ours: copyOurs,
      peer: copyRg,
      ratio: `${(copyOurs.medianMs / copyRg.medianMs).toFixed(2)}× rg's time`,
      target: "(for reference)",
      pass: undefined,
    });
  }

  // (b) history vs git log -p and the floor, git cat-file of every object.
  log("(b) history …");
  const historyCorpus = `${repo.commits} commits, ${Math.round(repo.blobBytes / 1024 ** 2)} MB of blobs`;
  const ours = await measure(keyscan("keyscan history", repo.dir, ["history"]), RUNS, 1);
  const gitLog = await measure({ label: "git log -p --all", cmd: "git", args: ["log", "-p", "--all"], cwd: repo.dir }, RUNS);
  const catFile = await measure(
    { label: "git cat-file --batch-all-objects --batch", cmd: "git", args: ["cat-file", "--batch-all-objects", "--batch"], cwd: repo.dir },
    RUNS,
  );
  rows.push({
    comparison: "generated history: keyscan vs git log -p --all",
    corpus: historyCorpus,
    ours,
    peer: gitLog,
    ratio: `${(ours.medianMs / gitLog.medianMs).toFixed(2)}× git log's time`,
    target: "≤ 1.0×",
    pass: ours.medianMs / gitLog.medianMs <= 1,
  });
  rows.push({
    comparison: "generated history: keyscan vs git cat-file --batch-all-objects --batch (the floor)",
    corpus: historyCorpus,
    ours,
    peer: catFile,
    ratio: `${(ours.medianMs / catFile.medianMs).toFixed(2)}× cat-file's time`,
    target: "(for reference)",
    pass: undefined,
  });

  // (c) the pre-commit hook: keyscan staged vs a bare node start.
  log("(c) staged …");
  const stagedRun = await measure(keyscan("keyscan staged", hook.dir, ["staged"]), 10, 2);
  const bare = await measure({ label: "node -e 0", cmd: process.execPath, args: ["-e", "0"], cwd: hook.dir }, 10, 2);
  const overhead = stagedRun.medianMs - bare.medianMs;
  rows.push({
    comparison: "generated staged, 10 files: keyscan staged vs node -e 0",
    corpus: `${hook.files} files, ${Math.round(hook.bytes / 1024)} KB`,
    ours: stagedRun,
    peer: bare,
    ratio: `+${Math.round(overhead)} ms`,
    target: "≤ +120 ms",
    pass: overhead <= 120,
  });

  printReport(rows, [...ourRuns, two, one, copyOurs, ours, stagedRun], { rg: rgVersion }, corporaText);
}

function printReport(rows: Row[], ourRuns: Measured[], versions: { rg?: string }, corpora: string): void {
  const lines = [
    "| comparison | corpus | keyscan (median) | peer (median) | ratio | target | result | keyscan peak RSS |",
    "|---|---|---|---|---|---|---|---|",
    ...rows.map(
      (row) =>
        `| ${[
        row.comparison,
        row.corpus,
        `${seconds(row.ours.medianMs)}${runs(row.ours)}`,
        row.peer ? `${seconds(row.peer.medianMs)}${runs(row.peer)}` : "",
        row.ratio,
        row.target,
        row.pass === undefined ? "–" : row.pass ? "pass" : "FAIL",
        mb(row.ours.peakRssKb),
      ].join(" | ")} |`,
    ),
  ];
  const peak = Math.max(0, ...ourRuns.map((run) => run.peakRssKb ?? 0));
  const rssPass = canMeasureRss ? (peak / 1024 <= MAX_RSS_MB ? "pass" : "FAIL") : "not measured (no /usr/bin/time)";
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  console.log(lines.join("\n"));
  if (corpora) console.log(`\n${corpora}`);
  if (ourRuns.length > 0) console.log(`\nPeak RSS of keyscan over all corpora but the big ones: ${mb(peak)} (target ≤ ${MAX_RSS_MB} MB): ${rssPass}`);
  console.log(
    `\nMachine: ${cpu}, ${cpus().length} cores, ${Math.round(totalmem() / 1024 ** 3)} GB RAM; Node ${process.version}; ` +
      `${versionOf("git", ["--version"])}; ${versions.rg ?? "ripgrep not installed"}; secretlint ${peers.secretlintVersion}. ` +
      `Medians of ${RUNS} runs after one warm-up (page cache warm), secretlint ${SECRETLINT_RUNS} runs, staged and node -e 0 10 runs.`,
  );
}

await main();
