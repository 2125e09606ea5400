// End-to-end: real `git commit` through each pre-commit route — a plain git hook, husky 9 (its real
// `husky init`), and husky + lint-staged — in throw-away Node projects (helpers/node-project.ts).
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { openaiProjectKey } from "../../fixtures/fake-keys.js";
import { HOOK_MARKER } from "../../src/hooks/install.js";
import { CLI, cliEnv, runCli } from "../helpers/cli.js";
import { type TempRepo, useTempRepos } from "../helpers/git-repo.js";
import { identity, makeNodeProject, npx } from "../helpers/node-project.js";

const repo = useTempRepos();
let seed = 900;
const key = (): string => openaiProjectKey(seed++);
const nodeProject = (options: Parameters<typeof makeNodeProject>[1] = {}): TempRepo => makeNodeProject(repo(), options);

function commit(dir: TempRepo): { code: number; output: string } {
  const result = spawnSync("git", ["commit", "-m", "change"], { cwd: dir.dir, env: cliEnv(identity), encoding: "utf8" });
  return { code: result.status ?? -1, output: result.stdout + result.stderr };
}

const head = (dir: TempRepo): string => dir.git("rev-parse", "HEAD").trim();

function expectBlocked(dir: TempRepo, result: { code: number; output: string }, before: string, file: string): void {
  expect(result.code, result.output).not.toBe(0);
  expect(result.output).toContain(file);
  expect(result.output).toContain("Commit blocked");
  expect(result.output).toContain("keyscan:allow");
  expect(result.output).toContain(".keyscanignore");
  expect(head(dir)).toBe(before);
}

function expectCommitted(dir: TempRepo, result: { code: number; output: string }, before: string): void {
  expect(result.code, result.output).toBe(0);
  expect(head(dir)).not.toBe(before);
}

