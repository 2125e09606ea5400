// End to end (built CLI, real files): a redacted report reveals no secret, neither a neighbour's on the same
// line nor a weak password through its fingerprint; old fingerprints of weak secrets keep working, with a warning.
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ALNUM, openaiProjectKey, randomString, rng } from "../../fixtures/fake-keys.js";
import { runCli } from "../helpers/cli.js";

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "keyscan-e2e-redaction-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const password = "sunshine7"; // keyscan:allow (made up for this test)
const jdbcLine = (key: string) => `DB_URL=jdbc:postgresql://db.internal:5432/prod?apikey=${key}&user=app&password=${password}\n`;

describe("two secrets on one line", () => {
  it("are both redacted in every finding's output, in every format", () => {
    const key = openaiProjectKey(17);
    const dir = tempDir();
    writeFileSync(join(dir, "app.env"), jdbcLine(key));
    for (const format of ["text", "json", "sarif", "github"]) {
      const result = runCli(["scan", ".", "--no-progress", "--format", format], { cwd: dir });
      expect(result.code).toBe(1);
      // Both rules fired, and neither the key (nor any long piece of it) nor the password is printed.
      expect(result.stdout).toContain("openai-project-key");
      expect(result.stdout).toContain("jdbc-url-password");
      expect(result.stdout).not.toContain(key.slice(8, 40));
      expect(result.stdout).not.toContain(password);
    }
    // The text report still shows the match line for context, with both secrets in their redacted form.
    const text = runCli(["scan", ".", "--no-progress"], { cwd: dir }).stdout;
    expect(text).toContain(`match       jdbc:postgresql://db.internal:5432/prod?apikey=sk-p…(${key.length} chars)&user=app&password=…(redacted)`);
  });
});

describe("a weak password's fingerprint", () => {
  /** The attack of the issue: filter a word list by the shown prefix and length, then test each word against SHA-256(rule, path, word). */
  function dictionaryAttack(result: { ruleId: string; path: string; message: string; fingerprint: string }): string | undefined {
    const words = ["password", "letmein", "dragon", "monkey", "qwerty", "sunshine", "princess", "welcome", "shadow", "master"];
    const candidates = words.flatMap((word) => ["", ..."0123456789"].map((digit) => `${word}${digit}`));
    const shown = /: (.*?)…\((\d+) chars\)\./.exec(result.message);
    const fits = (word: string) => !shown || (word.startsWith(shown[1] ?? "") && word.length === Number(shown[2]));
    return candidates.filter(fits).find(
      (word) => createHash("sha256").update(`${result.ruleId}\0${result.path}\0${word}`).digest("hex").slice(0, 20) === result.fingerprint,
    );
  }

  it("cannot be reversed from SARIF by a dictionary attack, and neither prefix nor length is shown", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "db.properties"), `url=jdbc:mysql://db:3306/app?user=app&password=${password}\n`);
    const result = runCli(["scan", ".", "--no-progress", "--format", "sarif"], { cwd: dir });
    expect(result.code).toBe(1);
    const sarif = JSON.parse(result.stdout) as {
      runs: Array<{ results: Array<{ ruleId: string; message: { text: string }; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }>;
    };
    const found = sarif.runs[0]?.results[0];
    if (!found) throw new Error("the password was not found");
    const fingerprint = /Fingerprint ([0-9a-f]{20})\./.exec(found.message.text)?.[1] ?? "";
    expect(found.message.text).toContain("jdbc-url-password): …(redacted).");
    expect(found.message.text).not.toMatch(/\bs…|\(9 chars\)/);
    const path = found.locations[0]?.physicalLocation.artifactLocation.uri ?? "";
    expect(dictionaryAttack({ ruleId: found.ruleId, path, message: found.message.text, fingerprint })).toBeUndefined();
    // The same attack against the fingerprint keyscan used to print finds the password at once.
    const old = createHash("sha256").update(`${found.ruleId}\0${path}\0${password}`).digest("hex").slice(0, 20);
    expect(dictionaryAttack({ ruleId: found.ruleId, path, message: `: s…(9 chars).`, fingerprint: old })).toBe(password);
  });

  it("in its old form, in .keyscanignore, still suppresses the finding and says what to replace it with", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "db.properties"), `url=jdbc:mysql://db:3306/app?user=app&password=${password}\n`);
    const fresh = JSON.parse(runCli(["scan", ".", "--no-progress", "--format", "json"], { cwd: dir }).stdout) as {
      findings: Array<{ fingerprint: string }>;
    };
    const current = fresh.findings[0]?.fingerprint ?? "";
    const old = createHash("sha256").update(`jdbc-url-password\0db.properties\0${password}`).digest("hex").slice(0, 20);
    expect(current).toMatch(/^[0-9a-f]{20}$/);
    expect(current).not.toBe(old);

    writeFileSync(join(dir, ".keyscanignore"), `${old}\n`);
    const legacy = runCli(["scan", ".", "--no-progress"], { cwd: dir });
    expect(legacy.code).toBe(0);
    expect(legacy.stderr.trim().split("\n")).toEqual([
      `keyscan: warning: 1 .keyscanignore or baseline entry is the old, guessable fingerprint of a weak secret (still honoured); replace ${old} -> ${current} (db.properties), or run keyscan baseline again`,
    ]);

    writeFileSync(join(dir, ".keyscanignore"), `${current}\n`);
    const replaced = runCli(["scan", ".", "--no-progress"], { cwd: dir });
    expect(replaced.code).toBe(0);
    expect(replaced.stderr).toBe("");
  });
});

describe("a file of thousands of keys", () => {
  it("is reported whole and redacted: each match against every key of the file, none printed", () => {
    // 3,000 JDBC URLs, each with an API key (sharing their provider's prefix) before its password: the
    // password's match holds the key, and is redacted against every secret of the file (it once compared
    // each match with all of them, and took minutes).
    const random = rng(4100);
    const pairs = Array.from({ length: 3000 }, (_, i) => ({ key: openaiProjectKey(20_000 + i), password: randomString(random, ALNUM, 40) }));
    const lines = pairs.map(({ key, password }, i) => `DB_URL_${i}=jdbc:postgresql://db.internal:5432/prod?apikey=${key}&user=app&password=${password}`);
    const dir = tempDir();
    writeFileSync(join(dir, "keys.env"), `${lines.join("\n")}\n`);
    const result = runCli(["scan", ".", "--no-progress"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${2 * pairs.length} findings`);
    for (const { key, password } of pairs.slice(0, 300)) {
      expect(result.stdout).not.toContain(key.slice(8, 40));
      expect(result.stdout).not.toContain(password);
    }
    expect(result.stdout).toContain(`match       jdbc:postgresql://db.internal:5432/prod?apikey=sk-p…(164 chars)&user=app&password=${pairs[0]?.password.slice(0, 4)}…(40 chars)`);
  });
});
