// The walk's .gitignore matching, case by case, with git's answers (gitignore(5); each was checked
// against `git ls-files --others --exclude-standard` on the same tree). The random comparison with real
// git over thousands of trees is test/e2e/gitignore-vs-git.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type FolderRules, type IgnoreLevel, ignoreLevel, insideFolder, isIgnored, NO_RULES, withLevel } from "../../../src/sources/gitignore.js";

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

/**
 * What the walk decides of each entry it reaches in a tree of `paths` (files; their folders are
 * implied), given the .gitignore text of some folders ("" the root). Folders are reported with a
 * trailing "/". An entry of an excluded folder is never reached, so it has no verdict.
 */
function walkVerdicts(paths: readonly string[], texts: Record<string, string>): Map<string, boolean> {
  const levels = new Map(Object.entries(texts).map(([folder, text]) => [folder, levelOf(text, folder)]));
  const verdicts = new Map<string, boolean>();
  const visit = (folder: string, rules: FolderRules): void => {
    const own = levels.get(folder);
    const here = own ? withLevel(rules, own, folder) : rules;
    const prefix = folder === "" ? "" : `${folder}/`;
    const entries = new Set(paths.filter((path) => path.startsWith(prefix)).map((path) => path.slice(prefix.length).replace(/\/.*/, "/")));
    for (const entry of entries) {
      const isDirectory = entry.endsWith("/");
      const name = isDirectory ? entry.slice(0, -1) : entry;
      const path = `${prefix}${name}`;
      const ignored = isIgnored(here, name, path, isDirectory);
      verdicts.set(`${prefix}${entry}`, ignored);
      if (isDirectory && !ignored) visit(path, insideFolder(here, path));
    }
  };
  visit("", NO_RULES);
  return verdicts;
}

/** The files the walk lists. */
function listed(paths: readonly string[], texts: Record<string, string>): string[] {
  return [...walkVerdicts(paths, texts)].filter(([path, ignored]) => !ignored && !path.endsWith("/")).map(([path]) => path).sort();
}

