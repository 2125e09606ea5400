// The default rules shipped in rules/*.toml (I/O lives here, not in the engine). The bundles in dist/
// carry them precompiled (parsed, validated and checked by scripts/build.mjs), so start-up reads no
// TOML; run from the TypeScript sources (tests, tsx), they are read from rules/.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { findAnchor } from "../engine/anchor.js";
import { collapseFragments } from "../engine/fragments.js";
import { type PrefilterData, prefilterData } from "../engine/prefilter.js";
import { type CheckedRuleDef, compileRules, type DeferredRuleDef, parseRuleFiles, type RuleFileText, type RuleSource } from "../engine/rules.js";
import type { RuleDef } from "../engine/schema.js";

/** rules/ at the package root: two levels above src/config/ (tests, tsx), one above dist/ (the bundles). */
export const defaultRulesDir = fileURLToPath(new URL(import.meta.url.endsWith(".ts") ? "../../rules/" : "../rules/", import.meta.url));

/** Set by scripts/build.mjs (esbuild `define`) to precompiledRules()'s `rules`; absent when not bundled. */
declare const KEYSCAN_PRECOMPILED_RULES: string | undefined;
/**
 * Set by scripts/build.mjs to precompiledRules()'s `details`, one a line (JSON holds no raw newline), as
 * one string in the bundle's code: a start takes it from the code cache as one copy, where an array of
 * hundreds of strings cost a millisecond (each string made and interned), and neither parses nor copies
 * a rule's details until they are read. Absent when not bundled.
 */
declare const KEYSCAN_PRECOMPILED_RULE_DETAILS: string | undefined;
/** Set by scripts/build.mjs to precompiledPrefilter()'s JSON; absent when not bundled. */
declare const KEYSCAN_PRECOMPILED_PREFILTER: string | undefined;

/** The default rules: precompiled in a bundle (without their examples), else read from `dir`. */
export function readDefaultRuleSources(dir = defaultRulesDir): RuleSource[] {
  if (dir === defaultRulesDir && typeof KEYSCAN_PRECOMPILED_RULES === "string" && typeof KEYSCAN_PRECOMPILED_RULE_DETAILS === "string") {
    return withDetails(KEYSCAN_PRECOMPILED_RULES, KEYSCAN_PRECOMPILED_RULE_DETAILS);
  }
  return readRuleFiles(dir);
}

/** precompiledRules()'s `rules`: each deferred rule's details given as their index in `details`. */
type PrecompiledSource = { file: string; checked: (CheckedRuleDef | (Omit<DeferredRuleDef, "detail"> & { detail: number }))[] };

/**
 * The rules of precompiledRules(), each deferred rule given its details' JSON from `details` (one a line;
 * the lines are slices of it, not copies).
 */
export function withDetails(rules: string, details: string): RuleSource[] {
  const lines = details.split("\n");
  const sources = JSON.parse(rules) as PrecompiledSource[];
  // In place: a start then makes no second object for each of the hundreds of rules.
  for (const { checked } of sources) {
    for (const entry of checked) if ("detail" in entry) (entry as unknown as DeferredRuleDef).detail = lines[entry.detail] as string;
  }
  return sources as RuleSource[];
}

/**
 * The prefilter of the default rules (all of them, the entropy detector included), worked out by the
 * build; undefined when not bundled. buildPrefilter uses it only for a rule list with their keywords.
 */
export function defaultPrefilterData(): PrefilterData | undefined {
  return typeof KEYSCAN_PRECOMPILED_PREFILTER === "string" ? (JSON.parse(KEYSCAN_PRECOMPILED_PREFILTER) as PrefilterData) : undefined;
}

/** The default rules' prefilter as JSON, for the build to embed (defaultPrefilterData). */
export function precompiledPrefilter(dir = defaultRulesDir): string {
  return JSON.stringify(prefilterData(compileRules(parseRuleFiles(readDefaultRuleSources(dir)))));
}

/** Each default rule's examples, by rule id, from rules/*.toml (the package ships that folder). */
export function defaultRuleExamples(dir = defaultRulesDir): Map<string, RuleDef["examples"]> {
  return new Map(parseRuleFiles(readRuleFiles(dir)).map(({ def }) => [def.id, def.examples]));
}

/** rules/*.toml as text, in file-name order. */
export function readRuleFiles(dir: string): RuleFileText[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".toml"))
    .sort()
    .map((name) => ({ file: `rules/${name}`, text: readFileSync(join(dir, name), "utf8") }));
}

/**
 * JSON with each character beyond ASCII escaped (\uXXXX): the same value, in a string of one byte a
 * character. The details are one string in a bundle (KEYSCAN_PRECOMPILED_RULE_DETAILS), which V8 would
 * hold at two bytes a character throughout for one dash in one rule's text.
 */
const asciiJson = (value: unknown): string =>
  JSON.stringify(value).replace(/[\u0080-\uffff]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`);

/**
 * rules/*.toml parsed, validated and compiled with every check (the backtracking guard included), for
 * the build to embed. `rules`: JSON of one source per file, holding its checked definitions with their
 * anchors; of a regex rule, only what building a rule set reads of every rule (DeferredRuleDef), and
 * the index of the rest in `details`, one JSON string a rule, parsed when the rule is first used.
 */
export function precompiledRules(dir = defaultRulesDir): { rules: string; details: string[] } {
  const sources = readRuleFiles(dir);
  const parsed = parseRuleFiles(sources);
  const compiled = compileRules(parsed); // throws, failing the build, if any rule is refused
  const secretGroups = new Map(compiled.flatMap((rule) => (rule.kind === "regex" ? [[rule.id, rule.secretGroup] as const] : [])));
  // Each regex rule with its secret group spelled out: compileRule then need not count the pattern's groups.
  // Its examples are left out: only `keyscan rules --check` runs them (defaultRuleExamples reads them
  // from rules/), and every process and worker would otherwise parse and hold them.
  const withGroup = (def: RuleDef): RuleDef => {
    const examples = { match: [], nomatch: [] };
    return def.kind === "regex" ? { ...def, examples, secretGroup: secretGroups.get(def.id) ?? def.secretGroup } : { ...def, examples };
  };
  const details: string[] = [];
  const precompiled = (def: RuleDef): PrecompiledSource["checked"][number] => {
    if (def.kind !== "regex") return { def: withGroup(def), anchor: null };
    // The pattern with its named parts as calls (fragments.ts), expanded again by deferredRuleDef.
    const pattern = collapseFragments(def.pattern);
    details.push(asciiJson({ def: { ...withGroup(def), pattern }, anchor: findAnchor(def.pattern, def.keywords) ?? null }));
    const keywords = def.keywords.map((keyword) => keyword.toLowerCase());
    const onlyPaths = def.onlyPaths.length > 0 ? { onlyPaths: def.onlyPaths } : {};
    return { id: def.id, keywords, report: def.report, validate: def.validate, requires: def.requires, ...onlyPaths, detail: details.length - 1 };
  };
  const checked: PrecompiledSource[] = sources.map(({ file }) => ({
    file,
    checked: parsed.filter((entry) => entry.source === file).map((entry) => precompiled(entry.def)),
  }));
  return { rules: JSON.stringify(checked), details };
}
