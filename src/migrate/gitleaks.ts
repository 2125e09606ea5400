// `keyscan migrate gitleaks`: a .gitleaks.toml turned into a keyscan.toml, saying what could not come along.
// Also reads .gitleaksignore and gitleaks' JSON reports (as a baseline), so findings a team already ignored stay ignored.
import * as z from "zod/mini";
import { compileRules, describeIssue, parseRuleDef, parseRuleFiles, parseTomlFile, sourcedRuleId } from "../engine/rules.js";
import { type AllowListDef, type RegexRuleDef, stringList } from "../engine/schema.js";
import { UsageError } from "../errors.js";
import { plural } from "../format/plural.js";
import type { Finding } from "../types.js";
import { readDefaultRuleSources } from "../config/default-rules.js";
import { translateGoRegex } from "./go-regex.js";
import { pathRegexToGlobs } from "./path-globs.js";

/**
 * gitleaks' default rule ids and the keyscan rules that find the same credentials. Only targets that
 * exist among keyscan's rules are used, so an entry for a rule keyscan lacks is simply inactive.
 */
export const GITLEAKS_RULE_MAP: Readonly<Record<string, readonly string[]>> = {
  "openai-api-key": ["openai-legacy-key", "openai-project-key", "openai-service-account-key", "openai-admin-key", "openai-none-key"],
  "anthropic-api-key": ["anthropic-api-key"],
  "anthropic-admin-api-key": ["anthropic-admin-key"],
  "aws-access-token": ["aws-access-key-id"],
  "github-pat": ["github-ghp"],
  "github-oauth": ["github-gho"],
  "github-app-token": ["github-ghu", "github-ghs"],
  "github-refresh-token": ["github-ghr"],
  "github-fine-grained-pat": ["github-fine-grained-pat"],
  "gitlab-pat": ["gitlab-pat"],
  "gitlab-deploy-token": ["gitlab-deploy-token"],
  "gitlab-feed-token": ["gitlab-feed-token"],
  "gitlab-ptt": ["gitlab-pipeline-trigger-token"],
  "gitlab-runner-authentication-token": ["gitlab-runner-token"],
  "gitlab-oauth-app-secret": ["gitlab-oauth-secret"],
  "slack-bot-token": ["slack-bot-token"],
  "slack-user-token": ["slack-user-token"],
  "slack-app-token": ["slack-app-token"],
  "slack-webhook-url": ["slack-webhook"],
  "stripe-access-token": ["stripe-secret-key", "stripe-restricted-key"],
  "gcp-api-key": ["google-api-key"],
  "huggingface-access-token": ["huggingface-token"],
  "huggingface-organization-api-token": ["huggingface-org-token"],
  "private-key": ["private-key", "openssh-private-key", "pgp-private-key"],
  jwt: ["jwt"],
  "npm-access-token": ["npm-token"],
  "pypi-upload-token": ["pypi-token"],
  "rubygems-api-token": ["rubygems-api-key"],
  "sendgrid-api-token": ["sendgrid-api-key"],
  "twilio-api-key": ["twilio-api-key"],
  "telegram-bot-api-token": ["telegram-bot-token"],
  "heroku-api-key": ["heroku-api-key"],
  "heroku-api-key-v2": ["heroku-api-key"],
  "mailchimp-api-key": ["mailchimp-api-key"],
  "mailgun-private-api-token": ["mailgun-api-key"],
  "shopify-access-token": ["shopify-access-token"],
  "shopify-custom-access-token": ["shopify-custom-app-token"],
  "shopify-private-app-access-token": ["shopify-private-app-token"],
  "shopify-shared-secret": ["shopify-shared-secret"],
  "cloudflare-api-key": ["cloudflare-api-token"],
  "cloudflare-global-api-key": ["cloudflare-global-api-key"],
  "cloudflare-origin-ca-key": ["cloudflare-origin-ca-key"],
  "digitalocean-pat": ["digitalocean-pat"],
  "digitalocean-access-token": ["digitalocean-oauth-token"],
  "digitalocean-refresh-token": ["digitalocean-refresh-token"],
  "linear-api-key": ["linear-api-key"],
  "netlify-access-token": ["netlify-token"],
  "new-relic-user-api-key": ["newrelic-user-key"],
  "new-relic-insert-key": ["newrelic-insert-key"],
  "notion-api-token": ["notion-token"],
  "okta-access-token": ["okta-api-token"],
  "postman-api-token": ["postman-api-key"],
  "sentry-org-token": ["sentry-org-token"],
  "sentry-user-token": ["sentry-user-token"],
  "square-access-token": ["square-access-token"],
  "azure-ad-client-secret": ["azure-ad-client-secret"],
  "atlassian-api-token": ["atlassian-api-token"],
  "perplexity-api-key": ["perplexity-api-key"],
  "cohere-api-token": ["cohere-api-key"],
  "generic-api-key": ["generic-high-entropy"],
};

