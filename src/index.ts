// The library API: scan text with the default rules (plus a config), list rules, and the data types.
//
// A parsed config and a compiled rule set are opaque handles here: their real types live in modules
// whose declarations import zod, which is bundled into dist/ and not installed for the package's
// users. The declarations of this file (dist/types/index.d.ts) then reach only ./types.js.
import { type Config as ParsedConfig, emptyConfig, parseConfig as parseConfigText } from "./config/load.js";
import { buildContext, ruleMetas, type ScanContext, scanAndFilter } from "./run/pipeline.js";
import type { Finding, RuleMeta } from "./types.js";

export type { Chunk, CommitInfo, Finding, RuleMeta, ScanStats, Severity, Verification } from "./types.js";

declare const handle: unique symbol;

/** A keyscan.toml, parsed and checked by parseConfig(); pass it to scan() or loadRules(). */
export interface Config {
  readonly [handle]: "Config";
}

/** The default rules plus a config's custom rules, compiled by loadRules() for repeated scans. */
export interface Rules {
  readonly [handle]: "Rules";
}

export interface ScanTextOptions {
  /** Path reported in findings and matched by allow globs; "-" by default. */
  path?: string;
  /** A parsed config (see parseConfig); the default rules alone when omitted. */
  config?: Config;
  /** Reuse rules compiled by loadRules() across calls. */
  rules?: Rules;
}

/** Parses and checks the text of a keyscan.toml; `file` names it in errors. Throws on an invalid config. */
export function parseConfig(text: string, file: string): Config {
  return parseConfigText(text, file) as unknown as Config;
}

/** Compiles the default rules plus a config's custom rules once, for repeated scans. */
export function loadRules(config?: Config): Rules {
  return buildContext((config as ParsedConfig | undefined) ?? emptyConfig()) as unknown as Rules;
}

/** Finds secrets in a text, with inline and allow-list suppressions applied. Secrets are not redacted. */
export function scan(text: string, options: ScanTextOptions = {}): Finding[] {
  const rules = options.rules ?? loadRules(options.config);
  return scanAndFilter({ path: options.path ?? "-", text }, rules as unknown as ScanContext);
}

export function listRules(rules: Rules = loadRules()): RuleMeta[] {
  return ruleMetas(rules as unknown as ScanContext);
}
