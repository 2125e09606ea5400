// Outside a repository, which entries the .gitignore files on the way exclude (the walk in files.ts),
// decided as git decides them (gitignore(5), and git's dir.c and wildmatch.c where the manual is silent):
// - An entry is matched against the .gitignore files of its folder and the folders above it, the
//   deepest first: in each, the last pattern that matches it decides, and the first file with a
//   matching pattern decides for all. A deeper file thus overrides a shallower one, `!` included.
// - A pattern is matched against the entry itself only, never against its folders: a folder that is
//   excluded is not walked into, so nothing below it can be re-included (the walk's doing).
// - A pattern with no slash but a trailing one is matched against the entry's name; any other against
//   its path from the .gitignore's folder. A trailing slash matches folders only.
// - `*` and `?` match no slash, nor does a bracket expression; `**` matches any folders only as a whole
//   name (`**/x`, `a/**/x`, `a/**`). Git compares the part of a pattern before its first wildcard
//   literally and matches only the rest as a glob, so a `**` that starts that rest counts as a whole
//   name too (`a**/b` matches `ax/y/b`, and `x/a**` every path that starts with `x/a`, at any depth).
// - `\` escapes the next character (`\#`, `\!`, `\ `); unescaped trailing spaces are dropped; a line
//   starting with `#` is a comment; a "\r" before a line's "\n" and a UTF-8 byte order mark are dropped.
// - Case matters, as in a repository made by `git init` on a case-sensitive file system; on macOS and
//   Windows, where `git init` sets core.ignorecase, it does not.
//
// Speed: most patterns can be matched name by name. A pattern whose last name has no wildcard that
// spans folders is split at its last slash: the folder part is matched once per folder walked into,
// the last name per entry. In each folder, a .gitignore's patterns that can match there (all name
// patterns, and the split ones whose folder part matches) make one matcher, shared by every folder
// where the same patterns can match; it remembers its answer for each name (names repeat across
// folders). Only a pattern whose last part can span folders (`a/**`) is matched path by path.
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** As `git init` sets core.ignorecase: on file systems that ignore case by default. */
const IGNORE_CASE = process.platform === "darwin" || process.platform === "win32";
const foldCase = (text: string): string => (IGNORE_CASE ? text.toLowerCase() : text);

/** One pattern of a .gitignore. */
interface Pattern {
  /** Its line's position among the file's patterns: the last one that matches decides. */
  order: number;
  /** `!`: the pattern re-includes what it matches. */
  negative: boolean;
  /** A trailing slash: matches folders only. */
  foldersOnly: boolean;
  /** What the entry's name must be, when that is all the last part says (no wildcard); case-folded as names are. */
  name: string | undefined;
  /** The last part, matched against the entry's name. */
  last: RegExp;
  /**
   * Where the pattern can match: "any" folder (a pattern with no slash), or the folders whose path
   * from the .gitignore's folder, with a "/" after it ("" for that folder), `folder` matches.
   */
  folder: "any" | FolderPart;
}

/** A pattern's folder part, or a whole pattern whose last part can span folders. */
interface FolderPart {
  /** Anchored regular expression. */
  regex: RegExp;
  /** What any match starts with (the pattern's literal start), to rule most folders out without the regex. */
  start: string;
}

/** A pattern matched in some folders only: those its folder part matches. */
type PlacedPattern = Pattern & { folder: FolderPart };
const isPlaced = (pattern: Pattern): pattern is PlacedPattern => pattern.folder !== "any";

/** A pattern whose last part can span folders (`a/**`): matched against the entry's whole path from the .gitignore's folder. */
interface PathPattern {
  order: number;
  negative: boolean;
  foldersOnly: boolean;
  path: FolderPart;
}

/** One folder's .gitignore. */
export interface IgnoreLevel {
  /** The folder's reported path's length, plus one for the "/" after it (0 for the scan's base). */
  cut: number;
  /** The patterns that can match in the folder reported as `path` (at or below this level's folder). */
  inFolder: (path: string) => FolderMatcher;
}

/** The .gitignore levels in force in one folder of the walk, shallowest first, and each one's matcher for the folder. */
export interface FolderRules {
  levels: readonly IgnoreLevel[];
  matchers: readonly FolderMatcher[];
}

/** The rules in force where nothing has been read yet. */
export const NO_RULES: FolderRules = { levels: [], matchers: [] };

