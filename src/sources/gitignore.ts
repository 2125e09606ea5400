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
//
// Most patterns end in a plain name (`build`, `/code`, `docs/conf.py`, `!/**/src/**/bin`): such a
// pattern can match only an entry of that name, whatever comes before it. An entry is matched
// against the patterns that can match it alone: those ending in its own name and those ending in a
// wildcard. The last pattern that matches decides, so leaving out patterns that cannot match
// changes no answer; it makes a name's first match cheaper (a dozen patterns rather than forty),
// and a pattern that needs the whole path (a `**`) costs a path match only for entries of its name.
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
   * The patterns that can match an entry called `name` of a folder `depth` names below this one,
   * matching names alone; undefined when some of them need the entry's whole path (then `rules` is asked).
   */
  namesAt: (depth: number, name: string) => Ignore | undefined;
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
  const lines = text
    .split(/\r?\n/)
    .map((line) => ({ line, reach: reach(line), endsIn: endsIn(line) }))
    .filter(({ reach }) => reach !== "none");
  const byDepth = new Map<number, DepthMatchers>();
  const namesAt = (depth: number, name: string): Ignore | undefined => {
    let here = byDepth.get(depth);
    if (here === undefined) {
      here = depthMatchers(lines.filter(({ reach }) => reach === "name" || reach === "path" || reach === depth + 1));
      byDepth.set(depth, here);
    }
    if (here.names.size === 0) return here.others;
    // Lower case, as the package matches without regard to case.
    const key = name.toLowerCase();
    return here.names.has(key) ? here.named(key) : here.others;
  };
  return { rules: ignore().add(text), cut: path === "" ? 0 : path.length + 1, namesAt };
}

interface Line {
  line: string;
  reach: Reach;
  endsIn: string | undefined;
}

/** The matchers of one depth below a .gitignore: `others` for a name no pattern ends in, `named` for one some do. */
interface DepthMatchers {
  /** The names (lower case) some pattern that can match at this depth ends in. */
  names: ReadonlySet<string>;
  others: Ignore | undefined;
  named: (key: string) => Ignore | undefined;
}

function depthMatchers(lines: readonly Line[]): DepthMatchers {
  const names = new Set(lines.flatMap(({ endsIn }) => (endsIn === undefined ? [] : [endsIn])));
  const byName = new Map<string, Ignore | undefined>();
  return {
    names,
    others: nameMatcher(lines.filter(({ endsIn }) => endsIn === undefined)),
    named: (key) => {
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

/**
 * The name (lower case) that a line's pattern ends in, when that is a plain name: the pattern then
 * matches only entries of that name (the package compiles its end to the name followed by the
 * path's end). Undefined for a pattern ending in a wildcard, or with a bracket, an escape or
 * anything but letters, digits and `_.+@%=,~-` in its last name: such a pattern is asked about
 * every entry.
 */
function endsIn(line: string): string | undefined {
  if (line.startsWith("#") || line.includes("[") || line.includes("\\")) return undefined;
  const body = line.startsWith("!") ? line.slice(1) : line;
  const pattern = body.endsWith("/") ? body.slice(0, -1) : body;
  const last = pattern.slice(pattern.lastIndexOf("/") + 1);
  return /^[\w.+@%=,~-]+$/.test(last) && !pattern.includes("//") ? last.toLowerCase() : undefined;
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
      const names = level.namesAt(rules.depths[i] as number, name);
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
