// The command line: parses arguments, wires sources → engine → filters → reporters, sets the exit code.
import { existsSync } from "node:fs";
import { Command, CommanderError, Option } from "commander";
import { nearest, UsageError } from "../errors.js";
import { exitOnInterrupt } from "./interrupt.js";
import { runBaseline, runInstall, runPrePush, runRules, runScan, type ScanFlags } from "./commands.js";
import { runMigrateGitleaks } from "../migrate/command.js";
import { VERSION } from "../version.js";

const EXIT_ERROR = 2;

function scanOptions(command: Command): Command {
  return command
    .addOption(new Option("-f, --format <format>", "report format").choices(["text", "json", "sarif", "github"]).default("text"))
    .option("-o, --output <file>", "write the report to a file instead of standard output")
    .option("-c, --config <file>", "config file (default: keyscan.toml or .keyscan.toml, from the scan root up to the repository root)")
    .option("--baseline <file>", "report only findings not in this baseline")
    .option("--no-redact", "show secrets in clear text in text and JSON reports")
    .option("--no-entropy", "turn off the generic high-entropy detector")
    .option("--verify", "check each found key against its provider (sends the key to that provider only)")
    .option("--verify-timeout <seconds>", "timeout of each verification request", "5")
    .option("--only-verified", "report only keys that verification found live")
    .option("--exit-code <n>", "exit code when findings are reported", "1")
    .option("--max-file-size <size>", "skip files larger than this (e.g. 500KB, 10MB)", "10MB")
    .option("--threads <n>", "worker threads (default: one per core)")
    .option("-q, --quiet", "print findings only: no summary, nothing on a clean scan")
    .option("--no-progress", "no progress bar")
    .option("--no-color", "no colours (also NO_COLOR; FORCE_COLOR colours a report that is not on a terminal)");
}

export function buildProgram(): Command {
  const program = new Command("keyscan")
    .description("Find leaked credentials — OpenAI keys first — in staged changes, working trees and git history.")
    .version(VERSION, "-V, --version")
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      writeErr: (text) => process.stderr.write(text),
      outputError: (text, write) => write(`keyscan: ${text.replace(/^error: /, "").trim()}\n`),
    });

  scanOptions(program.command("scan", { isDefault: true }))
    .description('scan files of the working tree (default "."); "-" reads standard input')
    .argument("[paths...]", "files or folders to scan")
    .action(async (paths: string[], flags: ScanFlags) => setExit(await runScan("scan", paths, flags)));

  scanOptions(program.command("staged"))
    .description("scan what is staged for commit; only added or changed lines count")
    .action(async (flags: ScanFlags) => setExit(await runScan("staged", [], flags)));

  scanOptions(program.command("history"))
    .description("scan git history (default: all refs), e.g. keyscan history origin/main..HEAD")
    .argument("[revs...]", "revisions and ranges")
    .option("--since <date>", "only commits more recent than this date")
    .action(async (revs: string[], flags: ScanFlags) => setExit(await runScan("history", revs, flags)));

  scanOptions(program.command("baseline"))
    .description("write current findings to .keyscan-baseline.json (fingerprints, never secrets)")
    .argument("[paths...]", "files or folders to scan (revisions with --history)")
    .option("--history", "take the findings from git history instead of the working tree")
    .option("--since <date>", "with --history: only commits more recent than this date")
    .option("--prune", "drop entries that are no longer found, and add none")
    .action(async (paths: string[], flags: ScanFlags & { history?: boolean; prune?: boolean }) =>
      setExit(await runBaseline(paths, flags)),
    );

  scanOptions(program.command("pre-push"))
    .description("git pre-push hook: scan the commits being pushed (git passes them on standard input)")
    .argument("[remote]", "the remote's name, as git passes it")
    .argument("[url]", "the remote's URL, as git passes it (unused)")
    .action(async (remote: string | undefined, _url: string | undefined, flags: ScanFlags) =>
      setExit(await runPrePush(remote, flags)),
    );

  program
    .command("install")
    .description("install the pre-commit hook (husky if present, else git hooks); chains an existing hook")
    .option("--pre-push", "install the pre-push hook instead: scans the commits being pushed")
    .action(async (flags: { prePush?: boolean }) => setExit(await runInstall(flags)));

  program
    .command("migrate")
    .description("convert another scanner's config: keyscan migrate gitleaks [.gitleaks.toml]")
    .argument("<tool>", 'the scanner to migrate from: "gitleaks"')
    .argument("[file]", "its config file (default .gitleaks.toml)")
    .action((tool: string, file: string | undefined) => {
      if (tool !== "gitleaks") throw new UsageError(`migrate: unknown tool "${tool}" (supported: gitleaks)`);
      setExit(runMigrateGitleaks(file ? [file] : [], process.cwd()));
    });

  program
    .command("rules")
    .description("list the rules in force")
    .option("--json", "as JSON")
    .option("-c, --config <file>", "config file")
    .action(async (flags: { json?: boolean; config?: string }) => setExit(await runRules(flags)));

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
function rejectUnknownCommand(argv: readonly string[], program: Command): void {
  const word = argv[2];
  if (word === undefined || !/^[a-z][a-z-]*$/i.test(word) || existsSync(word)) return;
  const commands = [...program.commands.map((command) => command.name()), "help"];
  if (commands.includes(word)) return;
  const suggestion = nearest(word, commands);
  const hint = suggestion ? `did you mean '${suggestion}'?` : `commands: ${commands.join(", ")}`;
  throw new UsageError(`unknown command '${word}' (and no file or folder of that name to scan); ${hint}`);
}

export async function main(argv: string[]): Promise<void> {
  try {
    exitOnInterrupt();
    const program = buildProgram();
    rejectUnknownCommand(argv, program);
    await program.parseAsync(argv);
  } catch (error) {
    process.exitCode = exitCodeFor(error);
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
  const prefix = error instanceof UsageError ? "" : "unexpected error: ";
  process.stderr.write(`keyscan: ${prefix}${message.split("\n")[0]}\n`);
  return EXIT_ERROR;
}

// Not awaited at top level: the bundle is CommonJS (code-cache.ts), and main settles every error itself.
void main(process.argv);