/**
 * The shapes of a gitleaks config and of its JSON report, built when first needed: most runs (a
 * pre-commit hook's) read neither, and building zod schemas is a few ms of every start.
 */
function buildGitleaksSchemas() {
  const optionalString = () => z.optional(z.string());
  const optionalInt = () => z.optional(z.number().check(z.int()));

  const gitleaksAllowlist = z.object({
    description: optionalString(),
    condition: optionalString(),
    regexTarget: optionalString(),
    regexes: stringList(),
    paths: stringList(),
    stopwords: stringList(),
    commits: stringList(),
    targetRules: stringList(),
  });

  const gitleaksRule = z.object({
    id: z.string().check(z.minLength(1)),
    description: optionalString(),
    regex: optionalString(),
    secretGroup: z.optional(z.number().check(z.int(), z.minimum(0))),
    entropy: z.optional(z.number()),
    keywords: stringList(),
    path: optionalString(),
    tags: stringList(),
    skipReport: z.optional(z.boolean()),
    allowlist: z.optional(gitleaksAllowlist),
    allowlists: z._default(z.array(gitleaksAllowlist), []),
    required: z._default(z.array(z.object({ id: z.string(), withinLines: optionalInt(), withinColumns: optionalInt() })), []),
  });

  const gitleaksConfig = z.object({
    title: optionalString(),
    extend: z.optional(z.object({ useDefault: z.optional(z.boolean()), path: optionalString(), disabledRules: stringList() })),
    rules: z._default(z.array(gitleaksRule), []),
    allowlist: z.optional(gitleaksAllowlist),
    allowlists: z._default(z.array(gitleaksAllowlist), []),
  });

  /** The fields of a finding in gitleaks' JSON report (`--report-format json`) that a baseline needs. */
  const gitleaksReportEntry = z.object({
    File: z.string(),
    RuleID: z.string(),
    StartLine: z.number(),
    Secret: z.optional(z.string()),
  });

  return { gitleaksAllowlist, gitleaksRule, gitleaksConfig, gitleaksReportEntry, gitleaksReport: z.array(gitleaksReportEntry) };
}

type GitleaksSchemas = ReturnType<typeof buildGitleaksSchemas>;
let builtSchemas: GitleaksSchemas | undefined;
const gitleaksSchemas = (): GitleaksSchemas => (builtSchemas ??= buildGitleaksSchemas());

type GitleaksAllowlist = z.infer<GitleaksSchemas["gitleaksAllowlist"]>;
type GitleaksRule = z.infer<GitleaksSchemas["gitleaksRule"]>;

export interface Conversion {
  /** The keyscan.toml text; it loads with parseConfig and buildContext. */
  toml: string;
  /** One sentence each, naming the rule or allow list, for what was not carried over exactly. */
  warnings: string[];
}

/** keyscan's default rule ids, read from rules/*.toml. */
export function defaultRuleIds(): string[] {
  return parseRuleFiles(readDefaultRuleSources()).map(sourcedRuleId);
}

/** A gitleaks rule id as a keyscan id: lower case, other characters as '-'. */
export function keyscanIdFor(gitleaksId: string): string {
  return gitleaksId.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+/, "") || "rule";
}

/** The keyscan rules a gitleaks rule id stands for: mapped default rules, else the converted custom rule. */
export function keyscanIdsFor(gitleaksId: string): string[] {
  return [...(GITLEAKS_RULE_MAP[gitleaksId] ?? []), keyscanIdFor(gitleaksId)];
}