describe("a plain git hook", () => {
  it("starts keyscan from node_modules/.bin and blocks a commit that adds a key", () => {
    const dir = nodeProject();
    const install = npx(dir, "keyscan", "install");
    expect(install.code, install.stderr).toBe(0);
    expect(install.stderr).toBe("");
    expect(readFileSync(join(dir.dir, ".git", "hooks", "pre-commit"), "utf8")).toContain("node_modules/.bin/keyscan staged");

    const before = head(dir);
    dir.write("settings.py", `OPENAI_API_KEY = "${key()}"\n`);
    dir.add("settings.py");
    expectBlocked(dir, commit(dir), before, "settings.py:1:");
    dir.write("settings.py", 'import os\nOPENAI_API_KEY = os.environ["OPENAI_API_KEY"]\n');
    dir.add("settings.py");
    expectCommitted(dir, commit(dir), before);
  });

  it("in a staged file too big to read whole (streamed in windows), blocks only what the commit adds", () => {
    const dir = nodeProject();
    expect(npx(dir, "keyscan", "install").code).toBe(0);
    // Over WINDOWED_ABOVE (8 MB): a generated data file with a key committed long ago on its first line.
    const filler = "let a = 1; // a line of a big generated file\n".repeat(Math.ceil((9 * 1024 * 1024) / 46));
    dir.write("data.js", `const OLD = "${key()}";\n${filler}`);
    dir.add("data.js");
    dir.git("-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "--no-verify", "-m", "a key committed earlier");
    const before = head(dir);
    dir.write("data.js", `${readFileSync(join(dir.dir, "data.js"), "utf8")}const b = 2;\n`);
    dir.add("data.js");
    expectCommitted(dir, commit(dir), before);
    const after = head(dir);
    const lines = readFileSync(join(dir.dir, "data.js"), "utf8").split("\n").length;
    dir.write("data.js", `${readFileSync(join(dir.dir, "data.js"), "utf8")}const NEW = "${key()}";\n`);
    dir.add("data.js");
    expectBlocked(dir, commit(dir), after, `data.js:${lines}:`);
  });
});

describe("a plain git hook and a moved file", () => {
  it("lets a file holding a key committed earlier be moved (`git mv`), and still blocks a key the move adds", () => {
    const dir = nodeProject();
    expect(npx(dir, "keyscan", "install").code).toBe(0);
    dir.write("config/settings.py", `A = 1\nOPENAI_API_KEY = "${key()}"\nB = 2\nC = 3\n`);
    dir.add("config");
    dir.git("-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "--no-verify", "-m", "a key committed earlier");
    // Moved as git sees it whatever diff.renames says: the key's line is not new, so the move is not blocked.
    dir.git("config", "diff.renames", "false");
    const before = head(dir);
    dir.git("mv", "config", "app config");
    expectCommitted(dir, commit(dir), before);
    const moved = head(dir);
    dir.git("mv", "app config/settings.py", "app config/prod.py");
    dir.write("app config/prod.py", `${readFileSync(join(dir.dir, "app config/prod.py"), "utf8")}GITHUB = "${key()}"\n`);
    dir.add("app config");
    expectBlocked(dir, commit(dir), moved, "app config/prod.py:5:");
  });
});

describe("husky 9", () => {
  it("keyscan install puts `keyscan staged` first in the hook husky init wrote, which still runs", () => {
    const dir = nodeProject();
    const init = npx(dir, "husky", "init");
    expect(init.code, init.stderr).toBe(0);
    expect(dir.git("config", "core.hooksPath").trim()).toBe(".husky/_");
    expect(npx(dir, "keyscan", "install").stdout).toContain("pre-commit hook chained");
    const hook = readFileSync(join(dir.dir, ".husky", "pre-commit"), "utf8");
    expect(hook).toBe(`${HOOK_MARKER}\nkeyscan staged\nnpm test\n`);
    expect(npx(dir, "keyscan", "install").stdout).toContain("already installed");
    expect(readFileSync(join(dir.dir, ".husky", "pre-commit"), "utf8")).toBe(hook);

    const before = head(dir);
    dir.write("src/config.js", `export const key = "${key()}";\n`);
    dir.add("src/config.js");
    const blocked = commit(dir);
    expectBlocked(dir, blocked, before, "src/config.js:1:");
    expect(blocked.output).not.toContain("chained-hook-ran");

    dir.write("src/config.js", "export const key = process.env.OPENAI_API_KEY;\n");
    dir.add("src/config.js");
    const clean = commit(dir);
    expectCommitted(dir, clean, before);
    expect(clean.output).toContain("chained-hook-ran");
  });

  it("installing from a checkout warns, in one line, that the committed hook is not portable, and the hook works", () => {
    const dir = nodeProject({ keyscan: false });
    expect(npx(dir, "husky", "init").code).toBe(0);
    const install = runCli(["install"], { cwd: dir.dir });
    expect(install.code).toBe(0);
    const warning = install.stderr.trim();
    expect(warning.split("\n")).toHaveLength(1);
    expect(warning).toContain(".husky/pre-commit starts keyscan by an absolute path");
    expect(warning).toContain("npm install --save-dev keyscan-cli");
    expect(warning).toContain("`keyscan staged`");
    expect(readFileSync(join(dir.dir, ".husky", "pre-commit"), "utf8")).toContain(`"${CLI}" staged`);

    const before = head(dir);
    dir.write(".env", `OPENAI_API_KEY=${key()}\n`);
    dir.add(".env");
    expectBlocked(dir, commit(dir), before, ".env:1:");
  });
});

describe("husky + lint-staged", () => {
  /** The setup README documents: `"*": "keyscan staged"` in lint-staged's config, `lint-staged` as husky's hook. */
  function lintStagedProject(pattern = "*"): TempRepo {
    const dir = nodeProject({ packageJson: { "lint-staged": { [pattern]: "keyscan staged" } } });
    expect(npx(dir, "husky", "init").code).toBe(0);
    writeFileSync(join(dir.dir, ".husky", "pre-commit"), "lint-staged\n");
    return dir;
  }

  it("blocks a commit when a staged file adds a key", () => {
    const dir = lintStagedProject();
    const before = head(dir);
    dir.write("app/settings.py", `DEBUG = True\nOPENAI_API_KEY = "${key()}"\n`);
    dir.add("app/settings.py");
    const result = commit(dir);
    expect(result.output).toContain("keyscan staged");
    expectBlocked(dir, result, before, "app/settings.py:2:");
  });

  it("lets a commit through when the key is only in an unstaged edit, and keeps that edit", () => {
    const dir = lintStagedProject();
    const before = head(dir);
    dir.write("app.py", "DEBUG = True\n");
    dir.add("app.py");
    const unstaged = `DEBUG = True\nOPENAI_API_KEY = "${key()}"\n`;
    dir.write("app.py", unstaged);
    expectCommitted(dir, commit(dir), before);
    expect(dir.git("show", "HEAD:app.py")).toBe("DEBUG = True\n");
    expect(readFileSync(join(dir.dir, "app.py"), "utf8")).toBe(unstaged);
  });

  it("lets a commit through when the key is on a line the commit does not change", () => {
    const dir = lintStagedProject();
    dir.write("old.env", `OPENAI_API_KEY=${key()}\n`);
    dir.add("old.env");
    dir.git("-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "--no-verify", "-m", "a key committed earlier");
    const before = head(dir);
    dir.write("old.env", `${readFileSync(join(dir.dir, "old.env"), "utf8")}DEBUG=1\n`);
    dir.add("old.env");
    expectCommitted(dir, commit(dir), before);
  });

  it("lets a file holding a key committed earlier be moved, though lint-staged names only its new path", () => {
    const dir = lintStagedProject();
    dir.write("old.env", `DEBUG=0\nOPENAI_API_KEY=${key()}\nLEVEL=1\n`);
    dir.add("old.env");
    dir.git("-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "--no-verify", "-m", "a key committed earlier");
    const before = head(dir);
    dir.git("mv", "old.env", "app.env");
    dir.write("app.env", `${readFileSync(join(dir.dir, "app.env"), "utf8")}DEBUG=1\n`);
    dir.add("app.env");
    expectCommitted(dir, commit(dir), before);
    const moved = head(dir);
    dir.git("mv", "app.env", "prod.env");
    dir.write("prod.env", `${readFileSync(join(dir.dir, "prod.env"), "utf8")}SECOND_KEY=${key()}\n`);
    dir.add("prod.env");
    expectBlocked(dir, commit(dir), moved, "prod.env:5:");
  });

  it("scans only the files lint-staged passes: a key in a file its pattern leaves out is not seen", () => {
    const dir = lintStagedProject("*.py");
    const before = head(dir);
    dir.write("app.py", "DEBUG = True\n");
    dir.write("left-out.env", `OPENAI_API_KEY=${key()}\n`);
    dir.add("app.py", "left-out.env");
    expectCommitted(dir, commit(dir), before);
  });
});

describe("keyscan staged PATH...", () => {
  function stagedTwo(): TempRepo {
    const dir = repo();
    dir.write("clean/a.txt", "hello\n");
    dir.write("leak/b.env", `OPENAI_API_KEY=${key()}\n`);
    dir.add("clean/a.txt", "leak/b.env");
    return dir;
  }

  it("limits the scan to the paths given, relative (to the current folder) or absolute", () => {
    const dir = stagedTwo();
    expect(runCli(["staged"], { cwd: dir.dir }).code).toBe(1);
    expect(runCli(["staged", "clean/a.txt"], { cwd: dir.dir }).code).toBe(0);
    expect(runCli(["staged", "clean"], { cwd: dir.dir }).code).toBe(0);
    expect(runCli(["staged", join(dir.dir, "clean", "a.txt")], { cwd: dir.dir }).code).toBe(0);
    const leak = runCli(["staged", "clean/a.txt", join(dir.dir, "leak", "b.env"), "-f", "json"], { cwd: dir.dir });
    expect(leak.code).toBe(1);
    expect(JSON.parse(leak.stdout).findings.map((finding: { file: string }) => finding.file)).toEqual(["leak/b.env"]);
    expect(runCli(["staged", "b.env"], { cwd: join(dir.dir, "leak") }).code).toBe(1);
    expect(runCli(["staged", "../clean/a.txt"], { cwd: join(dir.dir, "leak") }).code).toBe(0);
    expect(runCli(["staged", "."], { cwd: dir.dir }).code).toBe(1);
  });

  it("a path staged for commit but deleted from the working tree is still scanned", () => {
    const dir = stagedTwo();
    dir.git("rm", "-q", "--cached", "clean/a.txt");
    spawnSync("rm", [join(dir.dir, "leak", "b.env")]);
    expect(runCli(["staged", "leak/b.env"], { cwd: dir.dir }).code).toBe(1);
  });

  it("a path outside the repository, or one that is nowhere, is a usage error (exit 2)", () => {
    const dir = stagedTwo();
    const outside = runCli(["staged", dirname(dir.dir)], { cwd: dir.dir });
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/^keyscan: staged: .* is outside the repository .*\n$/);
    const missing = runCli(["staged", "clean/typo.txt"], { cwd: dir.dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("keyscan: staged: clean/typo.txt is neither in the working tree nor in the index\n");
  });
});
