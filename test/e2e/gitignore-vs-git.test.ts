// Outside a repository keyscan applies .gitignore files itself (src/sources/gitignore.ts). This test
// holds it to git's own answer: many small random trees, with random .gitignore files at random
// depths, are each listed by keyscan's plain-folder walk; then their common parent is made a
// repository (`git init`) and `git ls-files --others --cached --exclude-standard` lists them all at
// once (one tree per folder, each its own .gitignore root, the parent having none); the lists must be
// equal, tree by tree. The patterns come from a grammar of what gitignore(5) describes: negations
// (deeper files often flip a line of a shallower one), directory-only patterns, anchored and
// unanchored ones, `*`, `?`, `**`, bracket expressions, escaped `!`, `#`, wildcards and trailing
// spaces, comments, blank lines, CRLF and a byte order mark. Seeded: KEYSCAN_GITIGNORE_SEED=n replays another sequence,
// and a failure names its seed and rounds.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { rng } from "../../fixtures/fake-keys.js";
import { workingTreeFiles } from "../../src/sources/files.js";
import { isolatedEnv } from "../helpers/git-repo.js";

const SEED = Number(process.env.KEYSCAN_GITIGNORE_SEED ?? 20261203);
const ROUNDS = 400;

// Some thousands of files and folders are made: in memory where Linux offers it (creating folders on
// a busy disk took seconds).
const scratch = mkdtempSync(join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "keyscan-gitignore-vs-git-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// Git without the user's or the system's configuration, and no global excludes file (core.excludesFile
// defaults to $XDG_CONFIG_HOME/git/ignore): only the tree's .gitignore files apply, as in keyscan's walk.
const gitEnv = isolatedEnv({ HOME: scratch, XDG_CONFIG_HOME: join(scratch, "config") });
const git = (cwd: string, ...args: string[]): string => execFileSync("git", args, { cwd, env: gitEnv, encoding: "utf8" });

// Names of files and folders: plain ones that the patterns name, and ones whose characters a pattern
// must escape (`#`, `!` at a line's start, a wildcard, a bracket, a trailing space), in both cases.
const FOLDER_NAMES = ["a", "b", "build", "src", "A", "lib", "b c", "#d", "!e"];
const FILE_NAMES = ["a", "b", "x.js", "y.log", "X.JS", "out.js", "z", "#d", "!e", "f ", "[g]", "h*", "a.b", "ab", "Build"];

/** A literal name in a pattern: its special characters escaped, or sometimes left as they are (then they mean what they mean). */
function literal(name: string, atLineStart: boolean, random: () => number): string {
  if (random() < 0.25) return name;
  let escaped = name.replace(/[*?[\\]/g, (char) => `\\${char}`);
  if (escaped.endsWith(" ")) escaped = `${escaped.slice(0, -1)}\\ `;
  if (atLineStart && (escaped.startsWith("#") || escaped.startsWith("!"))) escaped = `\\${escaped}`;
  return escaped;
}

// Wildcards, and the corners of git's glob: a `**` glued to a name, brackets with `]` or `-` taken
// literally, an escape inside a bracket, an unknown class, unclosed brackets, a needless escape.
const WILDCARDS = ["*", "?", "*.js", "*.JS", "x.*", "[ab]", "[!a]*", "[^b]", "[a-c]*", "[[:upper:]]*", "*[sx]", "b*", "?.js", "*b*",
  "a?b", "*\\*", "a**", "**b", "[]a]", "[a-]*", "[!]]*", "[\\]a]", "[[:foo:]]", "[[:alpha:]", "[a", "[[]", "\\a", "[+-b]*"];

/** One line of a .gitignore, from a grammar of gitignore(5)'s pattern forms. */
function patternLine(random: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const roll = random();
  if (roll < 0.04) return "";
  if (roll < 0.07) return `# ${pick(FILE_NAMES)}`;
  const negated = random() < 0.3;
  const anchor = pick(["", "", "", "/", "**/"]);
  const count = 1 + Math.floor(random() * random() * 3);
  const segments: string[] = [];
  for (let i = 0; i < count; i++) {
    const last = i === count - 1;
    const kind = random();
    const atLineStart = !negated && anchor === "" && i === 0;
    if (kind < 0.1 && count > 1) segments.push("**");
    else if (kind < 0.45) segments.push(pick(WILDCARDS));
    else segments.push(literal(pick(last ? [...FILE_NAMES, ...FOLDER_NAMES] : FOLDER_NAMES), atLineStart, random));
  }
  const slash = random() < 0.3 ? "/" : "";
  const trailing = pick(["", "", "", "", " ", "  ", "\\ "]);
  return `${negated ? "!" : ""}${anchor}${segments.join("/")}${slash}${trailing}`;
}

interface Tree {
  files: string[];
  /** Each .gitignore's folder ("" for the root) and text. */
  ignores: Map<string, string>;
}

function randomTree(random: () => number): Tree {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const files = new Set<string>();
  const folders = new Set<string>([""]);
  for (let i = 0; i < 30; i++) {
    const depth = Math.floor(random() * 4);
    const parts = [...Array.from({ length: depth }, () => pick(FOLDER_NAMES)), pick(FILE_NAMES)];
    const path = parts.join("/");
    const ancestors = parts.slice(0, -1).map((_, j) => parts.slice(0, j + 1).join("/"));
    // A path cannot be a file and a folder at once.
    if (folders.has(path) || ancestors.some((folder) => files.has(folder))) continue;
    files.add(path);
    for (const folder of ancestors) folders.add(folder);
  }
  const ignores = new Map<string, string>();
  const linesOf = new Map<string, string[]>();
  // Folders come after the folders above them (a path's folders were added shallowest first).
  for (const folder of folders) {
    if (folder !== "" && random() > 0.4) continue;
    const lines = Array.from({ length: 1 + Math.floor(random() * 6) }, () => patternLine(random));
    // Often a deeper file flips a line of the nearest one above it: re-includes what it excludes, or the reverse.
    const above = [...linesOf].filter(([other]) => other === "" || folder.startsWith(`${other}/`)).pop();
    if (folder !== "" && above && random() < 0.6) {
      const line = pick(above[1]);
      lines.splice(Math.floor(random() * (lines.length + 1)), 0, line.startsWith("!") ? line.slice(1) : `!${line}`);
    }
    linesOf.set(folder, lines);
    const text = lines.join(random() < 0.15 ? "\r\n" : "\n") + (random() < 0.8 ? "\n" : "");
    ignores.set(folder, random() < 0.05 ? `\ufeff${text}` : text);
  }
  return { files: [...files], ignores };
}

function writeTree(dir: string, tree: Tree): void {
  for (const path of tree.files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), "x\n");
  }
  for (const [folder, text] of tree.ignores) writeFileSync(join(dir, folder, ".gitignore"), text);
}

