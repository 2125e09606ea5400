// Parsing and compiling rules. Pure: callers hand in the text of each rules file.
import { parse as parseToml, TomlError } from "smol-toml";
import type * as z from "zod/mini";
import { nearest, UsageError } from "../errors.js";
import type { Severity } from "../types.js";
import { type Anchor, findAnchor } from "./anchor.js";
import { expandFragments } from "./fragments.js";
import { catastrophicPart } from "./regex-guard.js";
import { withoutInlineFlag } from "./regex-syntax.js";
import { type AllowListDef, type RegexRuleDef, type RuleDef, schemas } from "./schema.js";
import { validatorNames } from "./validators.js";

export interface CompiledAllow {
  regexes: RegExp[];
  /** Lower-cased. */
  stopwords: string[];
  paths: string[];
}

interface CompiledBase {
  id: string;
  name: string;
  severity: Severity;
  keywords: string[];
  remediation: string;
  report: boolean;
  allow?: CompiledAllow;
  verify?: string;
  /** Where the rule was defined, for error messages. */
  source: string;
  def: RuleDef;
}

export interface CompiledRegexRule extends CompiledBase {
  kind: "regex";
  regex: RegExp;
  /** Set when every match holds a keyword at a known distance from its start (see anchor.ts). */
  anchored?: AnchoredSearch;
  secretGroup: number;
  minEntropy?: number;
  validate?: string;
  requires?: { rule: string; within: number };
  /** The only paths it runs on (its onlyPaths as one regex); undefined when it runs everywhere. */
  onlyPaths?: RegExp;
}

/** How an anchored rule is searched: its pattern tried (sticky) just before each occurrence of its keywords. */
export interface AnchoredSearch {
  /** Every match holds one of these where it says (anchor.ts). */
  keywords: AnchoredKeyword[];
  /** A match starts at a line's start (`(?<![^\n])`). */
  lineStart: boolean;
  /** The rule's regex with the sticky flag instead of the global one. */
  sticky: RegExp;
}

export interface AnchoredKeyword {
  /** The keyword, lower-cased, as the prefilter reports where it occurs. */
  keyword: string;
  /** Set when the pattern is case-sensitive: the keyword as it must be spelt. */
  literal: string | undefined;
  minOffset: number;
  /** Undefined: any distance on the keyword's line (sameLine is then true). */
  maxOffset: number | undefined;
  /** A match starts on the keyword's line. */
  sameLine: boolean;
  /** The character before the keyword, in any match, is not in this class (anchor.ts, AnchorKeyword.notAfter). */
  notAfter: RegExp | undefined;
}

/**
 * A rule of the generic detector: an entropy rule (values judged by their charset's entropy floor)
 * or a password rule (values judged as passwords a person chose, passwords.ts). Both find their
 * candidates the same way (entropy.ts's assignments), so both compile to this kind.
 */
export interface CompiledEntropyRule extends CompiledBase {
  kind: "entropy";
  values: "random" | "password";
  /** Operator and value of a `name = value` candidate; groups: the value. Sticky: tried only at the end of a name holding a keyword (see entropy.ts). */
  regex: RegExp;
  /** The same for a key in a configuration file (config-files.ts), where a bare value runs to the next space, brackets and all. */
  configRegex: RegExp;
  charsets: { base64?: { minLength: number; threshold: number }; hex?: { minLength: number; threshold: number } };
  /** The paths it does not run on (its skipPaths as one regex); undefined when it runs everywhere. */
  skipPaths?: RegExp;
}

export type CompiledRule = CompiledRegexRule | CompiledEntropyRule;

/**
 * A rules file: TOML text, or its rules already parsed, validated and checked, each with its anchor
 * worked out (the default rules, at build time).
 */
export type RuleSource = RuleFileText | { file: string; checked: CheckedRuleDef[] } | { file: string; checked: (CheckedRuleDef | DeferredRuleDef)[] };

export interface RuleFileText {
  /** File name shown in errors. */
  file: string;
  text: string;
}

/** A rule checked at build time, with its pattern's anchor (null: it has none; always null for an entropy rule). */
export interface CheckedRuleDef {
  def: RuleDef;
  anchor: Anchor | null;
}

/**
 * A regex rule checked at build time, as a bundle carries it: the fields that building a rule set reads
 * of every rule, and the rest as the JSON of its CheckedRuleDef, parsed when the rule is first used. A
 * scan of a few files (a pre-commit hook's) uses a handful of the hundreds of rules: parsing them all,
 * and keeping them, cost every start several milliseconds and a young-generation collection.
 */
export interface DeferredRuleDef {
  id: string;
  /** Lower-cased. */
  keywords: string[];
  report: boolean;
  validate?: string;
  requires?: { rule: string; within: number };
  onlyPaths?: string[];
  /** JSON of the rule's CheckedRuleDef, its pattern's named parts written as calls (default-rules.ts). */
  detail: string;
}

/** A deferred rule's CheckedRuleDef, read from its details: the pattern's named parts expanded (fragments.ts). */
export function deferredRuleDef(detail: string): CheckedRuleDef {
  const { def, anchor } = JSON.parse(detail) as CheckedRuleDef;
  return { def: def.kind === "regex" ? { ...def, pattern: expandFragments(def.pattern) } : def, anchor };
}

