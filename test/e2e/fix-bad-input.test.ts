// `keyscan fix` on input it must refuse: each case gets one clear sentence and exit code 2 (or 1 when
// a secret is left to fix by hand), loses nothing, and the other files are still fixed.
import { chmodSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checksummedToken, openaiProjectKey } from "../../fixtures/fake-keys.js";
import { runCli } from "../helpers/cli.js";
import { type TempRepo, useTempRepos } from "../helpers/git-repo.js";

const OPENAI = openaiProjectKey(2211);
const GITHUB = checksummedToken(2212, "ghp");

const repos = useTempRepos();

/** Two files with a key each: `bad.js` is the one each case spoils, `good.py` must be fixed anyway. */
function twoFiles(): TempRepo {
  const repo = repos();
  repo.write("bad.js", `const key = "${OPENAI}";\n`);
  repo.write("good.py", `token = "${GITHUB}"\n`);
  repo.add(".");
  repo.commit();
  return repo;
}

const read = (repo: TempRepo, path: string) => readFileSync(join(repo.dir, path), "utf8");

/** A JSON report of the working tree, secrets in clear, as `--from` takes it. */
function report(repo: TempRepo): string {
  const file = join(repo.dir, "..", `${repo.dir.split("/").pop()}-report.json`);
  const scan = runCli(["scan", "--format", "json", "--no-redact", "-o", file], { cwd: repo.dir });
  expect(scan.code).toBe(1);
  return file;
}

describe("keyscan fix reads a file's encoding as the scan did", () => {
  it("a UTF-8 file with a byte-order mark is fixed, the mark kept; a UTF-16 one is left to the user with the reason", () => {
    const repo = repos();
    // The scan's columns are counted after the mark: fix took the file for changed since the scan.
    writeFileSync(join(repo.dir, "bom.js"), `\uFEFFconst key = "${OPENAI}";\r\nconsole.log(key);\r\n`);
    writeFileSync(join(repo.dir, "wide.js"), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`const token = "${GITHUB}";\n`, "utf16le")]));
    // Latin-1: decoded and written back, its "é" became U+FFFD's three bytes.
    const latin1 = Buffer.from(`// caf\xe9\nconst other = "${openaiProjectKey(2213)}";\n`, "latin1");
    writeFileSync(join(repo.dir, "latin1.js"), latin1);
    repo.add(".");
    repo.commit();
    const result = runCli(["fix", "--yes"], { cwd: repo.dir });
    expect(result.stderr).toBe("");
    expect(read(repo, "bom.js")).toBe("\uFEFFconst key = process.env.OPENAI_API_KEY;\r\nconsole.log(key);\r\n");
    expect(result.stdout).toContain("wide.js:1:16: by hand (github-ghp): the file is UTF-16 or UTF-32 text");
    expect(result.stdout).toContain("latin1.js:2:16: by hand (openai-project-key): the file is not valid UTF-8 (Latin-1?)");
    expect(readFileSync(join(repo.dir, "latin1.js"))).toEqual(latin1);
    expect(result.stdout).toContain("Rewrote 1 secret(s) in 1 file(s); 2 left to fix by hand.");
  });
});

describe("keyscan fix on a file of many secrets", () => {
  it("says how many lines it rewrites instead of a diff past 1,000 of them, and rewrites them all", () => {
    const repo = repos();
    const keys = Array.from({ length: 1001 }, (_, index) => openaiProjectKey(5000 + index));
    repo.write("fixture.py", keys.map((key, index) => `k${index} = "${key}"\n`).join(""));
    repo.add(".");
    repo.commit();
    const dry = runCli(["fix", "--dry-run"], { cwd: repo.dir });
    expect(dry.stdout).toMatch(/^fixture\.py: 1001 secret\(s\) rewritten on 1001 lines, too many to show as a diff/);
    expect(dry.stdout).not.toContain("+++ b/fixture.py");
    const applied = runCli(["fix", "--yes"], { cwd: repo.dir });
    expect(applied.stdout).toContain("Rewrote 1001 secret(s) in 1 file(s).");
    expect(read(repo, "fixture.py")).toMatch(/^import os\nk0 = os\.environ\["OPENAI_API_KEY"\]\n/);
    expect(runCli(["scan", "fixture.py", "-q"], { cwd: repo.dir })).toMatchObject({ code: 0, stdout: "" });
  });
});

