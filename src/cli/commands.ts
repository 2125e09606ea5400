// What each command does, once the arguments are parsed: choose the source, drain it through the
// scan pool and the suppressions, report, and answer an exit code.
import { existsSync, statSync } from "node:fs";
import { availableParallelism, homedir } from "node:os";
import { join, resolve } from "node:path";
import { type Config, emptyConfig, findConfig, loadConfig } from "../config/load.js";
import { UsageError } from "../errors.js";
import { BASELINE_FILE, makeBaseline, readBaseline, serializeBaseline } from "../filters/baseline.js";
import { exampleFailures } from "../engine/examples.js";
import { readIgnoreFiles } from "../filters/ignore-files.js";
import { type SuppressionStep, suppressionSteps } from "../filters/index.js";
import { preCommitFrameworkRanges, prePushRanges } from "../hooks/pre-push.js";
import { installHook } from "../hooks/install.js";
import { drain, historyStats, type Scanner } from "../run/drain.js";
import { buildContext, ruleMetas, type ScanContext } from "../run/pipeline.js";
import { neutralize } from "../report/common.js";
import { render } from "../report/index.js";
import { parseSize } from "../size.js";
import { workingTreeFiles } from "../sources/files.js";
import { bareGitDir, git, repoRoot, splitNul } from "../sources/git.js";
import { historySource } from "../sources/history.js";
import { stagedItems } from "../sources/staged.js";
import { stdinItems } from "../sources/stdin.js";
import { createScanPool } from "../run/pool.js";
import { createProgress } from "./progress.js";
import type { Finding, ScanMode, ScanStats, SourceItem } from "../types.js";
import { validateEndpoints, verifyFindings } from "../verify/index.js";
import { VERSION } from "../version.js";
import { writeFileAtomic } from "../write-file.js";

/** Options of the scanning commands, as commander parses them. */
export interface ScanFlags {
  format: "text" | "json" | "sarif" | "github";
  output?: string;
  config?: string;
  baseline?: string;
  redact: boolean;
  entropy: boolean;
  verify?: boolean;
  verifyTimeout: string;
  onlyVerified?: boolean;
  exitCode: string;
  maxFileSize: string;
  threads?: string;
  quiet?: boolean;
  progress: boolean;
  color: boolean;
  since?: string;
}

interface Setup {
  cwd: string;
  root: string | undefined;
  config: Config;
  /**
   * The rules and allow lists, built on first use: a working-tree scan starts its workers and git's
   * listing first, and builds them while those are under way rather than before.
   */
  context: () => ScanContext;
  maxFileSize: number;
}

async function setUp(flags: ScanFlags, scanRoot: string): Promise<Setup> {
  const cwd = process.cwd();
  const root = await repoRoot(cwd);
  const config = readConfig(flags.config, scanRoot, root);
  validateEndpoints(config.verifyEndpoints);
  let context: ScanContext | undefined;
  const built = (): ScanContext => (context ??= buildContext(config, undefined, { entropy: flags.entropy }));
  return { cwd, root, config, context: built, maxFileSize: parseSize(flags.maxFileSize) };
}

function readConfig(explicit: string | undefined, scanRoot: string, root: string | undefined): Config {
  if (explicit) {
    if (!existsSync(explicit)) throw new UsageError(`--config: ${explicit} does not exist`);
    return loadConfig(explicit);
  }
  const found = findConfig(scanRoot, root);
  return found ? loadConfig(found) : emptyConfig();
}

/** True when a working-tree scan names a folder (or nothing: the current one), so it may be big enough for the workers. */
function scansFolder(paths: readonly string[]): boolean {
  if (paths.length === 0) return true;
  return paths.some((path) => path !== "-" && existsSync(path) && statSync(path).isDirectory());
}

/** The folder a scan's config lookup starts from: the first path argument's folder, else the current one. */
function scanRootOf(paths: readonly string[]): string {
  const first = paths[0];
  if (!first || first === "-") return process.cwd();
  const absolute = resolve(first);
  return existsSync(absolute) && statSync(absolute).isDirectory() ? absolute : resolve(absolute, "..");
}

