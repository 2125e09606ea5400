// keyscan.toml / .keyscan.toml: discovery (scan root upward to the repository root) and validation.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import * as z from "zod/mini";
import { describeIssue, firstIssue, parseRuleDef, parseTomlFile } from "../engine/rules.js";
import type { RuleDef } from "../engine/schema.js";
import { allowListSchema, stringList } from "../engine/schema.js";
import { UsageError } from "../errors.js";

export const CONFIG_NAMES = ["keyscan.toml", ".keyscan.toml"] as const;

export const configSchema = z.strictObject({
  /** Rule ids to turn off. */
  disable: stringList(),
  /** Global allow list: paths (picomatch globs, relative to the repository root), regexes and stopwords. */
  allow: z.optional(allowListSchema),
  /** Custom rules, in the same schema as rules/*.toml; a rule with a default rule's id replaces it. */
  rule: z._default(z.array(z.unknown()), []),
  verify: z.optional(z.strictObject({ endpoints: z._default(z.record(z.string(), z.string()), {}) })),
});

export interface Config {
  /** The file it came from, or undefined when no config file was found. */
  file?: string;
  disable: string[];
  allow: z.infer<typeof allowListSchema>;
  rules: RuleDef[];
  verifyEndpoints: Record<string, string>;
}

/** Valid keys by table, for "did you mean" hints. */
const KNOWN_KEYS: Record<string, string[]> = {
  "": ["disable", "allow", "rule", "verify"],
  allow: ["paths", "regexes", "stopwords"],
  verify: ["endpoints"],
};

export function emptyConfig(): Config {
  return { disable: [], allow: { paths: [], regexes: [], stopwords: [] }, rules: [], verifyEndpoints: {} };
}

/** The first keyscan.toml or .keyscan.toml from `start` up to `stop` (inclusive); `start` alone when stop is undefined. */
export function findConfig(start: string, stop: string | undefined): string | undefined {
  let dir = resolve(start);
  const last = stop ? resolve(stop) : dir;
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    if (dir === last || relative(last, dir).startsWith("..")) return undefined;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function loadConfig(file: string): Config {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new UsageError(`cannot read config file ${file}`);
  }
  return parseConfig(text, file);
}

export function parseConfig(text: string, file: string): Config {
  const data = parseTomlFile(text, file);
  const result = configSchema.safeParse(data);
  if (!result.success) {
    const issue = firstIssue(result.error);
    const key = issue?.code === "unrecognized_keys" ? issue.keys[0] : issue?.path[issue.path.length - 1];
    const line = typeof key === "string" ? lineOfKey(text, key) : undefined;
    const known = KNOWN_KEYS[String(issue?.path[0] ?? "")] ?? [];
    throw new UsageError(`${file}${line ? `:${line}` : ""}: ${describeIssue(result.error, known)}`);
  }
  const parsed = result.data;
  return {
    file,
    disable: parsed.disable,
    allow: parsed.allow ?? { paths: [], regexes: [], stopwords: [] },
    rules: parsed.rule.map((raw) => parseRuleDef(raw, file)),
    verifyEndpoints: parsed.verify?.endpoints ?? {},
  };
}

/** The 1-based line where `key` is first assigned or opens a table, to point the user at it. */
function lineOfKey(text: string, key: string): number | undefined {
  const lines = text.split("\n");
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(`^\\s*(\\[+\\s*)?(["']?)${escaped}\\2\\s*(=|\\]|\\.)`);
  const index = lines.findIndex((line) => pattern.test(line));
  return index === -1 ? undefined : index + 1;
}
