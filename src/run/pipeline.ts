// The rules a scan runs with (default rules, the config's own, its allow lists), built once per
// thread, and the library's one-call scan of a text.
import { type Config, emptyConfig } from "../config/load.js";
import { compileAllow, compileRules, parseRuleFiles, type RuleSource, sourcedRuleId, sourcedRuleKind } from "../engine/rules.js";
import { createRuleset, type Ruleset } from "../engine/ruleset.js";
import { nearest, UsageError } from "../errors.js";
import { type AllowFilter, createAllowFilter } from "../filters/allow.js";
import { kept, type SuppressionStep, suppressionSteps } from "../filters/index.js";
import { defaultPrefilterData, readDefaultRuleSources } from "../config/default-rules.js";
import type { Chunk, Finding, RuleMeta } from "../types.js";
import { scanContent } from "./scan-content.js";
import { stamp } from "./stamp.js";

export interface ScanContext {
  ruleset: Ruleset;
  allow: AllowFilter;
}

/** Default rules plus the config's custom rules, less the disabled ones (and the entropy detector with `entropy: false`), compiled. */
export function buildContext(
  config: Config = emptyConfig(),
  sources: RuleSource[] = readDefaultRuleSources(),
  options: { entropy: boolean } = { entropy: true },
): ScanContext {
  const defaults = parseRuleFiles(sources);
  const custom = config.rules.map((def) => ({ def, source: config.file ?? "config" }));
  const known = [...defaults, ...custom].map(sourcedRuleId);
  for (const id of config.disable) {
    if (!known.includes(id)) {
      const hint = nearest(id, known);
      throw new UsageError(
        `${config.file ?? "config"}: disable: unknown rule "${id}"${hint ? ` (did you mean "${hint}"?)` : ""}`,
      );
    }
  }
  const disabled = new Set(config.disable);
  // A custom rule replaces a default rule of the same id only when the config says so by disabling that
  // id: a replacement nobody sees could quietly turn a check off. Two custom rules may not share an id.
  const defaultIds = new Set(defaults.map(sourcedRuleId));
  const customIds = new Set<string>();
  for (const { def } of custom) {
    if (customIds.has(def.id)) throw new UsageError(`${config.file ?? "config"}: two rules have the id "${def.id}"`);
    customIds.add(def.id);
    if (defaultIds.has(def.id) && !disabled.has(def.id)) {
      throw new UsageError(
        `${config.file ?? "config"}: rule "${def.id}" has the id of a default rule; to replace that rule add "${def.id}" to disable, else give yours another id`,
      );
    }
  }
  const kept = [
    ...defaults.filter((entry) => !disabled.has(sourcedRuleId(entry))),
    ...custom.filter(({ def }) => !disabled.has(def.id) || defaultIds.has(def.id)),
  ];
  // --no-entropy turns off the generic detector: its entropy and password rules.
  const rules = compileRules(kept.filter((entry) => options.entropy || sourcedRuleKind(entry) === "regex"));
  const globalAllow = compileAllow(config.allow, (what) => {
    throw new UsageError(`${config.file ?? "config"}: allow: ${what}`);
  });
  // The default rules' prefilter comes from the build; it serves only a rule list with their keywords.
  return { ruleset: createRuleset(rules, defaultPrefilterData()), allow: createAllowFilter(globalAllow, rules) };
}

/**
 * A chunk's findings, less those the suppressions that need nothing but the chunk drop: inline
 * comments and, for a chunk with added lines, the lines it does not add. No allow lists.
 */
export function scanText(chunk: Chunk, context: Pick<ScanContext, "ruleset">): Finding[] {
  return findingsIn(chunk, context.ruleset, suppressionSteps({}));
}

/** scanText, then the allow lists (paths, regexes, stopwords): what the library's scan() reports. */
export function scanAndFilter(chunk: Chunk, context: ScanContext): Finding[] {
  return findingsIn(chunk, context.ruleset, suppressionSteps({ allow: context.allow }));
}

function findingsIn(chunk: Chunk, ruleset: Ruleset, steps: SuppressionStep[]): Finding[] {
  const place = chunk.addedLines ? { addedLines: chunk.addedLines } : {};
  return scanContent(chunk, ruleset)
    .map((match) => stamp(match, chunk))
    .filter((finding) => kept(steps, finding, place));
}

export function ruleMetas(context: ScanContext): RuleMeta[] {
  return context.ruleset.rules
    .filter((rule) => rule.report)
    .map((rule) => ({
      id: rule.id,
      name: rule.name,
      severity: rule.severity,
      remediation: rule.remediation,
      description: rule.def.description,
      tags: rule.def.tags,
    }));
}
