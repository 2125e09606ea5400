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
// of them are of those two kinds; one matcher then serves every folder at that depth where the same
// patterns can match (see below), and its cache holds names, which repeat, rather than paths.
//
// Most patterns end in a plain name (`build`, `/code`, `docs/conf.py`, `!/**/src/**/bin`): such a
// pattern can match only an entry of that name, whatever comes before it. An entry is matched
// against the patterns that can match it alone: those ending in its own name and those ending in a
// wildcard. The last pattern that matches decides, so leaving out patterns that cannot match
// changes no answer; it makes a name's first match cheaper (a dozen patterns rather than forty),
// and a pattern that needs the whole path (a `**`) costs a path match only for entries of its name.
// Likewise a pattern anchored under plain folder names can match only in that one folder
// (`docs/man/man1/ansible*.1`) or below it (`/tests/**/*.coverage`): elsewhere it is left out, so
// the other folders' entries are still matched by name.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ignore, { type Ignore } from "ignore";

/** One folder's .gitignore. */
export interface IgnoreLevel {
  /** All its patterns, matched against paths relative to its folder. */
  rules: Ignore;
  /** The folder's reported path's length, plus one for the "/" after it (0 for the scan's base). */
  cut: number;
  /** The patterns that can match in a folder `depth` names below this one, whose reported path is `path`. */
  inFolder: (depth: number, path: string) => FolderMatchers;
}

/** One level's patterns that can match in one folder. */
interface FolderMatchers {
  /**
   * Those that can match an entry called `name`, matching names alone; undefined when some of them
   * need the entry's whole path (then the level's `rules` is asked).
   */
  forName: (name: string) => Ignore | undefined;
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
  /** For each level: its patterns that can match in this folder. */
  matchers: readonly FolderMatchers[];
}

/** A folder's .gitignore as a level, or undefined when it cannot be read. */
export function ignoreLevel(dir: string, path: string): IgnoreLevel | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, ".gitignore"), "utf8");
  } catch {
    return undefined;
  }
  const lines = text
    .split(/\r?\n/)
    .map((line) => ({ line, reach: reach(line), endsIn: endsIn(line), placed: placedIn(line) }))
    .filter(({ reach }) => reach !== "none");
  const byDepth: Array<(folder: string) => FolderMatchers> = [];
  const cut = path === "" ? 0 : path.length + 1;
  const inFolder = (depth: number, folder: string): FolderMatchers => (byDepth[depth] ??= depthMatchers(lines, depth))(folder.slice(cut));
  return { rules: ignore().add(text), cut, inFolder };
}

interface Line {
  line: string;
  reach: Reach;
  /** See endsIn. */
  endsIn: string | undefined;
  /** See placedIn. */
  placed: Placement | undefined;
}

/**
 * The patterns that can match at one depth below a .gitignore, by the folder (its path from the
 * .gitignore's) whose entries are matched: one set of matchers for each combination of the placed
 * patterns that can match there, made when first needed.
 */
function depthMatchers(lines: readonly Line[], depth: number): (folder: string) => FolderMatchers {
  const here = lines.filter(({ reach }) => reach === "name" || reach === "path" || reach === depth + 1);
  const placed = here.filter(({ reach, placed }) => reach !== "name" && placed !== undefined);
  const everywhere = here.filter((line) => !placed.includes(line));
  if (placed.length === 0) {
    const matchers = folderMatchers(here);
    return () => matchers;
  }
  const byPresence = new Map<string, FolderMatchers>();
  return (folder) => {
    // Lower case, as the package matches without regard to case.
    const key = folder.toLowerCase();
    const present = placed.map(({ placed }) => (canMatchIn(placed as Placement, key) ? "1" : "0")).join("");
    let matchers = byPresence.get(present);
    if (matchers === undefined) {
      const kept = new Set([...everywhere, ...placed.filter((_, i) => present[i] === "1")]);
      byPresence.set(present, (matchers = folderMatchers(here.filter((line) => kept.has(line)))));
    }
    return matchers;
  };
}

/** These lines as matchers of names: for a name no pattern ends in, or for one some do. */
function folderMatchers(lines: readonly Line[]): FolderMatchers {
  const names = new Set(lines.flatMap(({ endsIn }) => (endsIn === undefined ? [] : [endsIn])));
  const others = nameMatcher(lines.filter(({ endsIn }) => endsIn === undefined));
  const byName = new Map<string, Ignore | undefined>();
  return {
    forName: (name) => {
      if (names.size === 0) return others;
      // Lower case, as the package matches without regard to case.
      const key = name.toLowerCase();
      if (!names.has(key)) return others;
      if (!byName.has(key)) byName.set(key, nameMatcher(lines.filter(({ endsIn }) => endsIn === undefined || endsIn === key)));
      return byName.get(key);
    },
  };
}