/** A folder's .gitignore as a level (the folder reported as `path`), or undefined when it cannot be read. */
export function ignoreLevel(dir: string, path: string): IgnoreLevel | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, ".gitignore"), "utf8");
  } catch {
    return undefined;
  }
  const names: Pattern[] = [];
  const placed: PlacedPattern[] = [];
  const paths: PathPattern[] = [];
  patternLines(text).forEach((line, order) => {
    const pattern = compile(line, order);
    if (pattern === undefined) return;
    if ("path" in pattern) paths.push(pattern);
    else if (isPlaced(pattern)) placed.push(pattern);
    else names.push(pattern);
  });
  const cut = path === "" ? 0 : path.length + 1;
  const matchers = new Map<string, FolderMatcher>();
  const inFolder = (folderPath: string): FolderMatcher => {
    const relative = folderPath.slice(cut);
    const inside = relative === "" ? "" : foldCase(`${relative}/`);
    const placedHere = placed.filter(({ folder }) => matchesFolder(folder, inside));
    // A path pattern can match an entry here only if its literal start and the folder's path agree as far as both go.
    const pathsHere = paths.filter(({ path }) => path.start.startsWith(inside) || inside.startsWith(path.start));
    const key = `${placedHere.map(({ order }) => order).join(",")};${pathsHere.map(({ order }) => order).join(",")}`;
    let matcher = matchers.get(key);
    if (matcher === undefined) matchers.set(key, (matcher = new FolderMatcher([...names, ...placedHere], pathsHere)));
    return matcher;
  };
  return { cut, inFolder };
}

const matchesFolder = ({ regex, start }: FolderPart, inside: string): boolean => inside.startsWith(start) && regex.test(inside);

/** One .gitignore's patterns that can match in some folders: which of them decides about an entry there. */
export class FolderMatcher {
  /** Patterns whose last part is a plain name, by that name, the last first. */
  private readonly byName = new Map<string, Pattern[]>();
  /** Patterns whose last part has a wildcard, the last first. */
  private readonly wildcards: Pattern[];
  /** Path patterns, the last first. */
  private readonly paths: PathPattern[];
  /** The deciding name pattern (null: none) for each name seen, as a file and as a folder. */
  private readonly files = new Map<string, Pattern | null>();
  private readonly folders = new Map<string, Pattern | null>();

  constructor(patterns: readonly Pattern[], paths: readonly PathPattern[]) {
    const lastFirst = [...patterns].sort((a, b) => b.order - a.order);
    this.wildcards = lastFirst.filter(({ name }) => name === undefined);
    for (const pattern of lastFirst) {
      if (pattern.name === undefined) continue;
      const named = this.byName.get(pattern.name);
      if (named) named.push(pattern);
      else this.byName.set(pattern.name, [pattern]);
    }
    this.paths = [...paths].sort((a, b) => b.order - a.order);
  }

  /**
   * The pattern that decides about an entry of this folder (its name, and its path from the
   * .gitignore's folder), or undefined when none matches it.
   */
  decide(name: string, inside: string, isDirectory: boolean): Pattern | PathPattern | undefined {
    const key = foldCase(name);
    const seen = isDirectory ? this.folders : this.files;
    let byName = seen.get(key);
    if (byName === undefined) seen.set(key, (byName = this.lastByName(name, key, isDirectory) ?? null));
    for (const pattern of this.paths) {
      if (byName !== null && pattern.order < byName.order) break;
      if ((isDirectory || !pattern.foldersOnly) && pattern.path.regex.test(inside)) return pattern;
    }
    return byName ?? undefined;
  }

  /** The last name pattern that matches the name. */
  private lastByName(name: string, key: string, isDirectory: boolean): Pattern | undefined {
    let found: Pattern | undefined;
    for (const pattern of this.wildcards) {
      if ((isDirectory || !pattern.foldersOnly) && pattern.last.test(name)) {
        found = pattern;
        break;
      }
    }
    for (const pattern of this.byName.get(key) ?? []) {
      if (found !== undefined && pattern.order < found.order) break;
      if (isDirectory || !pattern.foldersOnly) return pattern;
    }
    return found;
  }
}

/** The rules in force in a folder that has a .gitignore of its own (reported as `path`): those of its parent, and its own. */
export function withLevel(rules: FolderRules, level: IgnoreLevel, path: string): FolderRules {
  return { levels: [...rules.levels, level], matchers: [...rules.matchers, level.inFolder(path)] };
}

/** The rules in force in a folder walked into (reported as `path`), from its parent's. */
export function insideFolder(rules: FolderRules, path: string): FolderRules {
  return { levels: rules.levels, matchers: rules.levels.map((level) => level.inFolder(path)) };
}

/**
 * Whether an entry of the folder is excluded: the deepest .gitignore with a pattern that matches it
 * decides. `path` is its reported path (forward slashes), `name` its own name.
 */
