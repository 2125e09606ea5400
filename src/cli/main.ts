// The command line: parses arguments, wires sources → engine → filters → reporters, sets the exit code.
// The commands other than the scanning ones are imported when they run (`await import`), so that the
// pre-commit hook's start does not initialise them.
import { existsSync } from "node:fs";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { isUsageError, nearest, UsageError } from "../errors.js";
import { neutralize } from "../report/common.js";
import { exitOnInterrupt } from "./interrupt.js";
import { stopGitStartedAhead } from "../sources/git.js";
import { guardStdout } from "./stdout.js";
import { runBaseline, runReportMerge, runScan, type ScanFlags } from "./commands.js";
import type { FixFlags } from "./fix-command.js";
import { type MergeFormat, mergeFormats, reportFormats } from "../report/formats.js";
import { VERSION } from "../version.js";

const EXIT_ERROR = 2;

/**
 * A file option's value. An empty one (`-o "$OUT"` with OUT unset) is refused: taken as not given, the
 * report went to standard output, and `--config ""` scanned under the default rules.
 */
function aFile(value: string): string {
  if (value.trim() === "") throw new InvalidArgumentError("Give a file name.");
  return value;
}

function scanOptions(command: Command): Command {
  return command
    .addOption(new Option("-f, --format <format>", "report format").choices(reportFormats).default("text"))
    .option("-o, --output <file>", "write the report to a file instead of standard output", aFile)
    .option("-c, --config <file>", "config file (default: KEYSCAN_CONFIG, else keyscan.toml or .keyscan.toml from the scan root up to the repository root)", aFile)
    .option("--baseline <file>", "report only findings not in this baseline", aFile)
    .option("--sarif-category <id>", "SARIF automationDetails.id, to tell several uploads apart (default: keyscan/<command>/)")
    .option("--redact", "redact secrets in every report (the default; gitleaks' spelling)")
    .option("--no-redact", "show secrets in clear text in text, JSON and CSV reports")
    .option("--no-entropy", "turn off the generic detector (generic-high-entropy, generic-password)")
    .option("--verify", "check each found key against its provider (sends the key to that provider only)")
    .option("--verify-timeout <seconds>", "timeout of each verification request", "5")
    .option("--only-verified", "report only keys that verification found live")
    .option("--exit-code <n>", "exit code when findings are reported", "1")
    .option("--max-file-size <size>", "skip files larger than this (e.g. 500KB, 10MB)", "10MB")
    .option("--max-archive-depth <n>", "open archives (zip, jar, tar, tgz, gz…) nested this deep; 0 opens none", "2")
    .option("--file-timeout <seconds>", "stop scanning a file (or a window of a big one) after this long and report it as timed out", "30")
    .option("--threads <n>", "worker threads (default: one per core)")
    .option("-q, --quiet", "print findings only: no summary, nothing on a clean scan")
    .option("-v, --verbose", "say on stderr which config, root and suppressions were used")
    .option("--no-progress", "no progress bar")
    .option("--no-color", "no colours (also NO_COLOR; FORCE_COLOR colours a report that is not on a terminal)");
}

/**
 * Each command, added to the program by its own function: a run that names its command (the pre-commit
 * hook's `keyscan staged`) builds only that one, as defining every command's options is a few
 * milliseconds of each start. Help for the whole program, and anything else, builds them all.
 */