/** A rule definition and the file it came from; `checked` when its pattern already passed compilePattern's checks. */
export interface ParsedRuleDef {
  def: RuleDef;
  source: string;
  checked?: boolean;
  /** The pattern's anchor from the build (null: it has none); when undefined, compiling the rule finds it. */
  anchor?: Anchor | null;
}

/** A rule as parseRuleFiles gives it: parsed, or a deferred default rule and its file. */
export type SourcedRuleDef = ParsedRuleDef | { deferred: DeferredRuleDef; source: string };

/** The id of a sourced rule, without parsing a deferred one. */
export const sourcedRuleId = (entry: SourcedRuleDef): string => ("deferred" in entry ? entry.deferred.id : entry.def.id);

/** The kind of a sourced rule (a deferred one is a regex rule). */
export const sourcedRuleKind = (entry: SourcedRuleDef): RuleDef["kind"] => ("deferred" in entry ? "regex" : entry.def.kind);

/** Parses rules files (TOML) into validated rule definitions; throws UsageError naming file and rule. */
export function parseRuleFiles(sources: readonly (RuleFileText | { file: string; checked: CheckedRuleDef[] })[]): ParsedRuleDef[];
export function parseRuleFiles(sources: readonly RuleSource[]): SourcedRuleDef[];
export function parseRuleFiles(sources: readonly RuleSource[]): SourcedRuleDef[] {
  const out: SourcedRuleDef[] = [];
  // Rule files read from TOML may not give two rules one id: one would shadow the other unseen. (Rules
  // precompiled by the build were read from TOML there, and checked then.)
  const fileOfId = new Map<string, string>();
  for (const source of sources) {
    const file = source.file;
    if ("checked" in source) {
      for (const entry of source.checked) out.push("detail" in entry ? { deferred: entry, source: file } : { def: entry.def, source: file, checked: true, anchor: entry.anchor });
      continue;
    }
    const data = parseTomlFile(source.text, file);
    const shape = schemas().rulesFileSchema.safeParse(data);
    if (!shape.success) throw new UsageError(`${file}: ${describeIssue(shape.error, ["rule"])}`);
    for (const raw of shape.data.rule) {
      const def = parseRuleDef(raw, file);
      const other = fileOfId.get(def.id);
      if (other !== undefined) throw new UsageError(`${file}: rule "${def.id}": ${other} has a rule with this id already`);
      fileOfId.set(def.id, file);
      out.push({ def, source: file });
    }
  }
  return out;
}

/** Validates one rule table (already parsed from TOML); a pattern's named parts (fragments.ts) are expanded. */
export function parseRuleDef(raw: unknown, file: string): RuleDef {
  const table = (raw ?? {}) as Record<string, unknown>;
  const id = typeof table.id === "string" ? table.id : "(no id)";
  const withKind = table.kind === undefined ? { ...table, kind: "regex" } : table;
  const result = schemas().ruleSchema.safeParse(withKind);
  if (!result.success) {
    throw new UsageError(`${file}: rule "${id}": ${describeIssue(result.error, ruleKeys(table.kind))}`);
  }
  const def = result.data;
  return def.kind === "regex" ? { ...def, pattern: expandFragments(def.pattern) } : def;
}

function ruleKeys(kind: unknown): string[] {
  const common = ["id", "name", "description", "severity", "keywords", "remediation", "tags", "allow", "examples", "report", "verify"];
  if (kind === "entropy") return [...common, "kind", "charsets", "skipPaths"];
  if (kind === "password") return [...common, "kind", "skipPaths"];
  return [...common, "kind", "pattern", "secretGroup", "minEntropy", "validate", "requires", "onlyPaths"];
}

/** The schema problem to tell: an unknown key first (`patern = ...` is a misspelling more than a missing `pattern`). */
export function firstIssue(error: z.core.$ZodError): z.core.$ZodIssue | undefined {
  return error.issues.find((issue) => issue.code === "unrecognized_keys") ?? error.issues[0];
}

/** One sentence for the first schema problem, with a "did you mean" for unknown keys. */
export function describeIssue(error: z.core.$ZodError, knownKeys: readonly string[]): string {
  const issue = firstIssue(error);
  if (!issue) return "invalid";
  const where = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0] ?? "";
    const hint = nearest(key, knownKeys);
    return `${where}unknown key "${key}"${hint ? ` (did you mean "${hint}"?)` : ""}`;
  }
  return `${where}${issue.message}`;
}

/** Compiles validated definitions; later definitions with the same id replace earlier ones. */
export function compileRules(defs: readonly SourcedRuleDef[]): CompiledRule[] {
  const byId = new Map<string, CompiledRule>();
  for (const entry of defs) {
    byId.set(sourcedRuleId(entry), "deferred" in entry ? new LazyRegexRule(entry.deferred, entry.source, entry.deferred.detail) : compileRule(entry.def, entry.source, entry.checked ?? false, entry.anchor));
  }
  const rules = [...byId.values()];
  for (const rule of rules) {
    if (rule.kind === "regex" && rule.requires && !byId.has(rule.requires.rule)) {
      throw new UsageError(`${rule.source}: rule "${rule.id}": requires unknown rule "${rule.requires.rule}"`);
    }
  }
  return rules;
}

