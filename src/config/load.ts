// keyscan.toml / .keyscan.toml: discovery (scan root upward to the repository root) and validation.
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import * as z from "zod/mini";
import { describeIssue, firstIssue, parseRuleDef, parseTomlFile } from "../engine/rules.js";
import { type AllowListDef, type RuleDef, schemas, stringList } from "../engine/schema.js";
import { UsageError } from "../errors.js";
import { readSmallFile } from "../fs/read-file.js";

export const CONFIG_NAMES = ["keyscan.toml", ".keyscan.toml"] as const;

function buildConfigSchema() {
  return z.strictObject({
    /** Rule ids to turn off. */
    disable: stringList(),
    /** Global allow list: paths (picomatch globs, relative to the repository root), regexes and stopwords. */
    allow: z.optional(schemas().allowListSchema),
    /** Custom rules, in the same schema as rules/*.toml; one with a default rule's id replaces it only if `disable` lists that id. */
    rule: z._default(z.array(z.unknown()), []),
    verify: z.optional(z.strictObject({ endpoints: z._default(z.record(z.string(), z.string()), {}) })),
  });
}

let builtConfigSchema: ReturnType<typeof buildConfigSchema> | undefined;

/** The config file's schema, built on first use, as the rules' are (engine/schema.ts). */
export const configSchema = (): ReturnType<typeof buildConfigSchema> => (builtConfigSchema ??= buildConfigSchema());

export interface Config {
  /** The file it came from, or undefined when no config file was found. */
  file?: string;
  disable: string[];
  allow: AllowListDef;
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
  return parseConfig(readSmallFile(file, "config file"), file);
}

/**
 * The user's own config, outside any repository: $XDG_CONFIG_HOME/keyscan/keyscan.toml, by default
 * ~/.config/keyscan/keyscan.toml. Only its [verify.endpoints] are used (see trustedParts).
 */
export function userConfigFile(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : join(homedir(), ".config");
  return join(base, "keyscan", "keyscan.toml");
}

/** True when `file` lies inside `folder` (or is it). */
export function isInside(file: string, folder: string): boolean {
  const path = relative(resolve(folder), resolve(file));
  return path === "" || (!path.startsWith("..") && !isAbsolute(path));
}

/**
 * A config found inside the scanned repository is written by whoever wrote the repository: it may choose
 * rules and allow lists, but not where keys are sent. Its [verify.endpoints] and its rules' `verify` are
 * dropped; the returned sentence says what was refused (undefined when there was nothing to refuse).
 */
export function withoutVerifySettings(config: Config): { config: Config; refused?: string } {
  const verifying = config.rules.filter((rule) => rule.verify !== undefined).map((rule) => rule.id);
  const endpoints = Object.keys(config.verifyEndpoints);
  if (verifying.length === 0 && endpoints.length === 0) return { config };
  const what = [
    endpoints.length > 0 ? `[verify.endpoints] (${endpoints.join(", ")})` : "",
    verifying.length > 0 ? `verify on rule${verifying.length === 1 ? "" : "s"} ${verifying.join(", ")}` : "",
  ].filter(Boolean);
  const refused =
    `${config.file ?? "config"} is inside the scanned repository, so its ${what.join(" and ")} ` +
    `${what.length > 1 ? "are" : "is"} ignored: name the config with --config or KEYSCAN_CONFIG, or set endpoints in ${userConfigFile()}`;
  const rules = config.rules.map((rule) => {
    if (rule.verify === undefined) return rule;
    const { verify: _dropped, ...rest } = rule;
    return rest as RuleDef;
  });
  return { config: { ...config, rules, verifyEndpoints: {} }, refused };
}

export function parseConfig(text: string, file: string): Config {
  const data = parseTomlFile(text, file);
  const result = configSchema().safeParse(data);
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