async function collectFindings(mode: ScanMode, args: string[], flags: ScanFlags, setup: Setup) {
  const started = performance.now();
  // Warnings name files: neutralised, so a hostile file name cannot rewrite the terminal.
  const warn = (message: string) => process.stderr.write(`keyscan: warning: ${neutralize(message)}\n`);
  const source = await openSource(mode, args, flags, setup, warn);
  const pool = createScanPool({
    threads: parseThreads(flags.threads, mode),
    entropy: flags.entropy,
    maxFileSize: setup.maxFileSize,
    context: setup.context,
    startNow: mode === "scan" && scansFolder(args),
    ...(setup.config.file ? { configFile: resolve(setup.config.file) } : {}),
  });
  const progress = createProgress({ enabled: flags.progress && !flags.quiet, label: mode === "history" ? "blobs" : "files" });
  const scanner: Scanner = {
    async scan(chunk) {
      const found = await pool.scan(chunk);
      progress.tick(chunk.text.length);
      return found;
    },
    async scanFiles(files) {
      const scans = await pool.scanFiles(files);
      for (const scan of scans) if (scan.kind === "scanned" || scan.kind === "duplicate") progress.tick(scan.bytes);
      return scans;
    },
    rulesSkippedAt: pool.rulesSkippedAt,
  };
  let findings: Finding[];
  let stats: ScanStats;
  try {
    ({ findings, stats } = await drain(source.items, scanner, suppressions(flags, setup), warn));
  } finally {
    progress.done();
    source.close?.();
    await pool.close();
  }
  if (mode === "history") stats = historyStats(stats);
  if (flags.verify || flags.onlyVerified) findings = await verify(findings, flags, setup);
  stats.durationMs = Math.round(performance.now() - started);
  return { findings, stats };
}

async function openSource(
  mode: ScanMode,
  args: string[],
  flags: ScanFlags,
  setup: Setup,
  onWarning: (message: string) => void,
): Promise<{ items: AsyncIterable<SourceItem>; close?: () => void }> {
  if (mode === "history") {
    // A bare repository has history but no top level: git runs in its git folder.
    const root = requireRepository(setup.root ?? (await bareGitDir(setup.cwd)), "history");
    return historySource({ cwd: root, revs: args, maxFileSize: setup.maxFileSize, since: flags.since, onWarning });
  }
  if (mode === "staged") return { items: stagedItems({ cwd: requireRepository(setup.root, "staged"), maxFileSize: setup.maxFileSize }) };
  if (args.length === 1 && args[0] === "-") return { items: stdinItems() };
  const items = workingTreeFiles({
    cwd: setup.cwd,
    paths: args.length > 0 ? args : ["."],
    isPathAllowed: (path) => setup.context().allow.pathAllowed(path),
    cwdRoot: Promise.resolve(setup.root),
  });
  return { items };
}

/**
 * The suppressions in force (filters/index.ts): the allow lists, the ignore files at the repository
 * root (or the current folder outside one), and the --baseline file.
 */
function suppressions(flags: ScanFlags, setup: Setup): SuppressionStep[] {
  const baseline = flags.baseline ? new Set(readBaseline(flags.baseline).findings.map((entry) => entry.fingerprint)) : undefined;
  return suppressionSteps({
    allow: setup.context().allow,
    ignoreFiles: readIgnoreFiles(setup.root ?? setup.cwd),
    ...(baseline ? { baseline } : {}),
  });
}

/**
 * --threads N; by default one per core, but for history one fewer: git (log, cat-file) keeps a core
 * busy, so a scanning thread for every core would only take turns with it (README, Performance).
 */
function parseThreads(text: string | undefined, mode: ScanMode): number {
  if (text === undefined) return mode === "history" ? Math.max(1, availableParallelism() - 1) : availableParallelism();
  const threads = Number(text);
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) {
    throw new UsageError(`--threads: "${text}" is not a number of threads from 1 to 64`);
  }
  return threads;
}

