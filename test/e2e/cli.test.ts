// End-to-end: the built CLI against throw-away folders and git repositories.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openaiLegacyKey, openaiProjectKey } from "../../fixtures/fake-keys.js";
import { cliEnv, runCli } from "../helpers/cli.js";
import { type TempRepo, useTempRepos } from "../helpers/git-repo.js";
import { multitoolProblems, sarifSchemaErrors } from "../helpers/sarif.js";

const repo = useTempRepos();

const key = openaiProjectKey(101);

describe("keyscan scan", () => {
  it("finds a key, redacts it, and exits 1", () => {
    const dir = repo();
    dir.write("src/config.js", `const a = 1;\nconst key = "${key}";\n`);
    const result = runCli(["scan", "."], { cwd: dir.dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("src/config.js:2:14");
    expect(result.stdout).toContain("openai-project-key");
    expect(result.stdout).toContain(key.slice(0, 4));
    expect(result.stdout).not.toContain(key);
    expect(result.stdout).toMatch(/Scanned \d+ files? /);
  });

  it("is the default command, and exits 0 on a clean tree", () => {
    const dir = repo();
    dir.write("a.txt", "nothing to see\n");
    const result = runCli([], { cwd: dir.dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/no secrets found/i);
  });

  it("writes JSON with line, column and fingerprint; --no-redact shows the secret", () => {
    const dir = repo(false);
    dir.write("k.env", `OPENAI_API_KEY=${key}\n`);
    const redacted = JSON.parse(runCli(["scan", ".", "-f", "json"], { cwd: dir.dir }).stdout);
    expect(redacted.version).toBe(1);
    expect(redacted.findings[0]).toMatchObject({ ruleId: "openai-project-key", file: "k.env", line: 1, column: 16 });
    expect(redacted.findings[0].secret).not.toBe(key);
    expect(redacted.findings[0].fingerprint).toMatch(/^[0-9a-f]{20}$/);
    const clear = JSON.parse(runCli(["scan", ".", "-f", "json", "--no-redact"], { cwd: dir.dir }).stdout);
    expect(clear.findings[0].secret).toBe(key);
    expect(clear.findings[0].endColumn).toBe(16 + key.length);
  });

  it("reads standard input with -", () => {
    const dir = repo(false);
    const result = runCli(["scan", "-", "-f", "json"], { cwd: dir.dir, input: `x = '${openaiLegacyKey(3)}'\n` });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).findings[0]).toMatchObject({ file: "-", ruleId: "openai-legacy-key", line: 1 });
  });

  it("writes the report to --output and honours --exit-code and --quiet", () => {
    const dir = repo();
    dir.write("a.py", `KEY = "${key}"\n`);
    const out = join(dir.dir, "report.json");
    const result = runCli(["scan", "a.py", "-f", "json", "-o", out, "--exit-code", "7"], { cwd: dir.dir });
    expect(result.code).toBe(7);
    expect(result.stdout).toBe("");
    expect(JSON.parse(readFileSync(out, "utf8")).findings).toHaveLength(1);
    dir.write("a.py", "KEY = None\n");
    expect(runCli(["scan", "a.py", "-q"], { cwd: dir.dir })).toMatchObject({ code: 0, stdout: "" });
  });

  it("honours keyscan.toml allow paths, --config and inline comments", () => {
    const dir = repo();
    dir.write("fixtures/sample.env", `KEY=${key}\n`);
    dir.write("src/a.js", `const k = "${openaiProjectKey(102)}"; // keyscan:allow\n`);
    expect(runCli(["scan"], { cwd: dir.dir }).code).toBe(1);
    dir.write("keyscan.toml", '[allow]\npaths = ["fixtures/**"]\n');
    expect(runCli(["scan"], { cwd: dir.dir }).code).toBe(0);
    dir.write("other.toml", "");
    expect(runCli(["scan", "--config", "other.toml"], { cwd: dir.dir }).code).toBe(1);
  });

  it("suppresses fingerprints listed in .keyscanignore and in a baseline", () => {
    const dir = repo();
    dir.write("a.env", `A=${key}\n`);
    const fingerprint = JSON.parse(runCli(["scan", "-f", "json"], { cwd: dir.dir }).stdout).findings[0].fingerprint;
    dir.write(".keyscanignore", `# reviewed: test key\n${fingerprint}\n`);
    expect(runCli(["scan"], { cwd: dir.dir }).code).toBe(0);
  });

  it("reports the baseline's findings no more, but a new secret alone, even after a line move", () => {
    const dir = repo();
    dir.write("a.env", `A=${key}\n`);
    expect(runCli(["baseline"], { cwd: dir.dir }).code).toBe(0);
    const baseline = readFileSync(join(dir.dir, ".keyscan-baseline.json"), "utf8");
    expect(baseline).not.toContain(key);
    dir.write("a.env", `# moved down\n\nA=${key}\nB=${openaiProjectKey(103)}\n`);
    const result = runCli(["scan", "-f", "json", "--baseline", ".keyscan-baseline.json"], { cwd: dir.dir });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).findings.map((finding: { line: number }) => finding.line)).toEqual([4]);
  });
});

