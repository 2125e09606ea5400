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
  // A rule's own paths are compiled when it first has a finding: most rules have none in a scan, and
  // compiling every rule's globs cost each start a few milliseconds.
  const rulePaths = new Map(rules.flatMap((rule) => (rule.allow && rule.allow.paths.length > 0 ? [[rule.id, rule.allow.paths] as const] : [])));
  const ruleMatchers = new Map<string, (path: string) => boolean>();
  const matchRule = (ruleId: string, path: string): boolean => {
    const paths = rulePaths.get(ruleId);
    if (!paths) return false;
    let matcher = ruleMatchers.get(ruleId);
    if (!matcher) ruleMatchers.set(ruleId, (matcher = globMatcher(paths)));
    return matcher(path);
  };
  return {
    pathAllowed: matchGlobal,
    findingAllowed: (finding) => matchGlobal(finding.path) || matchRule(finding.ruleId, finding.path) || isAllowedSecret(global, finding.secret),
  };
}

function globMatcher(globs: readonly string[]): (path: string) => boolean {
  if (globs.length === 0) return () => false;
  return picomatch(globs as string[], { dot: true });
}