function compileRule(def: RuleDef, source: string, checked: boolean, knownAnchor: Anchor | null | undefined): CompiledRule {
  const fail = (what: string): never => {
    throw new UsageError(`${source}: rule "${def.id}": ${what}`);
  };
  const base = {
    id: def.id,
    name: def.name,
    severity: def.severity,
    keywords: def.keywords.map((keyword) => keyword.toLowerCase()),
    remediation: def.remediation,
    report: def.report,
    allow: def.allow ? compileAllow(def.allow, fail, { checked }) : undefined,
    verify: def.verify,
    source,
    def,
  };
  if (def.kind === "entropy" || def.kind === "password") {
    if (def.keywords.length === 0) fail(`${def.kind === "entropy" ? "an entropy" : "a password"} rule needs assignment keywords`);
    const values = def.kind === "entropy" ? "random" : "password";
    return {
      ...base,
      kind: "entropy",
      values,
      regex: assignmentRegex(values, false),
      configRegex: assignmentRegex(values, true),
      charsets: def.kind === "entropy" ? def.charsets : {},
      ...(def.skipPaths.length > 0 ? { skipPaths: compilePaths(def.skipPaths, "skipPaths", fail) } : {}),
    };
  }
  if (def.keywords.length === 0 && def.onlyPaths.length === 0) fail("keywords: give at least one keyword for the prefilter (or onlyPaths)");
  if (def.validate && !validatorNames.includes(def.validate)) {
    fail(`validate: unknown validator "${def.validate}" (known: ${validatorNames.join(", ")})`);
  }
  const { details, regex } = compileRegexDetails(def, source, checked, knownAnchor);
  const summary = { id: def.id, keywords: base.keywords, report: def.report, validate: def.validate, requires: def.requires, onlyPaths: def.onlyPaths };
  return new LazyRegexRule(summary, source, details, regex);
}

/** What a regex rule holds beyond the fields every rule set reads of every rule (RegexRuleSummary). */
interface RegexRuleDetails {
  def: RegexRuleDef;
  name: string;
  severity: Severity;
  remediation: string;
  allow: CompiledAllow | undefined;
  verify: string | undefined;
  anchored: AnchoredSearch | undefined;
  secretGroup: number;
  minEntropy: number | undefined;
}

/** What building a rule set reads of every regex rule: a deferred rule's fields (DeferredRuleDef). */
interface RegexRuleSummary {
  id: string;
  /** Lower-cased. */
  keywords: string[];
  report: boolean;
  validate?: string | undefined;
  requires?: { rule: string; within: number } | undefined;
  onlyPaths?: string[] | undefined;
}

/**
 * A regex rule's details, its pattern checked unless `checked`. Default rules were checked when the
 * bundle was built, so no start pays for the checks again, and their RegExps are made when first used
 * (`regex` is then undefined): V8 parses a pattern as it makes the RegExp, and a scan of a few files (a
 * pre-commit hook's) runs few of the hundreds of rules. They carry their secret group too
 * (precompiledRules), as counting groups compiles the regex.
 */
function compileRegexDetails(
  def: RegexRuleDef,
  source: string,
  checked: boolean,
  knownAnchor: Anchor | null | undefined,
): { details: RegexRuleDetails; regex: RegExp | undefined } {
  const fail = (what: string): never => {
    throw new UsageError(`${source}: rule "${def.id}": ${what}`);
  };
  const regex = checked ? undefined : compilePattern(def.pattern, fail);
  const secretGroup = checked && def.secretGroup !== undefined ? def.secretGroup : secretGroupOf(regex ?? toRegExp(def.pattern), def.secretGroup, fail);
  // Default rules bring their anchor from the build: found at each start, every thread would pay for
  // V8 optimising the pattern reader.
  const anchor = knownAnchor === undefined ? findAnchor(def.pattern, def.keywords) : (knownAnchor ?? undefined);
  const details: RegexRuleDetails = {
    def,
    name: def.name,
    severity: def.severity,
    remediation: def.remediation,
    allow: def.allow ? compileAllow(def.allow, fail, { checked }) : undefined,
    verify: def.verify,
    anchored: anchor ? new LazyAnchoredSearch(def.pattern, anchor) : undefined,
    secretGroup,
    minEntropy: def.minEntropy,
  };
  return { details, regex };
}

/**
 * A regex rule whose RegExps are made when first used, and whose details (RegexRuleDetails), for a
 * deferred default rule (DeferredRuleDef), are parsed when first read. A class, not an object literal
 * with getters: a getter in a literal gives each object a hidden class of its own, which cost every
 * start ~10 µs a rule (hundreds of them) and left each read of a rule's fields megamorphic.
 */
