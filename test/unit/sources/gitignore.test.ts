import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ignore, { type Ignore } from "ignore";
import { afterAll, describe, expect, it } from "vitest";
import { type FolderRules, type IgnoreLevel, ignoreLevel, insideFolder, isIgnored, startingRules, withLevel } from "../../../src/sources/gitignore.js";

const scratch = mkdtempSync(join(tmpdir(), "keyscan-gitignore-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A .gitignore with this text, as the level of the folder reported as `path`. */
function levelOf(text: string, path: string): IgnoreLevel {
  const dir = mkdtempSync(join(scratch, "level-"));
  writeFileSync(join(dir, ".gitignore"), text);
  const level = ignoreLevel(dir, path);
  if (!level) throw new Error("unreadable .gitignore");
  return level;
}

/** What the walk decides of each entry it reaches in a tree of `paths` (folders end in "/"), folders first entered. */
function walkVerdicts(paths: readonly string[], levels: ReadonlyMap<string, IgnoreLevel>, start = ""): Map<string, boolean> {
  const verdicts = new Map<string, boolean>();
  const visit = (folder: string, rules: FolderRules): void => {
    const own = levels.get(folder);
    const here = own ? withLevel(rules, own, folder) : rules;
    const prefix = folder === "" ? "" : `${folder}/`;
    const entries = [...new Set(paths.filter((path) => path.startsWith(prefix) && path.length > prefix.length).map((path) => path.slice(prefix.length).split("/")[0] + (path.slice(prefix.length).includes("/") ? "/" : "")))];
    for (const entry of entries) {
      const isDirectory = entry.endsWith("/");
      const name = isDirectory ? entry.slice(0, -1) : entry;
      const path = `${prefix}${name}`;
      const excludedBy: boolean[] = [];
      const ignored = isIgnored(here, name, path, isDirectory, isDirectory ? excludedBy : undefined);
      verdicts.set(entry.endsWith("/") ? `${path}/` : path, ignored);
      if (isDirectory && !ignored) visit(path, insideFolder(here, excludedBy, path));
    }
  };
  const outer = [...levels].filter(([folder]) => folder === "" || start.startsWith(`${folder}/`)).map(([, level]) => level);
  visit(start, startingRules(start === "" ? [] : outer, start));
  return verdicts;
}

/** The same decision made the plain way: each level's `ignore` asked about the whole path (and so about its folders). */
function wholePathVerdict(path: string, texts: ReadonlyMap<string, Ignore>): boolean {
  const isDirectory = path.endsWith("/");
  const bare = isDirectory ? path.slice(0, -1) : path;
  let ignored = false;
  for (const [folder, rules] of texts) {
    if (folder !== "" && !bare.startsWith(`${folder}/`)) continue;
    const inside = folder === "" ? bare : bare.slice(folder.length + 1);
    const result = rules.test(isDirectory ? `${inside}/` : inside);
    if (result.ignored) ignored = true;
    else if (result.unignored) ignored = false;
  }
  return ignored;
}

const PATTERNS = [
  "a", "b/", "*.x", "/a", "a/b", "/a/*", "!b", "!a/", "**/c", "b/**", "[ab]x", "*.y ", "# c", "", "a/b/", "\\!x", "/*", "*",
  "!*.y", "c/a/b", "/b/c/", "x?", "!/a", "!a/b", "A", "*/b", "a/*/c", "!c", "B/", "/ax/", "*.x[co]", "\\#*", ".\\#*", "[._]*.y",
  "[!a]x", "[a-c]", "a[/]b", "x[!a]b", "x[+-0]b", "a\\/b", "*\\*", "!x.xc", "c/a/", "/c/a/x",
  // Patterns ending in a name, of every reach: each is asked only about entries of that name.
  "/**/a/**/x", "!/**/c/**/b", "**/a/", "a/**/x.x", "!*/c/x", "x.X", "/b/a/ax", "!B/c", "a//b", "!/**/A",
  // Patterns anchored under plain folders: each is asked only in its folder.
  "!a/b/x", "A/x/*", "/c/x.x", "!/a/*.x/", "b/a/c", "a/**", "!/A/**/x.x", "c/**/*.x", "a/b/**/c", "/b/*/x", "!b/x?/*",
  "x/a/**", "!x/a/b", "/c/b/**/", "!/c/b/a",
];
const NAMES = ["a", "b", "c", "x", "ax", "A", "B", "x.x", "x.y", "x.xc", "#a", ".#b", "_.y", "cx", "[a]", "!a"];

describe("the walk's .gitignore matching", () => {
  it("decides every entry as asking each level about the whole path does, on random trees and patterns", () => {
    let seed = 7;
    const random = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) / 0x7fffffff;
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    let ignoredSeen = 0;
    let decided = 0;
    for (let round = 0; round < 60; round++) {
      const paths = new Set<string>();
      for (let i = 0; i < 40; i++) {
        const depth = 1 + Math.floor(random() * 5);
        const names = Array.from({ length: depth }, () => pick(NAMES));
        paths.add(names.join("/"));
      }
      const folders = ["", ...new Set([...paths].flatMap((path) => path.split("/").slice(0, -1).map((_, i, all) => all.slice(0, i + 1).join("/"))))];
      const texts = new Map<string, string>();
      for (const folder of folders) if (folder === "" || random() < 0.3) texts.set(folder, Array.from({ length: 1 + Math.floor(random() * 6) }, () => pick(PATTERNS)).join(random() < 0.2 ? "\r\n" : "\n"));
      // Shallow levels first, as the walk meets them.
      const ordered = [...texts].sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.split("/").length - b.split("/").length));
      const levels = new Map(ordered.map(([folder, text]) => [folder, levelOf(text, folder)]));
      const plain = new Map(ordered.map(([folder, text]) => [folder, ignore().add(text)]));
      const start = random() < 0.3 ? pick(folders) : "";
      for (const [path, ignored] of walkVerdicts([...paths], levels, start)) {
        // Outside `start`, levels above it still apply: the plain way sees them too, as it is given every level on the path.
        expect({ path, ignored }).toEqual({ path, ignored: wholePathVerdict(path, plain) });
        decided++;
        if (ignored) ignoredSeen++;
      }
    }
    // The trees exercise both answers.
    expect(decided).toBeGreaterThan(400);
    expect(ignoredSeen).toBeGreaterThan(50);
    expect(decided - ignoredSeen).toBeGreaterThan(50);
  });

  it("asks a pattern anchored under plain names about entries below that folder when it has a `**`, and only in it otherwise", () => {
    const paths = ["x/a/b/c/d.txt", "x/a/b/e.log", "x/a/b/c/f.log", "x/e.log", "x/f.log", "y/a/b/e.log"];
    const decide = (text: string): Map<string, boolean> => {
      const verdicts = walkVerdicts(paths, new Map([["", levelOf(text, "")]]));
      const plain = new Map([["", ignore().add(text)]]);
      for (const [path, ignored] of verdicts) expect({ path, ignored }).toEqual({ path, ignored: wholePathVerdict(path, plain) });
      return verdicts;
    };
    // `x/a/**` excludes what is below the folder `!x/a/b` re-includes.
    const below = decide("x/a/**\n!x/a/b\n");
    expect(below.get("x/a/b/")).toBe(false);
    expect(below.get("x/a/b/c/")).toBe(true);
    // `x/a/b/*.log` matches in that folder alone.
    const inFolder = decide("x/a/b/*.log\n/x/e.*\n");
    expect(inFolder.get("x/a/b/e.log")).toBe(true);
    expect(inFolder.get("x/a/b/c/f.log")).toBe(false);
    expect(inFolder.get("x/e.log")).toBe(true);
    expect(inFolder.get("x/f.log")).toBe(false);
  });

  it("keeps an entry of a folder its level excludes excluded by that level, after a deeper level re-included the folder", () => {
    const levels = new Map([
      ["", levelOf("build/\n", "")],
      ["src", levelOf("!build/\n", "src")],
    ]);
    const verdicts = walkVerdicts(["src/build/out.js", "src/main.js", "build/x.js"], levels);
    expect(verdicts.get("build/")).toBe(true);
    expect(verdicts.get("src/build/")).toBe(false);
    // The root level still excludes what is inside: its folder is excluded there, so its entries are too.
    expect(verdicts.get("src/build/out.js")).toBe(true);
    expect(verdicts.get("src/main.js")).toBe(false);
  });
});
