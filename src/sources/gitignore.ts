// Outside a repository, which entries the .gitignore files on the way exclude (the walk in files.ts):
// each file's patterns apply to paths relative to its own folder, a deeper file can re-include with
// `!`, and an entry of a folder that a file's patterns exclude is excluded by that file too.
//
// The `ignore` package matches the patterns. Asked about a path, it first asks about each of the
// path's folders (from its cache, one entry per path it has seen) and then runs every pattern of
// the file over the whole path. The walk already knows about the folders, so here a folder's
// entries are matched by their names alone wherever that gives the same answer: a pattern with no
// slash but a trailing one matches a path exactly when it matches the path's last name, and a
// pattern anchored by a slash matches only paths of as many names as it has. So, for each depth
// below a .gitignore, the patterns that can match there are made into a matcher of names, when all
// of them are of those two kinds; one matcher then serves every folder at that depth, and its
// cache holds names, which repeat, rather than paths.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ignore, { type Ignore } from "ignore";

/** One folder's .gitignore. */
export interface IgnoreLevel {
  /** All its patterns, matched against paths relative to its folder. */
  rules: Ignore;
  /** The folder's reported path's length, plus one for the "/" after it (0 for the scan's base). */
  cut: number;
  /**
   * The patterns that can match an entry of a folder `depth` names below this one, matching names
   * alone; undefined when some of them need the entry's whole path (then `rules` is asked).
   */
  namesAt: (depth: number) => Ignore | undefined;
}

/** The .gitignore levels in force in one folder of the walk. */
export interface FolderRules {
  levels: readonly IgnoreLevel[];
  /** For each level: the folder's depth below that level's folder (0 for its own). */
  depths: readonly number[];
  /**
   * For each level: true when its patterns alone exclude this folder (walked into all the same, as a
   * deeper level re-included it); they then exclude every entry of it too, as the package says.
   */
  excludedBy: readonly boolean[];
}

/** A folder's .gitignore as a level, or undefined when it cannot be read. */
export function ignoreLevel(dir: string, path: string): IgnoreLevel | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, ".gitignore"), "utf8");
  } catch {
    return undefined;
  }
  const lines = text.split(/\r?\n/).map((line) => ({ line, reach: reach(line) }));
  const byDepth = new Map<number, Ignore | undefined>();
  const namesAt = (depth: number): Ignore | undefined => {
    if (byDepth.has(depth)) return byDepth.get(depth);
    const here = lines.filter(({ reach }) => reach === "name" || reach === "none" || reach === "path" || reach === depth + 1);
    const matcher = here.every(({ reach }) => reach === "name" || reach === "none")
      ? ignore().add(here.map(({ line }) => line).join("\n"))
      : undefined;
    byDepth.set(depth, matcher);
    return matcher;
  };
  return { rules: ignore().add(text), cut: path === "" ? 0 : path.length + 1, namesAt };
}

/**
 * Where one line of a .gitignore can match: "none" (a blank line or a comment), "name" (no slash but
 * a trailing one: any depth, on the last name alone), a number of names (anchored by a slash: only
 * paths of that many names), or "path" (anything else: a `**`, a bracket expression with a range or
 * a negation, which may match a slash, another escape or trailing white space; it may match at any
 * depth and needs the whole path).
 */
type Reach = "none" | "name" | "path" | number;

function reach(line: string): Reach {
  if (line === "" || line.startsWith("#")) return "none";
  // Plain bracket expressions (`*.py[co]`) and escaped characters (`\#*`) match one character, never a slash.
  const plain = line.replace(/\[[\w.]+\]|\\[#!*?[\]]/g, "?");
  if (/[[\\]|\*\*|\s$/.test(plain)) return "path";
  let pattern = plain.startsWith("!") ? plain.slice(1) : plain;
  if (pattern.endsWith("/")) pattern = pattern.slice(0, -1);
  if (pattern === "" || pattern.includes("//")) return "path";
  if (!pattern.includes("/")) return "name";
  return (pattern.startsWith("/") ? pattern.slice(1) : pattern).split("/").length;
}

/** The rules in force where a walk starts: the levels above it, each asked once about the folder itself. */
export function startingRules(levels: readonly IgnoreLevel[], path: string): FolderRules {
  const relative = levels.map((level) => path.slice(level.cut));
  return {
    levels,
    depths: relative.map((inside) => (inside === "" ? 0 : inside.split("/").length)),
    excludedBy: levels.map((level, i) => relative[i] !== "" && level.rules.test(`${relative[i]}/`).ignored),
  };
}

/** The rules in force in a folder that has a .gitignore of its own: those of its parent, and its own. */
export function withLevel(rules: FolderRules, level: IgnoreLevel): FolderRules {
  return { levels: [...rules.levels, level], depths: [...rules.depths, 0], excludedBy: [...rules.excludedBy, false] };
}

/**
 * Whether an entry of the folder is excluded: the last level that excludes or re-includes it decides.
 * `path` is its reported path (forward slashes), `name` its own name. For a folder, `excludedBy`
 * receives what each level alone says of it (the FolderRules of a folder walked into).
 */
export function isIgnored(rules: FolderRules, name: string, path: string, isDirectory: boolean, excludedBy?: boolean[]): boolean {
  let ignored = false;
  for (let i = 0; i < rules.levels.length; i++) {
    const level = rules.levels[i] as IgnoreLevel;
    let result: { ignored: boolean; unignored: boolean };
    if (rules.excludedBy[i]) result = { ignored: true, unignored: false };
    else {
      const names = level.namesAt(rules.depths[i] as number);
      const asked = names ? name : path.slice(level.cut);
      result = (names ?? level.rules).test(isDirectory ? `${asked}/` : asked);
    }
    if (excludedBy) excludedBy[i] = result.ignored;
    if (result.ignored) ignored = true;
    else if (result.unignored) ignored = false;
  }
  return ignored;
}

/** The rules in force in a folder walked into, from its parent's and what isIgnored said of it. */
export function insideFolder(rules: FolderRules, excludedBy: boolean[]): FolderRules {
  return { levels: rules.levels, depths: rules.depths.map((depth) => depth + 1), excludedBy };
}
