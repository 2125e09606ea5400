// What each command does, once the arguments are parsed: choose the source, run the pipeline,
// apply the suppressions that need the whole result, report, and answer an exit code.
import { existsSync, readFileSync, statSync } from "node:fs";
import { availableParallelism, homedir } from "node:os";
import { join, resolve } from "node:path";
import { type Config, emptyConfig, findConfig, loadConfig } from "../config/load.js";
import { UsageError } from "../errors.js";
import { BASELINE_FILE, dropKnown, IGNORE_FILE, makeBaseline, parseIgnoreFile, readBaseline, serializeBaseline } from "../filters/baseline.js";
import { gitleaksIgnored, parseGitleaksIgnore } from "../migrate/gitleaks.js";
import { preCommitFrameworkRanges, prePushRanges } from "../hooks/pre-push.js";
import { installHook } from "../hooks/install.js";
import { buildContext, drain, ruleMetas, type ScanContext, type Scanner } from "../run/pipeline.js";
import { neutralize } from "../report/common.js";
import { render } from "../report/index.js";
import { plural } from "../plural.js";
import { parseSize } from "../size.js";
import { workingTreeFiles } from "../sources/files.js";
import { bareGitDir, git, repoRoot, splitNul } from "../sources/git.js";
import { countCommits, scanHistory } from "../sources/history.js";
import { stagedItems } from "../sources/staged.js";
import { stdinItems } from "../sources/stdin.js";
import { createScanPool } from "../run/pool.js";
import { useColor } from "./color.js";
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
   * listing first, and builds them (~15 ms) once those are under way.
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
  const pool = createScanPool({
    threads: parseThreads(flags.threads, mode),
    entropy: flags.entropy,
    pathFilters: mode !== "history",
    maxFileSize: setup.maxFileSize,
    context: setup.context,
    startNow: mode === "scan" && scansFolder(args),
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
      const outcomes = await pool.scanFiles(files);
      for (const outcome of outcomes) if (outcome.kind === "scanned") progress.tick(outcome.bytes);
      return outcomes;
    },
  };
  let findings: Finding[];
  let stats: ScanStats;
  try {
    if (mode === "history") {
      // A bare repository has history but no top level: git runs in its git folder.
      const root = requireRepository(setup.root ?? (await bareGitDir(setup.cwd)), "history");
      const historyOptions = {
        cwd: root,
        revs: args,
        maxFileSize: setup.maxFileSize,
        since: flags.since,
        onWarning: warn,
        onCommits: (count: number) => progress.tick(0, count),
      };
      // Counted beside the walk, and only for a bar on a terminal; a failure only leaves the total out.
      if (progress.visible) countCommits(historyOptions).then((total) => progress.setTotal(total), () => {});
      const result = await scanHistory(historyOptions, scanner.scan);
      // Blobs were scanned once whatever their paths (pathFilters: false): allow lists apply per path here.
      findings = result.findings.filter((finding) => !setup.context().allow.findingAllowed(finding));
      stats = { ...result.stats, files: result.stats.blobs, unreadable: 0, skippedOther: 0, durationMs: 0 };
    } else {
      ({ findings, stats } = await drain(sourceItems(mode, args, setup), scanner, warn));
    }
  } finally {
    progress.done();
    await pool.close();
  }
  findings = dropSuppressed(findings, flags, setup);
  if (flags.verify || flags.onlyVerified) findings = await verify(findings, flags, setup);
  stats.durationMs = Math.round(performance.now() - started);
  return { findings, stats };
}

function sourceItems(mode: "scan" | "staged", args: string[], setup: Setup): AsyncIterable<SourceItem> {
  if (mode === "staged") return stagedItems({ cwd: requireRepository(setup.root, "staged"), maxFileSize: setup.maxFileSize });
  if (args.length === 1 && args[0] === "-") return stdinItems();
  return workingTreeFiles({
    cwd: setup.cwd,
    paths: args.length > 0 ? args : ["."],
    isPathAllowed: (path) => setup.context().allow.pathAllowed(path),
    cwdRoot: Promise.resolve(setup.root),
  });
}

/**
 * --threads N; by default one per core, but for history one fewer: git (log, cat-file) keeps a core
 * busy, and on 2 cores one scanning thread beat two workers (1.06 s vs 1.19 s on the bench history).
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
  if (!root) throw new UsageError(`${command} needs a git repository: ${process.cwd()} is not inside one`);
  return root;
}

/**
 * The suppressions kept beside the code: .keyscanignore and .gitleaksignore (at the repository root,
 * or the current folder outside one), and the --baseline file.
 */
function dropSuppressed(findings: Finding[], flags: ScanFlags, setup: Setup): Finding[] {
  const top = setup.root ?? setup.cwd;
  const known = new Set<string>();
  const ignoreFile = join(top, IGNORE_FILE);
  if (existsSync(ignoreFile)) for (const entry of parseIgnoreFile(readFileSync(ignoreFile, "utf8"))) known.add(entry);
  if (flags.baseline) for (const entry of readBaseline(flags.baseline).findings) known.add(entry.fingerprint);
  const gitleaksFile = join(top, ".gitleaksignore");
  const gitleaksEntries = existsSync(gitleaksFile) ? parseGitleaksIgnore(readFileSync(gitleaksFile, "utf8")) : [];
  const kept = dropKnown(findings, known);
  return gitleaksEntries.length === 0 ? kept : kept.filter((finding) => !gitleaksIgnored(finding, gitleaksEntries));
}

export async function runScan(mode: ScanMode, args: string[], flags: ScanFlags): Promise<number> {
  const exitCode = parseExitCode(flags.exitCode);
  const setup = await setUp(flags, mode === "scan" ? scanRootOf(args) : process.cwd());
  const { findings, stats } = await collectFindings(mode, args, flags, setup);
  const color = useColor({ flag: flags.color, toFile: flags.output !== undefined, isTTY: process.stdout.isTTY === true, env: process.env });
  const report = render(flags.format, {
    findings,
    stats,
    mode,
    rules: ruleMetas(setup.context()),
    redact: flags.redact,
    color,
    quiet: flags.quiet === true,
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
    process.stderr.write(`keyscan: pruned ${plural(dropped, "entry", "entries")} no longer found from ${file}\n`);
  }
  writeFileAtomic(file, serializeBaseline(baseline));
  process.stderr.write(`keyscan: wrote ${plural(baseline.findings.length, "finding")} to ${file}\n`);
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

export async function runRules(flags: { json?: boolean; config?: string }): Promise<number> {
  const root = await repoRoot(process.cwd());
  const context = buildContext(readConfig(flags.config, process.cwd(), root));
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
  process.stdout.write(`${rows.join("\n")}\n${plural(rules.length, "rule")}\n`);
  return 0;
}
