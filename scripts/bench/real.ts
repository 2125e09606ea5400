// The bench's rows on real corpora (see real-corpora.ts): the working tree as a git checkout and as a
// plain folder against ripgrep and secretlint, each history against `git log -p --all`, history at
// 1,000 / 10,000 / 100,000 commits, and the pre-commit hook against a bare node start.
import { mkdirSync } from "node:fs";
import type { Row } from "../bench.js";
import { BENCH_DIR } from "./corpora.js";
import { type Command, log, type Measured, measure, measurePaired } from "./measure.js";
import { bigCorpora } from "./big-corpora.js";
import { type RealCorpora, sinceForCommits } from "./real-corpora.js";

/** The parts a run can be limited to (`--only tree,history`); "generated" is the bench's own corpora. */
export const PARTS = ["tree", "history", "scale", "staged", "big", "generated"] as const;
export type Part = (typeof PARTS)[number];

export interface BenchArgs {
  /** Where the real corpora are (--real DIR, else KEYSCAN_BENCH_REAL); undefined: generated rows only. */
  realDir: string | undefined;
  parts: ReadonlySet<Part>;
  /** --prepare: the git directories to prepare the corpora from, instead of running the bench. */
  prepare?: { tree: string[]; history: string[] };
}

const USAGE =
  "usage: npm run bench -- [--real DIR] [--only tree,history,scale,staged,big,generated]\n" +
  "       npm run bench -- --prepare [--real DIR] --tree GITDIR... --history GITDIR...";

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  let realDir = process.env.KEYSCAN_BENCH_REAL || undefined;
  let parts = new Set<Part>(PARTS);
  let list: string[] | undefined;
  let prepare: { tree: string[]; history: string[] } | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--real") realDir = argv[++i];
    else if (arg === "--only") {
      const wanted = (argv[++i] ?? "").split(",");
      const unknown = wanted.filter((part) => !(PARTS as readonly string[]).includes(part));
      if (unknown.length > 0) throw new Error(`unknown part ${unknown.join(", ")}\n${USAGE}`);
      parts = new Set(wanted as Part[]);
    } else if (arg === "--prepare") prepare = { tree: [], history: [] };
    else if (arg === "--tree" && prepare) list = prepare.tree;
    else if (arg === "--history" && prepare) list = prepare.history;
    else if (list && !arg.startsWith("--")) list.push(arg);
    else throw new Error(`unexpected argument ${arg}\n${USAGE}`);
  }
  if (prepare && (!realDir || prepare.tree.length === 0)) throw new Error(`--prepare needs --real DIR (or KEYSCAN_BENCH_REAL) and --tree\n${USAGE}`);
  return { realDir, parts, ...(prepare ? { prepare } : {}) };
}

export interface RealBench {
  /** Where the corpora were prepared: the big ones are written beside them. */
  realDir: string;
  corpora: RealCorpora;
  parts: ReadonlySet<Part>;
  keyscan: (label: string, cwd: string, args: string[]) => Command;
  secretlint: (cwd: string) => Command;
  /** Undefined when ripgrep is not installed. */
  ripgrep: ((cwd: string) => Command) | undefined;
  runs: number;
  secretlintRuns: number;
}

/** Peak RSS allowed on the 1 GB tree and the 2 GB file (every other corpus: 250 MB). */
const MAX_BIG_RSS_MB = 300;

/**
 * Histories this long are timed in fewer pairs: one run takes minutes. Three, not one: a single pair's
 * ratio moved by ±5% between runs, as much as a change worth measuring.
 */
const LONG_HISTORY = 20_000;
const LONG_HISTORY_RUNS = 3;
const SCALE_STEPS = [1_000, 10_000, 100_000];

const mb = (bytes: number): string => `${Math.round(bytes / 1024 ** 2)} MB`;

/** What the corpora are (repositories, commits, distinct share): printed with the table. */
export function describeCorpora(corpora: RealCorpora): string {
  const lines = [
    `Real corpora: working tree ${mb(corpora.bytes)} in ${corpora.files} files, ${mb(corpora.distinctBytes)} of it distinct ` +
      `content (${((100 * corpora.distinctBytes) / corpora.bytes).toFixed(1)}%):`,
    ...corpora.tree.map(
      (source) => `- ${source.name} ${source.commit}: ${source.files} files, ${mb(source.bytes)}, mostly ${source.mainExtension}`,
    ),
    "Histories (the clone's branches and tags):",
    ...corpora.histories.map((history) => `- ${history.name} ${history.commit} (HEAD): ${history.commits} commits`),
  ];
  return lines.join("\n");
}

/**
 * `rows`, and `measured`: keyscan's runs on the corpora held to 250 MB of peak RSS (the big ones, held to
 * 300 MB, are in their rows only).
 */
