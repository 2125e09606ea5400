// Throw-away Node projects for the hook tests: a git repository whose node_modules holds husky,
// lint-staged and keyscan as `npm install --save-dev` would put them there (links to this checkout's).
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CLI, cliEnv } from "./cli.js";
import type { TempRepo } from "./git-repo.js";

const modules = fileURLToPath(new URL("../../node_modules", import.meta.url));

/** An identity for git and for lint-staged's own git calls (its backup stash is a commit). */
export const identity = {
  GIT_AUTHOR_NAME: "T",
  GIT_AUTHOR_EMAIL: "t@example.com",
  GIT_COMMITTER_NAME: "T",
  GIT_COMMITTER_EMAIL: "t@example.com",
};

/**
 * Makes `dir` (a new repository) a Node project: package.json (its `npm test` prints "chained-hook-ran"),
 * and in node_modules husky, lint-staged and, unless `keyscan: false`, keyscan with its bin. Commits them.
 */
export function makeNodeProject(dir: TempRepo, options: { keyscan?: boolean; packageJson?: Record<string, unknown> } = {}): TempRepo {
  const packageJson = { name: "consumer", version: "1.0.0", scripts: { test: "echo chained-hook-ran" }, ...options.packageJson };
  dir.write("package.json", `${JSON.stringify(packageJson, null, 2)}\n`);
  dir.write(".gitignore", "node_modules/\n");
  const bin = join(dir.dir, "node_modules", ".bin");
  mkdirSync(bin, { recursive: true });
  for (const [name, binPath] of [["husky", "bin.js"], ["lint-staged", "bin/lint-staged.js"]] as const) {
    symlinkSync(join(modules, name), join(dir.dir, "node_modules", name));
    symlinkSync(join("..", name, binPath), join(bin, name));
  }
  if (options.keyscan !== false) {
    writeFileSync(join(bin, "keyscan"), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
    chmodSync(join(bin, "keyscan"), 0o755);
  }
  dir.add("package.json", ".gitignore");
  dir.commit({ message: "project" });
  return dir;
}

/** Runs a program from the project's node_modules/.bin, as `npx <name>` would. */
export function npx(dir: TempRepo, name: string, ...args: string[]): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(join(dir.dir, "node_modules", ".bin", name), args, { cwd: dir.dir, env: cliEnv(identity), encoding: "utf8" });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
