// Runaway rules: a pattern that can backtrack catastrophically is refused when the rules load,
// so it can never hang a scan. The check must accept every default rule.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { catastrophicPart } from "../../src/engine/regex-guard.js";
import { parseRuleFiles } from "../../src/engine/rules.js";
import { defaultRulesDir, readRuleFiles } from "../../src/config/default-rules.js";
import { CLI, cliEnv } from "../helpers/cli.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("catastrophic backtracking check", () => {
  it("flags nested repetitions and overlapping alternatives in a loop", () => {
    for (const pattern of ["(a+)+$", "(a|a)*", "(\\w+\\s?)*", "(a|aa)+", "(\\w|\\d)+", "(x+x+)+y", "(.*a){12}", "(?<n>a+)+b", "((ab)+)+"]) {
      expect(catastrophicPart(pattern), pattern).toBeDefined();
    }
    expect(catastrophicPart("x(a+)+$y")).toBe("(a+)+");
    expect(catastrophicPart("(?:A|a)+", "i"), "case-insensitive alternatives overlap").toBeDefined();
  });

  it("sees through the shapes that used to evade it", () => {
    const evasions: [string, string][] = [
      ["a lookahead holding a nested quantifier", "(?=(\\w+)+!)x"],
      ["a lookbehind holding one", "x(?<=(?:a|a)*)"],
      ["a [^] class (any character) before a nested quantifier", "[^](a+)+$"],
      ["a [] class before a nested quantifier", "x|[](a+)+$"],
      ["a counted repeat of a quantified group", "(\\w+\\s?){5}!"],
      ["a counted repeat of a quantified group, as a range", "(a+){2,7}b"],
      ["a run of adjacent quantifiers", "\\w*\\w*\\w*!"],
      ["a run of adjacent quantifiers over classes that overlap", "[a-z]+[a-f0-9]*[\\w-]+#"],
      ["a group whose name is not ASCII", "(?<ñ>a+)+b"],
    ];
    for (const [what, pattern] of evasions) expect(catastrophicPart(pattern), what).toBeDefined();
  });

  // The hand-written reader this check had before refused these, misreading their syntax.
  it("reads escapes, set operations and group flags as JavaScript does", () => {
    expect(catastrophicPart("(_|\\k<n>)+"), "with no group named n, \\k<n> is the text k<n>").toBeUndefined();
    expect(catastrophicPart("(-[[a-z]--[aeiou]]+)*", "v"), "a nested class under the v flag").toBeUndefined();
    expect(catastrophicPart("(?-i:a|A)+", "i"), "a group that turns case-insensitivity off").toBeUndefined();
    expect(catastrophicPart("(?i:a|A)+"), "a group that turns it on").toBe("(?i:a|A)+");
  });

  it("accepts repetitions whose iterations are delimited, and fixed-width ones", () => {
    for (const pattern of [
      "(-[a-z]+)*",
      "(?:[a-z0-9-]+\\.)+[a-z]{2,}",
      "(ab|ac)+",
      "(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==)?",
      "(?<![\\w-])(sk-proj-[\\w-]{58,74}T3BlbkFJ[\\w-]{58,74})(?![\\w-])",
      "(?:\\\\[ntr]|[^\"\\\\])+",
      "(?:[a-z]{4}){1,3}",
      "\\s*=\\s*['\"]?\\w+",
      "(?=[a-z]+\\d)\\w{8}",
    ]) {
      expect(catastrophicPart(pattern), pattern).toBeUndefined();
    }
  });

  it("accepts every default rule", () => {
    const rules = parseRuleFiles(readRuleFiles(defaultRulesDir)).filter(({ def }) => def.kind === "regex");
    expect(rules.length).toBeGreaterThan(50);
    for (const { def, source } of rules) {
      if (def.kind !== "regex") continue;
      const insensitive = def.pattern.startsWith("(?i)");
      const risky = catastrophicPart(insensitive ? def.pattern.slice(4) : def.pattern, insensitive ? "i" : "");
      expect(risky, `${source}: ${def.id}`).toBeUndefined();
    }
  });
});

describe("a runaway custom rule", () => {
  it("is refused with exit 2 naming the file and rule, instead of hanging on 60,000 'a's and a '!'", () => {
    const dir = mkdtempSync(join(tmpdir(), "keyscan-runaway-"));
    dirs.push(dir);
    writeFileSync(
      join(dir, "keyscan.toml"),
      `[[rule]]\nid = "runaway"\nname = "Runaway"\nkeywords = ["aaaa"]\npattern = '''(a+)+$'''\n`,
    );
    writeFileSync(join(dir, "input.txt"), `${"a".repeat(60_000)}!\n`);
    const started = Date.now();
    const result = spawnSync(process.execPath, [CLI, "scan", "input.txt", "--no-progress"], {
      cwd: dir,
      env: cliEnv(),
      encoding: "utf8",
      timeout: 10_000,
    });
    expect(result.error, "the scan hung").toBeUndefined();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toMatch(/keyscan\.toml: rule "runaway": pattern can backtrack catastrophically at \(a\+\)\+/);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });
});