/** The files keyscan lists in a tree outside any repository (or in these folders of it), from the tree's root. */
async function keyscanList(tree: string, paths?: string[]): Promise<string[]> {
  // Told where it is, the walk asks git nothing about the first folder (no process to start).
  const firstFolder = realpathSync(paths ? join(tree, paths[0] as string) : tree);
  const base = Promise.resolve({ base: realpathSync(tree), root: undefined, firstFolder });
  const listed: string[] = [];
  for await (const item of workingTreeFiles({ cwd: tree, base, ...(paths ? { paths } : {}) })) if (item.kind === "file") listed.push(item.file.path);
  return listed.sort();
}

/** Git's list of a repository's files, by the folder of the repository's root holding them. */
function gitListByFolder(dir: string): Map<string, string[]> {
  git(dir, "init", "-q", "--template=");
  const byFolder = new Map<string, string[]>();
  for (const path of git(dir, "ls-files", "-z", "--others", "--cached", "--exclude-standard").split("\0")) {
    const slash = path.indexOf("/");
    if (slash === -1) continue;
    const folder = path.slice(0, slash);
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), path.slice(slash + 1)]);
  }
  return byFolder;
}

describe("a plain folder's file list", () => {
  it(`is git's own, on ${ROUNDS} random trees with random nested .gitignore files (seed ${SEED})`, async () => {
    const random = rng(SEED); // seeded, so a failing case can be replayed
    let listed = 0;
    let excluded = 0;
    let reincluded = 0;
    const differing: object[] = [];
    const trees = join(scratch, "trees");
    const rounds: Array<{ tree: Tree; named: string[] | undefined; keyscan: string[] }> = [];
    for (let round = 0; round < ROUNDS; round++) {
      const tree = randomTree(random);
      const dir = join(trees, `${round}`);
      mkdirSync(dir, { recursive: true });
      writeTree(dir, tree);
      // Sometimes two folders are named, whose common folder is the tree's root: then the .gitignore
      // files above each of them apply too, and a folder excluded above one excludes all of it.
      const firsts = [...new Set(tree.files.filter((path) => path.includes("/")).map((path) => path.split("/")[0] as string))];
      const named = random() < 0.25 && firsts.length >= 2 ? pickFolders(tree, firsts, random) : undefined;
      rounds.push({ tree, named, keyscan: await keyscanList(dir, named) });
    }
    const gitLists = gitListByFolder(trees);
    for (const [round, { tree, named, keyscan }] of rounds.entries()) {
      // A pathspec would only filter git's list: what is excluded does not depend on it.
      const expected = (gitLists.get(`${round}`) ?? []).filter((path) => !named || named.some((folder) => path.startsWith(`${folder}/`))).sort();
      const allFiles = [...tree.files, ...[...tree.ignores.keys()].map((folder) => (folder === "" ? ".gitignore" : `${folder}/.gitignore`))];
      const inScope = named ? allFiles.filter((path) => named.some((folder) => path.startsWith(`${folder}/`))) : allFiles;
      listed += expected.length;
      excluded += inScope.length - expected.length;
      // Git lists a file below a folder that a shallower .gitignore's pattern excludes by name alone.
      if (expected.some((path) => reincludedBelow(path, tree))) reincluded++;
      if (keyscan.join("\n") !== expected.join("\n")) {
        differing.push({
          round,
          named,
          ignores: Object.fromEntries(tree.ignores),
          onlyKeyscan: keyscan.filter((path) => !expected.includes(path)),
          onlyGit: expected.filter((path) => !keyscan.includes(path)),
        });
      }
    }
    // Each differing round in full (its .gitignore texts, and the paths only one side lists), the first few.
    expect(`seed ${SEED}: ${differing.length} of ${ROUNDS} rounds differ\n${JSON.stringify(differing.slice(0, 3), null, 1)}`).toBe(
      `seed ${SEED}: 0 of ${ROUNDS} rounds differ\n[]`,
    );
    // The trees exercise both answers, and re-inclusion below a folder a shallower file excludes.
    expect(listed).toBeGreaterThan(ROUNDS * 5);
    expect(excluded).toBeGreaterThan(ROUNDS * 5);
    expect(reincluded).toBeGreaterThanOrEqual(ROUNDS / 100);
  });
});

