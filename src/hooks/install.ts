// `keyscan install`: the pre-commit hook. Husky's .husky/pre-commit when the repository uses husky,
// otherwise the hooks directory git uses (core.hooksPath honoured). An existing hook is kept and
// chained, never overwritten, and installing twice changes nothing.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { UsageError } from "../errors.js";
import { refuseLinks, writeFailure, writeFileAtomic } from "../fs/write-file.js";
import { neutralize } from "../report/common.js";

export const HOOK_MARKER = "# keyscan: block commits that add secrets";

export interface InstallPlan {
  /** Repository root. */
  root: string;
  /** Where git looks for hooks (`git rev-parse --git-path hooks`), absolute. */
  hooksDir: string;
  hookName?: "pre-commit" | "pre-push";
  /**
   * How to start keyscan when the repository has none in node_modules/.bin (a checkout, a global
   * install): an absolute invocation, e.g. `"/usr/bin/node" "/src/keyscan/dist/cli.cjs"`.
   */
  fallback: string;
}

export interface InstallResult {
  file: string;
  action: "created" | "chained" | "unchanged";
  /** Where an existing hook was moved to before chaining, when it was. */
  keptAs?: string;
  /**
   * Set when the hook written starts keyscan by an absolute path and lives in the work tree (.husky, a
   * committed core.hooksPath), so other clones get a hook that fails: the line that would work everywhere.
   */
  notPortable?: { portableLine: string };
}

export function installHook(plan: InstallPlan): InstallResult {
  const hookName = plan.hookName ?? "pre-commit";
  const husky = usesHusky(plan.root, plan.hooksDir);
  const local = existsSync(join(plan.root, "node_modules", ".bin", "keyscan"));
  // husky 9 puts node_modules/.bin on PATH; git runs a plain hook from the work tree's root.
  const portable = husky ? "keyscan" : "node_modules/.bin/keyscan";
  const args = hookName === "pre-push" ? 'pre-push "$@"' : "staged";
  const command = `${local ? portable : plan.fallback} ${args}`;
  // Hooks are written only where no symlink committed in the clone can redirect them: below the repository
  // root, or below a hooks folder outside it (a worktree's common git dir, the user's own core.hooksPath).
  const fromRoot = relative(plan.root, plan.hooksDir);
  const within = fromRoot.startsWith("..") || isAbsolute(fromRoot) ? plan.hooksDir : plan.root;
  const result = husky
    ? installHuskyHook(join(plan.root, ".husky", hookName), command, plan.root)
    : installGitHook(plan.hooksDir, hookName, command, within);
  const shared = isInsideWorkTree(plan.root, result.file);
  return !local && shared && result.action !== "unchanged" ? { ...result, notPortable: { portableLine: `${portable} ${args}` } } : result;
}

/** True for a file in the work tree (committed and shared), false for one under .git or outside. */
function isInsideWorkTree(root: string, file: string): boolean {
  const fromRoot = relative(root, file);
  const top = fromRoot.split(/[\\/]/)[0];
  return !isAbsolute(fromRoot) && top !== ".." && top !== ".git";
}

/** husky 9 points core.hooksPath at .husky/_; a .husky folder alone also says the project uses it. */
function usesHusky(root: string, hooksDir: string): boolean {
  const fromRoot = relative(root, hooksDir);
  return existsSync(join(root, ".husky")) || (!isAbsolute(fromRoot) && fromRoot.split(/[\\/]/)[0] === ".husky");
}

/** A husky hook is a shell fragment husky runs with `sh -e`: put keyscan first so it runs whatever follows. */
function installHuskyHook(file: string, command: string, root: string): InstallResult {
  refuseLinks(file, root); // before reading it too: a link to /dev/zero would never finish
  const block = `${HOOK_MARKER}\n${command}\n`;
  if (!existsSync(file)) {
    makeFolders(dirname(file));
    writeFileAtomic(file, block, 0o755, root);
    return { file, action: "created" };
  }
  const existing = readFileSync(file, "utf8");
  if (existing.includes(HOOK_MARKER)) return { file, action: "unchanged" };
  const shebang = existing.startsWith("#!") ? `${existing.slice(0, existing.indexOf("\n") + 1)}` : "";
  writeFileAtomic(file, `${shebang}${block}${existing.slice(shebang.length)}`, 0o755, root);
  return { file, action: "chained" };
}

/**
 * A plain git hook: an existing one is renamed to `<name>.pre-keyscan` (kept byte for byte) and run
 * after keyscan by the new hook, with the same arguments and standard input.
 */
function installGitHook(hooksDir: string, hookName: string, command: string, within: string): InstallResult {
  const file = join(hooksDir, hookName);
  const keptAs = join(hooksDir, `${hookName}.pre-keyscan`);
  refuseLinks(file, within);
  refuseLinks(keptAs, within);
  if (existsSync(file) && readFileSync(file, "utf8").includes(HOOK_MARKER)) return { file, action: "unchanged" };
  makeFolders(hooksDir);
  const chaining = existsSync(file);
  if (chaining) renameSync(file, keptAs);
  const input = hookName === "pre-push" ? 'input=$(cat)\nprintf "%s\\n" "$input" | ' : "";
  const chained = chaining
    ? `\n# The hook that was here before keyscan was installed:\n${hookName === "pre-push" ? 'printf "%s\\n" "$input" | ' : ""}"$(dirname "$0")/${hookName}.pre-keyscan" "$@"\n`
    : "";
  const script = `#!/bin/sh\n${HOOK_MARKER}\n${input}${command} || exit $?\n${chained}`;
  writeFileAtomic(file, script, 0o755, within);
  chmodSync(file, 0o755);
  return chaining ? { file, action: "chained", keptAs } : { file, action: "created" };
}

/**
 * Creates `folder` and the missing folders above it, one at a time. Node's recursive mkdir spins for ever
 * where a file system answers ENOENT under a folder that exists (a core.hooksPath inside /proc); a file in
 * the folder's place (a `.git/hooks` that is a file) would end in an unexpected error. Either is one sentence.
 */
function makeFolders(folder: string): void {
  const missing: string[] = [];
  for (let at = resolve(folder); !existsSync(at) && dirname(at) !== at; at = dirname(at)) missing.unshift(at);
  for (const each of missing) {
    try {
      mkdirSync(each);
    } catch (error) {
      throw new UsageError(`cannot create the folder ${neutralize(each)} for the hook: ${writeFailure(error)}`);
    }
  }
  if (!statSync(folder).isDirectory()) throw new UsageError(`cannot install the hook in ${neutralize(folder)}: it is not a folder`);
}
