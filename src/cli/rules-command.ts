// `keyscan rules`: the rules in force, listed, as JSON, or with --check their examples run.
import { defaultRuleExamples } from "../config/default-rules.js";
import { exampleFailures } from "../engine/examples.js";
import { withFields } from "../engine/rules.js";
import { plural } from "../format/plural.js";
import { neutralize } from "../report/common.js";
import { buildContext, type ScanContext } from "../run/pipeline.js";
import { repoRoot } from "../sources/git.js";
import { readConfig } from "./commands.js";
import { writeStdout } from "./stdout.js";
export async function runRules(flags: { json?: boolean; check?: boolean; config?: string }): Promise<number> {
  const root = await repoRoot(process.cwd());
  const context = buildContext(readConfig(flags.config, process.cwd(), root));
  if (flags.check) return checkRules(context, flags.json === true);
  const rules = context.ruleset.rules.filter((rule) => rule.report);
  if (flags.json) {
    const list = rules.map((rule) => ({
      id: rule.id,
      name: rule.name,
      severity: rule.severity,
      kind: rule.kind,
      keywords: rule.keywords,
      validate: rule.kind === "regex" ? (rule.validate ?? null) : null,
      verify: rule.verify ?? null,
      source: rule.source,
    }));
    await writeStdout(`${JSON.stringify(list, null, 2)}\n`);
    return 0;
  }
  const rows = rules.map((rule) => {
    const checks = [rule.kind === "regex" && rule.validate ? `validates:${rule.validate}` : "", rule.verify ? `verify:${rule.verify}` : ""]
      .filter(Boolean)
      .join(" ");
    return `${rule.id.padEnd(36)} ${rule.severity.padEnd(8)} ${rule.name}${checks ? `  [${checks}]` : ""}\n    keywords: ${rule.keywords.join(", ")}`;
  });
  await writeStdout(`${rows.join("\n")}\n${plural(rules.length, "rule")}\n`);
  return 0;
}

/**
 * `keyscan rules --check`: every example of every rule in force, the config's own rules included,
 * run against the rules in force. Each failure is named on its own line (with --json, one document:
 * the counts and the failures); exit 1 when any failed.
 */
async function checkRules(context: ScanContext, json: boolean): Promise<number> {
  // The bundles carry the default rules without their examples: those come from rules/*.toml.
  const defaultExamples = defaultRuleExamples();
  const rules = context.ruleset.rules.map((rule) => {
    const bare = rule.def.examples.match.length === 0 && rule.def.examples.nomatch.length === 0;
    const examples = bare && rule.source.startsWith("rules/") ? defaultExamples.get(rule.id) : undefined;
    return examples ? withFields(rule, { def: { ...rule.def, examples } }) : rule;
  });
  const failures = rules.flatMap((rule) => exampleFailures(rule, rules));
  const examples = rules.reduce((count, rule) => count + rule.def.examples.match.length + rule.def.examples.nomatch.length, 0);
  const sourceOf = (ruleId: string): string => rules.find((candidate) => candidate.id === ruleId)?.source ?? "";
  const failed = new Set(failures.map((failure) => failure.ruleId));
  if (json) {
    const listed = failures.map((failure) => ({ ruleId: failure.ruleId, source: sourceOf(failure.ruleId), example: failure.example, problem: failure.problem }));
    await writeStdout(`${JSON.stringify({ rules: rules.length, examples, failures: listed }, null, 2)}\n`);
  } else {
    const lines = failures.map(
      (failure) => `${failure.ruleId} (${neutralize(sourceOf(failure.ruleId))}): example ${neutralize(JSON.stringify(failure.example))}: ${neutralize(failure.problem)}\n`,
    );
    const summary =
      failures.length === 0
        ? `${rules.length} rules, ${examples} examples: all pass\n`
        : `${failed.size} of ${rules.length} rules have failing examples: ${[...failed].join(", ")}\n`;
    await writeStdout(`${lines.join("")}${summary}`);
  }
  return failures.length === 0 ? 0 : 1;
}
