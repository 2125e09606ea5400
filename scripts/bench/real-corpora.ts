// The bench's real corpora: public repositories brought here as git directories (bare mirrors or
// clones), prepared once into a folder the bench is given (KEYSCAN_BENCH_REAL or --real DIR):
//   tree/plain/<name>/  each repository's HEAD as plain files, all of them one folder;
//   tree/git/           the same files (hard links) committed to one git repository: a git checkout;
//   history/<name>/     a clone of each history repository (its branches and tags, no pull refs);
//   staged/             a checkout of the first tree repository with 10 of its files changed and staged;
//   corpora.json        what was prepared: repository names, commits, sizes, distinct content.
// `npm run bench -- --prepare --tree GITDIR... --history GITDIR...` writes it.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import { gitEnv } from "./corpora.js";

export interface TreeSource {
  /** owner/name where the git directory says so (…/owner+name/repo), else its folder's name. */
  name: string;
  commit: string;
  files: number;
  bytes: number;
  /** The extension holding most of the repository's bytes, as a hint of its language. */
  mainExtension: string;
}

export interface HistorySource {
  name: string;
  dir: string;
  /** HEAD's commit when prepared. */
  commit: string;
  /** Commits reachable from the clone's branches and tags (`--all`). */
  commits: number;
  /**
   * Paths of blobs the snapshot lacks (it leaves out files of 4 MiB and more). `git log -p` stops at
   * the first one, so the bench's peer leaves these paths out; keyscan skips such blobs and says so.
   */
  missingPaths: string[];
}

export interface RealCorpora {
  plainDir: string;
  gitDir: string;
  tree: TreeSource[];
  files: number;
  bytes: number;
  /** Bytes of the tree's distinct contents: each content counted once, however many files hold it. */
  distinctBytes: number;
  histories: HistorySource[];
  stagedDir: string;
}

const MANIFEST = "corpora.json";

function run(cmd: string, args: string[], cwd?: string): string {
  return execFileSync(cmd, args, { cwd, env: gitEnv(), encoding: "utf8", maxBuffer: 1 << 30 });
}

function nameOf(gitDir: string): string {
  const folder = basename(gitDir) === "repo" || basename(gitDir) === ".git" ? basename(dirname(gitDir)) : basename(gitDir);
  return folder.replace(/\.git$/, "").replace("+", "/");
}

/**
 * HEAD's files of `source` written under `dest`, through an index of its own so the source is only read.
 * Not `git archive`: it leaves out what .gitattributes marks export-ignore (symfony's tests). Blobs the
 * snapshot lacks (those of 4 MiB and more) are left out.
 */
function checkOut(source: string, dest: string): void {
  const index = join(dest, ".bench-index");
  const env = { ...gitEnv(), GIT_DIR: source, GIT_WORK_TREE: dest, GIT_INDEX_FILE: index };
  const git = (args: string[], input?: string): string => execFileSync("git", args, { env, input, encoding: "utf8", maxBuffer: 1 << 30 });
  git(["read-tree", "HEAD"]);
  const entries = git(["ls-files", "-s", "-z"])
    .split("\0")
    .filter(Boolean)
    .map((entry) => ({ object: entry.split(" ")[1] ?? "", path: entry.slice(entry.indexOf("\t") + 1) }));
  const found = git(["cat-file", "--batch-check=%(objectname)"], entries.map((entry) => `${entry.object}\n`).join("")).split("\n");
  // --batch-check answers each line in order: the object's name, or "<name> missing".
  const missing = entries.filter((_, i) => found[i]?.endsWith(" missing"));
  if (missing.length > 0) git(["update-index", "--force-remove", "-z", "--stdin"], missing.map((entry) => `${entry.path}\0`).join(""));
  git(["checkout-index", "-a"]);
  rmSync(index);
}

