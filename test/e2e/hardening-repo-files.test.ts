// End to end (built CLI, real git, committed symlinks): a hostile clone cannot make keyscan write outside it,
// nor feed it an endless config, ignore file or baseline, nor print terminal escapes through its messages.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openaiProjectKey } from "../../fixtures/fake-keys.js";
import { CLI, cliEnv } from "../helpers/cli.js";
import { type TempRepo, useTempRepos } from "../helpers/git-repo.js";

const newRepo = useTempRepos();
const outsides: string[] = [];
afterEach(() => {
  for (const dir of outsides.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A folder outside the repository, holding a file the attack would overwrite. */
function outside(): { dir: string; victim: string } {
  const dir = mkdtempSync(join(tmpdir(), "keyscan-outside-"));
  outsides.push(dir);
  const victim = join(dir, "victim");
  writeFileSync(victim, "the user's own file\n");
  return { dir, victim };
}

/** The built CLI with a time limit: a regression here would otherwise hang the suite (or fill memory). */
function keyscan(args: string[], cwd: string): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, env: cliEnv(), encoding: "utf8", timeout: 60_000 });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** A repository with a key in it and `links` (path in the repository -> target) committed as symlinks. */
function hostileClone(links: Record<string, string>): TempRepo {
  const repo = newRepo();
  repo.write("app.py", `OPENAI_API_KEY = "${openaiProjectKey(31)}"\n`);
  for (const [path, target] of Object.entries(links)) {
    mkdirSync(join(repo.dir, path, ".."), { recursive: true });
    symlinkSync(target, join(repo.dir, path));
  }
  repo.add(".");
  repo.commit();
  return repo;
}

const oneLine = (stderr: string): string => {
  const lines = stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  return lines[0] ?? "";
};

describe("no write through a committed symlink", () => {
  it("keyscan baseline refuses a baseline file that links outside, existing or dangling", () => {
    const { dir, victim } = outside();
    for (const target of [victim, join(dir, "not-yet")]) {
      const repo = hostileClone({ ".keyscan-baseline.json": target });
      const result = keyscan(["baseline", "--no-progress"], repo.dir);
      expect(result.code).toBe(2);
      expect(oneLine(result.stderr)).toMatch(/^keyscan: refusing to write .*\.keyscan-baseline\.json: .* is a symbolic link \(to .*\)/);
    }
    expect(readFileSync(victim, "utf8")).toBe("the user's own file\n");
    expect(existsSync(join(dir, "not-yet"))).toBe(false);
  });

  it("keyscan migrate refuses a keyscan.toml.new (or a dangling keyscan.toml) that links outside", () => {
    const { dir, victim } = outside();
    const repo = hostileClone({ "keyscan.toml": join(dir, "absent.toml"), "keyscan.toml.new": victim });
    repo.write(".gitleaks.toml", '[[rules]]\nid = "acme"\nregex = \'\'\'acme_[a-z0-9]{32}\'\'\'\nkeywords = ["acme_"]\n');
    const result = keyscan(["migrate", "gitleaks"], repo.dir);
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toMatch(/^keyscan: refusing to write .*keyscan\.toml\.new: .* is a symbolic link/);
    expect(readFileSync(victim, "utf8")).toBe("the user's own file\n");
    expect(existsSync(join(dir, "absent.toml"))).toBe(false);
  });

  it("keyscan install refuses a .husky folder or hook, or a hooks folder, that links outside", () => {
    const { dir, victim } = outside();
    const cases: Array<{ links: Record<string, string>; hooksPath?: string; written: string }> = [
      { links: { ".husky": dir }, written: join(dir, "pre-commit") },
      { links: { ".husky/pre-commit": victim }, written: victim },
      { links: { ".githooks": dir }, hooksPath: ".githooks", written: join(dir, "pre-commit") },
    ];
    for (const { links, hooksPath, written } of cases) {
      const repo = hostileClone(links);
      if (hooksPath) repo.git("config", "core.hooksPath", hooksPath);
      const result = keyscan(["install"], repo.dir);
      expect(result.code).toBe(2);
      expect(oneLine(result.stderr)).toMatch(/^keyscan: refusing to write .*pre-commit: .* is a symbolic link/);
      if (written === victim) expect(readFileSync(victim, "utf8")).toBe("the user's own file\n");
      else expect(existsSync(written)).toBe(false);
    }
  });

  it("keyscan install in a hooks folder that cannot be made is one sentence and exit code 2, never a hang", () => {
    const repo = hostileClone({});
    // A file where the hooks folder goes.
    rmSync(join(repo.dir, ".git", "hooks"), { recursive: true, force: true });
    writeFileSync(join(repo.dir, ".git", "hooks"), "not a folder\n");
    const file = keyscan(["install"], repo.dir);
    expect(file.code).toBe(2);
    expect(file.stderr).toBe(`keyscan: cannot install the hook in ${join(repo.dir, ".git", "hooks")}: it is not a folder\n`);
    // A hooks path inside /proc: Node's recursive mkdir spun there for ever (ENOENT under a folder that exists).
    repo.git("config", "core.hooksPath", "/proc/keyscan-hooks");
    const proc = keyscan(["install"], repo.dir);
    expect(proc.code).toBe(2);
    expect(proc.stderr).toMatch(/^keyscan: cannot create the folder \/proc\/keyscan-hooks for the hook: /);
  });

  it("still installs, and writes the baseline, in a repository without such links", () => {
    const repo = hostileClone({});
    expect(keyscan(["install"], repo.dir).code).toBe(0);
    expect(readFileSync(join(repo.dir, ".git", "hooks", "pre-commit"), "utf8")).toContain("keyscan");
    expect(keyscan(["baseline", "--no-progress"], repo.dir).code).toBe(0);
    expect(readFileSync(join(repo.dir, ".keyscan-baseline.json"), "utf8")).toContain("openai-project-key");
  });
});

describe("hostile config, ignore and baseline files", () => {
  it.each([
    ["keyscan.toml", ["scan", "."], /^keyscan: config file .*keyscan\.toml is not a regular file/],
    [".keyscanignore", ["scan", "."], /^keyscan: ignore file .*\.keyscanignore is not a regular file/],
    [".gitleaksignore", ["scan", "."], /^keyscan: ignore file .*\.gitleaksignore is not a regular file/],
    ["base.json", ["scan", ".", "--baseline", "base.json"], /^keyscan: baseline file base\.json is not a regular file/],
  ])("a committed %s linking to /dev/zero: exit 2 with one sentence", (name, args, message) => {
    const repo = hostileClone({ [name]: "/dev/zero" });
    const result = keyscan([...args, "--no-progress"], repo.dir);
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toMatch(message);
  });

  it("a huge .keyscanignore: exit 2, naming the limit", () => {
    const repo = hostileClone({});
    repo.write(".keyscanignore", `${"0".repeat(1023)}\n`.repeat(5 * 1024));
    const result = keyscan(["scan", ".", "--no-progress"], repo.dir);
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toMatch(/^keyscan: ignore file .*\.keyscanignore is 5\.0 MB, over the limit of 4\.0 MB$/);
  });

  it("a custom rule with a default rule's id is an error, unless the config disables that id to replace it", () => {
    const repo = hostileClone({});
    const rule = "[[rule]]\nid = \"openai-project-key\"\nname = \"Mine\"\nkeywords = [\"acme_\"]\npattern = '''acme_([a-z0-9]{32})'''\n";
    repo.write("keyscan.toml", rule);
    const refused = keyscan(["scan", ".", "--no-progress"], repo.dir);
    expect(refused.code).toBe(2);
    expect(oneLine(refused.stderr)).toMatch(
      /^keyscan: .*keyscan\.toml: rule "openai-project-key" has the id of a default rule; to replace that rule add "openai-project-key" to disable, else give yours another id$/,
    );
    repo.write("keyscan.toml", `disable = ["openai-project-key"]\n${rule}`);
    repo.write("acme.txt", "token acme_q8w7e6r5t4y3u2i1o0p9a8s7d6f5g4h3\n");
    const replaced = keyscan(["scan", ".", "--no-progress", "--no-entropy", "--format", "json"], repo.dir);
    expect(replaced.stderr).toBe("");
    // The replacement runs instead of the default: the OpenAI key in app.py is no longer reported, the acme token is.
    const report = JSON.parse(replaced.stdout) as { findings: Array<{ ruleId: string; ruleName: string; file: string }> };
    expect(report.findings.map(({ ruleId, ruleName, file }) => ({ ruleId, ruleName, file }))).toEqual([
      { ruleId: "openai-project-key", ruleName: "Mine", file: "acme.txt" },
    ]);
  });

  it("messages quoting the config escape ESC, BEL and CR", () => {
    const repo = hostileClone({});
    for (const config of [
      '"\\u001b]0;owned\\u0007\\r\\u001b[2K" = 1\n',
      '[[rule]]\nid = "x\\u001b[31m\\r"\nname = "n"\npattern = "a"\n',
      'disable = ["\\u001b[2Jgone"]\n',
    ]) {
      repo.write("keyscan.toml", config);
      const result = keyscan(["scan", ".", "--no-progress"], repo.dir);
      expect(result.code).toBe(2);
      const line = oneLine(result.stderr);
      expect(line).not.toMatch(/[\u0007\u001b\r]/);
      expect(line).toContain("\\x1b");
    }
  });
});
