// The config's [allow] list and each rule's own `allow.paths`: paths, regexes and stopwords.
import picomatch from "picomatch";
import type { CompiledAllow, CompiledRule } from "../engine/rules.js";
import { isAllowedSecret } from "../engine/rules.js";
import type { Finding } from "../types.js";

export interface AllowFilter {
  /** True when the whole path is allowed, so a source can skip reading it. */
  pathAllowed: (path: string) => boolean;
  findingAllowed: (finding: Finding) => boolean;
}

export function createAllowFilter(global: CompiledAllow, rules: readonly CompiledRule[]): AllowFilter {
  const matchGlobal = globMatcher(global.paths);
  const ruleMatchers = new Map<string, (path: string) => boolean>();
  for (const rule of rules) {
    if (rule.allow && rule.allow.paths.length > 0) ruleMatchers.set(rule.id, globMatcher(rule.allow.paths));
  }
  return {
    pathAllowed: matchGlobal,
    findingAllowed: (finding) =>
      matchGlobal(finding.path) ||
      (ruleMatchers.get(finding.ruleId)?.(finding.path) ?? false) ||
      isAllowedSecret(global, finding.secret),
  };
}

function globMatcher(globs: readonly string[]): (path: string) => boolean {
  if (globs.length === 0) return () => false;
  return picomatch(globs as string[], { dot: true });
}
