// A repository's top-level folder found by looking for its `.git`, as git itself does, without
// starting git: a pre-commit hook's start waits for the top level before anything else, and
// `git rev-parse --show-toplevel` is a process to spawn and wait for.
//
// Only the plain case is answered here: a `.git` folder (or a `.git` file naming the git folder, as in
// a linked worktree or a submodule) that the current user owns, in a folder on the same filesystem as
// the start, with nothing in the environment or the repository's config that moves the work tree.
// Anything else (GIT_DIR, core.worktree, a bare repository, another user's repository, which git
// refuses until it is named in safe.directory) is left to git, which then answers as before.
import { lstatSync, readFileSync, realpathSync, type Stats } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

/** What the lookup found: the top level, no repository at all, or a case only git can answer. */
export type TopLevel = { kind: "found"; top: string } | { kind: "none" } | { kind: "ask-git" };

const ASK_GIT: TopLevel = { kind: "ask-git" };

/** Variables that change where git looks for the repository, or what its work tree is (git(1), ENVIRONMENT). */
const DISCOVERY_VARIABLES = [
  "GIT_DIR",
  "GIT_WORK_TREE",
  "GIT_COMMON_DIR",
  "GIT_OBJECT_DIRECTORY",
  "GIT_CEILING_DIRECTORIES",
  "GIT_DISCOVERY_ACROSS_FILESYSTEM",
];

/**
 * True when the repository's config may move or remove the work tree: `core.worktree`, `core.bare`
 * (anything but false), an `include.path` that may set either, per-worktree config files
 * (extensions.worktreeConfig). Keys are matched whatever their section: a false alarm only means git is asked.
 */
function movesWorkTree(config: string): boolean {
  for (const line of config.split("\n")) {
    const [, key, value = ""] = /^\s*([A-Za-z][\w-]*)\s*(?:=\s*(.*))?$/.exec(line) ?? [];
    const name = key?.toLowerCase();
    if (name === "worktree" || name === "path" || name === "worktreeconfig") return true;
    if (name === "bare" && !/^(?:false|no|off|0)\s*(?:[#;]|$)/i.test(value)) return true;
  }
  return false;
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/**
 * True when `dir` looks like a git folder (git checks for HEAD, and for objects and refs in the common
 * folder: a linked worktree's git folder has its own HEAD, and the main repository's objects and refs).
 */
function isGitFolder(dir: string, commonFolder = dir): boolean {
  const isFolder = (path: string): boolean => lstatOrUndefined(path)?.isDirectory() === true;
  return lstatOrUndefined(join(dir, "HEAD")) !== undefined && isFolder(join(commonFolder, "objects")) && isFolder(join(commonFolder, "refs"));
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * True when the git folder a `.git` folder or file stands for is one, the user owns it, and its config
 * (a linked worktree's is the main repository's, named by its `commondir` file) leaves the work tree
 * where the `.git` is.
 */
function isPlainRepository(dotGit: string, dotGitStats: Stats, uid: number): boolean {
  let gitFolder = dotGit;
  if (dotGitStats.isFile()) {
    const named = /^gitdir: (.+)$/m.exec(readText(dotGit) ?? "")?.[1];
    if (named === undefined) return false;
    gitFolder = resolve(dirname(dotGit), named.trimEnd());
    if (lstatOrUndefined(gitFolder)?.uid !== uid) return false;
  } else if (!dotGitStats.isDirectory()) return false;
  const commonDir = readText(join(gitFolder, "commondir"));
  const commonFolder = commonDir === undefined ? gitFolder : resolve(gitFolder, commonDir.trim());
  if (!isGitFolder(gitFolder, commonFolder)) return false;
  const config = readText(join(commonFolder, "config"));
  return config !== undefined && !movesWorkTree(config);
}

/** The top level of the repository holding `start` (a folder), found as explained above. */
export function findTopLevel(start: string, env: NodeJS.ProcessEnv = process.env): TopLevel {
  const uid = process.geteuid?.();
  if (uid === undefined || DISCOVERY_VARIABLES.some((name) => env[name] !== undefined)) return ASK_GIT;
  let dir: string;
  try {
    dir = realpathSync(start);
  } catch {
    return ASK_GIT;
  }
  const device = lstatOrUndefined(dir)?.dev;
  for (;;) {
    const stats = lstatOrUndefined(dir);
    // Inside a git folder (git answers "not a work tree"), or at another filesystem's edge (git stops there).
    if (stats === undefined || stats.dev !== device || basename(dir) === ".git" || isGitFolder(dir)) return ASK_GIT;
    const dotGit = join(dir, ".git");
    const dotGitStats = lstatOrUndefined(dotGit);
    if (dotGitStats) {
      const owned = stats.uid === uid && dotGitStats.uid === uid;
      return owned && isPlainRepository(dotGit, dotGitStats, uid) ? { kind: "found", top: dir } : ASK_GIT;
    }
    const parent = dirname(dir);
    if (parent === dir) return { kind: "none" };
    dir = parent;
  }
}
