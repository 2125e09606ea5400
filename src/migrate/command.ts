// `keyscan migrate gitleaks [.gitleaks.toml]`: reads the gitleaks config, writes keyscan.toml beside the
// current folder's config, and never replaces an existing keyscan config: then it writes keyscan.toml.new.
import { lstatSync } from "node:fs";
import { join, resolve } from "node:path";
import { CONFIG_NAMES } from "../config/load.js";
import { UsageError } from "../errors.js";
import { readSmallFile } from "../fs/read-file.js";
import { neutralize } from "../report/common.js";
import { plural } from "../format/plural.js";
import { writeFileAtomic } from "../fs/write-file.js";
import { convertGitleaksConfig } from "./gitleaks.js";

/** Runs the command; returns the exit code (0 written, 2 usage or input error). */
export function runMigrateGitleaks(args: readonly string[], cwd: string): number {
  try {
    if (args.length > 1) throw new UsageError(`migrate gitleaks takes one config file, got ${args.length}`);
    const name = args[0] ?? ".gitleaks.toml";
    const text = readSmallFile(resolve(cwd, name), "gitleaks config", { shownAs: name });
    const { toml, warnings } = convertGitleaksConfig(text, name);

    // An existing keyscan.toml or .keyscan.toml is kept: the user merges the new one by hand.
    // lstat, not exists: a dangling symlink counts as taken (writing it would create the file it points at).
    const existing = CONFIG_NAMES.find((name) => lstatOrUndefined(join(cwd, name)) !== undefined);
    const output = join(cwd, existing ? "keyscan.toml.new" : "keyscan.toml");
    writeFileAtomic(output, toml, undefined, cwd);

    for (const warning of warnings) process.stderr.write(`warning: ${neutralize(warning)}\n`);
    const written = existing ? `keyscan.toml.new (${existing} exists and was kept; merge by hand)` : "keyscan.toml";
    process.stderr.write(`wrote ${written}${warnings.length > 0 ? ` with ${plural(warnings.length, "warning")} to review` : ""}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`keyscan: ${neutralize(error.message)}\n`);
    return 2;
  }
}

function lstatOrUndefined(path: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}
