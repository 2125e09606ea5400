// A compiled rule list made ready for scanning: its prefilter, each rule's place, the rules that may
// wait until another rule makes them count, and which rules skip which paths (rule data).
import { buildPrefilter, type Prefilter, type PrefilterData } from "./prefilter.js";
import type { CompiledRule } from "./rules.js";

export interface Ruleset {
  rules: CompiledRule[];
  prefilter: Prefilter;
  /** Each rule's place in `rules`. */
  order: ReadonlyMap<CompiledRule, number>;
  /** Rules that run only when another rule makes them count (see runDeferred). */
  deferrable: ReadonlySet<CompiledRule>;
  /**
   * The rules with `skipPaths` or `onlyPaths`, grouped by their paths (the generic detector's rules share
   * theirs), each group's rule ids in order: rulesSkippedAt tests each group's regex once for every file.
   */
  pathSkipping: readonly PathSkip[];
}

interface PathSkip {
  paths: RegExp;
  /** True: the rules skip the paths that match (skipPaths); false: they skip every other path (onlyPaths). */
  skipMatching: boolean;
  ids: string[];
}

/** The rules with `skipPaths` or `onlyPaths`, one group for each distinct regex (its source and flags) and sense. */
function pathSkipGroups(rules: readonly CompiledRule[]): PathSkip[] {
  const groups = new Map<string, PathSkip>();
  for (const rule of rules) {
    const paths = rule.kind === "entropy" ? rule.skipPaths : rule.onlyPaths;
    if (paths === undefined) continue;
    const skipMatching = rule.kind === "entropy";
    const key = `${skipMatching}/${paths.flags}/${paths.source}`;
    const group = groups.get(key);
    if (group) group.ids.push(rule.id);
    else groups.set(key, { paths, skipMatching, ids: [rule.id] });
  }
  return [...groups.values()];
}

/** `precomputed`: the prefilter's data worked out beforehand (buildPrefilter uses it if it fits these rules). */
export function createRuleset(rules: CompiledRule[], precomputed?: PrefilterData): Ruleset {
  // Gathered in one pass: a filter over every rule for each rule grows with the square of the rule count.
  const requirers = new Map<string, CompiledRule[]>();
  for (const rule of rules) {
    if (rule.kind !== "regex" || !rule.requires) continue;
    requirers.set(rule.requires.rule, [...(requirers.get(rule.requires.rule) ?? []), rule]);
  }
  const requiredBy = (rule: CompiledRule): CompiledRule[] => requirers.get(rule.id) ?? [];
  // A rule with a validator never waits: its vetoes count even where it reports nothing.
  const dependents = rules.filter(
    (rule) => rule.kind === "regex" && rule.requires && !rule.validate && requiredBy(rule).length === 0,
  );
  // A companion that is never reported, only required by dependents.
  const companions = rules.filter(
    (rule) =>
      rule.kind === "regex" &&
      !rule.report &&
      !rule.requires &&
      !rule.validate &&
      requiredBy(rule).length > 0 &&
      requiredBy(rule).every((other) => dependents.includes(other)),
  );
  const deferrable = [...dependents, ...companions];
  const prefilter = buildPrefilter(rules, precomputed);
  return {
    rules,
    prefilter,
    order: prefilter.order,
    deferrable: new Set(deferrable),
    pathSkipping: pathSkipGroups(rules),
  };
}

/**
 * The ids of the rules that do not run on a file at this path (an entropy rule's `skipPaths`, such
 * as lockfiles and source maps; a regex rule's `onlyPaths`, elsewhere), sorted. The engine is told them, never the path; the same content
 * scans alike at two paths only when their lists are the same.
 */
export function rulesSkippedAt(ruleset: Ruleset, path: string): string[] {
  const skipped: string[] = [];
  for (const group of ruleset.pathSkipping) if (group.paths.test(path) === group.skipMatching) skipped.push(...group.ids);
  return skipped.sort();
}
