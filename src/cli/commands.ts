// What the scanning commands do once the arguments are parsed (scan, staged, history, pack, image, stdin,
// baseline, report merge): choose the source, drain it through the scan pool and the suppressions,
// report, and answer an exit code. The hook, rules and fix commands have files of their own beside it.
// What only some commands, formats or options use (archives, images, packages, history, verification,
// the report renderers) is imported where it is used (`await import`): the bundle then initialises
// it on those runs only, not at every start of the pre-commit hook.
import { existsSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { type Config, emptyConfig, findConfig, isInside, loadConfig, userConfigFile, withoutVerifySettings } from "../config/load.js";
import { UsageError } from "../errors.js";
import { BASELINE_FILE, makeBaseline, readAnyBaseline, readBaseline, serializeBaseline, updateBaseline } from "../filters/baseline.js";
import { readIgnoreFiles } from "../filters/ignore-files.js";
import { type SuppressionStep, suppressionSteps } from "../filters/index.js";
import { withLock } from "../fs/lock-file.js";
import { drain, historyStats, type Scanner } from "../run/drain.js";
import { buildContext, ruleMetas, type ScanContext } from "../run/pipeline.js";
import { neutralize } from "../report/common.js";
import type { MergeFormat, ReportFormat } from "../report/formats.js";
import { groupSecrets } from "../report/secrets.js";
import { plural } from "../format/plural.js";
import { parseSize } from "../format/size.js";
import type { ArchiveLimits } from "../sources/archives.js";
import { type ScanBase, scanBase, workingTreeFiles } from "../sources/files.js";
import type { ImageLayout } from "../sources/image.js";
import type { FileMoves } from "../sources/file-moves.js";
import type { PathChanges } from "../sources/path-changes.js";
import { bareGitDir, repoRoot } from "../sources/git.js";
import { startReading } from "../sources/concurrency.js";
import { stagedItems } from "../sources/staged.js";
import { createScanPool } from "../run/pool.js";
import { useColor } from "./color.js";
import { createProgress, type Progress } from "./progress.js";
import { writeStdout } from "./stdout.js";
import type { Finding, RuleMeta, ScanMode, ScanStats, SourceItem } from "../types.js";
import { VERSION } from "../version.js";
import { refuseLinks, writeFileAtomic } from "../fs/write-file.js";

/** Options of the scanning commands, as commander parses them. */
export interface ScanFlags {
  format: ReportFormat;
  output?: string;
  config?: string;
  baseline?: string;
  sarifCategory?: string;
  /** Undefined unless --redact or --no-redact was given: redaction is the default. */
  redact?: boolean;
  entropy: boolean;
  verify?: boolean;
  verifyTimeout: string;
  onlyVerified?: boolean;
  exitCode: string;
  maxFileSize: string;
  fileTimeout: string;
  threads?: string;
  quiet?: boolean;
  verbose?: boolean;
  progress: boolean;
  color: boolean;
  since?: string;
  /** history: only files at or under these paths (`--path`, repeatable), as given. */
  path?: string[];
  maxArchiveDepth: string;
  includeBuild?: boolean;
}

interface Setup {
  cwd: string;
  /** The repository scanned (a working-tree scan: the one holding its first path), if any. */
  root: string | undefined;
  /**
   * What reported paths, allow lists, ignore files and the default baseline are relative to: the
   * repository's root, or outside one the scanned folder, wherever keyscan was started.
   */
  top: string;
  /** A working-tree scan's paths and where they are relative to; undefined for the other modes. */
  scanBase?: ScanBase;
  config: Config;
  /**
   * The rules and allow lists, built on first use: a working-tree scan starts its workers and git's
   * listing first, and builds them while those are under way rather than before.
   */
  context: () => ScanContext;
  maxFileSize: number;
}

export async function setUp(flags: ScanFlags, mode: ScanMode, args: readonly string[]): Promise<Setup> {
  const cwd = process.cwd();
  const fromStdin = args.length === 1 && args[0] === "-";
  const base = mode === "scan" && !fromStdin ? await scanBase(cwd, args) : undefined;
  const root = base ? base.root : await repoRoot(cwd);
  const top = base?.base ?? root ?? cwd;
  // The config is looked up from the scanned folder, so a subfolder's keyscan.toml applies to its scan;
  // history and staged changes are the whole repository's, looked up from its root.
  const config = readConfig(flags.config, base?.firstFolder ?? top, root);
  if (Object.keys(config.verifyEndpoints).length > 0) (await import("../verify/index.js")).validateEndpoints(config.verifyEndpoints);
  verbose(flags, `config: ${config.file ?? "none (default rules)"}`);
  verbose(flags, `paths are relative to ${top}${root === top ? " (the repository's root)" : ""}`);
  let context: ScanContext | undefined;
  const built = (): ScanContext => (context ??= buildContext(config, undefined, { entropy: flags.entropy }));
  return { cwd, root, top, ...(base ? { scanBase: base } : {}), config, context: built, maxFileSize: parseSize(flags.maxFileSize) };
}

/**
 * The config in force. One the user named (--config, else KEYSCAN_CONFIG) is trusted whole; one found in
 * the scanned tree is the repository's, which may not say where keys are sent (withoutVerifySettings).
 * The user's own config (userConfigFile), when it lies outside the scanned tree, adds its [verify.endpoints].
 */
export function readConfig(explicit: string | undefined, scanRoot: string, root: string | undefined): Config {
  const named = explicit ?? (process.env.KEYSCAN_CONFIG || undefined);
  let config: Config;
  if (named) {
    const flag = explicit ? "--config" : "KEYSCAN_CONFIG";
    if (!existsSync(named)) throw new UsageError(`${flag}: ${neutralize(named)} does not exist`);
    config = loadConfig(named);
  } else {
    const found = findConfig(scanRoot, root);
    const kept = withoutVerifySettings(found ? loadConfig(found) : emptyConfig());
    if (kept.refused) warn(kept.refused);
    config = kept.config;
  }
  const userFile = userConfigFile();
  const scanned = [scanRoot, ...(root ? [root] : [])];
  if (existsSync(userFile) && !scanned.some((folder) => isInside(userFile, folder))) {
    config = { ...config, verifyEndpoints: { ...loadConfig(userFile).verifyEndpoints, ...config.verifyEndpoints } };
  }
  return config;
}

/** True when a working-tree scan names a folder (or nothing: the current one), so it may be big enough for the workers. */
function scansFolder(paths: readonly string[]): boolean {
  if (paths.length === 0) return true;
  return paths.some((path) => path !== "-" && existsSync(path) && statSync(path).isDirectory());
}

/** A warning on stderr. Warnings name files: neutralised, so a hostile file name cannot rewrite the terminal. */
export function warn(message: string): void {
  process.stderr.write(`keyscan: warning: ${neutralize(message)}\n`);
}

export async function collectFindings(mode: ScanMode, args: string[], flags: ScanFlags, setup: Setup) {
  // process.hrtime, not performance.now(): Node loads perf_hooks when the global `performance` is first read.
  const started = process.hrtime.bigint();
  // Checked before the source opens: a staged source starts git at once (closed only from the try below).
  const budgetMs = parseMilliseconds(flags.fileTimeout, "--file-timeout");
  const threads = parseThreads(flags.threads, mode);
  const paths = mode === "history" ? historyPaths(flags.path ?? [], setup) : [];
  const source = await openSource(mode, args, flags, setup, warn, paths);
  const legacy: string[] = [];
  const pool = createScanPool({
    threads,
    // Custom patterns run only on workers, where the time budget can stop them.
    inline: setup.config.rules.length === 0 && setup.config.allow.regexes.length === 0,
    budgetMs,
    onTimeout: (path) => warn(`scanning ${path} took longer than ${budgetMs / 1000} s (--file-timeout): stopped, so it is not fully scanned`),
    entropy: flags.entropy,
    maxFileSize: setup.maxFileSize,
    context: setup.context,
    startNow: (mode === "scan" && scansFolder(args)) || mode === "pack",
    ...(setup.config.file ? { configFile: resolve(setup.config.file) } : {}),
  });
  // History counts commits, which git can count beforehand (a total, so an ETA); the others count files.
  const progress = createProgress({ enabled: flags.progress && !flags.quiet, noun: mode === "history" ? "commit" : "file" });
  const scanner: Scanner = {
    async scan(chunk) {
      const found = await pool.scan(chunk);
      progress.tick(chunk.text.length, mode === "history" ? 0 : 1);
      return found;
    },
    async scanFiles(files) {
      const scans = await pool.scanFiles(files);
      for (const scan of scans) {
        if (scan.kind === "scanned" || scan.kind === "duplicate") progress.tick(scan.bytes);
        else if (scan.kind === "windowed") progress.tick(0);
      }
      return scans;
    },
    async scanWindow(window) {
      const scan = await pool.scanWindow(window);
      progress.tick(window.owned, 0); // its file is counted where it was found too big to read at once
      return scan;
    },
    rulesSkippedAt: pool.rulesSkippedAt,
  };
  let findings: Finding[];
  let stats: ScanStats;
  try {
    const items = mode === "history" ? countedCommits(source.items, progress) : source.items;
    if (mode === "history" && progress.visible && setup.root) {
      // Counted beside the walk, and only for a bar on a terminal; a failure only leaves the total out.
      const { countCommits } = await import("../sources/history.js");
      countCommits({ cwd: setup.root, revs: args, paths, ...(flags.since !== undefined ? { since: flags.since } : {}) }).then(
        (total) => progress.setTotal(total),
        () => {},
      );
    }
    ({ findings, stats } = await drain(items, scanner, suppressions(flags, setup, legacy), warn));
    if (source.layout) findings = (await import("../sources/image.js")).layerNotes(findings, source.layout);
    if (mode === "scan") findings = (await import("../sources/source-maps.js")).mapToSources(findings, setup.top);
  } finally {
    progress.done();
    source.close?.();
    await pool.close();
  }
  if (mode === "history") stats = historyStats(stats);
  if (legacy.length > 0) {
    warn(
      `${legacy.length} .keyscanignore or baseline entr${legacy.length === 1 ? "y is" : "ies are"} the old, guessable fingerprint of a weak secret (still honoured); replace ${legacy.join(", ")}, or run keyscan baseline again`,
    );
  }
  const timedOut = pool.timedOut().length;
  if (timedOut > 0) stats.timedOut = timedOut;
  if (flags.verify || flags.onlyVerified) findings = await verify(findings, flags, setup);
  stats.durationMs = Math.round(Number(process.hrtime.bigint() - started) / 1e6);
  return { findings, stats, ...(source.pathChanges ? { pathChanges: source.pathChanges } : {}), ...(source.moves ? { moves: source.moves } : {}) };
}

/**
 * What a scan reads, and for an image, its layers (to note the findings a later layer deletes); for
 * a history of all refs, which commits changed which paths (to follow removed secrets without a second
 * walk); for a history, the files its commits moved (to follow a secret to where its file went).
 */
interface OpenedSource {
  items: AsyncIterable<SourceItem>;
  close?: () => void;
  layout?: ImageLayout;
  pathChanges?: PathChanges;
  moves?: FileMoves;
}

/**
 * `--path` as paths from the repository's top level: relative to the current folder inside a work tree (as
 * git takes them), as written in a bare repository. A path outside the repository is a usage error; the
 * top level itself limits nothing.
 */
function historyPaths(paths: readonly string[], setup: Setup): string[] {
  const fromRoot = paths.map((path) => {
    if (path.trim() === "") throw new UsageError("--path: give a file or folder");
    if (!setup.root) return path.replace(/^\/+|\/+$/g, "");
    const relativePath = relative(setup.root, resolve(setup.cwd, path));
    if (relativePath.split(sep)[0] === ".." || isAbsolute(relativePath)) throw new UsageError(`--path: ${path} is outside the repository ${setup.root}`);
    return relativePath.split(sep).join("/");
  });
  return fromRoot.includes("") ? [] : fromRoot;
}

async function openSource(
  mode: ScanMode,
  args: string[],
  flags: ScanFlags,
  setup: Setup,
  onWarning: (message: string) => void,
  /** history: the `--path` paths from the top level (historyPaths). */
  paths: readonly string[],
): Promise<OpenedSource> {
  if (mode === "history") {
    // A bare repository has history but no top level: git runs in its git folder.
    const root = requireRepository(setup.root ?? (await bareGitDir(setup.cwd)), "history");
    const { historySource } = await import("../sources/history.js");
    return historySource({ cwd: root, revs: args, since: flags.since, paths, onWarning });
  }
  if (mode === "staged") {
    // Started now, so that git lists the staged changes while this thread builds the rules, the
    // longest step of a pre-commit hook's start; stopped by close() if the scan ends before it.
    const items = await startReading(stagedItems({ cwd: setup.cwd, root: requireRepository(setup.root, "staged"), paths: args }));
    return { items, close: () => void items.return?.() };
  }
  if (mode === "pack") {
    const dir = args[0] ?? ".";
    const [{ packItems, packListing }, archives] = await Promise.all([import("../sources/pack.js"), import("../sources/archives.js")]);
    const listing = await packListing(dir);
    return { items: archives.expandArchives(packItems(dir, listing), archiveLimits(flags, setup, archives.DEFAULT_ARCHIVE_LIMITS), onWarning) };
  }
  if (mode === "image") {
    const file = args[0] as string;
    const { emptyLayout, imageItems, imageLayers } = await import("../sources/image.js");
    const layout = emptyLayout();
    return { items: imageItems(file, await imageLayers(file), setup.maxFileSize, layout), layout };
  }
  if (args.length === 1 && args[0] === "-") return { items: (await import("../sources/stdin.js")).stdinItems() };
  const archives = await import("../sources/archives.js");
  const files = workingTreeFiles({
    cwd: setup.cwd,
    paths: args.length > 0 ? args : ["."],
    isPathAllowed: (path) => setup.context().allow.pathAllowed(path),
    ...(setup.scanBase ? { base: Promise.resolve(setup.scanBase) } : {}),
  });
  const withBuild = flags.includeBuild && setup.root ? concat(files, (await import("../sources/build-output.js")).ignoredBuildFiles(setup.root)) : files;
  return { items: archives.expandArchives(withBuild, archiveLimits(flags, setup, archives.DEFAULT_ARCHIVE_LIMITS), onWarning) };
}

/** History's items, with the progress bar moved on at each commit walked. */
async function* countedCommits(items: AsyncIterable<SourceItem>, progress: Progress): AsyncGenerator<SourceItem> {
  for await (const item of items) {
    if (item.kind === "commit") progress.tick(0, 1);
    yield item;
  }
}

async function* concat<T>(...sources: AsyncIterable<T>[]): AsyncGenerator<T> {
  for (const source of sources) yield* source;
}

/** --max-archive-depth N (0: archives are not opened); entries larger than --max-file-size are skipped. */
function archiveLimits(flags: ScanFlags, setup: Setup, defaults: ArchiveLimits): ArchiveLimits {
  const depth = Number(flags.maxArchiveDepth);
  if (!Number.isInteger(depth) || depth < 0 || depth > 10) {
    throw new UsageError(`--max-archive-depth: "${flags.maxArchiveDepth}" is not a depth from 0 to 10`);
  }
  return { ...defaults, maxDepth: depth, maxEntryBytes: setup.maxFileSize };
}

/**
 * The suppressions in force (filters/index.ts): the allow lists, the ignore files at the repository
 * root (or the scanned folder outside one), and the --baseline file (keyscan's, or a gitleaks report).
 * An ignore or baseline entry that is the old, guessable fingerprint of a weak secret still counts, and
 * is handed to `legacy` so the user can be told to replace it.
 */
function suppressions(flags: ScanFlags, setup: Setup, legacy: string[]): SuppressionStep[] {
  const baseline = flags.baseline ? readAnyBaseline(flags.baseline) : undefined;
  return suppressionSteps({
    allow: setup.context().allow,
    ignoreFiles: readIgnoreFiles(setup.top),
    ...(baseline?.kind === "keyscan" ? { baseline: new Set(baseline.baseline.findings.map((entry) => entry.fingerprint)) } : {}),
    ...(baseline?.kind === "gitleaks" ? { gitleaksReport: baseline.entries } : {}),
    onLegacy: (entry, finding) => legacy.push(`${entry} -> ${finding.fingerprint} (${finding.path})`),
  });
}

/**
 * A timeout option, as whole milliseconds: Node's timers take an integer number of milliseconds up to
 * 2^32 - 1 (~49 days) and throw a RangeError past it (or at a fraction), so the seconds are at most a day.
 */
function parseMilliseconds(text: string, option: string): number {
  const seconds = Number(text);
  if (text.trim() === "" || !Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_TIMEOUT_SECONDS) {
    throw new UsageError(`${option}: "${text}" is not a number of seconds greater than 0 and at most ${MAX_TIMEOUT_SECONDS} (a day)`);
  }
  return Math.ceil(seconds * 1000);
}

const MAX_TIMEOUT_SECONDS = 86_400;

/**
 * --threads N; by default one per core, but for history one fewer: its main thread reads and diffs
 * every version and git's processes take a share of a core, so on 2 cores a scan worker only took
 * turns with them (two workers were slower than one scanning thread: README, Performance).
 */
function parseThreads(text: string | undefined, mode: ScanMode): number {
  if (text === undefined) return mode === "history" ? Math.max(1, availableParallelism() - 1) : availableParallelism();
  const threads = Number(text);
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) {
    throw new UsageError(`--threads: "${text}" is not a number of threads from 1 to 64`);
  }
  return threads;
}