export async function realRows(bench: RealBench): Promise<{ rows: Row[]; measured: Measured[] }> {
  const { corpora, parts, runs } = bench;
  const rows: Row[] = [];
  const measured: Measured[] = [];
  const treeCorpus = (kind: string): string => `${kind}, ${mb(corpora.bytes)}, ${corpora.files} files`;
  mkdirSync(BENCH_DIR, { recursive: true }); // secretlint's config is written there

  if (parts.has("tree")) {
    for (const [kind, dir] of [
      ["git checkout", corpora.gitDir],
      ["plain folder", corpora.plainDir],
    ] as const) {
      log(`real tree, ${kind} …`);
      const command = bench.keyscan(`keyscan scan (${kind})`, dir, ["scan", "."]);
      let ours: Measured;
      if (bench.ripgrep) {
        const paired = await measurePaired(command, bench.ripgrep(dir), runs, 1);
        ours = paired.ours;
        rows.push({
          comparison: `real tree: keyscan vs ripgrep (rule keywords, -i -F), run in turns`,
          corpus: treeCorpus(kind),
          ours,
          peer: paired.peer,
          ratio: `${paired.ratio.toFixed(2)}× rg's time`,
          target: "≤ 1.5× rg's time",
          pass: paired.ratio <= 1.5,
        });
      } else ours = await measure(command, runs, 1);
      measured.push(ours);
      // In turns too, so the machine's drift over secretlint's long runs is in both sides of each pair.
      const versus = await measurePaired(command, bench.secretlint(dir), bench.secretlintRuns);
      const faster = 1 / versus.ratio;
      rows.push({
        comparison: "real tree: keyscan vs secretlint 13 (recommended preset), run in turns",
        corpus: treeCorpus(kind),
        ours: versus.ours,
        peer: versus.peer,
        ratio: `${faster.toFixed(1)}× faster`,
        target: "≥ 15× faster",
        pass: faster >= 15,
      });
    }
  }

  if (parts.has("history")) {
    for (const history of corpora.histories) {
      log(`real history, ${history.name} …`);
      const historyRuns = history.commits > LONG_HISTORY ? LONG_HISTORY_RUNS : runs;
      const { ours, peer: gitLog, ratio } = await measurePaired(
        bench.keyscan(`keyscan history (${history.name})`, history.dir, ["history"]),
        {
          label: `git log -p --all (${history.name})`,
          cmd: "git",
          args: ["log", "-p", "--all", "--", ".", ...history.missingPaths.map((path) => `:(exclude,literal)${path}`)],
          cwd: history.dir,
        },
        historyRuns,
      );
      measured.push(ours);
      const target = history.commits > 50_000 ? "≤ 0.7× (and see the scale rows)" : "≤ 0.7×";
      rows.push({
        comparison: "real history: keyscan vs git log -p --all, run in turns",
        corpus: `${history.name}, ${history.commits} commits`,
        ours,
        peer: gitLog,
        ratio: `${ratio.toFixed(2)}× git log's time`,
        target,
        pass: ratio <= 0.7,
      });
    }
  }

  const longest = [...corpora.histories].sort((a, b) => b.commits - a.commits)[0];
  if (parts.has("scale") && longest) {
    for (const count of SCALE_STEPS) {
      log(`history scale, ${longest.name}, ${count} commits …`);
      const { since, commits } = sinceForCommits(longest.dir, "--all", count);
      const ours = await measure(
        bench.keyscan(`keyscan history --since (${commits} commits)`, longest.dir, ["history", `--since=${since}`]),
        1,
      );
      measured.push(ours);
      rows.push({
        comparison: `history scale: the newest ~${count} commits (--all --since ${since})`,
        corpus: `${longest.name}, ${commits} commits`,
        ours,
        ratio: `${(ours.medianMs / commits).toFixed(2)} ms a commit`,
        target: "linear time, flat memory",
        pass: undefined,
      });
    }
  }

  if (parts.has("staged")) {
    log("real staged …");
    const { ours: staged, peer: bare, difference: overhead } = await measurePaired(
      bench.keyscan("keyscan staged (real)", corpora.stagedDir, ["staged"]),
      { label: "node -e 0", cmd: process.execPath, args: ["-e", "0"], cwd: corpora.stagedDir },
      10,
      2,
    );
    measured.push(staged);
    rows.push({
      comparison: "real staged, 10 files: keyscan staged vs node -e 0, run in turns",
      corpus: `${corpora.tree[0]?.name ?? ""} checkout, 10 files staged`,
      ours: staged,
      peer: bare,
      ratio: `+${Math.round(overhead)} ms`,
      target: "≤ +60 ms",
      pass: overhead <= 60,
    });
  }
  if (parts.has("big")) {
    const big = bigCorpora(bench.realDir, corpora);
    const rssRow = (comparison: string, corpus: string, ours: Measured): Row => ({
      comparison,
      corpus,
      ours,
      ratio: ours.peakRssKb === undefined ? "not measured (no /usr/bin/time)" : `peak RSS ${Math.round(ours.peakRssKb / 1024)} MB`,
      target: `peak RSS ≤ ${MAX_BIG_RSS_MB} MB`,
      pass: ours.peakRssKb === undefined ? undefined : ours.peakRssKb / 1024 <= MAX_BIG_RSS_MB,
    });
    log("big tree …");
    const tree = await measure(bench.keyscan("keyscan scan (1 GB tree)", big.treeDir, ["scan", "."]), 1);
    rows.push(rssRow("big: a 1 GB working tree (a plain folder, no content repeated)", `${mb(big.treeBytes)}, ${big.treeFiles} files`, tree));
    log("big file …");
    const file = await measure(bench.keyscan("keyscan scan (2 GiB file)", big.fileDir, ["scan", ".", "--max-file-size", "3GB"]), 1);
    rows.push(rssRow("big: a 2 GiB single file (rails and terraform sources concatenated)", `${mb(big.fileBytes)}, 1 file`, file));
  }
  return { rows, measured };
}
