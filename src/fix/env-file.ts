// The other side of a fix: the values go to .env at the repository root (created mode 0600, only ever
// appended to), .env goes to .gitignore when git would track it, and .env.example gets `NAME=` lines
// so the next developer knows which variables to set.
import { lstatSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../errors.js";
import { git } from "../sources/git.js";
import { readSmallFile } from "../fs/read-file.js";
import { writeFileAtomic } from "../fs/write-file.js";

export const ENV_FILE = ".env";
export const ENV_EXAMPLE_FILE = ".env.example";

/** The repository's .env as found: its text ("" when absent), the variables it sets, and its mode. */
export interface EnvFile {
  path: string;
  exists: boolean;
  text: string;
  values: Map<string, string>;
  mode: number;
}

/**
 * Reads .env at `root`, refusing one keyscan must not write secrets into: a folder, a symlink (the
 * values would land wherever it points), or a file git tracks (they would be committed).
 */
export async function readEnvFile(root: string): Promise<EnvFile> {
  const path = join(root, ENV_FILE);
  let stat: ReturnType<typeof lstatSync> | undefined;
  try {
    stat = lstatSync(path);
  } catch {
    stat = undefined;
  }
  if (stat?.isDirectory()) throw new UsageError(`${path} is a directory: keyscan fix keeps the values in a .env file there; move the folder away first`);
  if (stat?.isSymbolicLink()) throw new UsageError(`${path} is a symlink: keyscan fix writes secrets only to a plain .env file; replace the link first`);
  if (stat && !stat.isFile()) throw new UsageError(`${path} is not a regular file: keyscan fix cannot keep the values there`);
  const tracked = (await git(["ls-files", "-z", "--", ENV_FILE], { cwd: root })).length > 0;
  if (tracked) {
    throw new UsageError(`${path} is tracked by git, so secrets written there would be committed: run \`git rm --cached .env\` (and rotate what it holds) first`);
  }
  const text = stat ? readFileSync(path, "utf8") : "";
  return { path, exists: stat !== undefined, text, values: parseEnv(text), mode: stat ? stat.mode & 0o777 : 0o600 };
}

/** `NAME=value` lines (optionally `export NAME=…`, quoted values), as dotenv reads them; other lines are passed over. */
export function parseEnv(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match?.[1]) continue;
    values.set(match[1], unquote(match[2] ?? ""));
  }
  return values;
}

function unquote(value: string): string {
  const quoted = /^(["'])(.*)\1$/.exec(value);
  if (!quoted) return value.replace(/\s+#.*$/, "");
  const inner = quoted[2] ?? "";
  return quoted[1] === "'" ? inner : inner.replace(/\\(["\\$`])/g, "$1").replace(/\\n/g, "\n");
}

/** A value as a .env line writes it: bare when it is plain, else single-quoted (dotenv takes those literally). */
export function formatEnvValue(value: string): string {
  if (/^[\w@%+=:,./-]*$/.test(value)) return value;
  if (!value.includes("'") && !value.includes("\n")) return `'${value}'`;
  return `"${value.replace(/(["\\$`])/g, "\\$1").replace(/\n/g, "\\n")}"`;
}

/** Appends `NAME=value` for each new variable; an existing .env keeps every byte and its mode, a new one is 0600. */
export function appendToEnvFile(env: EnvFile, added: ReadonlyMap<string, string>): void {
  if (added.size === 0) return;
  const lines = [...added].map(([name, value]) => `${name}=${formatEnvValue(value)}\n`).join("");
  writeFileAtomic(env.path, `${withFinalNewline(env.text)}${lines}`, env.mode);
}

function withFinalNewline(text: string): string {
  return text === "" || text.endsWith("\n") ? text : `${text}\n`;
}

/** True when git would track a new .env (no ignore rule covers it). */
export async function envFileUnignored(root: string): Promise<boolean> {
  // check-ignore exits 0 when the path is ignored and 1 when it is not.
  return git(["check-ignore", "-q", "--", ENV_FILE], { cwd: root }).then(
    () => false,
    () => true,
  );
}

/** A file at the repository root that fix adds lines to (.gitignore, .env.example), as found. */
export interface SideFile {
  /** The repository's root: the file is `root/name`, written with no symlink on the way (writeFileAtomic's `within`). */
  root: string;
  name: string;
  exists: boolean;
  text: string;
}

/**
 * Reads .gitignore or .env.example at `root` before anything is written, refusing one that is not a plain
 * file: a folder (the write would fail after .env got the values), or a symlink (a clone's link would put
 * the lines outside the repository).
 */
export function readSideFile(root: string, name: string): SideFile {
  const path = join(root, name);
  let stat: ReturnType<typeof lstatSync> | undefined;
  try {
    stat = lstatSync(path);
  } catch {
    return { root, name, exists: false, text: "" };
  }
  if (!stat.isFile()) {
    const what = stat.isDirectory() ? "a directory" : stat.isSymbolicLink() ? "a symlink" : "not a regular file";
    throw new UsageError(`${path} is ${what}: keyscan fix adds lines only to a plain ${name}; replace it first`);
  }
  return { root, name, exists: true, text: readSmallFile(path, name) };
}

/** Adds a `.env` line to the root .gitignore (created if missing). */
export function ignoreEnvFile(gitignore: SideFile): void {
  writeFileAtomic(join(gitignore.root, gitignore.name), `${withFinalNewline(gitignore.text)}${ENV_FILE}\n`, undefined, gitignore.root);
}

/** The names .env.example lacks, from `names`; with `create`, a missing example counts as empty. */
export function exampleAdditions(example: SideFile, names: readonly string[], create: boolean): string[] | undefined {
  if (!example.exists && !create) return undefined;
  const present = parseEnv(example.text);
  return names.filter((name) => !present.has(name));
}

/** Appends `NAME=` lines to .env.example (created when missing): names, never values. */
export function appendToExample(example: SideFile, names: readonly string[]): void {
  if (names.length === 0 && example.exists) return;
  writeFileAtomic(join(example.root, example.name), `${withFinalNewline(example.text)}${names.map((name) => `${name}=\n`).join("")}`, undefined, example.root);
}
