// End to end: no pattern from a config holds a scan. Allow-list regexes get the backtracking check
// rule patterns get, the check's old blind spots are closed, and a file whose scan overruns its time
// budget is stopped from outside the scanning thread and reported as timed out.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openaiProjectKey } from "../fixtures/fake-keys.js";
import { CLI, cliEnv } from "./helpers/cli.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A folder with this keyscan.toml and these files; the CLI's result there (killed after 60 s). */
function scanWith(config: string, files: Record<string, string>, args: string[] = []): { code: number | null; stdout: string; stderr: string; hung: boolean } {
  const dir = mkdtempSync(join(tmpdir(), "keyscan-regex-"));
  dirs.push(dir);
  writeFileSync(join(dir, "keyscan.toml"), config);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const result = spawnSync(process.execPath, [CLI, "scan", ...Object.keys(files), "--no-progress", ...args], {
    cwd: dir,
    env: cliEnv(),
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, hung: result.error !== undefined };
}

describe("patterns from a config are checked before they run", () => {
  it("an [allow] regex that backtracks catastrophically is refused: exit 2, one sentence", () => {
    const result = scanWith("[allow]\nregexes = ['''^([A-Za-z0-9]+)+$''']\n", { "a.py": `KEY = "${openaiProjectKey(1901)}"\n` });
    expect(result.hung).toBe(false);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/keyscan\.toml: allow: .*\^\(\[A-Za-z0-9\]\+\)\+\$.* can backtrack catastrophically at \(\[A-Za-z0-9\]\+\)\+/);
  });

  it.each([
    ["a lookahead holding a nested quantifier", "acme_(?=(\\w+)+!)\\w"],
    ["a counted repeat of a quantified group", "acme_(\\w+\\s?){6}!"],
    ["a [^] class before a nested quantifier", "acme_[^](\\w+)+!"],
  ])("a custom rule with %s is refused: exit 2", (_, pattern) => {
    const config = `[[rule]]\nid = "acme"\nname = "Acme"\nkeywords = ["acme_"]\npattern = '''${pattern}'''\n`;
    const result = scanWith(config, { "a.txt": `acme_${"a".repeat(50_000)}\n` });
    expect(result.hung).toBe(false);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/rule "acme": pattern can backtrack catastrophically/);
  });
});