class LazyRegexRule implements CompiledRegexRule {
  readonly kind = "regex";
  id: string;
  keywords: string[];
  report: boolean;
  validate: string | undefined;
  requires: { rule: string; within: number } | undefined;
  onlyPaths: RegExp | undefined;
  source: string;
  /** The details once at hand. */
  private known: RegexRuleDetails | undefined;
  /** A deferred rule's CheckedRuleDef as JSON, until its details are first read. */
  private readonly detail: string | undefined;
  /** The pattern's RegExp once made. */
  private made: RegExp | undefined;

  constructor(summary: RegexRuleSummary, source: string, details: RegexRuleDetails | string, regex?: RegExp) {
    this.id = summary.id;
    this.keywords = summary.keywords;
    this.report = summary.report;
    this.validate = summary.validate;
    this.requires = summary.requires;
    this.onlyPaths = summary.onlyPaths?.length ? compilePaths(summary.onlyPaths, "onlyPaths", (what) => {
      throw new UsageError(`${source}: rule "${summary.id}": ${what}`);
    }) : undefined;
    this.source = source;
    this.known = typeof details === "string" ? undefined : details;
    this.detail = typeof details === "string" ? details : undefined;
    this.made = regex;
  }

  private details(): RegexRuleDetails {
    if (this.known) return this.known;
    const { def, anchor } = deferredRuleDef(this.detail as string);
    return (this.known = compileRegexDetails(def as RegexRuleDef, this.source, true, anchor).details);
  }

  get def(): RegexRuleDef {
    return this.details().def;
  }

  get name(): string {
    return this.details().name;
  }

  get severity(): Severity {
    return this.details().severity;
  }

  get remediation(): string {
    return this.details().remediation;
  }

  get allow(): CompiledAllow | undefined {
    return this.details().allow;
  }

  get verify(): string | undefined {
    return this.details().verify;
  }

  get anchored(): AnchoredSearch | undefined {
    return this.details().anchored;
  }

  get secretGroup(): number {
    return this.details().secretGroup;
  }

  get minEntropy(): number | undefined {
    return this.details().minEntropy;
  }

  get regex(): RegExp {
    return (this.made ??= toRegExp(this.details().def.pattern));
  }
}

/** An anchored rule's search (AnchoredSearch), its sticky RegExp made when first used. */
class LazyAnchoredSearch implements AnchoredSearch {
  keywords: AnchoredKeyword[];
  lineStart: boolean;
  private readonly pattern: string;
  private made: RegExp | undefined;

  constructor(pattern: string, anchor: Anchor) {
    this.keywords = anchor.keywords.map(({ literal, minOffset, maxOffset, sameLine, caseless, notAfter }) => ({
      keyword: literal.toLowerCase(),
      literal: anchor.caseSensitive && !caseless ? literal : undefined,
      minOffset,
      maxOffset,
      sameLine,
      notAfter: notAfter === undefined ? undefined : new RegExp(notAfter, anchor.caseSensitive ? "" : "i"),
    }));
    this.lineStart = anchor.lineStart;
    this.pattern = pattern;
  }

  get sticky(): RegExp {
    if (this.made) return this.made;
    const regex = toRegExp(this.pattern);
    return (this.made = new RegExp(regex.source, regex.flags.replace("g", "y")));
  }
}

/**
 * A copy of `rule` with some fields changed, of the same kind: a regex rule's copy still makes its
 * RegExps when first used (an object spread would leave out what its class provides).
 */
export function withFields<Rule extends CompiledRule>(rule: Rule, fields: Partial<CompiledBase>): Rule {
  // Properties defined, not assigned: a field the class reads through a getter (a regex rule's details)
  // is then replaced too, by a property of the copy's own.
  const copy = Object.create(Object.getPrototypeOf(rule) as object, Object.getOwnPropertyDescriptors(rule)) as Rule;
  for (const [key, value] of Object.entries(fields)) Object.defineProperty(copy, key, { value, writable: true, enumerable: true, configurable: true });
  return copy;
}

/** A rule's skipPaths or onlyPaths as one case-insensitive regex. */
function compilePaths(patterns: readonly string[], field: string, fail: (what: string) => never): RegExp {
  try {
    return new RegExp(patterns.map((pattern) => `(?:${pattern})`).join("|"), "i");
  } catch (error) {
    return fail(`${field}: ${(error as Error).message}`);
  }
}

/** A rule pattern as a RegExp; a leading `(?i)` (gitleaks/Go syntax) becomes the `i` flag. Throws on invalid syntax. */
function toRegExp(pattern: string): RegExp {
  const { source, insensitive } = withoutInlineFlag(pattern);
  return new RegExp(source, insensitive ? "gdi" : "gd");
}

/** Compiles a rule pattern, refusing one that matches the empty string or can backtrack catastrophically. */
export function compilePattern(pattern: string, fail: (what: string) => never): RegExp {
  try {
    const regex = toRegExp(pattern);
    if (regex.test("")) fail("pattern matches the empty string");
    const risky = catastrophicPart(withoutInlineFlag(pattern).source, regex.flags);
    if (risky) fail(`pattern can backtrack catastrophically at ${risky}: make the repeated part unambiguous`);
    return regex;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    return fail(`invalid pattern: ${firstLine(error)}`);
  }
}

/**
 * An allow list compiled. Its regexes run on every finding's secret, so they get the same backtracking
 * check as rule patterns (`checked`: a default rule's, done when the bundle was built).
 */