/**
 * --verify: each key checked with its provider; --only-verified keeps the live ones, and says how many it left
 * out unchecked (no verifier for the provider, or no answer): a scan whose provider could not be reached
 * would otherwise read as clean.
 */
export async function verify(findings: Finding[], flags: ScanFlags, setup: Setup): Promise<Finding[]> {
  const timeoutMs = parseMilliseconds(flags.verifyTimeout, "--verify-timeout");
  const providers = new Map(setup.context().ruleset.rules.map((rule) => [rule.id, rule.verify]));
  const { verifyFindings } = await import("../verify/index.js");
  const verified = await verifyFindings(findings, (ruleId) => providers.get(ruleId), {
    endpoints: setup.config.verifyEndpoints,
    timeoutMs,
  });
  if (!flags.onlyVerified) return verified;
  const unchecked = verified.filter((finding) => finding.verification?.status === "unknown");
  if (unchecked.length > 0) {
    const reasons = [...new Set(unchecked.map((finding) => finding.verification?.detail ?? "no verdict"))];
    const shown = reasons.slice(0, 2).join("; ") + (reasons.length > 2 ? `; ${plural(reasons.length - 2, "other reason")}` : "");
    warn(`${plural(unchecked.length, "finding")} could not be checked (${shown}) and ${unchecked.length === 1 ? "is" : "are"} left out by --only-verified; --verify reports ${unchecked.length === 1 ? "it" : "them"} with the reason`);
  }
  return verified.filter((finding) => finding.verification?.status === "valid");
}