const commands: Readonly<Record<string, (program: Command) => void>> = {
  scan: (program) =>
    scanOptions(program.command("scan", { isDefault: true }))
      .description('scan files of the working tree (default "."); "-" reads standard input')
      .argument("[paths...]", "files or folders to scan")
      .option("--include-build", "also scan build output git ignores (dist/, build/, out/, .next/static …)")
      .action(async (paths: string[], flags: ScanFlags) => setExit(await runScan("scan", paths, flags))),
  staged: (program) =>
    scanOptions(program.command("staged"))
      .description("scan what is staged for commit; only added or changed lines count")
      .argument("[paths...]", "only these staged files or folders (lint-staged passes its list)")
      .action(async (paths: string[], flags: ScanFlags) => setExit(await runScan("staged", paths, flags))),
  history: (program) =>
    scanOptions(program.command("history"))
      .description("scan git history (default: all refs), e.g. keyscan history origin/main..HEAD")
      .argument("[revs...]", "revisions and ranges")
      .option("--since <date>", "only commits more recent than this date")
      .option("--path <path>", "only files at or under this path (repeat it for more)", (path: string, paths: string[] | undefined) => [...(paths ?? []), path])
      .action(async (revs: string[], flags: ScanFlags) => setExit(await runScan("history", revs, flags))),
  pack: (program) =>
    scanOptions(program.command("pack"))
      .description("scan the files `npm pack` would publish from DIR (default .), named as in the tarball")
      .argument("[dir]", "the package's folder")
      .action(async (dir: string | undefined, flags: ScanFlags) => setExit(await runScan("pack", [dir ?? "."], flags))),
  image: (program) =>
    scanOptions(program.command("image"))
      .description("scan a container image saved by `docker save` or as an OCI layout tarball, layer by layer")
      .argument("<image>", "IMAGE.tar")
      .action(async (image: string, flags: ScanFlags) => setExit(await runScan("image", [image], flags))),
  baseline: (program) =>
    scanOptions(program.command("baseline"))
      .description("write current findings to .keyscan-baseline.json (fingerprints, never secrets)")
      .argument("[paths...]", "files or folders to scan (revisions with --history)")
      .option("--history", "take the findings from git history instead of the working tree")
      .option("--since <date>", "with --history: only commits more recent than this date")
      .option("--prune", "drop entries that are no longer found, and add none")
      .action(async (paths: string[], flags: ScanFlags & { history?: boolean; prune?: boolean }) =>
        setExit(await runBaseline(paths, flags)),
      ),
  "pre-push": (program) =>
    scanOptions(program.command("pre-push"))
      .description("git pre-push hook: scan the commits being pushed (git passes them on standard input)")
      .argument("[remote]", "the remote's name, as git passes it")
      .argument("[url]", "the remote's URL, as git passes it (unused)")
      .action(async (remote: string | undefined, _url: string | undefined, flags: ScanFlags) =>
        setExit(await (await import("./hook-commands.js")).runPrePush(remote, flags)),
      ),
  fix: (program) =>
    program
      .command("fix")
      .description("move hard-coded secrets into environment variables (.env) and print rotation steps")
      .argument("[paths...]", "files or folders whose findings to fix (default: the whole working tree)")
      .option("--from <report>", "fix the findings of a JSON report (keyscan scan --format json --no-redact) instead of scanning", aFile)
      .option("--dry-run", "print the unified diff and change nothing (the default when standard output is not a terminal)")
      .option("-y, --yes", "apply the changes without asking")
      .option("--example", "create .env.example (NAME= lines) if the project has none")
      .option("--history", "write a git filter-repo --replace-text file for the secrets in history (rewrites nothing)")
      .option("-o, --output <file>", "with --history: where to write the replacement file (default: a private folder outside the repository)", aFile)
      .option("-c, --config <file>", "config file", aFile)
      .option("--no-entropy", "turn off the generic detector (generic-high-entropy, generic-password)")
      .option("--verify", "check each key with its provider, to tell which are live")
      .option("--verify-timeout <seconds>", "timeout of each verification request", "5")
      .option("--max-file-size <size>", "skip files larger than this", "10MB")
      .option("--no-redact", "show secrets in clear text in the diff and the rotation steps")
      .action(async (paths: string[], flags: FixFlags) => setExit(await (await import("./fix-command.js")).runFix(paths, flags))),
  install: (program) =>
    program
      .command("install")
      .description("install the pre-commit hook (husky if present, else git hooks); chains an existing hook")
      .option("--pre-push", "install the pre-push hook instead: scans the commits being pushed")
      .action(async (flags: { prePush?: boolean }) => setExit(await (await import("./hook-commands.js")).runInstall(flags))),
  migrate: (program) =>
    program
      .command("migrate")
      .description("convert another scanner's config: keyscan migrate gitleaks [.gitleaks.toml]")
      .argument("<tool>", 'the scanner to migrate from: "gitleaks"')
      .argument("[file]", "its config file (default .gitleaks.toml)")
      .action(async (tool: string, file: string | undefined) => {
        if (tool !== "gitleaks") throw new UsageError(`migrate: unknown tool "${tool}" (supported: gitleaks)`);
        setExit((await import("../migrate/command.js")).runMigrateGitleaks(file ? [file] : [], process.cwd()));
      }),
  report: (program) =>
    program
      .command("report")
      .description("work with saved JSON reports: keyscan report merge A.json B.json --format html -o org.html")
      .command("merge")
      .description("merge the JSON reports of several repositories into one, grouped by repository")
      .argument("<files...>", "JSON reports written with --format json")
      .addOption(new Option("-f, --format <format>", "merged report format").choices([...mergeFormats]).default("html"))
      .option("-o, --output <file>", "write the merged report to a file instead of standard output", aFile)
      .action(async (files: string[], flags: { format: MergeFormat; output?: string }) => setExit(await runReportMerge(files, flags))),
  rules: (program) =>
    program
      .command("rules")
      .description("list the rules in force")
      .option("--json", "as JSON")
      .option("--check", "run the examples of the rules in force (the config's own included); exit 1 naming each rule whose example fails")
      .option("-c, --config <file>", "config file", aFile)
      .action(async (flags: { json?: boolean; check?: boolean; config?: string }) => setExit(await (await import("./rules-command.js")).runRules(flags))),
};