/** Every regular file under `dir` (not .git), as paths. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory() && entry.name !== ".git") walk(path);
      else if (entry.isFile()) out.push(path);
    }
  };
  walk(dir);
  return out;
}

function mainExtension(files: string[]): string {
  const bytes = new Map<string, number>();
  for (const file of files) {
    const ext = extname(file) || "(none)";
    bytes.set(ext, (bytes.get(ext) ?? 0) + statSync(file).size);
  }
  return [...bytes].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "(none)";
}

/** Writes the corpora into `into` from the given git directories; replaces an earlier preparation. */
export function prepareRealCorpora(into: string, treeGitDirs: string[], historyGitDirs: string[]): RealCorpora {
  const plainDir = join(into, "tree", "plain");
  const gitDir = join(into, "tree", "git");
  rmSync(join(into, MANIFEST), { force: true });
  rmSync(join(into, "tree"), { recursive: true, force: true });
  rmSync(join(into, "history"), { recursive: true, force: true });
  mkdirSync(plainDir, { recursive: true });

  const tree: TreeSource[] = [];
  const seen = new Set<string>();
  let files = 0;
  let bytes = 0;
  let distinctBytes = 0;
  for (const source of treeGitDirs) {
    const name = nameOf(source);
    const dest = join(plainDir, name.replace("/", "+"));
    process.stderr.write(`  tree: ${name} …\n`);
    mkdirSync(dest, { recursive: true });
    checkOut(source, dest);
    const paths = filesUnder(dest);
    let sourceBytes = 0;
    for (const path of paths) {
      const content = readFileSync(path);
      sourceBytes += content.length;
      const hash = createHash("sha1").update(content).digest("hex");
      if (!seen.has(hash)) {
        seen.add(hash);
        distinctBytes += content.length;
      }
    }
    files += paths.length;
    bytes += sourceBytes;
    tree.push({
      name,
      commit: run("git", ["--git-dir", source, "rev-parse", "HEAD"]).trim(),
      files: paths.length,
      bytes: sourceBytes,
      mainExtension: mainExtension(paths),
    });
  }
  // The git checkout: the same files, hard-linked (one copy on disk and in the page cache), committed.
  process.stderr.write("  tree: committing the git checkout …\n");
  run("cp", ["-al", plainDir, gitDir]);
  run("git", ["init", "-q"], gitDir);
  run("git", ["add", "-A"], gitDir);
  run("git", ["commit", "-q", "-m", "bench tree"], gitDir);

  const histories: HistorySource[] = [];
  for (const source of historyGitDirs) {
    const name = nameOf(source);
    const dir = join(into, "history", name.replace("/", "+"));
    process.stderr.write(`  history: ${name} …\n`);
    mkdirSync(dirname(dir), { recursive: true });
    run("git", ["clone", "-q", "--no-checkout", source, dir]);
    histories.push({
      name,
      dir,
      commit: run("git", ["rev-parse", "HEAD"], dir).trim(),
      commits: Number(run("git", ["rev-list", "--all", "--count"], dir).trim()),
      missingPaths: missingPaths(dir),
    });
  }
  const stagedDir = join(into, "staged");
  prepareStaged(treeGitDirs[0] ?? "", stagedDir);
  const corpora = { plainDir, gitDir, tree, files, bytes, distinctBytes, histories, stagedDir };
  writeFileSync(join(into, MANIFEST), `${JSON.stringify(corpora, null, 2)}\n`);
  return corpora;
}

/** Paths at which some commit reachable from `--all` adds a blob the repository lacks. */
export function missingPaths(dir: string): string[] {
  // --raw lists each changed path's blob without reading it: "<:modes> <old> <new> <status>", then the path.
  const fields = run("git", ["log", "--all", "--raw", "-z", "--no-abbrev", "--no-renames", "--format="], dir).split("\0");
  const added: { object: string; path: string }[] = [];
  for (let i = 0; i + 1 < fields.length; i++) {
    const field = fields[i]?.replace(/^\n+/, "") ?? "";
    if (!field.startsWith(":")) continue;
    const [, newMode, , object = ""] = field.split(" ");
    // A gitlink (160000) names a submodule's commit, which git log -p does not read.
    if (newMode !== "160000" && !/^0+$/.test(object)) added.push({ object, path: fields[i + 1] ?? "" });
    i++;
  }
  const found = execFileSync("git", ["cat-file", "--batch-check=%(objectname)"], {
    cwd: dir,
    env: gitEnv(),
    input: added.map((entry) => `${entry.object}\n`).join(""),
    encoding: "utf8",
    maxBuffer: 1 << 30,
  }).split("\n");
  return [...new Set(added.filter((_, i) => found[i]?.endsWith(" missing")).map((entry) => entry.path))].sort();
}

/** A checkout of `source` in `dir` where 10 tracked files, spread over the tree, have a line appended and are staged. */
export function prepareStaged(source: string, dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  run("git", ["clone", "-q", source, dir]);
  const tracked = run("git", ["ls-files", "-z"], dir).split("\0").filter(Boolean);
  const step = Math.floor(tracked.length / 10);
  const changed = Array.from({ length: 10 }, (_, index) => tracked[index * step] ?? "");
  for (const path of changed) writeFileSync(join(dir, path), `${readFileSync(join(dir, path), "utf8")}\nchanged for the bench\n`);
  run("git", ["add", "--", ...changed], dir);
}

/** The corpora prepared in `dir`, or an error that says how to prepare them. */
export function loadRealCorpora(dir: string): RealCorpora {
  const manifest = join(dir, MANIFEST);
  if (!existsSync(manifest)) {
    throw new Error(
      `${dir} holds no prepared corpora. Prepare them from git directories of public repositories ` +
        "(bare mirrors or clones; see the README's Performance section), e.g.\n" +
        `  KEYSCAN_BENCH_REAL=${dir} npm run bench -- --prepare --tree rails.git terraform.git … --history requests.git rails.git`,
    );
  }
  return JSON.parse(readFileSync(manifest, "utf8")) as RealCorpora;
}

/**
 * The `--since` date that selects about the newest `count` commits of `rev` (by commit date),
 * and how many commits it selects.
 */
export function sinceForCommits(dir: string, rev: string, count: number): { since: string; commits: number } {
  const dates = run("git", ["log", "--date-order", "--format=%cI", `--max-count=${count}`, rev], dir).trim().split("\n");
  const since = dates.at(-1) ?? "";
  return { since, commits: Number(run("git", ["rev-list", "--count", `--since=${since}`, rev], dir).trim()) };
}
