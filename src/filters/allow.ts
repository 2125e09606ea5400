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
  // A rule's own paths are read and compiled when it first has a finding: most rules have none in a
  // scan, compiling every rule's globs cost each start a few milliseconds, and reading a default rule's
  // allow list parses its details (rules.ts, DeferredRuleDef).
  const rulesById = new Map(rules.map((rule) => [rule.id, rule]));
  const ruleMatchers = new Map<string, (path: string) => boolean>();
  const matchRule = (ruleId: string, path: string): boolean => {
    let matcher = ruleMatchers.get(ruleId);
    if (!matcher) ruleMatchers.set(ruleId, (matcher = globMatcher(rulesById.get(ruleId)?.allow?.paths ?? [])));
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
