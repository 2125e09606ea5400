// Reads the default rules shipped in rules/*.toml (I/O lives here, not in the engine).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { RuleSource } from "./engine/rules.js";

/** rules/ beside src/ (tests, tsx) or beside dist/ (the bundled CLI): both are one level up. */
export const defaultRulesDir = fileURLToPath(new URL("../rules/", import.meta.url));

export function readDefaultRuleSources(dir = defaultRulesDir): RuleSource[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".toml"))
    .sort()
    .map((name) => ({ file: `rules/${name}`, text: readFileSync(join(dir, name), "utf8") }));
}