/** -v/--verbose: a line on stderr saying what keyscan decided (config, root, suppressions). */
function verbose(flags: ScanFlags, message: string): void {
  if (flags.verbose) process.stderr.write(`keyscan: ${neutralize(message)}\n`);
}

export function requireRepository(root: string | undefined, command: string): string {
  if (!root) throw new UsageError(`${command} needs a git repository: ${process.cwd()} is not inside one`);
  return root;
}

export async function runScan(mode: ScanMode, args: string[], flags: ScanFlags): Promise<number> {
  const exitCode = parseExitCode(flags.exitCode);
  const setup = await setUp(flags, mode, args);
  const collected = collectFindings(mode, args, flags, setup);
  // Only the JSON and HTML reports name the repository: the text report spares a pre-commit hook the git call.
  // Asked for when the event loop first turns, after the scan has started its own git processes (a staged
  // scan's are started before), so that git names the origin while the scan runs.
  const root = setup.root;
  const describing =
    (flags.format === "json" || flags.format === "html") && root
      ? new Promise((resolve) => setImmediate(resolve)).then(async () => (await import("../sources/repository.js")).describeRepository(root))
      : undefined;
  const { findings, stats, pathChanges, moves } = await collected;
  const color = useColor({ flag: flags.color, toFile: flags.output !== undefined, isTTY: process.stdout.isTTY === true, env: process.env });
  // The grouped view (one entry a secret, its state in HEAD) is for people: text, JSON and HTML.
  const grouped = flags.format === "text" || flags.format === "json" || flags.format === "html";
  const historyRoot = mode === "history" ? (setup.root ?? (await bareGitDir(setup.cwd))) : undefined;
  const secrets =
    grouped && historyRoot && findings.length > 0
      ? groupSecrets(findings, await (await import("../sources/secret-life.js")).secretLives(historyRoot, findings, { walked: pathChanges, moves }))
      : undefined;
  const repository = await describing;
  const { render } = await import("../report/index.js");
  let rules: RuleMeta[] | undefined;
  const report = render(flags.format, {
    findings,
    stats,
    mode,
    // Made when a renderer reads them: they hold every rule's texts, which a default rule parses when first
    // read (engine/rules.ts), and a clean text report reads none.
    get rules() {
      return (rules ??= ruleMetas(setup.context()));
    },
    redact: flags.redact !== false,
    color,
    quiet: flags.quiet === true,
    toolVersion: VERSION,
    root: setup.top,
    ...(flags.sarifCategory ? { category: flags.sarifCategory } : {}),
    ...(secrets ? { secrets } : {}),
    ...(repository ? { repository } : {}),
  });
  const quietAndClean = flags.quiet && findings.length === 0;
  if (flags.output) writeFileAtomic(flags.output, report);
  else if (!quietAndClean) await writeStdout(report);
  return findings.length > 0 ? exitCode : 0;
}

