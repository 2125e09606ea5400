// `keyscan install`: the pre-commit hook. Husky's .husky/pre-commit when the repository uses husky,
// otherwise the hooks directory git uses (core.hooksPath honoured). An existing hook is kept and
// chained, never overwritten, and installing twice changes nothing.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import { refuseLinks, writeFileAtomic } from "../write-file.js";

export const HOOK_MARKER = "# keyscan: block commits that add secrets";

export interface InstallPlan {
  /** Repository root. */
  root: string;
  /** Where git looks for hooks (`git rev-parse --git-path hooks`), absolute. */
  hooksDir: string;
  /** The shell command the hook runs, e.g. `npx --no-install keyscan staged`. */
  command: string;
  hookName?: "pre-commit" | "pre-push";
}

export interface InstallResult {
  file: string;
  action: "created" | "chained" | "unchanged";
  /** Where an existing hook was moved to before chaining, when it was. */
  keptAs?: string;
}

export function installHook(plan: InstallPlan): InstallResult {
  const hookName = plan.hookName ?? "pre-commit";
  const huskyDir = join(plan.root, ".husky");
  if (usesHusky(plan.root, plan.hooksDir)) return installHuskyHook(join(huskyDir, hookName), plan.command, plan.root);
  // Hooks are written only where no symlink committed in the clone can redirect them: below the repository
  // root, or below a hooks folder outside it (a worktree's common git dir, the user's own core.hooksPath).
  const fromRoot = relative(plan.root, plan.hooksDir);
  const within = fromRoot.startsWith("..") || isAbsolute(fromRoot) ? plan.hooksDir : plan.root;
  return installGitHook(plan.hooksDir, hookName, plan.command, within);
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
    mkdirSync(join(file, ".."), { recursive: true });
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
  mkdirSync(hooksDir, { recursive: true });
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