/** --verify: each key checked with its provider; --only-verified keeps the live ones. */
async function verify(findings: Finding[], flags: ScanFlags, setup: Setup): Promise<Finding[]> {
  const seconds = Number(flags.verifyTimeout);
  if (!(seconds > 0)) throw new UsageError(`--verify-timeout: "${flags.verifyTimeout}" is not a number of seconds`);
  const providers = new Map(setup.context().ruleset.rules.map((rule) => [rule.id, rule.verify]));
  const verified = await verifyFindings(findings, (ruleId) => providers.get(ruleId), {
    endpoints: setup.config.verifyEndpoints,
    timeoutMs: seconds * 1000,
  });
  return flags.onlyVerified ? verified.filter((finding) => finding.verification?.status === "valid") : verified;
}

function requireRepository(root: string | undefined, command: string): string {
  if (!root) throw new UsageError(`keyscan ${command} needs a git repository: ${process.cwd()} is not inside one`);
  return root;
}

export async function runScan(mode: ScanMode, args: string[], flags: ScanFlags): Promise<number> {
  const exitCode = parseExitCode(flags.exitCode);
  const setup = await setUp(flags, mode === "scan" ? scanRootOf(args) : process.cwd());
  const { findings, stats } = await collectFindings(mode, args, flags, setup);
  const color = flags.color && !process.env.NO_COLOR && !flags.output && process.stdout.isTTY === true;
  const report = render(flags.format, {
    findings,
    stats,
    mode,
    rules: ruleMetas(setup.context()),
    redact: flags.redact,
    color,
    toolVersion: VERSION,
  });
  const quietAndClean = flags.quiet && findings.length === 0;
  if (flags.output) writeFileAtomic(flags.output, report);
  else if (!quietAndClean) process.stdout.write(report);
  return findings.length > 0 ? exitCode : 0;
}

function parseExitCode(text: string): number {
  const code = Number(text);
  if (!Number.isInteger(code) || code < 0 || code > 255) throw new UsageError(`--exit-code: "${text}" is not a number from 0 to 255`);
  return code;
}

/**
 * `keyscan baseline [PATH...]` (or `--history [REV...]`): writes the current findings' fingerprints.
 * `--prune` keeps only the existing entries that are still found, and adds none.
 */
export async function runBaseline(args: string[], flags: ScanFlags & { history?: boolean; prune?: boolean }): Promise<number> {
  const mode = flags.history ? "history" : "scan";
  const setup = await setUp(flags, mode === "scan" ? scanRootOf(args) : process.cwd());
  const file = flags.output ?? join(setup.root ?? setup.cwd, BASELINE_FILE);
  const { findings } = await collectFindings(mode, args, { ...flags, baseline: undefined }, setup);
  let baseline = makeBaseline(findings);
  if (flags.prune) {
    const existing = readBaseline(file);
    const found = new Set(baseline.findings.map((entry) => entry.fingerprint));
    baseline = { ...existing, findings: existing.findings.filter((entry) => found.has(entry.fingerprint)) };
    const dropped = existing.findings.length - baseline.findings.length;
    process.stderr.write(`keyscan: pruned ${dropped} entr${dropped === 1 ? "y" : "ies"} no longer found from ${file}\n`);
  }
  writeFileAtomic(file, serializeBaseline(baseline));
  process.stderr.write(`keyscan: wrote ${baseline.findings.length} finding(s) to ${file}\n`);
  return 0;
}

export async function runInstall(flags: { prePush?: boolean }): Promise<number> {
  const root = requireRepository(await repoRoot(process.cwd()), "install");
  const hooksDir = await hooksDirectory(root);
  const localBin = join(root, "node_modules", ".bin", "keyscan");
  const keyscan = existsSync(localBin)
    ? "npx --no-install keyscan"
    : `"${process.execPath}" "${process.argv[1] ?? "keyscan"}"`;
  const hookName = flags.prePush ? "pre-push" : "pre-commit";
  const command = flags.prePush ? `${keyscan} pre-push "$@"` : `${keyscan} staged`;
  const result = installHook({ root, hooksDir, command, hookName });
  const kept = result.keptAs ? ` (the existing hook was kept as ${result.keptAs} and runs after keyscan)` : "";
  const said =
    result.action === "unchanged" ? `already installed in ${result.file}` : `${result.action} ${result.file}${kept}`;
  process.stdout.write(`keyscan: ${hookName} hook ${said}\n`);
  return 0;
}