export function convertGitleaksConfig(
  tomlText: string,
  file: string,
  knownRuleIds: readonly string[] = defaultRuleIds(),
): Conversion {
  const data = parseTomlFile(tomlText, file);
  const parsed = gitleaksSchemas().gitleaksConfig.safeParse(data);
  if (!parsed.success) throw new UsageError(`${file}: not a gitleaks config: ${describeIssue(parsed.error, [])}`);
  const config = parsed.data;
  const warnings: string[] = [];
  const known = new Set(knownRuleIds);

  const rules: RegexRuleDef[] = [];
  for (const rule of config.rules) {
    const converted = convertRule(rule, file, known, warnings);
    if (converted) rules.push(converted);
  }
  const customIds = new Set(rules.map((rule) => rule.id));
  for (const rule of rules) {
    if (rule.requires && !customIds.has(rule.requires.rule) && !known.has(rule.requires.rule)) {
      warnings.push(`rule "${rule.id}": its required rule "${rule.requires.rule}" was not converted; it reports without it`);
      delete rule.requires;
    }
  }

  const globalAllow = emptyAllow();
  const globalLists = [...(config.allowlist ? [config.allowlist] : []), ...config.allowlists];
  for (const [index, list] of globalLists.entries()) {
    const where = `global allowlist ${index + 1}`;
    if (list.targetRules.length > 0) {
      const targets = list.targetRules.map(keyscanIdFor);
      const missing = targets.filter((id) => !customIds.has(id));
      if (missing.length > 0) {
        warnings.push(`${where}: targets rules keyscan cannot add allow entries to (${missing.join(", ")}); skipped`);
        continue;
      }
      const allow = convertAllowlist(list, where, warnings);
      for (const rule of rules) if (allow && targets.includes(rule.id)) rule.allow = mergeAllow(rule.allow ?? emptyAllow(), allow);
      continue;
    }
    const allow = convertAllowlist(list, where, warnings);
    if (allow) Object.assign(globalAllow, mergeAllow(globalAllow, allow));
  }

  // keyscan replaces a default rule only when the config also disables its id (buildContext).
  const replaced = rules.filter((rule) => known.has(rule.id)).map((rule) => rule.id);
  const disable = [...new Set([...convertExtend(config.extend, known, warnings), ...replaced])];
  return { toml: writeToml(file, disable, globalAllow, rules, warnings), warnings };
}

function convertExtend(extend: z.infer<GitleaksSchemas["gitleaksConfig"]>["extend"], known: Set<string>, warnings: string[]): string[] {
  if (!extend?.useDefault && !extend?.path) {
    warnings.push("the gitleaks config did not extend gitleaks' default rules, but keyscan's default rules stay on (list ids under `disable` to turn them off)");
  }
  if (extend?.path) warnings.push(`extend.path "${extend.path}" was not followed: convert that file too and merge the two`);
  const disable = new Set<string>();
  for (const id of extend?.disabledRules ?? []) {
    const targets = (GITLEAKS_RULE_MAP[id] ?? []).filter((target) => known.has(target));
    if (targets.length === 0) warnings.push(`disabledRules: "${id}" has no keyscan equivalent; nothing disabled for it`);
    for (const target of targets) disable.add(target);
  }
  return [...disable];
}

function convertRule(rule: GitleaksRule, file: string, known: Set<string>, warnings: string[]): RegexRuleDef | undefined {
  const id = keyscanIdFor(rule.id);
  const where = `rule "${rule.id}"`;
  if (rule.regex === undefined) {
    warnings.push(
      rule.path !== undefined
        ? `${where}: matches file paths only, which keyscan rules cannot; skipped`
        : `${where}: has no regex (it only adjusts a gitleaks default rule); skipped`,
    );
    return undefined;
  }
  const translation = translateGoRegex(rule.regex);
  if (!translation.ok) {
    warnings.push(`${where}: regex cannot be carried over exactly (${translation.reason}); skipped, port it by hand`);
    return undefined;
  }
  if (id !== rule.id) warnings.push(`${where}: renamed "${id}" (keyscan ids are lower-case letters, digits and '-')`);
  if (known.has(id)) warnings.push(`${where}: replaces keyscan's default rule of the same id (listed under \`disable\`)`);
  if (rule.path !== undefined) warnings.push(`${where}: its path condition cannot be carried over; the rule runs on every file`);
  if (translation.groups > 1 && rule.secretGroup === undefined) {
    warnings.push(`${where}: has ${translation.groups} groups and no secretGroup; keyscan takes group 1 where gitleaks takes the first non-empty one`);
  }

  let keywords = rule.keywords.map((keyword) => keyword.toLowerCase()).filter((keyword) => keyword.length >= 2);
  if (keywords.length < rule.keywords.length) warnings.push(`${where}: keywords shorter than 2 characters dropped`);
  if (keywords.length === 0) {
    const prefix = literalPrefix(rule.regex).toLowerCase();
    if (prefix.length < 2) {
      warnings.push(`${where}: no keywords and no literal prefix to derive one from (keyscan needs one); skipped`);
      return undefined;
    }
    keywords = [prefix];
    warnings.push(`${where}: no keywords; derived "${prefix}" from the regex`);
  }

  const allow = [...(rule.allowlist ? [rule.allowlist] : []), ...rule.allowlists].reduce<AllowListDef | undefined>(
    (merged, list, index) => {
      const converted = convertAllowlist(list, `${where} allowlist ${index + 1}`, warnings);
      return converted ? mergeAllow(merged ?? emptyAllow(), converted) : merged;
    },
    undefined,
  );

  const requires = convertRequired(rule, where, warnings);
  const def = {
    id,
    name: rule.description ?? rule.id,
    keywords,
    pattern: translation.pattern,
    ...(rule.secretGroup !== undefined ? { secretGroup: rule.secretGroup } : {}),
    ...(rule.entropy !== undefined && rule.entropy > 0 ? { minEntropy: Math.min(rule.entropy, 8) } : {}),
    ...(rule.tags.length > 0 ? { tags: rule.tags } : {}),
    ...(rule.skipReport ? { report: false } : {}),
    ...(requires ? { requires } : {}),
    ...(allow ? { allow } : {}),
  };
  // Validate and compile alone (a `requires` target may be another converted rule, checked by the caller).
  try {
    const parsed = parseRuleDef(def, file);
    const { requires: _, ...alone } = parsed as RegexRuleDef;
    compileRules([{ def: alone, source: file }]);
    return parsed as RegexRuleDef;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    warnings.push(`${where}: ${error.message.replace(`${file}: rule "${id}": `, "")}; skipped`);
    return undefined;
  }
}