it("baseline --prune drops entries no longer found and adds none; --history takes them from history", () => {
  const dir = repo();
  dir.write("a.env", `A=${key}\nB=${openaiProjectKey(105)}\n`);
  expect(runCli(["baseline"], { cwd: dir.dir }).code).toBe(0);
  const entries = () => JSON.parse(readFileSync(join(dir.dir, ".keyscan-baseline.json"), "utf8")).findings;
  expect(entries()).toHaveLength(2);
  dir.write("a.env", `A=${key}\nC=${openaiProjectKey(106)}\n`);
  const pruned = runCli(["baseline", "--prune"], { cwd: dir.dir });
  expect(pruned.stderr).toMatch(/pruned 1 entry/);
  expect(entries()).toHaveLength(1);
  dir.add("a.env");
  dir.commit();
  expect(runCli(["baseline", "--history"], { cwd: dir.dir }).code).toBe(0);
  expect(entries()).toHaveLength(2);
});

describe("bad input", () => {
  it("gives one sentence and exit 2 for an invalid config, naming the file and key", () => {
    const dir = repo();
    dir.write("keyscan.toml", "[allow]\npath = []\n");
    const result = runCli(["scan"], { cwd: dir.dir });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/keyscan\.toml:2: .*unknown key "path" \(did you mean "paths"\?\)/);
    expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it("gives exit 2 for staged and history outside a repository", () => {
    const outside = mkdtempSync(join(tmpdir(), "keyscan-outside-"));
    for (const command of ["staged", "history"]) {
      const result = runCli([command], { cwd: outside });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/needs a git repository/);
    }
  });

  it("gives exit 2 for an unknown flag, a bad format and a bad size", () => {
    const dir = repo();
    expect(runCli(["scan", "--frobnicate"], { cwd: dir.dir }).code).toBe(2);
    expect(runCli(["scan", "-f", "yaml"], { cwd: dir.dir }).code).toBe(2);
    expect(runCli(["scan", "--threads", "0"], { cwd: dir.dir }).stderr).toMatch(/--threads/);
    const size = runCli(["scan", "--max-file-size", "lots"], { cwd: dir.dir });
    expect(size.code).toBe(2);
    expect(size.stderr).toMatch(/--max-file-size/);
    // A size under one byte skipped every file and reported "No secrets found" with exit code 0.
    for (const zero of ["0", "0KB", "0.5"]) {
      const none = runCli(["scan", "--max-file-size", zero], { cwd: dir.dir });
      expect(none.code).toBe(2);
      expect(none.stderr).toMatch(/would skip every file/);
    }
  });

  it("gives exit 2 for an empty file name, which would otherwise send the report to standard output or drop the config", () => {
    const dir = repo();
    dir.write("a.py", `OPENAI_API_KEY = "${openaiProjectKey(11)}"\n`);
    for (const args of [["scan", "-o", ""], ["scan", "--config", ""], ["staged", "--baseline", ""], ["fix", "--from", " "]]) {
      const result = runCli(args, { cwd: dir.dir });
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toMatch(/argument '\s*' is invalid\. Give a file name\./);
      expect(result.stdout).toBe("");
    }
  });

  it("gives exit 2 for a path that does not exist", () => {
    const dir = repo();
    const result = runCli(["scan", "no/such/file"], { cwd: dir.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no\/such\/file/);
  });

  it("prints a version and help with exit 0", () => {
    const dir = repo(false);
    const version = runCli(["--version"], { cwd: dir.dir });
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = runCli(["--help"], { cwd: dir.dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/staged/);
  });

  it("lists every command in the program's help; a command's help is the same from `help NAME` (every command defined) and `NAME --help` (that one alone)", () => {
    const dir = repo(false);
    const help = runCli(["--help"], { cwd: dir.dir }).stdout;
    for (const name of ["scan", "staged", "history", "pack", "image", "baseline", "pre-push", "fix", "install", "migrate", "report", "rules"]) {
      expect(help).toMatch(new RegExp(`^  ${name} `, "m"));
    }
    for (const name of ["staged", "scan", "history"]) {
      const alone = runCli([name, "--help"], { cwd: dir.dir });
      expect(alone.code).toBe(0);
      expect(alone.stdout).toMatch(/--format <format>/);
      expect(alone.stdout).toBe(runCli(["help", name], { cwd: dir.dir }).stdout);
    }
  });
});

describe("keyscan staged", () => {
  it("scans the index, not the working tree, and only added lines", () => {
    const dir = repo();
    dir.write("old.env", `OLD=${openaiProjectKey(104)}\n`);
    dir.add("old.env");
    dir.commit();
    dir.write("old.env", `OLD=${openaiProjectKey(104)}\nNEW=1\n`);
    dir.write("app.env", `KEY=${key}\n`);
    dir.add("old.env", "app.env");
    dir.write("app.env", "KEY=from-the-environment\n");
    const result = runCli(["staged", "-f", "json"], { cwd: dir.dir });
    expect(result.code).toBe(1);
    const findings = JSON.parse(result.stdout).findings;
    expect(findings.map((finding: { file: string }) => finding.file)).toEqual(["app.env"]);
  });

  it("works before the first commit", () => {
    const dir = repo();
    dir.write("a.env", `KEY=${key}\n`);
    dir.add("a.env");
    expect(runCli(["staged"], { cwd: dir.dir }).code).toBe(1);
  });
});

describe("the installed hook", () => {
  function commit(dir: TempRepo): { code: number; output: string } {
    const result = spawnSync("git", ["-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-m", "change"], {
      cwd: dir.dir,
      env: cliEnv(),
      encoding: "utf8",
    });
    return { code: result.status ?? -1, output: result.stdout + result.stderr };
  }

  it("blocks a real git commit that adds a key, and lets a clean one through", () => {
    const dir = repo();
    const install = runCli(["install"], { cwd: dir.dir });
    expect(install.code).toBe(0);
    expect(runCli(["install"], { cwd: dir.dir }).stdout).toMatch(/already installed/);

    dir.write("clean.txt", "hello\n");
    dir.add("clean.txt");
    expect(commit(dir).code).toBe(0);

    dir.write("src/settings.py", `\nOPENAI_API_KEY = "${key}"\n`);
    dir.add("src/settings.py");
    const blocked = commit(dir);
    expect(blocked.code).not.toBe(0);
    expect(blocked.output).toContain("src/settings.py:2:");
    expect(blocked.output).toContain("openai-project-key");
    expect(blocked.output).toContain("keyscan:allow");
    expect(blocked.output).toContain("--no-verify");
    expect(blocked.output).not.toContain(key);
    expect(dir.git("log", "--format=%s")).toBe("change\n");
  });

  it("chains an existing hook, which still runs", () => {
    const dir = repo();
    const hook = join(dir.dir, ".git", "hooks", "pre-commit");
    writeFileSync(hook, `#!/bin/sh\necho ran > "${join(dir.dir, ".git", "old-hook-ran")}"\n`, { mode: 0o755 });
    expect(runCli(["install"], { cwd: dir.dir }).code).toBe(0);
    dir.write("a.txt", "fine\n");
    dir.add("a.txt");
    expect(commit(dir).code).toBe(0);
    expect(readFileSync(join(dir.dir, ".git", "old-hook-ran"), "utf8")).toBe("ran\n");
  });
});

describe("keyscan history", () => {
  it("finds a key after it was deleted, with commit, author, email, date and path", () => {
    const dir = repo();
    dir.write("config/app.yml", `openai:\n  key: ${key}\n`);
    dir.add("config/app.yml");
    const sha = dir.commit({ author: "Ada Lovelace", email: "ada@example.com", date: "2024-05-06T07:08:09Z" });
    dir.write("config/app.yml", "openai:\n  key: ${OPENAI_API_KEY}\n");
    dir.add("config/app.yml");
    dir.commit();
    expect(runCli(["scan"], { cwd: dir.dir }).code).toBe(0);
    const result = runCli(["history", "-f", "json"], { cwd: dir.dir });
    expect(result.code).toBe(1);
    const [finding, ...rest] = JSON.parse(result.stdout).findings;
    expect(rest).toHaveLength(0);
    expect(finding).toMatchObject({
      file: "config/app.yml",
      line: 2,
      commit: sha,
      author: "Ada Lovelace",
      email: "ada@example.com",
    });
    expect(new Date(finding.date).toISOString()).toBe("2024-05-06T07:08:09.000Z");
  });

  it("applies allowed paths per path, though a blob shared by two paths is scanned once", () => {
    const dir = repo();
    dir.write("fixtures/a.env", `KEY=${key}\n`);
    dir.write("src/a.env", `KEY=${key}\n`);
    dir.write("keyscan.toml", '[allow]\npaths = ["fixtures/**"]\n');
    dir.add(".");
    dir.commit();
    const result = runCli(["history", "-f", "json"], { cwd: dir.dir });
    expect(JSON.parse(result.stdout).findings.map((finding: { file: string }) => finding.file)).toEqual(["src/a.env"]);
  });

  it("writes SARIF that passes the SARIF 2.1.0 schema and GitHub's rules, with commit data, and no secret", { timeout: 60_000 }, () => {
    const dir = repo();
    dir.write("a.env", `KEY=${key}\n`);
    dir.add("a.env");
    dir.commit();
    const result = runCli(["history", "-f", "sarif", "--no-redact"], { cwd: dir.dir });
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain(key);
    const sarif = JSON.parse(result.stdout);
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    expect(multitoolProblems(result.stdout)).toEqual([]);
    expect(sarif.runs[0].automationDetails.id).toBe("keyscan/history/");
    expect(sarif.runs[0].results[0].properties).toMatchObject({ author: "Test Author", email: "author@example.com" });
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe("a.env");
  });
});

describe("keyscan rules", () => {
  it("lists the rules in force as JSON", () => {
    const dir = repo(false);
    const rules = JSON.parse(runCli(["rules", "--json"], { cwd: dir.dir }).stdout);
    const ids = rules.map((rule: { id: string }) => rule.id);
    expect(ids).toContain("openai-project-key");
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("--check runs the examples of the rules in force, the config's own included, and names each rule that fails", () => {
    const dir = repo(false);
    const clean = runCli(["rules", "--check"], { cwd: dir.dir });
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/^\d+ rules, \d+ examples: all pass\n$/);

    const acme = (secret: string) => `[[rule]]
id = "acme-token"
name = "Acme token"
keywords = ["acme_"]
pattern = '''acme_([a-z0-9]{8})'''
examples.match = [{ text = "t = acme_0123abcd", secret = "${secret}", path = "src/app.py" }]
examples.nomatch = ["acme_short"]
`;
    writeFileSync(join(dir.dir, "keyscan.toml"), acme("0123abcd"));
    expect(runCli(["rules", "--check"], { cwd: dir.dir }).code).toBe(0);

    writeFileSync(join(dir.dir, "keyscan.toml"), acme("acme_0123abcd"));
    const failing = runCli(["rules", "--check"], { cwd: dir.dir });
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain('acme-token (');
    expect(failing.stdout).toContain('keyscan.toml): example "t = acme_0123abcd": found secret "0123abcd" instead of "acme_0123abcd"');
    expect(failing.stdout).toMatch(/1 of \d+ rules have failing examples: acme-token\n$/);
    // With --json, one document (it printed the text before).
    const json = runCli(["rules", "--check", "--json"], { cwd: dir.dir });
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { rules: number; examples: number; failures: { ruleId: string; source: string; example: string; problem: string }[] };
    expect(report.failures).toEqual([
      { ruleId: "acme-token", source: expect.stringMatching(/keyscan\.toml$/), example: "t = acme_0123abcd", problem: 'found secret "0123abcd" instead of "acme_0123abcd"' },
    ]);
    expect(report.rules).toBeGreaterThan(1000);
  });
});