describe("the walk's .gitignore matching, as git's", () => {
  it("lets a deeper .gitignore re-include a folder a shallower one excludes, and so everything in it", () => {
    const verdicts = walkVerdicts(["src/build/out.js", "src/main.js", "build/x.js"], { "": "build/\n", src: "!build/\n" });
    expect(verdicts.get("build/")).toBe(true);
    expect(verdicts.get("src/build/")).toBe(false);
    // The root's `build/` is matched against `src/build/out.js` itself, which it does not match: the
    // folder's exclusion was decided once, with every level (git does not test a path's folders again).
    expect(verdicts.get("src/build/out.js")).toBe(false);
    expect(verdicts.get("src/main.js")).toBe(false);
  });

  it("cannot re-include a file whose folder is excluded", () => {
    const verdicts = walkVerdicts(["build/keep.js", "build/x.js", "logs/a/keep.log"], {
      "": "build/\n!build/keep.js\nlogs/*\n!logs/a/keep.log\n",
    });
    expect(verdicts.get("build/")).toBe(true);
    expect(verdicts.has("build/keep.js")).toBe(false);
    // `logs/*` excludes the folder `logs/a`, so its file stays out despite the later `!`.
    expect(verdicts.get("logs/a/")).toBe(true);
    expect(listed(["build/keep.js", "logs/a/keep.log", "logs/b.txt"], { "": "build/\n!build/keep.js\nlogs/*\n!logs/a/\n" })).toEqual([
      "logs/a/keep.log",
    ]);
  });

  it("decides by the last matching line of the deepest .gitignore that has one", () => {
    const texts = { "": "*.log\n!keep.log\n", sub: "keep.log\n", "sub/deep": "!*.log\n" };
    expect(listed(["a.log", "keep.log", "sub/keep.log", "sub/x.log", "sub/deep/x.log", "sub/deep/keep.log"], texts)).toEqual([
      "keep.log",
      "sub/deep/keep.log",
      "sub/deep/x.log",
    ]);
  });

  it("matches a pattern with a slash from its own .gitignore's folder, and one without at any depth", () => {
    const files = ["a/b/x", "c/a/b/x", "sub/a/b/x", "sub/c/a/b/x", "top", "c/top", "sub/top"];
    expect(listed(files, { sub: "a/b\n/top\n" })).toEqual(["a/b/x", "c/a/b/x", "c/top", "sub/c/a/b/x", "top"]);
    expect(listed(files, { "": "top\n" })).toEqual(["a/b/x", "c/a/b/x", "sub/a/b/x", "sub/c/a/b/x"]);
  });

  it("matches a trailing slash against folders only", () => {
    expect(listed(["out/x", "a/out", "b/c"], { "": "out/\nc\n" })).toEqual(["a/out"]);
  });

  it("reads `*` and `?` within one name, and `**` across folders only as a whole name", () => {
    const files = ["a/x", "a/b/x", "a/b/c/x", "x", "ab/x", "ax/y/b", "a/c", "ab/b", "q/ab/c/d", "q/abz", "q/b"];
    expect(listed(files, { "": "a/*/x\n" })).toEqual(["a/b/c/x", "a/c", "a/x", "ab/b", "ab/x", "ax/y/b", "q/ab/c/d", "q/abz", "q/b", "x"]);
    expect(listed(files, { "": "**/x\n" })).toEqual(["a/c", "ab/b", "ax/y/b", "q/ab/c/d", "q/abz", "q/b"]);
    expect(listed(files, { "": "a/**/x\n" })).toEqual(["a/c", "ab/b", "ab/x", "ax/y/b", "q/ab/c/d", "q/abz", "q/b", "x"]);
    expect(listed(files, { "": "a/**\n" })).toEqual(["ab/b", "ab/x", "ax/y/b", "q/ab/c/d", "q/abz", "q/b", "x"]);
    // Git compares the part before a pattern's first wildcard literally and globs only the rest, where a
    // leading `**` counts as a whole name: `a**/b` is `a` then `**/b` (so it excludes the folders `ab` and
    // `a/b`, and `ax/y/b`), and `q/a**` is `q/a` then anything.
    expect(listed(files, { "": "a**/b\n" })).toEqual(["a/c", "a/x", "q/ab/c/d", "q/abz", "q/b", "x"]);
    expect(listed(files, { "": "q/a**\n" })).toEqual(["a/b/c/x", "a/b/x", "a/c", "a/x", "ab/b", "ab/x", "ax/y/b", "q/b", "x"]);
    expect(listed(["ab", "a.b", "a/b"], { "": "a?b\n" })).toEqual(["a/b", "ab"]);
  });

  it("reads bracket expressions as git's wildmatch does", () => {
    const files = ["a", "b", "c", "]", "-", "A", "x.1", "x.2"];
    expect(listed(files, { "": "[ab]\n" })).toEqual(["-", "A", "]", "c", "x.1", "x.2"]);
    expect(listed(files, { "": "[!ab]\n" })).toEqual(["a", "b", "x.1", "x.2"]);
    expect(listed(files, { "": "[]a]\n[a-]\n" })).toEqual(["A", "b", "c", "x.1", "x.2"]);
    expect(listed(files, { "": "[[:upper:]]\nx.[2-9]\n" })).toEqual(["-", "]", "a", "b", "c", "x.1"]);
    // An unclosed bracket or an unknown class never matches.
    expect(listed(files, { "": "[a\n[[:nope:]]\n" })).toEqual([...files].sort());
  });

  it("reads escapes, trailing spaces, comments, CRLF and a byte order mark as git does", () => {
    const files = ["#d", "!e", "f ", "f", "h*", "hx", "g"];
    expect(listed(files, { "": "\\#d\n\\!e\n" })).toEqual(["f", "f ", "g", "h*", "hx"]);
    expect(listed(files, { "": "# f\n#d\nf \n" })).toEqual(["!e", "#d", "f ", "g", "h*", "hx"]);
    expect(listed(files, { "": "f\\ \nh\\*\n" })).toEqual(["!e", "#d", "f", "g", "hx"]);
    expect(listed(files, { "": "\ufeffg\r\n!e\r\n" })).toEqual(["!e", "#d", "f", "f ", "h*", "hx"]);
  });

  it.runIf(process.platform === "linux")("matches case as it is, as `git init` on Linux leaves core.ignorecase false", () => {
    expect(listed(["Build/x", "build/x", "X.JS", "x.js"], { "": "build/\n*.js\n" })).toEqual(["Build/x", "X.JS"]);
  });

  it("asks a pattern anchored under folder names about entries in or below that folder only", () => {
    const files = ["x/a/b/c/d.txt", "x/a/b/e.log", "x/a/b/c/f.log", "x/e.log", "x/f.log", "y/a/b/e.log"];
    // `x/a/**` excludes what is below the folder `!x/a/b` re-includes.
    const below = walkVerdicts(files, { "": "x/a/**\n!x/a/b\n" });
    expect(below.get("x/a/b/")).toBe(false);
    expect(below.get("x/a/b/c/")).toBe(true);
    expect(below.get("x/a/b/e.log")).toBe(true);
    expect(listed(files, { "": "x/a/b/*.log\n/x/e.*\n" })).toEqual(["x/a/b/c/d.txt", "x/a/b/c/f.log", "x/f.log", "y/a/b/e.log"]);
    expect(listed(files, { "": "/x/**/*.log\n" })).toEqual(["x/a/b/c/d.txt", "y/a/b/e.log"]);
  });
});