function convertRequired(rule: GitleaksRule, where: string, warnings: string[]): RegexRuleDef["requires"] {
  if (rule.required.length === 0) return undefined;
  const [first] = rule.required;
  if (rule.required.length > 1 || !first || first.withinColumns !== undefined) {
    warnings.push(`${where}: keyscan's "requires" takes one companion rule within N lines; the requirement was dropped`);
    return undefined;
  }
  const targets = keyscanIdsFor(first.id);
  return { rule: targets[0] ?? keyscanIdFor(first.id), within: first.withinLines ?? 5 };
}

/** A keyscan allow list for a gitleaks one, or undefined when nothing of it can be carried exactly. */
function convertAllowlist(list: GitleaksAllowlist, where: string, warnings: string[]): AllowListDef | undefined {
  const kinds = [list.regexes, list.paths, list.stopwords, list.commits].filter((entries) => entries.length > 0).length;
  if (list.condition?.toUpperCase() === "AND" && kinds > 1) {
    warnings.push(`${where}: condition = "AND" has no keyscan equivalent (keyscan allows when any entry matches); skipped`);
    return undefined;
  }
  if (list.commits.length > 0) {
    warnings.push(`${where}: ${plural(list.commits.length, "commit")} not carried over: keyscan allow lists have no commits (use a baseline)`);
  }
  const allow = emptyAllow();
  if (list.regexTarget && list.regexTarget !== "secret" && list.regexes.length > 0) {
    warnings.push(`${where}: regexes with regexTarget = "${list.regexTarget}" skipped: keyscan tests allow regexes against the secret only`);
  } else {
    for (const regex of list.regexes) {
      const translation = translateGoRegex(regex);
      if (translation.ok) allow.regexes.push(translation.pattern);
      else warnings.push(`${where}: regex ${JSON.stringify(regex)} cannot be carried over exactly (${translation.reason}); skipped`);
    }
  }
  for (const path of list.paths) {
    const globs = pathRegexToGlobs(path);
    if (globs) allow.paths.push(...globs);
    else warnings.push(`${where}: path regex ${JSON.stringify(path)} has no exact glob; skipped, add a glob by hand`);
  }
  allow.stopwords.push(...list.stopwords);
  return allow.regexes.length + allow.paths.length + allow.stopwords.length > 0 ? allow : undefined;
}

function emptyAllow(): AllowListDef {
  return { regexes: [], stopwords: [], paths: [] };
}

function mergeAllow(a: AllowListDef, b: AllowListDef): AllowListDef {
  return { regexes: [...a.regexes, ...b.regexes], stopwords: [...a.stopwords, ...b.stopwords], paths: [...a.paths, ...b.paths] };
}

/**
 * The literal text every match starts with, for a keyword: `\bghp_[0-9a-z]{36}` gives "ghp_".
 * Empty when the pattern has an alternation outside classes (a prefix need not be in every match).
 */
