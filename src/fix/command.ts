// `keyscan fix`: turns findings into a plan per file, shows it as a unified diff, and (with --yes, or
// a "y" at the prompt on a terminal) applies it: values to .env first, so they are never only in
// memory, then .gitignore and .env.example, then each file, atomically and only if unchanged.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline/promises";
import { createTwoFilesPatch } from "diff";
import { neutralize } from "../report/common.js";
import { redactSecretsIn } from "../report/redact.js";
import { envNames } from "./env-names.js";
import type { Finding, RuleMeta } from "../types.js";
import { writeFileAtomic } from "../fs/write-file.js";
import { appendToEnvFile, appendToExample, ENV_EXAMPLE_FILE, ENV_FILE, envFileUnignored, exampleAdditions, ignoreEnvFile, readEnvFile, readSideFile } from "./env-file.js";
import { historyInstructions, replacementText, writeReplacementFile } from "./history.js";
import { type FilePlan, planFile } from "./plan.js";
import { rotationAdvice } from "./rotation.js";

// The CLI loads this module as its own bundle (dist/fix.cjs); reading a report is part of it.
export { findingsFromReport } from "./from-report.js";

export interface FixOptions {
  /** The repository's top folder: findings' paths are relative to it, and .env lives there. */
  root: string;
  /** true: write; false: show the diff only; "ask": show it, then ask on the terminal. */
  apply: boolean | "ask";
  /** Create .env.example when the project has none. */
  example: boolean;
  redact: boolean;
  rules: readonly RuleMeta[];
  /** The report (diffs, notes, rotation steps). */
  write: (text: string) => void;
  /** Why a file was refused: one sentence each, as errors are. */
  error: (text: string) => void;
}

/** Exit codes: 0 all fixed (or nothing to fix), 1 secrets left to fix by hand, 2 a file or .env refused. */
export async function fixFindings(findings: readonly Finding[], options: FixOptions): Promise<number> {
  const { root, write } = options;
  if (findings.length === 0) {
    write("Nothing to fix: no hard-coded secrets found.\n");
    return 0;
  }
  const env = await readEnvFile(root);
  // The root .env is where secrets belong: findings there need no rewrite, only .env kept out of git.
  const inCode = findings.filter((finding) => finding.path !== ENV_FILE && finding.path !== "-");
  const taken = envNames(env.values);
  const plans = [...groupByPath(inCode)].map(([path, group]) => planFile(path, join(root, path), group, taken));

  const show = (text: string) => (options.redact ? redactAll(text, inCode) : text);
  for (const plan of plans) {
    if (plan.problem) options.error(`keyscan: ${neutralize(plan.problem)}\n`);
    else write(show(describe(plan)));
  }

  const writable = plans.filter((plan) => !plan.problem && plan.updated !== plan.original);
  const values = new Map<string, string>();
  for (const plan of writable) for (const { finding, name } of plan.fixed) values.set(name, finding.secret);
  const newValues = new Map([...values].filter(([name]) => !env.values.has(name)));
  const ignoreEnv = (env.exists || newValues.size > 0) && (await envFileUnignored(root));
  // Both read, and refused if they are no plain files, before anything is written.
  const gitignore = ignoreEnv ? readSideFile(root, ".gitignore") : undefined;
  const exampleFile = readSideFile(root, ENV_EXAMPLE_FILE);
  const example = exampleAdditions(exampleFile, [...values.keys()], options.example);
  if (values.size > 0 || ignoreEnv) write(sideEffects(env.exists, values.size > 0, newValues, ignoreEnv, example));

  let apply = options.apply;
  const changes = writable.length > 0 || ignoreEnv;
  if (apply === "ask" && changes) apply = await confirm("Apply these changes? [y/N] ");
  if (apply === true && changes) {
    appendToEnvFile(env, newValues);
    if (gitignore) ignoreEnvFile(gitignore);
    if (example && (example.length > 0 || options.example)) appendToExample(exampleFile, example);
    for (const plan of writable) writePlan(plan, options.error);
  }

  const names = new Map(plans.flatMap((plan) => plan.fixed.map(({ finding, name }) => [finding.secret, name] as const)));
  if (inCode.length > 0) write(`\nRotate every key found: moving it out of the code does not make it secret again.\n${rotationAdvice(inCode, options.rules, names, options.redact).join("\n")}\n`);
  write(`\n${summary(plans, apply === true)}\n`);
  if (plans.some((plan) => plan.problem)) return 2;
  return plans.some((plan) => plan.manual.length > 0) ? 1 : 0;
}

