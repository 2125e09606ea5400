// `keyscan fix`: findings handed to src/fix/, which is a bundle of its own (dist/fix.cjs).
import { realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { isInside } from "../config/load.js";
import { UsageError } from "../errors.js";
import { ruleMetas } from "../run/pipeline.js";
import type { Finding } from "../types.js";
import { collectFindings, requireRepository, type ScanFlags, setUp, verify } from "./commands.js";
/** Options of `keyscan fix`, as commander parses them. */
export interface FixFlags {
  from?: string;
  dryRun?: boolean;
  yes?: boolean;
  example?: boolean;
  history?: boolean;
  output?: string;
  config?: string;
  entropy: boolean;
  verify?: boolean;
  verifyTimeout: string;
  maxFileSize: string;
  redact: boolean;
}

/**
 * `keyscan fix [PATH...]`: the working tree's findings (or a report's, or with --history the
 * history's) handed to src/fix/. Dry run unless --yes; on a terminal without either, it asks.
 */
export async function runFix(paths: string[], flags: FixFlags): Promise<number> {
  if (flags.dryRun && flags.yes) throw new UsageError("fix: --dry-run and --yes contradict each other; give one");
  if (flags.from && paths.length > 0) throw new UsageError("fix: give PATHs to scan or --from REPORT, not both");
  // Archives are not opened: a secret inside one cannot be rewritten in place.
  const scanFlags: ScanFlags = { ...flags, format: "text", exitCode: "1", quiet: true, progress: false, color: false, maxArchiveDepth: "0", fileTimeout: "30" };
  const setup = await setUp(scanFlags, flags.history ? "history" : "scan", paths);
  const root = requireRepository(setup.root, "fix");
  const { findingsFromReport, fixFindings, fixHistory } = loadFix();
  const write = (text: string) => process.stdout.write(text);
  if (flags.history) {
    if (flags.output !== undefined && isInside(realPath(flags.output), root)) {
      throw new UsageError(
        `fix --history: ${flags.output} is inside the repository, and the replacement file holds every secret in clear (a \`git add .\` would commit it): write it outside, or leave out -o for a private folder`,
      );
    }
    const { findings } = await collectFindings("history", paths, scanFlags, setup);
    return fixHistory(findings, flags.output, { rules: ruleMetas(setup.context()), redact: flags.redact, write });
  }
  let findings: Finding[];
  if (flags.from) {
    // A report's findings are verified here when asked: the report may predate a revocation.
    findings = findingsFromReport(flags.from);
    if (flags.verify) findings = await verify(findings, scanFlags, setup);
  } else {
    findings = (await collectFindings("scan", paths, scanFlags, setup)).findings;
  }
  const apply = flags.yes ? true : flags.dryRun || process.stdout.isTTY !== true || process.stdin.isTTY !== true ? false : "ask";
  return fixFindings(findings, { root, apply, example: flags.example === true, redact: flags.redact, rules: ruleMetas(setup.context()), write, error: (text) => process.stderr.write(text) });
}

/** A file's absolute path with its folder's symlinks resolved (a folder that does not exist is left as written). */
function realPath(file: string): string {
  const absolute = resolve(file);
  try {
    return join(realpathSync(dirname(absolute)), basename(absolute));
  } catch {
    return absolute;
  }
}

/**
 * src/fix/ as built into dist/fix.cjs (see scripts/build.mjs), loaded only when `keyscan fix` runs.
 * Run from the TypeScript sources (tests, tsx), the built bundle is used as well: `npm run build` first.
 */
function loadFix(): typeof import("../fix/command.js") {
  const here = import.meta.url;
  const bundle = here.endsWith(".ts") ? new URL("../../dist/fix.cjs", here) : new URL("./fix.cjs", here);
  return createRequire(here)(fileURLToPath(bundle)) as typeof import("../fix/command.js");
}