describe("keyscan fix refuses bad input file by file", () => {
  it("a file changed since the scan (--from) is left alone; the others are fixed", () => {
    const repo = twoFiles();
    const file = report(repo);
    const edited = `// a line added after the scan\n${read(repo, "bad.js")}`;
    repo.write("bad.js", edited);
    const result = runCli(["fix", "--yes", "--from", file], { cwd: repo.dir });
    expect(result.stderr).toBe("keyscan: bad.js changed since the scan (line 1 no longer holds the secret there): scan again, then fix\n");
    expect(result.code).toBe(2);
    expect(read(repo, "bad.js")).toBe(edited);
    expect(read(repo, "good.py")).toBe('import os\ntoken = os.environ["GITHUB_TOKEN"]\n');
  });

  it("a read-only file is left alone; the others are fixed", () => {
    const repo = twoFiles();
    chmodSync(join(repo.dir, "bad.js"), 0o444);
    const result = runCli(["fix", "--yes"], { cwd: repo.dir });
    expect(result.stderr).toBe("keyscan: bad.js is read-only: make it writable (chmod u+w) to let keyscan fix it, or fix it by hand\n");
    expect(result.code).toBe(2);
    expect(read(repo, "bad.js")).toBe(`const key = "${OPENAI}";\n`);
    expect(statSync(join(repo.dir, "bad.js")).mode & 0o777).toBe(0o444);
    expect(read(repo, "good.py")).toContain('os.environ["GITHUB_TOKEN"]');
    // Only the value of the fixed file went to .env.
    expect(read(repo, ".env")).toBe(`GITHUB_TOKEN=${GITHUB}\n`);
  });

  it("a symlink is not written through", () => {
    const repo = twoFiles();
    const file = report(repo);
    symlinkSync("bad.js", join(repo.dir, "link.js"));
    writeFileSync(file, readFileSync(file, "utf8").replaceAll('"file": "bad.js"', '"file": "link.js"'));
    const result = runCli(["fix", "--yes", "--from", file], { cwd: repo.dir });
    expect(result.stderr).toBe("keyscan: link.js is a symlink: keyscan fix rewrites regular files only; fix the file it points to\n");
    expect(result.code).toBe(2);
    expect(read(repo, "bad.js")).toBe(`const key = "${OPENAI}";\n`);
    expect(statSync(join(repo.dir, "link.js")).isFile()).toBe(true);
    expect(read(repo, "good.py")).toContain('os.environ["GITHUB_TOKEN"]');
  });

  it("a .env that is a directory stops the fix before anything is written", () => {
    const repo = twoFiles();
    mkdirSync(join(repo.dir, ".env"));
    const result = runCli(["fix", "--yes"], { cwd: repo.dir });
    expect(result.stderr).toBe(`keyscan: ${join(repo.dir, ".env")} is a directory: keyscan fix keeps the values in a .env file there; move the folder away first\n`);
    expect(result.code).toBe(2);
    expect(read(repo, "bad.js")).toContain(OPENAI);
    expect(read(repo, "good.py")).toContain(GITHUB);
  });

  it("a .gitignore or .env.example that is no plain file stops the fix before anything is written, .env included", () => {
    const outside = join(tmpdir(), `keyscan-outside-gitignore-${process.pid}`);
    writeFileSync(outside, "node_modules\n");
    const cases: Array<[string, (repo: TempRepo) => void, string[], string]> = [
      [".gitignore", (repo) => mkdirSync(join(repo.dir, ".gitignore")), ["fix", "--yes"], "a directory"],
      // A clone's link: the `.env` line would land outside the repository.
      [".gitignore", (repo) => symlinkSync(outside, join(repo.dir, ".gitignore")), ["fix", "--yes"], "a symlink"],
      [".env.example", (repo) => mkdirSync(join(repo.dir, ".env.example")), ["fix", "--yes", "--example"], "a directory"],
    ];
    for (const [name, spoil, args, what] of cases) {
      const repo = twoFiles();
      spoil(repo);
      const result = runCli(args, { cwd: repo.dir });
      expect(result.stderr).toBe(`keyscan: ${join(repo.dir, name)} is ${what}: keyscan fix adds lines only to a plain ${name}; replace it first\n`);
      expect(result.code).toBe(2);
      expect(read(repo, "bad.js")).toContain(OPENAI);
      expect(read(repo, "good.py")).toContain(GITHUB);
      expect(() => statSync(join(repo.dir, ".env"))).toThrow();
    }
    expect(readFileSync(outside, "utf8")).toBe("node_modules\n");
  });

  it("a .env that git tracks stops the fix before anything is written", () => {
    const repo = twoFiles();
    repo.write(".env", "PORT=3000\n");
    repo.add(".env");
    const result = runCli(["fix", "--yes"], { cwd: repo.dir });
    expect(result.stderr).toMatch(/^keyscan: .*\/\.env is tracked by git, so secrets written there would be committed: run `git rm --cached \.env` \(and rotate what it holds\) first\n$/);
    expect(result.code).toBe(2);
    expect(read(repo, ".env")).toBe("PORT=3000\n");
    expect(read(repo, "bad.js")).toContain(OPENAI);
  });

  it("a rewrite that would not parse is not applied, and says what to do", () => {
    const repo = repos();
    const text = `const byKey = { "${OPENAI}": 1 };\n`;
    repo.write("keys.js", text);
    repo.write("config.json", `{ "token": "${GITHUB}" }\n`);
    const result = runCli(["fix", "--yes"], { cwd: repo.dir });
    expect(result.stdout).toContain("keys.js:1:18: by hand (openai-project-key): the rewrite would not parse (@babel/parser: ");
    expect(result.stdout).toContain("config.json:1:13: by hand (github-ghp): JSON cannot read the environment");
    expect(result.stdout).toContain("Rewrote 0 secret(s) in 0 file(s); 2 left to fix by hand.");
    expect(result.code).toBe(1);
    expect(read(repo, "keys.js")).toBe(text);
    expect(() => statSync(join(repo.dir, ".env"))).toThrow();
  });

  it("bad flags and reports get one sentence and exit code 2", () => {
    const repo = twoFiles();
    const both = runCli(["fix", "--yes", "--dry-run"], { cwd: repo.dir });
    expect(both).toMatchObject({ code: 2, stderr: "keyscan: fix: --dry-run and --yes contradict each other; give one\n" });
    const redacted = join(repo.dir, "..", `${repo.dir.split("/").pop()}-redacted.json`);
    runCli(["scan", "--format", "json", "-o", redacted], { cwd: repo.dir });
    const result = runCli(["fix", "--from", redacted], { cwd: repo.dir });
    expect(result).toMatchObject({ code: 2, stderr: `keyscan: --from: ${redacted}, finding 1 has a redacted secret: write the report with --no-redact\n` });
    const escaping = join(repo.dir, "..", `${repo.dir.split("/").pop()}-escaping.json`);
    writeFileSync(escaping, JSON.stringify({ findings: [{ file: "../x.js", line: 1, column: 1, secret: OPENAI }] }));
    expect(runCli(["fix", "--from", escaping], { cwd: repo.dir })).toMatchObject({
      code: 2,
      stderr: `keyscan: --from: ${escaping}, finding 1 names ../x.js, outside the repository: keyscan fix writes only inside it\n`,
    });
    const outside = runCli(["fix"], { cwd: tmpdir() });
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/^keyscan: fix needs a git repository: .* is not inside one\n$/);
  });
});