function parseExitCode(text: string): number {
  const code = Number(text);
  if (!Number.isInteger(code) || code < 0 || code > 255) throw new UsageError(`--exit-code: "${text}" is not a number from 0 to 255`);
  return code;
}

/**
 * `keyscan baseline [PATH...]` (or `--history [REV...]`): adds the current findings' fingerprints to the
 * baseline and keeps its other entries. `--prune` instead drops the entries under the scanned paths that
 * are no longer found, and adds none. The baseline is read, merged and written under a lock file, so two
 * runs at once both land.
 */
export async function runBaseline(args: string[], flags: ScanFlags & { history?: boolean; prune?: boolean }): Promise<number> {
  const mode = flags.history ? "history" : "scan";
  const setup = await setUp(flags, mode, args);
  const top = setup.top;
  const file = flags.output ?? join(top, BASELINE_FILE);
  const { findings } = await collectFindings(mode, args, { ...flags, baseline: undefined }, setup);
  // Entries' paths are relative to the repository root; so are the scanned paths they are compared with.
  const scanned = mode === "history" || args.length === 0 ? [""] : args.map((arg) => relative(top, resolve(arg)).split(sep).join("/"));
  // The default path is the repository's: a committed symlink there must redirect neither the read nor the
  // write (-o is the user's own choice).
  const within = flags.output ? undefined : top;
  await withLock(file, () => {
    if (within) refuseLinks(file, within);
    const existing = existsSync(file) ? readBaseline(file) : undefined;
    const { baseline, added, dropped } = updateBaseline(existing, makeBaseline(findings), flags.prune ? scanned : undefined);
    writeFileAtomic(file, serializeBaseline(baseline), undefined, within);
    const entries = `${baseline.findings.length} entr${baseline.findings.length === 1 ? "y" : "ies"}`;
    const change = flags.prune
      ? `pruned ${dropped} entr${dropped === 1 ? "y" : "ies"} no longer found`
      : `added ${plural(added, "new finding")}`;
    process.stderr.write(`keyscan: ${change}; ${neutralize(file)} holds ${entries}\n`);
  });
  return 0;
}

/** `keyscan report merge FILE...`: several repositories' JSON reports as one report, grouped by repository. */
export async function runReportMerge(files: string[], flags: { format: MergeFormat; output?: string }): Promise<number> {
  const { readReports, renderMerged } = await import("../report/merge.js");
  const merged = renderMerged(flags.format, readReports(files), VERSION);
  if (flags.output) writeFileAtomic(flags.output, merged);
  else await writeStdout(merged);
  return 0;
}
