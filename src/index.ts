// The library API: scan text with the default rules (plus a config), list rules, and the data types.
import { type Config, emptyConfig, parseConfig } from "./config/load.js";
import { buildContext, ruleMetas, type ScanContext, scanAndFilter } from "./run/pipeline.js";
import type { Finding, RuleMeta } from "./types.js";

export type { Config } from "./config/load.js";
export type { Chunk, CommitInfo, Finding, RuleMeta, ScanStats, Severity, Verification } from "./types.js";
export { parseConfig };

export interface ScanTextOptions {
  /** Path reported in findings and matched by allow globs; "-" by default. */
  path?: string;
  /** A parsed config (see parseConfig); the default rules alone when omitted. */
  config?: Config;
  /** Reuse rules compiled by loadRules() across calls. */
  rules?: ScanContext;
}

/** Compiles the default rules plus a config's custom rules once, for repeated scans. */
export function loadRules(config: Config = emptyConfig()): ScanContext {
  return buildContext(config);
}

/** Finds secrets in a text, with inline and allow-list suppressions applied. Secrets are not redacted. */
export function scan(text: string, options: ScanTextOptions = {}): Finding[] {
  const context = options.rules ?? loadRules(options.config);
  return scanAndFilter({ path: options.path ?? "-", text }, context);
}

export function listRules(context: ScanContext = loadRules()): RuleMeta[] {
  return ruleMetas(context);
}
