// End to end: no pattern from a config holds a scan. Allow-list regexes get the backtracking check
// rule patterns get, the check's old blind spots are closed, and a file whose scan overruns its time
// budget is stopped from outside the scanning thread and reported as timed out.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openaiProjectKey } from "../../fixtures/fake-keys.js";
import { CLI, cliEnv } from "../helpers/cli.js";

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

// A custom rule the static check passes (its non-ASCII classes fall between the check's probe
// characters) and V8's linear engine cannot take (a lookbehind): exponential on a run of "Ő".
const SLOW_RULE = `[[rule]]
id = "slow"
name = "Slow"
keywords = ["acme_"]
pattern = '''(?<=acme_)(?:[\\u0100-\\u0200]+[\\u0100-\\u0200]+)+y'''
`;
const SLOW_LINE = `acme_${"\u0150".repeat(60)}x\n`;

describe("the per-file time budget", () => {
  it("stops a file whose scan overruns it, says so, and still reports the other files' findings", () => {
    const started = Date.now();
    const result = scanWith(SLOW_RULE, { "slow.txt": SLOW_LINE, "key.py": `KEY = "${openaiProjectKey(1902)}"\n` }, ["-f", "json", "--file-timeout", "2"]);
    expect(result.hung, "the scan hung").toBe(false);
    expect(Date.now() - started).toBeLessThan(45_000);
    expect(result.code, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as { findings: { file: string }[]; stats: { timedOut?: number } };
    expect(report.findings.map((finding) => finding.file)).toEqual(["key.py"]);
    expect(report.stats.timedOut).toBe(1);
    expect(result.stderr).toMatch(/scanning slow\.txt took longer than 2 s \(--file-timeout\): stopped/);
  });

  it("bounds standard input too, with one thread, and the text summary counts it", () => {
    const dir = mkdtempSync(join(tmpdir(), "keyscan-regex-"));
    dirs.push(dir);
    writeFileSync(join(dir, "keyscan.toml"), SLOW_RULE);
    const result = spawnSync(process.execPath, [CLI, "scan", "-", "--no-progress", "--threads", "1", "--file-timeout", "2"], {
      cwd: dir,
      env: cliEnv(),
      input: SLOW_LINE,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.error, "the scan hung").toBeUndefined();
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/scanning - took longer than 2 s/);
    expect(result.stdout + result.stderr).toMatch(/skipped 1 \(1 timed out\)/);
  });

  it("--file-timeout must be a positive number of seconds", () => {
    const result = scanWith("", { "a.txt": "x\n" }, ["--file-timeout", "soon"]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('keyscan: --file-timeout: "soon" is not a number of seconds greater than 0 and at most 86400 (a day)');
  });
});

describe("signals while a worker is inside a regex", () => {
  for (const [signal, code] of [["SIGTERM", 143], ["SIGINT", 130]] as const) {
    it(`${signal} stops the scan within a second`, async () => {
      const dir = mkdtempSync(join(tmpdir(), "keyscan-regex-"));
      dirs.push(dir);
      writeFileSync(join(dir, "keyscan.toml"), SLOW_RULE);
      writeFileSync(join(dir, "slow.txt"), SLOW_LINE);
      const child = spawn(process.execPath, [CLI, "scan", "slow.txt", "--no-progress", "--file-timeout", "600"], { cwd: dir, env: cliEnv() });
      const exited = new Promise<number | null>((resolve) => child.on("exit", (status) => resolve(status)));
      await new Promise((resolve) => setTimeout(resolve, 2000)); // by now the worker is deep in the regex
      const sent = Date.now();
      child.kill(signal);
      const status = await Promise.race([exited, new Promise<"still running">((resolve) => setTimeout(() => resolve("still running"), 5000))]);
      if (status === "still running") child.kill("SIGKILL");
      expect(status).toBe(code);
      // The promise is a second; the bound leaves room for a test machine busy with the rest of the suite.
      expect(Date.now() - sent).toBeLessThan(2000);
    });
  }
});