/** These lines as one matcher of names, in their order; undefined when one of them needs the whole path (is not of reach "name"). */
function nameMatcher(lines: readonly Line[]): Ignore | undefined {
  if (lines.some(({ reach }) => reach !== "name")) return undefined;
  return ignore().add(lines.map(({ line }) => line).join("\n"));
}

/** Letters, digits and `_.+@%=,~-` only: a name that a pattern matches as it is (the package escapes nothing in it that matters). */
const PLAIN_NAME = /^[\w.+@%=,~-]+$/;

/** A line's pattern: without its `!` and a trailing slash; undefined when a bracket or an escape makes its slashes unsure. */
function patternOf(line: string): string | undefined {
  if (line.startsWith("#") || line.includes("[") || line.includes("\\")) return undefined;
  const body = line.startsWith("!") ? line.slice(1) : line;
  const pattern = body.endsWith("/") ? body.slice(0, -1) : body;
  return pattern.includes("//") ? undefined : pattern;
}

/**
 * The name (lower case) that a line's pattern ends in, when that is a plain name: the pattern then
 * matches only entries of that name (the package compiles its end to the name followed by the
 * path's end). Undefined for a pattern ending in a wildcard, or with a bracket, an escape or
 * anything but PLAIN_NAME in its last name: such a pattern is asked about every entry.
 */
function endsIn(line: string): string | undefined {
  const pattern = patternOf(line);
  const last = pattern?.slice(pattern.lastIndexOf("/") + 1);
  return last !== undefined && PLAIN_NAME.test(last) ? last.toLowerCase() : undefined;
}

/**
 * Where an anchored pattern can match: only among the entries of one folder, or of the folders at or
 * below one (a path from the .gitignore's folder, lower case; "" for that folder).
 */
interface Placement {
  folder: string;
  below: boolean;
}

const canMatchIn = ({ folder, below }: Placement, key: string): boolean =>
  key === folder || (below && (folder === "" || key.startsWith(`${folder}/`)));

/**
 * Where a pattern anchored by a slash (one before its last name) can match, from the plain names it
 * starts with (the package matches an anchored pattern from the path's start, name by name): in the
 * folder they name when all the names before its last are plain, at or below it when a wildcard
 * follows them or the pattern has a `**`. Undefined for a pattern that is not anchored, or that can
 * match below any folder.
 */
function placedIn(line: string): Placement | undefined {
  const pattern = patternOf(line);
  if (pattern === undefined || !pattern.slice(0, -1).includes("/")) return undefined;
  const names = (pattern.startsWith("/") ? pattern.slice(1) : pattern).split("/").slice(0, -1);
  const plain = names.findIndex((name) => !PLAIN_NAME.test(name));
  if (plain === 0) return undefined;
  // A `**` (even as the last name) can stand for any number of folders.
  if (plain === -1 && !pattern.includes("**")) return { folder: names.join("/").toLowerCase(), below: false };
  return { folder: names.slice(0, plain === -1 ? names.length : plain).join("/").toLowerCase(), below: true };
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
  const depths = relative.map((inside) => (inside === "" ? 0 : inside.split("/").length));
  return {
    levels,
    depths,
    excludedBy: levels.map((level, i) => relative[i] !== "" && level.rules.test(`${relative[i]}/`).ignored),
    matchers: levels.map((level, i) => level.inFolder(depths[i] as number, path)),
  };
}

/** The rules in force in a folder that has a .gitignore of its own (reported as `path`): those of its parent, and its own. */
export function withLevel(rules: FolderRules, level: IgnoreLevel, path: string): FolderRules {
  return {
    levels: [...rules.levels, level],
    depths: [...rules.depths, 0],
    excludedBy: [...rules.excludedBy, false],
    matchers: [...rules.matchers, level.inFolder(0, path)],
  };
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
      const names = (rules.matchers[i] as FolderMatchers).forName(name);
      const asked = names ? name : path.slice(level.cut);
      result = (names ?? level.rules).test(isDirectory ? `${asked}/` : asked);
    }
    if (excludedBy) excludedBy[i] = result.ignored;
    if (result.ignored) ignored = true;
    else if (result.unignored) ignored = false;
  }
  return ignored;
}

/** The rules in force in a folder walked into (reported as `path`), from its parent's and what isIgnored said of it. */
export function insideFolder(rules: FolderRules, excludedBy: boolean[], path: string): FolderRules {
  const depths = rules.depths.map((depth) => depth + 1);
  return { levels: rules.levels, depths, excludedBy, matchers: rules.levels.map((level, i) => level.inFolder(depths[i] as number, path)) };
}