export function isIgnored(rules: FolderRules, name: string, path: string, isDirectory: boolean): boolean {
  for (let i = rules.levels.length - 1; i >= 0; i--) {
    const inside = path.slice((rules.levels[i] as IgnoreLevel).cut);
    const pattern = (rules.matchers[i] as FolderMatcher).decide(name, inside, isDirectory);
    if (pattern !== undefined) return !pattern.negative;
  }
  return false;
}

/**
 * A .gitignore's pattern lines, in order, as git reads them: without a byte order mark, a "\r" before
 * "\n", comments, blank lines and unescaped trailing spaces.
 */
function patternLines(text: string): string[] {
  const lines = (text.startsWith("\ufeff") ? text.slice(1) : text).split("\n");
  return lines
    .map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line))
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map(withoutTrailingSpaces)
    .filter((line) => line !== "");
}

/** The line without its trailing spaces, unless escaped by a backslash (tabs are kept, as git keeps them). */
function withoutTrailingSpaces(line: string): string {
  let end = line.length;
  while (end > 0 && line[end - 1] === " ") {
    // An odd number of backslashes before this space escapes it.
    let backslashes = 0;
    while (end - 2 - backslashes >= 0 && line[end - 2 - backslashes] === "\\") backslashes++;
    if (backslashes % 2 === 1) break;
    end--;
  }
  return line.slice(0, end);
}

/**
 * One piece of a compiled pattern: regular-expression source, and what it can match: one character
 * that is not a slash ("char": a literal one, `text` holds it), a slash ("slash"), any folders
 * ("folders": `**` before a slash, nothing or something ending in a slash), anything ("any": a final
 * `**`), or text without a slash ("glob": `*`, `?`, a bracket expression).
 */
interface Token {
  source: string;
  kind: "char" | "slash" | "folders" | "any" | "glob";
  text?: string;
}