/**
 * `keyscan pre-push [remote]`: git's pre-push hook. Scans exactly the commits being pushed, from the
 * lines git writes on standard input (or the range the pre-commit framework passes in its variables).
 */
export async function runPrePush(remote: string | undefined, flags: ScanFlags): Promise<number> {
  const root = requireRepository(await repoRoot(process.cwd()), "pre-push");
  let revs = preCommitFrameworkRanges(process.env);
  if (!revs) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    revs = await prePushRanges(Buffer.concat(chunks).toString("utf8"), remote ?? "origin", root);
  }
  return revs.length === 0 ? 0 : runScan("history", revs, flags);
}

/**
 * Where git runs hooks from: the user's core.hooksPath (relative to the repository root) or
 * <common git dir>/hooks. keyscan's own git calls override core.hooksPath on the command line for
 * safety, so that value ("command line:" origin) is passed over here.
 */
async function hooksDirectory(root: string): Promise<string> {
  const listed = await git(["config", "--show-origin", "--null", "--get-all", "core.hooksPath"], { cwd: root }).catch(
    () => Buffer.alloc(0),
  );
  const fields = splitNul(listed);
  let configured: string | undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (!fields[i]?.startsWith("command line:")) configured = fields[i + 1];
  }
  if (configured) return resolve(root, configured.replace(/^~(?=\/)/, homedir()));
  const commonDir = (await git(["rev-parse", "--git-common-dir"], { cwd: root })).toString("utf8").trim();
  return join(resolve(root, commonDir), "hooks");
}

export async function runRules(flags: { json?: boolean; check?: boolean; config?: string }): Promise<number> {
  const root = await repoRoot(process.cwd());
  const context = buildContext(readConfig(flags.config, process.cwd(), root));
  if (flags.check) return checkRules(context);
  const rules = context.ruleset.rules.filter((rule) => rule.report);
  if (flags.json) {
    const list = rules.map((rule) => ({
      id: rule.id,
      name: rule.name,
      severity: rule.severity,
      kind: rule.kind,
      keywords: rule.keywords,
      validate: rule.kind === "regex" ? (rule.validate ?? null) : null,
      verify: rule.verify ?? null,
      source: rule.source,
    }));
    process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
    return 0;
  }
  const rows = rules.map((rule) => {
    const checks = [rule.kind === "regex" && rule.validate ? `validates:${rule.validate}` : "", rule.verify ? `verify:${rule.verify}` : ""]
      .filter(Boolean)
      .join(" ");
    return `${rule.id.padEnd(36)} ${rule.severity.padEnd(8)} ${rule.name}${checks ? `  [${checks}]` : ""}\n    keywords: ${rule.keywords.join(", ")}`;
  });
  process.stdout.write(`${rows.join("\n")}\n${rules.length} rules\n`);
  return 0;
}

/**
 * `keyscan rules --check`: every example of every rule in force, the config's own rules included,
 * run against the rules in force. Each failure is named on its own line; exit 1 when any failed.
 */
function checkRules(context: ScanContext): number {
  const rules = context.ruleset.rules;
  const failures = rules.flatMap((rule) => exampleFailures(rule, rules));
  const examples = rules.reduce((count, rule) => count + rule.def.examples.match.length + rule.def.examples.nomatch.length, 0);
  for (const failure of failures) {
    const rule = rules.find((candidate) => candidate.id === failure.ruleId);
    process.stdout.write(
      `${failure.ruleId} (${neutralize(rule?.source ?? "")}): example ${neutralize(JSON.stringify(failure.example))}: ${neutralize(failure.problem)}\n`,
    );
  }
  const failed = new Set(failures.map((failure) => failure.ruleId));
  process.stdout.write(
    failures.length === 0
      ? `${rules.length} rules, ${examples} examples: all pass\n`
      : `${failed.size} of ${rules.length} rules have failing examples: ${[...failed].join(", ")}\n`,
  );
  return failures.length === 0 ? 0 : 1;
}