/** The program with every command, or only `argv`'s when its first argument names one. */
export function buildProgram(argv: readonly string[]): Command {
  const program = new Command("keyscan")
    .description("Find leaked credentials — OpenAI keys first — in staged changes, working trees and git history.")
    .version(VERSION, "-V, --version")
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      writeErr: (text) => process.stderr.write(text),
      outputError: (text, write) => write(`keyscan: ${text.replace(/^error: /, "").trim()}\n`),
    });

  const named = argv[2];
  if (named !== undefined && Object.hasOwn(commands, named)) commands[named]?.(program);
  else for (const define of Object.values(commands)) define(program);
  return program;
}

function setExit(code: number): void {
  process.exitCode = code;
}

/**
 * `keyscan WORD` where WORD is no command would be scanned as a path (scan is the default command),
 * and a typo such as `keyscan histroy` would end in "path not found". So a first argument that looks
 * like a command's name (letters and '-') and is neither a command nor a file or folder here is
 * reported as an unknown command, with the closest command's name. `keyscan scan WORD` still scans.
 */
function rejectUnknownCommand(argv: readonly string[]): void {
  const word = argv[2];
  if (word === undefined || !/^[a-z][a-z-]*$/i.test(word) || existsSync(word)) return;
  const names = [...Object.keys(commands), "help"];
  if (names.includes(word)) return;
  const suggestion = nearest(word, names);
  const hint = suggestion ? `did you mean '${suggestion}'?` : `commands: ${names.join(", ")}`;
  throw new UsageError(`unknown command '${word}' (and no file or folder of that name to scan); ${hint}`);
}

export async function main(argv: string[]): Promise<void> {
  try {
    exitOnInterrupt();
    guardStdout();
    rejectUnknownCommand(argv);
    await buildProgram(argv).parseAsync(argv);
  } catch (error) {
    process.exitCode = exitCodeFor(error);
  } finally {
    stopGitStartedAhead();
  }
}

/** Turns any error into one line on stderr and an exit code; a stack trace only with KEYSCAN_DEBUG=1. */
function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and version are "errors" to commander; its own message is already printed.
    return error.exitCode === 0 ? 0 : EXIT_ERROR;
  }
  if (process.env.KEYSCAN_DEBUG === "1" && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  const message = error instanceof Error ? error.message : String(error);
  const prefix = isUsageError(error) ? "" : "unexpected error: ";
  // Escaped: a message may quote a repository's config (a rule id, an unknown key) or a file name.
  process.stderr.write(`keyscan: ${prefix}${neutralize(message.split("\n")[0] ?? "")}\n`);
  return EXIT_ERROR;
}

// Not awaited at top level: the bundle is CommonJS (code-cache.ts), and main settles every error itself.
void main(process.argv);
