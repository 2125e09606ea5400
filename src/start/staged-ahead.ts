// The pre-commit hook's `keyscan staged` waits for git's patch of the staged changes before it can scan
// anything, and git takes about as long to print it as the CLI's bundle takes to load. So the `keyscan`
// entry starts that git process before it loads the bundle, and the staged source takes it instead of
// starting its own (git.ts, startGitAhead): the same command in the same folder, so the same output.
// Started only for `keyscan staged` in a plain repository and without paths (lint-staged's, which make
// another command); if the run turns out to need it not (--help, a bad option), the CLI stops it.
import { existsSync } from "node:fs";
import { startGitAhead } from "../sources/git.js";
import { stagedPatchArgs } from "../sources/staged-patch.js";
import { findTopLevel } from "../sources/top-level.js";

export function startStagedPatchAhead(argv: readonly string[], cwd: string): void {
  if (argv[2] !== "staged") return;
  // A word naming a file or folder is a path to limit the scan to (an option's value rarely is; it then
  // only costs this head start).
  if (argv.slice(3).some((arg) => !arg.startsWith("-") && existsSync(arg))) return;
  const found = findTopLevel(cwd);
  if (found.kind !== "found") return;
  try {
    startGitAhead(stagedPatchArgs([]), found.top);
  } catch {
    // A head start only: the staged source starts git itself, and reports why it cannot.
  }
}
