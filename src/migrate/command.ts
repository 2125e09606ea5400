// `keyscan migrate gitleaks [.gitleaks.toml]`: reads the gitleaks config, writes keyscan.toml beside the
// current folder's config, and never replaces an existing keyscan config: then it writes keyscan.toml.new.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { CONFIG_NAMES } from "../config/load.js";
import { UsageError } from "../errors.js";
import { plural } from "../plural.js";
import { writeFileAtomic } from "../write-file.js";
import { convertGitleaksConfig } from "./gitleaks.js";

/** Runs the command; returns the exit code (0 written, 2 usage or input error). */
export function runMigrateGitleaks(args: readonly string[], cwd: string): number {
  try {
    if (args.length > 1) throw new UsageError(`migrate gitleaks takes one config file, got ${args.length}`);
    const name = args[0] ?? ".gitleaks.toml";
    let text: string;
    try {
      text = readFileSync(resolve(cwd, name), "utf8");
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : String((error as Error).message);
      throw new UsageError(`cannot read gitleaks config ${name}: ${reason}`);
    }
    const { toml, warnings } = convertGitleaksConfig(text, name);

    // An existing keyscan.toml or .keyscan.toml is kept: the user merges the new one by hand.
    const existing = CONFIG_NAMES.find((name) => existsSync(join(cwd, name)));
    const output = join(cwd, existing ? "keyscan.toml.new" : "keyscan.toml");
    writeFileAtomic(output, toml);

    for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
    const written = existing ? `keyscan.toml.new (${existing} exists and was kept; merge by hand)` : "keyscan.toml";
    process.stderr.write(`wrote ${written}${warnings.length > 0 ? ` with ${plural(warnings.length, "warning")} to review` : ""}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`keyscan: ${error.message}\n`);
    return 2;
  }
}