export function compileAllow(allow: AllowListDef, fail: (what: string) => never, { checked = false } = {}): CompiledAllow {
  return {
    regexes: allow.regexes.map((pattern) => {
      const { source, insensitive } = withoutInlineFlag(pattern);
      let regex: RegExp;
      let risky: string | undefined;
      try {
        regex = new RegExp(source, insensitive ? "i" : "");
        risky = checked ? undefined : catastrophicPart(source, regex.flags);
      } catch (error) {
        return fail(`allow.regexes: invalid pattern ${JSON.stringify(pattern)}: ${firstLine(error)}`);
      }
      if (risky) fail(`allow.regexes: pattern ${JSON.stringify(pattern)} can backtrack catastrophically at ${risky}: make the repeated part unambiguous`);
      return regex;
    }),
    stopwords: allow.stopwords.map((word) => word.toLowerCase()),
    paths: allow.paths,
  };
}

/** The group holding the secret: the one given, else the first group (or the whole match, when there are none). */
function secretGroupOf(regex: RegExp, given: number | undefined, fail: (what: string) => never): number {
  const groups = countGroups(regex);
  const secretGroup = given ?? (groups > 0 ? 1 : 0);
  if (secretGroup > groups) fail(`secretGroup ${secretGroup} but the pattern has ${groups} groups`);
  return secretGroup;
}

function countGroups(regex: RegExp): number {
  // A regex that also matches the empty string at the end reveals its group count.
  const probe = new RegExp(`${regex.source}|`, regex.flags.replace("g", ""));
  return (probe.exec("")?.length ?? 1) - 1;
}

/**
 * The shortest password the generic detector reports as one a person chose. Login forms and password
 * policies have asked for 6 characters or more for decades, and the literals of 4 or 5 characters
 * assigned to password names in code are test stand-ins (`test`, `1234`, `abcd`, `pass1`) far more
 * often than credentials. (Where the place alone says it is a password, a URL or a `-p` option, the
 * rules take 3 characters and up.)
 */
export const PASSWORD_MIN_LENGTH = 6;

/**
 * What stands between a value and the key a Cocoa call stores it under, up to the key's opening quote
 * (`", forKey:@"`, `" forHTTPHeaderField:@"`): the assignment regex's keyedBefore, and passwords.ts's
 * reading of which form the value takes.
 */
export const COCOA_KEY_LABEL = `\\s{0,8},?\\s{0,8}for(?:Key|HTTPHeaderField)\\s{0,8}:\\s{0,8}@?["']`;

/**
 * The methods that give a lookup a default after its call (Rust's `unwrap_or`, Java's `orElse`, Scala's
 * `getOrElse`): the assignment regex reads the literal inside, and the password judge (passwords.ts) takes it.
 */
export const FALLBACK_METHODS = "unwrap_or(?:_else)?|or_else|orElse(?:Get)?|getOrElse";

/**
 * YAML's block scalar after a key, up to its value's indented line (`password: |`, `api_token: >-`): the
 * assignment regex reads the value there, and the password judge (passwords.ts) takes it as a bare value.
 */
export const YAML_BLOCK_SCALAR = `[ \\t]*:[ \\t]*[|>][-+]?[1-9]?[ \\t]*\\r?\\n[ \\t]+`;

/**
 * Calls that turn a literal into key material or wrap it as a secret, the literal their first argument:
 * the value assigned is the literal's (`const jwtSecret = Buffer.from("…")`). Go's `[]byte("…")`, Node's
 * `Buffer.from("…")`, the Web Crypto and jose idiom `new TextEncoder().encode("…")`, C#'s
 * `Encoding.UTF8.GetBytes("…")`, Python's `bytes("…", "utf-8")` and pydantic's `SecretStr("…")`, Rust's
 * `String::from("…")` and the secrecy crate's `SecretString::new("…")`, Java's `new SecretKeySpec("…".getBytes(), …)`,
 * and `JSON.stringify("…")`, as Vite's `define` and webpack's DefinePlugin take a value to inline.
 */
const LITERAL_CONVERSIONS = [
  "\\[\\]byte\\(",
  "Buffer\\.from\\(",
  "new\\s+TextEncoder\\(\\)\\.encode\\(",
  "Encoding\\.(?:UTF8|ASCII|Default)\\.GetBytes\\(",
  "bytes\\(",
  "Secret(?:Str|Bytes)\\(",
  "(?:String|Secret(?:String|Box)?)::(?:from|new)\\(",
  "new\\s+SecretKeySpec\\(",
  "JSON\\.stringify\\(",
].join("|");

/**
 * What follows the name of a `name = value` candidate for the entropy detector: an assignment
 * operator and a quoted or bare value (the first group that takes part holds the value).
 * Sticky: tried only at the end of a name that holds a keyword (entropy.ts finds the names), so
 * it never runs over the words of the text. No two adjacent quantifiers can share a character,
 * and every lookbehind runs only after the character that follows it matched: one try takes
 * time linear in the text it reads, and reads no further than the next quote or space.
 * Case-sensitive: the words it holds are written as the languages write them (`[Vv]alue` where YAML
 * and JSON keys come in both). The `i` flag made V8 fold the case of every character class while
 * compiling it: 3.6–4.5 ms a compile against 1.5–1.8 ms without, paid again by every run for each of
 * the four it uses (a pre-commit hook's scan of a few small files compiles two to four).
 */
