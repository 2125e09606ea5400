// The rule format, as a schema: the default rules in rules/*.toml and a user's keyscan.toml share it.
// zod/mini rather than "zod": the same validation in a fraction of the bundle, which every CLI and
// worker start loads (README, Performance), so schemas are built with functions.
import en from "zod/v4/locales/en.js";
import * as z from "zod/mini";

// zod/mini carries no messages of its own (every issue would read "Invalid input"): the English ones,
// which users see in config and rule errors, are set once here, where every schema user loads them.
z.config(en());

/** A list of strings, empty when left out. */
export const stringList = () => z._default(z.array(z.string()), []);

/**
 * The schemas, built on first use (schemas()): building them cost every start a few milliseconds, and
 * a start with only the default rules (checked when the bundle was built) and no config validates nothing.
 */
function buildSchemas() {
  const severity = z.enum(["critical", "high", "medium", "low"]);

  const allowList = z.strictObject({
    /** Regexes tested against the secret; a match means "not a secret". */
    regexes: stringList(),
    /** Case-insensitive substrings of the secret that mark it as a placeholder. */
    stopwords: stringList(),
    /** picomatch globs matched against the finding's path. */
    paths: stringList(),
  });

  /**
   * An example the rule must find: its text, or the text with the secret the rule must report in it
   * and the path it is scanned at (some rules skip some paths; "example.txt" by default).
   */
  const matchExample = z.union([
    z.string(),
    z.strictObject({ text: z.string(), secret: z.optional(z.string().check(z.minLength(1))), path: z.optional(z.string().check(z.minLength(1))) }),
  ]);

  /** An example the rule must not find: its text, or the text with the path it is scanned at (for a rule with onlyPaths). */
  const nomatchExample = z.union([z.string(), z.strictObject({ text: z.string(), path: z.optional(z.string().check(z.minLength(1))) })]);

  const examples = z.strictObject({ match: z._default(z.array(matchExample), []), nomatch: z._default(z.array(nomatchExample), []) });

  const charsetThreshold = z.strictObject({
    minLength: z.number().check(z.int(), z.minimum(4)),
    /** Shannon entropy, bits per character, a value must reach. */
    threshold: z.number().check(z.minimum(0), z.maximum(8)),
  });

  const ruleId = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]*$/, "rule ids are lower-case letters, digits and '-'"));

  const common = {
    id: ruleId,
    name: z.string().check(z.minLength(1)),
    description: z.optional(z.string()),
    severity: z._default(severity, "high"),
    /** Cheap prefilter: the rule runs only where one of these occurs (case-insensitive). */
    keywords: z._default(z.array(z.string().check(z.minLength(2))), []),
    remediation: z._default(
      z.string(),
      "Revoke the credential, rotate it, and load it from the environment or a secret manager.",
    ),
    tags: stringList(),
    allow: z.optional(allowList),
    examples: z._default(examples, { match: [], nomatch: [] }),
    /** Set false for a helper rule that only serves another rule's `requires`. */
    report: z._default(z.boolean(), true),
    /** Name of a live check used under --verify. */
    verify: z.optional(z.string()),
  };

  const regexRuleSchema = z.strictObject({
    kind: z._default(z.literal("regex"), "regex"),
    ...common,
    pattern: z.string().check(z.minLength(1)),
    /** Capture group holding the secret: 0 is the whole match; by default the first group if any. */
    secretGroup: z.optional(z.number().check(z.int(), z.minimum(0))),
    minEntropy: z.optional(z.number().check(z.minimum(0), z.maximum(8))),
    /** Name of an offline check (a checksum or structure) the secret must pass. */
    validate: z.optional(z.string()),
    /**
     * Regexes (case-insensitive) of the only paths the rule runs on. With them a rule may have no keywords:
     * it then runs on every file at those paths (a file format that names nothing, as a key pair file).
     */
    onlyPaths: stringList(),
    /** Report only when the named rule also matches within `within` lines. */
    requires: z.optional(
      z.strictObject({ rule: ruleId, within: z._default(z.number().check(z.int(), z.minimum(0)), 5) }),
    ),
  });

  const entropyRuleSchema = z.strictObject({
    kind: z.literal("entropy"),
    ...common,
    /** Charsets a candidate value is classified into, each with its own floor. */
    charsets: z.strictObject({ base64: z.optional(charsetThreshold), hex: z.optional(charsetThreshold) }),
    /** Regexes (case-insensitive) of paths the detector does not run on: lockfiles, checksum lists, source maps. */
    skipPaths: stringList(),
  });

  /**
   * The generic detector's names and assignments (as an entropy rule's), with values judged as
   * passwords a person chose, whatever their entropy (engine/passwords.ts).
   */
  const passwordRuleSchema = z.strictObject({
    kind: z.literal("password"),
    ...common,
    /** Regexes (case-insensitive) of paths the detector does not run on. */
    skipPaths: stringList(),
  });

  const ruleSchema = z.discriminatedUnion("kind", [regexRuleSchema, entropyRuleSchema, passwordRuleSchema]);

  /** The shape of a rules/*.toml file. */
  const rulesFileSchema = z.strictObject({ rule: z._default(z.array(z.unknown()), []) });

  return { allowListSchema: allowList, regexRuleSchema, entropyRuleSchema, passwordRuleSchema, ruleSchema, rulesFileSchema };
}

type Schemas = ReturnType<typeof buildSchemas>;
let built: Schemas | undefined;

export const schemas = (): Schemas => (built ??= buildSchemas());

export type RegexRuleDef = z.infer<Schemas["regexRuleSchema"]>;
export type EntropyRuleDef = z.infer<Schemas["entropyRuleSchema"]>;
export type RuleDef = z.infer<Schemas["ruleSchema"]>;
export type AllowListDef = z.infer<Schemas["allowListSchema"]>;