/** `--history`: the replacement file for git filter-repo, and what using it costs. */
export function fixHistory(findings: readonly Finding[], output: string | undefined, options: Pick<FixOptions, "rules" | "redact" | "write">): number {
  const { write } = options;
  if (findings.length === 0) {
    write("Nothing to remove: no secrets found in the history scanned.\n");
    return 0;
  }
  write(`Rotate every key first: rewriting history does not make a key secret again.\n${rotationAdvice(findings, options.rules, new Map(), options.redact).join("\n")}\n\n`);
  const text = replacementText(findings);
  const file = writeReplacementFile(text, output);
  write(`${historyInstructions(file, text.split("\n").length - 1).join("\n")}\n`);
  return 0;
}

function groupByPath(findings: readonly Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) groups.set(finding.path, [...(groups.get(finding.path) ?? []), finding]);
  return groups;
}

/**
 * A file rewritten on more lines than this gets a line saying so, not its diff: the line diff's cost
 * grows with the square of the lines changed (a fixture of 10,000 tokens took 12 s to diff), and so
 * long a diff is not read.
 */
const MAX_DIFF_LINES = 1000;

/** A file's part of the report: its unified diff (and whether it could be parse-checked), then its secrets left to fix by hand. */
function describe(plan: FilePlan): string {
  const path = neutralize(plan.path);
  const out: string[] = [];
  const changedLines = new Set(plan.fixed.map(({ finding }) => finding.line)).size;
  if (plan.updated !== plan.original && changedLines > MAX_DIFF_LINES) {
    out.push(`${path}: ${plan.fixed.length} secret(s) rewritten on ${changedLines} lines, too many to show as a diff (review them with \`git diff\` once applied)`);
  } else if (plan.updated !== plan.original) {
    out.push(createTwoFilesPatch(`a/${path}`, `b/${path}`, plan.original, plan.updated, "", "", { context: 2 }).replace(/^=+\n/, "").trimEnd());
    if (plan.parse?.ok === "unchecked") out.push(`${path}: not parse-checked (${plan.parse.why})`);
  }
  for (const { finding, reason } of plan.manual) out.push(`${path}:${finding.line}:${finding.column}: by hand (${finding.ruleId}): ${neutralize(reason)}`);
  return out.length > 0 ? `${out.join("\n")}\n` : "";
}

/** What happens beside the code: names only, never values. */
/** `moved`: some secret is moved out of the code (without one, an existing .env needs no word). */
function sideEffects(envExists: boolean, moved: boolean, newValues: ReadonlyMap<string, string>, unignored: boolean, example: readonly string[] | undefined): string {
  const lines: string[] = [];
  const names = [...newValues.keys()].join(", ");
  if (newValues.size > 0) lines.push(`${ENV_FILE}: ${envExists ? "append" : "create (mode 0600) with"} ${names}`);
  else if (envExists && moved) lines.push(`${ENV_FILE}: already holds every value; nothing to add`);
  if (unignored) lines.push(`.gitignore: add ${ENV_FILE}, so git never tracks it`);
  if (example && example.length > 0) lines.push(`${ENV_EXAMPLE_FILE}: add ${example.map((name) => `${name}=`).join(", ")}`);
  return `\n${lines.join("\n")}\n`;
}

/** Writes one file's new text, only if the file still holds what was planned from; a failure is that file's alone. */
function writePlan(plan: FilePlan, error: (text: string) => void): void {
  let current: string | undefined;
  try {
    current = readFileSync(plan.abs, "utf8");
  } catch {
    current = undefined;
  }
  if (current !== plan.original) {
    plan.problem = `${plan.path} changed while keyscan fix ran: left as it is; run keyscan fix again`;
  } else {
    try {
      writeFileAtomic(plan.abs, plan.updated, plan.mode);
    } catch (failure) {
      plan.problem = `${plan.path} could not be written (${(failure as NodeJS.ErrnoException).code ?? (failure as Error).message}): left as it is`;
    }
  }
  if (plan.problem) error(`keyscan: ${neutralize(plan.problem)}\n`);
}

function summary(plans: readonly FilePlan[], applied: boolean): string {
  const written = plans.filter((plan) => !plan.problem && plan.updated !== plan.original);
  const fixed = written.reduce((sum, plan) => sum + plan.fixed.length, 0);
  const manual = plans.reduce((sum, plan) => sum + plan.manual.length, 0);
  const refused = plans.filter((plan) => plan.problem).length;
  const verb = applied ? "Rewrote" : "Would rewrite";
  const parts = [`${verb} ${fixed} secret(s) in ${written.length} file(s)`];
  if (manual > 0) parts.push(`${manual} left to fix by hand`);
  if (refused > 0) parts.push(`${refused} file(s) refused`);
  const tail = applied || fixed === 0 ? "" : " Nothing was changed: run `keyscan fix --yes` to apply.";
  return `${parts.join("; ")}.${tail}`;
}

/** The diff and notes with every secret redacted (its first characters and length), unless --no-redact. */
function redactAll(text: string, findings: readonly Finding[]): string {
  return redactSecretsIn(text, findings.map((finding) => finding.secret));
}

async function confirm(question: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await prompt.question(question)).trim());
  } finally {
    prompt.close();
  }
}