/** Two of the tree's folders whose first names differ, so that their common folder is the root. */
function pickFolders(tree: Tree, firsts: readonly string[], random: () => number): string[] {
  const folderOf = (first: string): string => {
    const below = tree.files.filter((path) => path.startsWith(`${first}/`)).map((path) => path.split("/").slice(0, -1));
    const parts = below[Math.floor(random() * below.length)] as string[];
    return parts.slice(0, 1 + Math.floor(random() * parts.length)).join("/");
  };
  const i = Math.floor(random() * firsts.length);
  const j = (i + 1 + Math.floor(random() * (firsts.length - 1))) % firsts.length;
  return [folderOf(firsts[i] as string), folderOf(firsts[j] as string)];
}

/**
 * Whether a listed path lies below a folder that a shallower .gitignore excludes by its name alone
 * (`build`, `build/`, or either after a leading double star): git lists it only as a deeper file
 * re-included that folder.
 */
function reincludedBelow(path: string, tree: Tree): boolean {
  const parts = path.split("/");
  for (let depth = 1; depth < parts.length - 1; depth++) {
    const folderName = parts[depth] as string;
    for (let up = 0; up < depth; up++) {
      const folder = parts.slice(0, up).join("/");
      const text = tree.ignores.get(folder);
      const excluding = [folderName, `${folderName}/`, `**/${folderName}`, `**/${folderName}/`];
      if (text?.split(/\r?\n/).some((line) => excluding.includes(line.trimEnd()))) return true;
    }
  }
  return false;
}