function assignmentRegex(values: "random" | "password", configFile: boolean): RegExp {
  // What may close a name used as a key or an argument: a quote, `]` (ENV['X']), Perl's `}` ($ENV{X}),
  // `)` (getenv("X")).
  const close = `["'\`]?[\\]}]?\\)?`;
  // An array's brackets after the name of a C string (`char secret[25] = "…"`, `secret[] = "…"`).
  const arrayLength = `(?:\\[\\d{0,6}\\])?`;
  // A type between name and operator (`: &str =`, `: String =`, Go's `string =`, Visual Basic's `Dim apiKey As String =`).
  const type = `(?:\\s*(?::\\s*)?&?(?:'static\\s+)?(?:[Ss]tr(?:ing)?|\\[\\]byte)\\b|\\s+[Aa]s\\s+[Ss]tring\\b)?`;
  // Operators of the languages people write configuration in: PHP's `.=`, make's `::=` `:::=`
  // `?=` `+=`, Ruby's `||=`, Go's `:=`, R's `<-` and `<<-`, `=>`, YAML's `:`, XML's `key="name" value=` (and
  // Android's `android:name="…" android:value=`, a namespaced attribute), a shell default's
  // `:-` (`${API_TOKEN:-…}`: the value after the dash), and a fallback after a lookup of the name:
  // JavaScript's `|| "…"` and `?? "…"`, the `?: "…"` of PHP, Kotlin and Groovy, Python's and Ruby's
  // `or "…"` (only before a quote: `or` is a word), and a template's `| default("…")` (Jinja, Helm).
  // A lone `:` is YAML's; `::` is a scope (Java's `Encoder::of`, Rust's `Token::new`). A comparison
  // with a literal (`if (api_key == "…")`, `!==`) checks a hard-coded secret: it is one too. After a
  // call's `)`, `=>` is an arrow or a result (`hmac('', 'test_secret') => 'f7f9…'`), not an assignment.
  const operator = `(?::::?=|:=|:-|<<?-(?!-)|(?<!\\)\\s*)=>|\\.=|[=!]==?|[|?+]{0,2}=|\\|\\||\\?\\?|\\?:|or(?=[ \\t]+["'])|\\|[ \\t]*default\\b[ \\t]*\\(?|:(?!:)|(?:[A-Za-z]{1,16}:)?[Vv]alue=)`;
  // The value on the next line, under a name given alone: a Kubernetes env entry (`- name: API_TOKEN`
  // then `value: …`), a TOML table (`[api_secret]` then `value = …`), a Terraform variable
  // (`variable "db_password" {` then `default = …`, after up to four description/type lines), and the
  // same in JSON (`"name": "API_TOKEN",` then `"value": …`).
  const nextLine = `${close}[ \\t]*(?:,[ \\t]*)?(?:\\{[ \\t]*)?\\r?\\n(?:[ \\t]*["']?(?:description|type|sensitive|nullable)\\b[^\\n]{0,200}\\n){0,4}[ \\t]*["']?(?:[Vv]alue|[Dd]efault)["']?[ \\t]*[:=][ \\t]*`;
  // C#'s auto-property with an initialiser: `public string ApiKey { get; set; } = "…";`.
  const autoProperty = `[ \\t]*\\{[ \\t]*get;[ \\t]*(?:(?:private[ \\t]+|protected[ \\t]+|internal[ \\t]+)?(?:set|init);[ \\t]*)?\\}[ \\t]*=[ \\t]*`;
  const blockScalar = `${close}${YAML_BLOCK_SCALAR}`;
  // A type annotation between name and `=`, as Python, TypeScript and Kotlin write one: a type's name
  // with parameters and unions (`API_TOKEN: Final = …`, `api_token: Optional[str] = …`, `str | None`,
  // `apiToken?: string | undefined = …`, Kotlin's `String? =`). Only before a lone `=`: after a name and
  // a colon, anything else is YAML's or an object's value (a line with no `=` soon after the colon is
  // passed over at once).
  const typeName = `[A-Za-z_][\\w.]*(?:\\[[\\w., |\\[\\]]{0,60}\\])?`;
  const annotated = `${close}\\??[ \\t]*:(?=[^\\n=:]{1,80}=)[ \\t]*${typeName}(?:[ \\t]*\\|[ \\t]*${typeName}){0,3}\\??[ \\t]*=(?!=)[ \\t]*`;
  // A name and its value as two members of one JSON object on one line: an ECS task definition's or an
  // ARM template's `{"name": "API_TOKEN", "value": "…"}`, a Postman environment's `{"key": "api_token", "value": "…"}`.
  const pairValue = `["']\\s*,\\s*["'][Vv]alue["']\\s*:\\s*`;
  // No operator, a space or tab: Dockerfile's `ENV NAME value`, config files (`api_key abc…`, a
  // .netrc's `password …`), a Ruby DSL's `api_secret '…'`.
  const space = `[ \\t]+`;
  // XML's `<name>value</name>`: the value is an element's only when its closing tag follows. A name in
  // angle brackets followed by anything else is prose's stand-in for a value (`TOKEN=<random-secret>`
  // then the next line, `postgres://user:<password>@host`), not an element.
  const xmlElement = `>(?<=<[\\w.:-]+>)`;
  // An element named by its `name` or `key` attribute, its text the value: Android's `<string
  // name="api_key">…</string>`, a Java properties XML's `<entry key="api.token">…</entry>`.
  const attributeElement = `["']>(?<=\\b(?:name|key)=["'][\\w.:-]{1,128}["']>)`;
  // A property list's entry: the name in `<key>…</key>`, the value in the `<string>` after it (an iOS
  // app's Info.plist, a macOS preference file).
  const plistEntry = `<\\/key>(?<=<key>[\\w.:-]{1,128}<\\/key>)\\s{0,200}<string>`;
  const closingTag = `(?=\\s*<\\/)`;
  // A quoted value may carry a literal's prefix: C#'s @"", Python's b"" r"" u"", TypeScript's old type
  // assertion `<string>""`, or be converted to bytes or a secret by a call (LITERAL_CONVERSIONS).
  // A quoted value may hold escapes (`\\5`, `\\"` in a key drawn from punctuation), but not an escaped
  // line break (`\\n`, `\\r`) or tab: a string holding lines of text, as an .env file's, is no one
  // value (a name inside it is found on its own, and a bare value ends at any backslash).
  // At most 1,000 characters: the detector skips longer lines, and a bound keeps V8's backtracking
  // stack small on a 10 MB word (a longer bare value is cut, and its line skipped).
  // A string literal inside single quotes (`'"…"'`) is a value written as source code, as Gradle's
  // buildConfigField takes it: the value is inside both (inside escaped quotes, `"\\"…\\""`, the
  // value read is trimmed of them: entropy.ts).
  const prefix = `(?:[@bBrRuU]|<[Ss]tring>\\s*|${LITERAL_CONVERSIONS})?`;
  // Nor before a capital N, R or T: a PHP class path given as a form field's type
  // (`'password', '…\\Core\\Type\\RepeatedType'`) is names, not a password (three in symfony's tests).
  const escape = `\\\\[^\\snrtNRT]`;
  const min = values === "password" ? PASSWORD_MIN_LENGTH : 8;
  const literal = `"((?:[^"\\s\\\\]|${escape}){${min},1000})"|'"((?:[^'"\\s\\\\]|${escape}){${min},1000})"'|'((?:[^'\\s\\\\]|${escape}){${min},1000})'`;
  // A triple-quoted string, Python's and TOML's (`"""…"""`, `'''…'''`), the value alone in it: TOML's multi-line
  // string trims the line break right after its opening quotes.
  const tripleQuoted = `"""\\r?\\n?((?:[^"\\s\\\\]|${escape}){${min},1000})"""|'''\\r?\\n?((?:[^'\\s\\\\]|${escape}){${min},1000})'''`;
  const quoted = `${prefix}(?:${literal}|\`((?:[^\`\\s\\\\]|${escape}){${min},1000})\`|${tripleQuoted})`;
  // A bare value in a URL's query string ends where the next parameter starts (`?token=…&pin=1`):
  // `&` and a parameter's name and `=`. A lone `&` stays in the value, as passwords hold one.
  // In code a bare value may hold closing brackets: a value typed from punctuation closes brackets it
  // never opened (`m{{h}o)p…`); those at its end that close nothing of its own are the code around it,
  // and assignments() leaves them out. A closer first closes what the text around opened (rdoc's
  // `{self.primary_key=}[…]`): no value starts so.
  // In a configuration file a bare value is literal text (config-files.ts): it ends only at a space
  // (what follows must be an inline comment) or a backslash, and starts with no quote. A `;` that ends
  // the line ends the statement (nginx's and other `.conf` formats', a shell's in an .env file), as
  // one before an INI comment does: it is not the value's. So does a `,` that ends the line, or comes
  // before a ` #` comment: it separates members (a YAML flow mapping's or a HOCON object's over several
  // lines, `password: …,`).
  const bare = configFile
    ? `((?![\"'\`])(?:[^\\s\\\\&;,]|;(?![ \\t\\r]*(?:\\n|$))|,(?![ \\t\\r]*(?:\\n|$)|[ \\t]+#)|&(?!\\w{1,64}=)){${min},1000})`
    : `((?![)\\]}])(?:[^\\s"'\`,;<\\\\&]|&(?!\\w{1,64}=)){${min},1000})`;
  // A name given as an argument with its value next to it: define('X', '…'), setProperty("X", "…"), a
  // lookup's default given by position or by name (`getenv("X", "…")`, django-environ's and
  // python-decouple's `env("X", default="…")`, configparser's `fallback=`), or as the next argument
  // after the lookup (Go's `cmp.Or(os.Getenv("X"), "…")`).
  // A credential built from a user and a secret: NetworkCredential("user", "…").
  const argument = `["'\`]\\)?\\s*,\\s*(?:(?:default|fallback)\\s*[=:]\\s*)?(?:${literal})`;
  // A default given after the lookup's call: Ruby's block (`ENV.fetch("X") { "…" }`), Rust's
  // `.unwrap_or("…")` and `.unwrap_or_else(|_| String::from("…"))`, Java's `.orElse("…")` and
  // `.orElseGet(() -> "…")` (also after `Optional.ofNullable(…)`), Scala's `.getOrElse("…")`.
  const closure = `(?:\\|[\\w\\s]{0,16}\\||\\(\\)\\s*->)\\s*`;
  const fallbackCall = `\\.(?:${FALLBACK_METHODS})\\(\\s*(?:${closure})?(?:String::from\\(\\s*)?`;
  const fallback = `["'\`]\\){1,2}\\s*(?:\\{\\s*(?:${literal})\\s*\\}|${fallbackCall}(?:${literal}))`;
  // A two-member tuple in braces, the name an atom: Erlang's `{api_key, "…"}`, Elixir's `{:api_key, "…"}`.
  // The brace before the name is looked for only once a comma follows the name.
  const tuple = `[ \\t]*,(?<=\\{[ \\t]*:?[\\w.-]{1,128}[ \\t]*,)[ \\t]*(?:${literal})(?=[ \\t]*\\})`;
  const userAndSecret = `\\(\\s*(?:"[^"\\n\\\\]{0,200}"|'[^'\\n\\\\]{0,200}')\\s*,\\s*(?:${literal})`;
  // A literal alone in parentheses after the operator: black wraps a long string so (`API_TOKEN = (` then
  // the literal on its own line, then `)`).
  const parenthesized = `${close}${arrayLength}${type}\\s*${operator}\\s*\\(\\s*(?:${quoted})(?=\\s*\\))`;
  const value = `(?:${quoted}|${bare})`;
  const forms = `(?:${nextLine}|${blockScalar}|${pairValue}|${autoProperty}|${annotated}|${close}${arrayLength}${type}\\s*${operator}\\s*|${space})${value}|(?:${xmlElement}|${attributeElement}|${plistEntry})\\s*${value}${closingTag}|${parenthesized}|${argument}|${tuple}|${fallback}`;
  // A literal may be compared before the name (`if ("…" == password)`, `if ("…" === private_key)`),
  // looked for behind the name: the lookbehind runs only at a name's end, once the forms after it
  // failed, and reads back at most the name, the operator and one literal.
  const literalBefore = `"([^"\\s\\\\]{${min},128})"|'([^'\\s\\\\]{${min},128})'`;
  const comparedBefore = `(?<=(?:${literalBefore})\\s{0,8}[=!]==?\\s{0,8}[\\w.-]{1,128})`;
  // A literal stored under a key named after it, in Cocoa's calls (Objective-C's and Swift's), where the
  // value comes first: a dictionary's or the user defaults' `setObject:@"…" forKey:@"api_secret"` or
  // `set("…", forKey: "apiToken")`, a request's `setValue:@"…" forHTTPHeaderField:@"X-Api-Token"`.
  // Looked for behind the name as a comparison is, reading back the key's string, its label and one literal.
  const keyedBefore = `(?<=(?:${literalBefore})${COCOA_KEY_LABEL}[\\w.-]{0,128})`;
  // A random literal given alone to a call on the name: C++'s direct initialisation
  // (`std::string api_secret("…")`) and assignment (`token.assign("…", 32)`, a length after it).
  const initialiser = `\\(\\s*(?:${literal})\\s*(?:,\\s*\\d{1,6}\\s*)?\\)`;
  if (values === "random") return new RegExp(`${forms}|${userAndSecret}|${initialiser}|${comparedBefore}|${keyedBefore}`, "yd");
  // A password's judge has no use for the user-and-secret call: its names are credentials' (above),
  // while a call named for a password takes other arguments (`hash_password("123", "sha256")`).
  // A password is also given to a call on its name: a setter or builder (`setPassword("…")`,
  // `.password("…")`) or Java's and C#'s comparison (`password.equals("…")`); passwords.ts tells
  // which calls count.
  const call = `\\(\\s*(?:${literal})\\s*\\)`;
  return new RegExp(`${forms}|${call}|${comparedBefore}|${keyedBefore}`, "yd");
}

/** Parses TOML; a syntax error becomes one sentence naming the file, line and column (as editors take them: file:line:column). */
export function parseTomlFile(text: string, file: string): unknown {
  try {
    return parseToml(text);
  } catch (error) {
    const where = error instanceof TomlError ? `${file}:${error.line}:${error.column}` : file;
    throw new UsageError(`${where}: invalid TOML: ${firstLine(error).replace(/^Invalid TOML document: /, "")}`);
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0] ?? message;
}

/** True when the allow list (a rule's or the config's) lets the secret through. */
export function isAllowedSecret(allow: CompiledAllow | undefined, secret: string): boolean {
  if (!allow) return false;
  if (allow.regexes.some((regex) => regex.test(secret))) return true;
  const lower = secret.toLowerCase();
  return allow.stopwords.some((word) => lower.includes(word));
}
