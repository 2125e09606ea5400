// End-to-end: what the built CLI prints around its findings — quiet mode, colour, the summary's
// counts, and the one-line errors for a mistyped command, a TOML syntax error and a bad revision.
import { describe, expect, it } from "vitest";
import { openaiProjectKey } from "../../fixtures/fake-keys.js";
import { useColor } from "../../src/cli/color.js";
import { runCli } from "../helpers/cli.js";
import { useTempRepos } from "../helpers/git-repo.js";

const repo = useTempRepos();
const key = openaiProjectKey(1616);
const ESC = "\x1b[";

describe("--quiet", () => {
  it("prints the findings alone: no summary, no commit-blocked footer, nothing when clean", () => {
    const made = repo();
    made.write("app.env", `OPENAI_API_KEY=${key}\n`);
    made.add("app.env");
    for (const args of [["scan", "."], ["staged"]]) {
      const loud = runCli(args, { cwd: made.dir });
      const quiet = runCli([...args, "--quiet"], { cwd: made.dir });
      expect(loud.stdout).toContain("Scanned 1 file ");
      expect(quiet.code).toBe(1);
      expect(quiet.stdout).toContain("app.env:1:16  CRITICAL  OpenAI project API key [openai-project-key]");
      expect(quiet.stdout).not.toContain("Scanned");
      expect(quiet.stdout).not.toContain("Commit blocked");
      expect(quiet.stdout).not.toContain("To go on");
    }
    // History's report lists secrets, not files: its summary line was printed with --quiet too.
    made.commit();
    const loud = runCli(["history"], { cwd: made.dir });
    const quiet = runCli(["history", "--quiet"], { cwd: made.dir });
    expect(loud.stdout).toContain("1 commit, 1 blob in");
    expect(quiet.code).toBe(1);
    expect(quiet.stdout).toMatch(/^S1 {2}CRITICAL {2}OpenAI project API key \[openai-project-key\] {2}still in HEAD\n/);
    expect(quiet.stdout).not.toContain("Scanned");
    made.write("app.env", "OPENAI_API_KEY=${OPENAI_API_KEY}\n");
    expect(runCli(["scan", ".", "-q"], { cwd: made.dir })).toMatchObject({ code: 0, stdout: "" });
  });
});

describe("colour", () => {
  it("follows --no-color, NO_COLOR (which wins), FORCE_COLOR (0 and false turn it off) and the terminal", () => {
    const cases: [Parameters<typeof useColor>[0], boolean][] = [
      [{ flag: true, toFile: false, isTTY: true, env: {} }, true],
      [{ flag: true, toFile: false, isTTY: false, env: {} }, false],
      [{ flag: true, toFile: false, isTTY: false, env: { FORCE_COLOR: "1" } }, true],
      [{ flag: true, toFile: false, isTTY: false, env: { FORCE_COLOR: "" } }, true],
      [{ flag: true, toFile: false, isTTY: true, env: { FORCE_COLOR: "0" } }, false],
      [{ flag: true, toFile: false, isTTY: true, env: { FORCE_COLOR: "false" } }, false],
      [{ flag: true, toFile: false, isTTY: true, env: { NO_COLOR: "1", FORCE_COLOR: "1" } }, false],
      [{ flag: true, toFile: false, isTTY: true, env: { NO_COLOR: "" } }, true],
      [{ flag: false, toFile: false, isTTY: true, env: { FORCE_COLOR: "1" } }, false],
      [{ flag: true, toFile: true, isTTY: true, env: { FORCE_COLOR: "1" } }, false],
    ];
    for (const [context, expected] of cases) expect([context, useColor(context)]).toEqual([context, expected]);
  });

  it("colours a piped report under FORCE_COLOR, and not when NO_COLOR is set too", () => {
    const made = repo(false);
    made.write("app.env", `OPENAI_API_KEY=${key}\n`);
    expect(runCli(["scan", "."], { cwd: made.dir, env: { NO_COLOR: "" } }).stdout).not.toContain(ESC);
    expect(runCli(["scan", "."], { cwd: made.dir, env: { NO_COLOR: "", FORCE_COLOR: "1" } }).stdout).toContain(ESC);
    expect(runCli(["scan", "."], { cwd: made.dir, env: { NO_COLOR: "1", FORCE_COLOR: "1" } }).stdout).not.toContain(ESC);
  });
});

describe("the summary line", () => {
  it("says what was skipped: allow-listed paths by name", () => {
    const made = repo();
    made.write("keyscan.toml", '[allow]\npaths = ["vendor/**"]\n');
    made.write("vendor/a.js", "a\n");
    made.write("vendor/b.js", "b\n");
    made.write("app.js", "c\n");
    const result = runCli(["scan", "."], { cwd: made.dir });
    expect(result.stdout).toMatch(/Scanned 2 files \(.*\) in .*; skipped 2 \(2 allow-listed paths\)\. 0 findings\./);
    made.write("vendor/b.js", "");
    made.git("rm", "-q", "--cached", "--ignore-unmatch", "vendor/b.js");
    expect(runCli(["scan", "vendor/a.js"], { cwd: made.dir }).stdout).toContain("skipped 1 (1 allow-listed path)");
  });
});

describe("one-line errors, exit code 2", () => {
  it("a mistyped command is an unknown command with the closest name; an existing path of that name still scans", () => {
    const made = repo(false);
    const typo = runCli(["histroy"], { cwd: made.dir });
    expect(typo).toMatchObject({ code: 2, stdout: "" });
    expect(typo.stderr).toBe("keyscan: unknown command 'histroy' (and no file or folder of that name to scan); did you mean 'history'?\n");
    const unknown = runCli(["frobnicate"], { cwd: made.dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^keyscan: unknown command 'frobnicate' \(and no file or folder of that name to scan\); commands: scan, staged, history/);
    expect(runCli(["scan", "frobnicate"], { cwd: made.dir }).stderr).toBe("keyscan: path not found: frobnicate\n");

    made.write("frobnicate", `OPENAI_API_KEY=${key}\n`);
    const scanned = runCli(["frobnicate"], { cwd: made.dir });
    expect(scanned.code).toBe(1);
    expect(scanned.stdout).toContain("frobnicate:1:16");
  });

  it("a TOML syntax error names the file, line and column", () => {
    const made = repo(false);
    made.write("keyscan.toml", 'disable = ["a"]\nbroken = = 3\n[allow]\n');
    const result = runCli(["scan", "."], { cwd: made.dir });
    expect(result.code).toBe(2);
    // The second "=" of line 2, column 10, is where the value should be.
    expect(result.stderr).toBe(`keyscan: ${made.dir}/keyscan.toml:2:10: invalid TOML: invalid value\n`);
  });

  it("a bad revision is named once, without a doubled prefix", () => {
    const made = repo();
    made.write("a.txt", "a\n");
    made.add("a.txt");
    made.commit();
    const result = runCli(["history", "no-such-branch"], { cwd: made.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^keyscan: history: [^\n]*no-such-branch[^\n]*\n$/);
    const outside = repo(false);
    for (const command of ["staged", "history"]) {
      const notRepo = runCli([command], { cwd: outside.dir });
      expect(notRepo.code).toBe(2);
      expect(notRepo.stderr).toMatch(new RegExp(`^keyscan: ${command} needs a git repository: [^\\n]+\\n$`));
    }
  });
});
