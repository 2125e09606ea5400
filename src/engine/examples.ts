// A rule's examples run against the rule: each `examples.match` entry must be found (and, when the
// example pins it, with that secret, at that path), each `examples.nomatch` entry must not. Used by
// the test suite for the default rules and by `keyscan rules --check` for the rules in force.
import { type CompiledRule, withFields } from "./rules.js";
import type { RuleDef } from "./schema.js";
import { createRuleset, type Ruleset, rulesSkippedAt } from "./ruleset.js";
import { configFileKind } from "./config-files.js";
import { findMatches } from "./scan.js";

type Example = RuleDef["examples"]["match"][number] | RuleDef["examples"]["nomatch"][number];

/** Where an example is scanned from when it names no path: one where every rule runs. */
const EXAMPLE_PATH = "example.txt";

/** An example's text, whichever form it takes. */
export function exampleText(entry: Example): string {
  return typeof entry === "string" ? entry : entry.text;
}

export interface ExampleFailure {
  ruleId: string;
  example: string;
  /** What went wrong, as a sentence fragment: "not found", "found secret … instead of …", "found". */
  problem: string;
}

/**
 * The examples of `rule` that fail, scanned with all of `rules` (so a more specific rule that takes
 * the text is noticed). A helper rule (report = false) is checked as if it reported.
 */
export function exampleFailures(rule: CompiledRule, rules: readonly CompiledRule[]): ExampleFailure[] {
  const ruleset = rulesetFor(rule, rules);
  // Scanned as at its path: the rules skipped there, and a config file's reading of its values.
  const found = (text: string, path: string) => {
    const skip = rulesSkippedAt(ruleset, path);
    const configFile = configFileKind(path);
    return findMatches(text, ruleset, { ...(skip.length > 0 ? { skip: new Set(skip) } : {}), ...(configFile ? { configFile } : {}) }).filter((match) => match.ruleId === rule.id);
  };
  const failures: ExampleFailure[] = [];
  const fail = (example: string, problem: string) => failures.push({ ruleId: rule.id, example, problem });
  for (const entry of rule.def.examples.match) {
    const example = typeof entry === "string" ? { text: entry } : entry;
    const matches = found(example.text, example.path ?? EXAMPLE_PATH);
    if (matches.length === 0) fail(example.text, "not found");
    else if (example.secret !== undefined && !matches.some((match) => match.secret === example.secret)) {
      fail(example.text, `found secret "${matches[0]?.secret}" instead of "${example.secret}"`);
    }
  }
  for (const entry of rule.def.examples.nomatch) {
    const example = typeof entry === "string" ? { text: entry } : entry;
    if (found(example.text, example.path ?? EXAMPLE_PATH).length > 0) fail(example.text, "found, but should not be");
  }
  return failures;
}

/**
 * The rules' ruleset, made once a list of rules: every reporting rule's examples run against the same
 * one, as building a ruleset (its keyword table) for each rule made checking every rule's examples cost
 * the square of the rules' count. A helper rule gets one of its own, in which it reports.
 */
function rulesetFor(rule: CompiledRule, rules: readonly CompiledRule[]): Ruleset {
  if (!rule.report) return createRuleset(rules.map((candidate) => (candidate === rule ? withFields(rule, { report: true }) : candidate)));
  let ruleset = rulesets.get(rules);
  if (!ruleset) {
    ruleset = createRuleset([...rules]);
    rulesets.set(rules, ruleset);
  }
  return ruleset;
}

const rulesets = new WeakMap<readonly CompiledRule[], Ruleset>();