export function literalPrefix(source: string): string {
  if (/(^|[^\\])\|/.test(source.replace(/\[(?:\\.|[^\]])*\]/g, ""))) return "";
  let rest = source.replace(/^\(\?i\)/, "").replace(/^(?:\\b|\^|\\A)/, "");
  while (rest.startsWith("(") && !rest.startsWith("(?")) rest = rest.slice(1);
  let prefix = "";
  while (rest.length > 0) {
    const escaped = rest.match(/^\\([!-/:-@[-`{-~])/);
    const plain = rest.match(/^[^\\.^$*+?()[\]{}|]/);
    const char = escaped?.[1] ?? plain?.[0];
    if (char === undefined) break;
    rest = rest.slice((escaped ?? plain)?.[0].length ?? 1);
    if (/^(?:[?*]|\{0)/.test(rest)) break; // optional: not in every match
    prefix += char;
  }
  return prefix;
}

// ---- a gitleaks JSON report as a baseline ----

/** Parses a gitleaks JSON report (`--report-format json`): the fields of each finding that a baseline needs. */
export const parseGitleaksReport = (data: unknown) => gitleaksSchemas().gitleaksReport.safeParse(data);
export type GitleaksReportEntry = z.infer<GitleaksSchemas["gitleaksReportEntry"]>;

/**
 * True when a gitleaks report lists this finding: the same file (relative to the repository root), and
 * either the same secret (a report written without --redact) or a gitleaks rule that maps to this
 * keyscan rule, on the same line.
 */
export function gitleaksReported(finding: Finding, entries: readonly GitleaksReportEntry[]): boolean {
  return entries.some(
    (entry) =>
      entry.File.replace(/^\.\//, "") === finding.path &&
      (entry.Secret === finding.secret ||
        (entry.StartLine === finding.line && (entry.RuleID === finding.ruleId || keyscanIdsFor(entry.RuleID).includes(finding.ruleId)))),
  );
}

// ---- writing keyscan.toml ----

function writeToml(file: string, disable: string[], allow: AllowListDef, rules: RegexRuleDef[], warnings: string[]): string {
  const lines = [
    `# keyscan.toml, converted from ${file} by \`keyscan migrate gitleaks\`.`,
    "# keyscan's default rules are always on; the rules below are added to them.",
    ...(warnings.length > 0 ? ["#", "# Not carried over exactly (review these):", ...warnings.map((warning) => `#  - ${warning}`)] : []),
    "",
  ];
  if (disable.length > 0) lines.push(`disable = ${tomlArray(disable)}`, "");
  if (allow.paths.length + allow.regexes.length + allow.stopwords.length > 0) {
    lines.push("[allow]", ...allowLines(allow), "");
  }
  for (const rule of rules) {
    lines.push("[[rule]]", `id = ${tomlString(rule.id)}`, `name = ${tomlString(rule.name)}`);
    lines.push(`keywords = ${tomlArray(rule.keywords)}`, `pattern = ${tomlString(rule.pattern)}`);
    if (rule.secretGroup !== undefined) lines.push(`secretGroup = ${rule.secretGroup}`);
    if (rule.minEntropy !== undefined) lines.push(`minEntropy = ${rule.minEntropy}`);
    if (rule.tags.length > 0) lines.push(`tags = ${tomlArray(rule.tags)}`);
    if (!rule.report) lines.push("report = false");
    if (rule.requires) lines.push(`requires = { rule = ${tomlString(rule.requires.rule)}, within = ${rule.requires.within} }`);
    if (rule.allow) lines.push("[rule.allow]", ...allowLines(rule.allow));
    lines.push("");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

function allowLines(allow: AllowListDef): string[] {
  return (["paths", "regexes", "stopwords"] as const)
    .filter((key) => allow[key].length > 0)
    .map((key) => `${key} = ${tomlArray(allow[key])}`);
}

function tomlArray(values: readonly string[]): string {
  const items = values.map(tomlString);
  const oneLine = `[${items.join(", ")}]`;
  return oneLine.length <= 100 ? oneLine : `[\n${items.map((item) => `  ${item},`).join("\n")}\n]`;
}

/** A literal string where possible (regexes read as written), else a basic string with escapes. */
function tomlString(value: string): string {
  if (/[\x00-\x08\x0a-\x1f\x7f]/.test(value)) return JSON.stringify(value);
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes("'''") && !value.endsWith("'")) return `'''${value}'''`;
  return JSON.stringify(value);
}