/** A line as a pattern (`order` its place among the file's patterns); undefined for one that can never match. */
function compile(line: string, order: number): Pattern | PathPattern | undefined {
  const negative = line.startsWith("!");
  let body = negative ? line.slice(1) : line;
  const foldersOnly = body.endsWith("/");
  if (foldersOnly) body = body.slice(0, -1);
  if (body === "") return undefined;
  if (!body.includes("/")) {
    const tokens = globTokens(body);
    if (tokens === undefined) return undefined;
    return { order, negative, foldersOnly, name: plainName(tokens), last: anchored(tokens), folder: "any" };
  }
  if (body.startsWith("/")) body = body.slice(1);
  // Git compares the part before the first wildcard (or backslash) literally, and globs only the rest.
  const wildcard = body.search(/[*?[\\]/);
  const literalPart = wildcard === -1 ? body : body.slice(0, wildcard);
  const rest = globTokens(wildcard === -1 ? "" : body.slice(wildcard));
  if (rest === undefined) return undefined;
  const tokens = [...[...literalPart].map(literalToken), ...rest];
  const split = lastFolderEnd(tokens);
  if (split === "spans") return { order, negative, foldersOnly, path: folderPart(tokens) };
  const last = tokens.slice(split);
  return { order, negative, foldersOnly, name: plainName(last), last: anchored(last), folder: folderPart(tokens.slice(0, split)) };
}

/**
 * Where a pattern's last part starts: after its last slash, when what comes before can only match
 * nothing or text ending in a slash (so it matches the entry's folder and the rest its name);
 * "spans" when the last part can match a slash (a final `**`, or a `**` glued to a name before it).
 */
function lastFolderEnd(tokens: readonly Token[]): number | "spans" {
  let last = -1;
  tokens.forEach(({ kind }, i) => {
    if (kind === "slash" || kind === "folders" || kind === "any") last = i;
  });
  if (last === -1) return 0;
  const kind = (tokens[last] as Token).kind;
  if (kind === "any") return "spans";
  if (kind === "folders") {
    let first = last;
    while (first > 0 && (tokens[first - 1] as Token).kind === "folders") first--;
    if (first > 0 && (tokens[first - 1] as Token).kind !== "slash") return "spans";
  }
  return last + 1;
}

function folderPart(tokens: readonly Token[]): FolderPart {
  let start = "";
  for (const token of tokens) {
    if (token.kind === "char") start += token.text as string;
    else if (token.kind === "slash") start += "/";
    else break;
  }
  return { regex: anchored(tokens), start: foldCase(start) };
}

/** The name a last part matches, when it has no wildcard (case-folded as names are). */
function plainName(tokens: readonly Token[]): string | undefined {
  if (!tokens.every(({ kind }) => kind === "char")) return undefined;
  return foldCase(tokens.map(({ text }) => text).join(""));
}

const anchored = (tokens: readonly Token[]): RegExp => new RegExp(`^${tokens.map(({ source }) => source).join("")}$`, IGNORE_CASE ? "i" : "");

/** A character matched as itself. */
function literalToken(char: string): Token {
  if (char === "/") return { source: "/", kind: "slash" };
  return { source: escaped(char), kind: "char", text: char };
}

/** Text as regular-expression source that matches it literally: all but letters, digits and `_` as `\\uXXXX`. */
const escaped = (text: string): string => text.replace(/\W/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`);

/**
 * A glob as git's wildmatch reads it (with slashes special): undefined when it can never match (an
 * unclosed bracket, an unknown character class, a backslash at the end).
 */
function globTokens(glob: string): Token[] | undefined {
  const tokens: Token[] = [];
  let i = 0;
  while (i < glob.length) {
    const char = glob[i] as string;
    if (char === "\\") {
      if (i + 1 >= glob.length) return undefined;
      tokens.push(literalToken(glob[i + 1] as string));
      i += 2;
    } else if (char === "?") {
      tokens.push({ source: "[^/]", kind: "glob" });
      i++;
    } else if (char === "[") {
      const bracket = bracketExpression(glob, i);
      if (bracket === undefined) return undefined;
      tokens.push({ source: bracket.source, kind: "glob" });
      i = bracket.end;
    } else if (char === "*") {
      let end = i;
      while (glob[end] === "*") end++;
      // `**` spans folders only as a whole name: at the start or after a slash, and at the end or before a slash.
      const wholeName =
        end - i >= 2 &&
        (i === 0 || glob[i - 1] === "/") &&
        (end === glob.length || glob[end] === "/" || (glob[end] === "\\" && glob[end + 1] === "/"));
      if (!wholeName) tokens.push({ source: "[^/]*", kind: "glob" });
      else if (glob[end] === "/") {
        tokens.push({ source: "(?:[^]*/)?", kind: "folders" });
        end++;
      } else tokens.push({ source: "[^]*", kind: "any" });
      i = end;
    } else {
      tokens.push(literalToken(char));
      i++;
    }
  }
  return tokens;
}

/** ASCII character classes, as git's own ctype defines them. */
const CHARACTER_CLASSES: Record<string, string> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  blank: " \\t",
  cntrl: "\\x00-\\x1f\\x7f",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-/:-@\\[-`{-~",
  space: " \\t\\n\\r",
  upper: "A-Z",
  xdigit: "0-9A-Fa-f",
};

/**
 * The bracket expression starting at `start` (its `[`), read as git's wildmatch reads it: `!` or `^`
 * negates, a `]` first is literal, `\` escapes, `a-z` is a range unless the `-` is last, `[:alpha:]`
 * a class. It never matches a slash. Undefined when it can never match.
 */
function bracketExpression(glob: string, start: number): { source: string; end: number } | undefined {
  let i = start + 1;
  const negated = glob[i] === "!" || glob[i] === "^";
  if (negated) i++;
  const members: string[] = [];
  // The previous single character, which a following `-` makes a range's start; none after a range or a class.
  let previous: string | undefined;
  for (let first = true; first || glob[i] !== "]"; first = false) {
    let char = glob[i];
    if (char === undefined) return undefined;
    if (char === "\\") {
      char = glob[++i];
      if (char === undefined) return undefined;
      members.push(escaped(char));
      previous = char;
    } else if (char === "-" && previous !== undefined && glob[i + 1] !== undefined && glob[i + 1] !== "]") {
      let end = glob[++i];
      if (end === "\\") end = glob[++i];
      if (end === undefined) return undefined;
      if (previous <= end) members.push(`${escaped(previous)}-${escaped(end)}`);
      previous = undefined;
    } else if (char === "[" && glob[i + 1] === ":") {
      const close = glob.indexOf("]", i + 2);
      if (close === -1) return undefined;
      if (close - (i + 2) < 1 || glob[close - 1] !== ":") {
        // Not a class after all: the `[` is a character like any other.
        members.push(escaped("["));
        previous = "[";
      } else {
        const range = CHARACTER_CLASSES[glob.slice(i + 2, close - 1)];
        if (range === undefined) return undefined;
        members.push(range);
        previous = undefined;
        i = close;
      }
    } else {
      members.push(escaped(char));
      previous = char;
    }
    i++;
  }
  const set = members.join("");
  return { source: negated ? `[^/${set}]` : set === "" ? "[]" : `(?!/)[${set}]`, end: i + 1 };
}
