// The rule format, as a schema: the default rules in rules/*.toml and a user's keyscan.toml share it.
import { z } from "zod";

const severity = z.enum(["critical", "high", "medium", "low"]);

const allowList = z
  .object({
    /** Regexes tested against the secret; a match means "not a secret". */
    regexes: z.array(z.string()).default([]),
    /** Case-insensitive substrings of the secret that mark it as a placeholder. */
    stopwords: z.array(z.string()).default([]),
    /** picomatch globs matched against the finding's path. */
    paths: z.array(z.string()).default([]),
  })
  .strict();

const examples = z
  .object({
    match: z.array(z.string()).default([]),
    nomatch: z.array(z.string()).default([]),
  })
  .strict();

const charsetThreshold = z
  .object({
    minLength: z.number().int().min(4),
    /** Shannon entropy, bits per character, a value must reach. */
    threshold: z.number().min(0).max(8),
  })
  .strict();

const ruleId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, "rule ids are lower-case letters, digits and '-'");

const common = {
  id: ruleId,
  name: z.string().min(1),
  description: z.string().optional(),
  severity: severity.default("high"),
  /** Cheap prefilter: the rule runs only where one of these occurs (case-insensitive). */
  keywords: z.array(z.string().min(2)).default([]),
  remediation: z.string().default("Revoke the credential, rotate it, and load it from the environment or a secret manager."),
  tags: z.array(z.string()).default([]),
  allow: allowList.optional(),
  examples: examples.default({ match: [], nomatch: [] }),
  /** Set false for a helper rule that only serves another rule's `requires`. */
  report: z.boolean().default(true),
  /** Name of a live check used under --verify. */
  verify: z.string().optional(),
};

export const regexRuleSchema = z
  .object({
    kind: z.literal("regex").default("regex"),
    ...common,
    pattern: z.string().min(1),
    /** Capture group holding the secret: 0 is the whole match; by default the first group if any. */
    secretGroup: z.number().int().min(0).optional(),
    minEntropy: z.number().min(0).max(8).optional(),
    /** Name of an offline check (a checksum or structure) the secret must pass. */
    validate: z.string().optional(),
    /** Report only when the named rule also matches within `within` lines. */
    requires: z
      .object({ rule: ruleId, within: z.number().int().min(0).default(5) })
      .strict()
      .optional(),
  })
  .strict();

export const entropyRuleSchema = z
  .object({
    kind: z.literal("entropy"),
    ...common,
    /** Charsets a candidate value is classified into, each with its own floor. */
    charsets: z
      .object({ base64: charsetThreshold.optional(), hex: charsetThreshold.optional() })
      .strict(),
  })
  .strict();

export const ruleSchema = z.discriminatedUnion("kind", [regexRuleSchema, entropyRuleSchema]);

/** The shape of a rules/*.toml file. */
export const rulesFileSchema = z.object({ rule: z.array(z.unknown()).default([]) }).strict();

export type RegexRuleDef = z.infer<typeof regexRuleSchema>;
export type EntropyRuleDef = z.infer<typeof entropyRuleSchema>;
export type RuleDef = z.infer<typeof ruleSchema>;
export type AllowListDef = z.infer<typeof allowList>;
export { allowList as allowListSchema };