describe(".env and .env.example", () => {
  it("--example creates .env.example with the names, never the values", () => {
    const repo = twoFiles();
    expect(runCli(["fix", "--yes", "--example"], { cwd: repo.dir }).code).toBe(0);
    expect(read(repo, ".env.example")).toBe("OPENAI_API_KEY=\nGITHUB_TOKEN=\n");
  });

  it("needs no rewrite, only .env kept out of git", () => {
    const repo = repos();
    repo.write(".env", `OPENAI_API_KEY=${OPENAI}\n`);
    const result = runCli(["fix", "--yes"], { cwd: repo.dir });
    expect(result.stdout).toContain(".gitignore: add .env, so git never tracks it");
    expect(result.code).toBe(0);
    expect(read(repo, ".gitignore")).toBe(".env\n");
    expect(read(repo, ".env")).toBe(`OPENAI_API_KEY=${OPENAI}\n`);
    expect(runCli(["fix", "--yes"], { cwd: repo.dir }).stdout).toBe("Nothing to fix: no hard-coded secrets found.\n");
  });
});

describe("keyscan fix --history and the hook", () => {
  it("writes a 0600 replacement file outside the repository and says what rewriting costs", () => {
    const repo = twoFiles();
    repo.write("bad.js", "const key = process.env.OPENAI_API_KEY;\n");
    repo.add(".");
    repo.commit({ message: "key out of the code" });
    const result = runCli(["fix", "--history"], { cwd: repo.dir });
    expect(result.code).toBe(0);
    const file = /^Wrote 2 secret\(s\) to (\S+) \(mode 0600/m.exec(result.stdout)?.[1] ?? "";
    expect(file.startsWith(repo.dir)).toBe(false);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8").split("\n").sort()).toEqual(["", `literal:${GITHUB}==>***REMOVED***`, `literal:${OPENAI}==>***REMOVED***`]);
    expect(result.stdout).toContain(`git filter-repo --replace-text ${file}`);
    expect(result.stdout).toContain("git push --force --all");
    expect(result.stdout).toContain("everyone must re-clone");
    expect(result.stdout).toContain("Rotate every key first");
    expect(result.stdout).toContain("Revoke it under the project's API keys at platform.openai.com/api-keys");
    // History was not touched.
    expect(repo.git("log", "--oneline").trim().split("\n")).toHaveLength(2);
    // -o inside the repository: a file of secrets in clear where `git add .` would take it, refused before anything is written.
    for (const inside of ["secrets.txt", join(repo.dir, "sub", "..", "secrets.txt")]) {
      const refused = runCli(["fix", "--history", "-o", inside], { cwd: repo.dir });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/^keyscan: fix --history: .*secrets\.txt is inside the repository, and the replacement file holds every secret in clear/);
    }
    expect(repo.git("status", "--porcelain", "--untracked-files=all")).toBe("");
  });

  it("a blocked commit offers keyscan fix first", () => {
    const repo = repos();
    repo.write("app.js", `const key = "${OPENAI}";\n`);
    repo.add(".");
    const result = runCli(["staged"], { cwd: repo.dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("To go on, do one of:\n  - run `keyscan fix` to move the key into .env");
  });
});
