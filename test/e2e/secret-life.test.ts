import { describe, expect, it } from "vitest";
import { openaiProjectKey } from "../../fixtures/fake-keys.js";
import { groupKey } from "../../src/report/secrets.js";
import { historySource } from "../../src/sources/history.js";
import type { PathChanges } from "../../src/sources/path-changes.js";
import { secretLives } from "../../src/sources/secret-life.js";
import type { Finding } from "../../src/types.js";
import { runCli } from "../helpers/cli.js";
import { useTempRepos } from "../helpers/git-repo.js";

const repo = useTempRepos();

/** A history finding of `secret` at `path`, as the scan would give it (only what secretLives reads matters). */
function finding(secret: string, path: string, sha: string): Finding {
  return {
    ruleId: "openai-project-key",
    ruleName: "OpenAI project key",
    severity: "high",
    secret,
    match: secret,
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: secret.length + 1,
    path,
    fingerprint: "",
    entropy: 4,
    commit: { sha, author: "Test Author", email: "author@example.com", date: "2024-01-02T03:04:05Z" },
  };
}

/** Which commits changed which paths, as a history scan of all refs records them while it walks. */
async function walkedChanges(dir: string): Promise<PathChanges | undefined> {
  const source = historySource({ cwd: dir });
  for await (const item of source.items) void item;
  source.close();
  return source.pathChanges;
}

// Each case twice: following the paths with git's own walk (a scan of a range or --since), and with
// what the scan's walk of all refs recorded.
describe.each([
  ["git's walk of HEAD's history", async () => undefined],
  ["the scan's own walk", walkedChanges],
] as const)("secretLives, with %s", (_, walked: (dir: string) => Promise<PathChanges | undefined>) => {
  it("follows two keys of one file to the commits that removed each, and tells a key still in HEAD", async () => {
    const made = repo();
    const [first, second, kept] = [openaiProjectKey(21), openaiProjectKey(22), openaiProjectKey(23)];
    made.write(".env", `A=${first}\nB=${second}\n`);
    made.write("other.env", `C=${kept}\n`);
    made.add(".env", "other.env");
    const added = made.commit({ date: "2024-01-01T00:00:00Z" });
    made.write(".env", `B=${second}\n`);
    made.add(".env");
    const firstGone = made.commit({ author: "Remover One", date: "2024-01-02T00:00:00Z" });
    made.write(".env", "nothing here\n");
    made.add(".env");
    const secondGone = made.commit({ author: "Remover Two", date: "2024-01-03T00:00:00Z" });

    const findings = [finding(first, ".env", added), finding(second, ".env", added), finding(kept, "other.env", added)];
    const lives = await secretLives(made.dir, findings, { walked: await walked(made.dir) });
    const [firstLife, secondLife, keptLife] = findings.map((found) => lives.get(groupKey(found)));
    expect(firstLife).toMatchObject({ state: "removed", removed: { sha: firstGone, author: "Remover One" } });
    expect(secondLife).toMatchObject({ state: "removed", removed: { sha: secondGone, author: "Remover Two" } });
    expect(keptLife).toEqual({ state: "present" });
  });

  it("follows a file of many secrets (looked up in one pass over each version), short and long, sharing a prefix", async () => {
    const made = repo();
    // Forty keys that share their first characters, and a short password among them.
    const keys = [...Array.from({ length: 40 }, (_, index) => openaiProjectKey(60 + index)), "Pw9!kq2Z"];
    made.write("fixture.env", keys.map((key, index) => `K${index}=${key}\n`).join(""));
    made.add("fixture.env");
    const added = made.commit({ date: "2024-01-01T00:00:00Z" });
    // The odd-numbered keys and the password go; the password's line is rewritten with a longer secret that ends like it.
    made.write("fixture.env", keys.map((key, index) => (index % 2 === 0 && index < 40 ? `K${index}=${key}\n` : index === 40 ? "P=xPw9!kq2Zx\n" : "")).join(""));
    made.add("fixture.env");
    const removed = made.commit({ author: "Remover", date: "2024-01-02T00:00:00Z" });

    const findings = keys.map((key) => finding(key, "fixture.env", added));
    const lives = await secretLives(made.dir, findings, { walked: await walked(made.dir) });
    keys.forEach((key, index) => {
      const life = lives.get(groupKey(finding(key, "fixture.env", added)));
      if (index % 2 === 0 && index < 40) expect(life, `key ${index}`).toEqual({ state: "present" });
      else if (index < 40) expect(life, `key ${index}`).toMatchObject({ state: "removed", removed: { sha: removed } });
    });
    // "xPw9!kq2Zx" holds the password's characters: a version holds a secret wherever its text does, as before.
    expect(lives.get(groupKey(finding("Pw9!kq2Z", "fixture.env", added)))).toEqual({ state: "present" });
  });

  it("follows a key to where its file was moved: still present after the move, removed by the commit that deletes it there", async () => {
    const made = repo();
    const key = openaiProjectKey(30);
    made.write("a/.env", `KEY=${key}\n`);
    made.add("a");
    const added = made.commit({ date: "2024-01-01T00:00:00Z" });
    made.git("mv", "a", "b");
    made.commit({ date: "2024-01-02T00:00:00Z" });
    made.git("mv", "b/.env", "b/prod.env");
    made.commit({ date: "2024-01-03T00:00:00Z" });
    // A range's walk: the moves add no finding at the new paths, and are recorded.
    const source = historySource({ cwd: made.dir, revs: ["HEAD"] });
    const paths: string[] = [];
    for await (const item of source.items) if (item.kind === "blob" && item.provenance.parents?.[0] !== item.blob) paths.push(item.provenance.path);
    source.close();
    expect(paths).toEqual(["a/.env"]);
    const found = finding(key, "a/.env", added);
    const options = { walked: await walked(made.dir), moves: source.moves };
    expect((await secretLives(made.dir, [found], options)).get(groupKey(found))).toEqual({ state: "present", movedTo: ["b/prod.env"] });
    made.git("rm", "-q", "b/prod.env");
    const gone = made.commit({ author: "Remover", date: "2024-01-04T00:00:00Z" });
    const after = { walked: await walked(made.dir), moves: source.moves };
    expect((await secretLives(made.dir, [found], after)).get(groupKey(found))).toMatchObject({ state: "removed", removed: { sha: gone } });
  });

  it("follows secrets of many files in one walk: each removal is the commit that changed that secret's file", async () => {
    const made = repo();
    const keys = [0, 1, 2, 3, 4, 5].map((index) => openaiProjectKey(40 + index));
    keys.forEach((key, index) => made.write(`config/${index}.env`, `KEY=${key}\n`));
    made.add("config");
    const added = made.commit({ date: "2024-01-01T00:00:00Z" });
    const removers: string[] = [];
    for (const [index] of keys.entries()) {
      // Between two removals, a commit touching only a file that holds no key.
      made.write("notes.txt", `step ${index}\n`);
      made.add("notes.txt");
      made.commit({ date: `2024-02-0${index + 1}T00:00:00Z` });
      made.write(`config/${index}.env`, "KEY=\n");
      made.add(`config/${index}.env`);
      removers.push(made.commit({ author: `Remover ${index}`, date: `2024-02-0${index + 1}T12:00:00Z` }));
    }
    const findings = keys.map((key, index) => finding(key, `config/${index}.env`, added));
    const lives = await secretLives(made.dir, findings, { walked: await walked(made.dir) });
    findings.forEach((found, index) => {
      expect(lives.get(groupKey(found))).toMatchObject({ state: "removed", removed: { sha: removers[index], author: `Remover ${index}` } });
    });
  });

  it("a key removed on a branch that was merged is removed by the branch's commit", async () => {
    const made = repo();
    const key = openaiProjectKey(50);
    made.write(".env", `KEY=${key}\n`);
    made.add(".env");
    const added = made.commit({ date: "2024-01-01T00:00:00Z" });
    made.git("checkout", "-q", "-b", "cleanup");
    made.write(".env", "KEY=\n");
    made.add(".env");
    const removal = made.commit({ author: "Branch Remover", date: "2024-01-02T00:00:00Z" });
    made.git("checkout", "-q", "main");
    made.write("README.md", "unrelated\n");
    made.add("README.md");
    made.commit({ date: "2024-01-03T00:00:00Z" });
    made.git("-c", "user.name=Merger", "-c", "user.email=m@example.com", "merge", "-q", "--no-ff", "-m", "merge cleanup", "cleanup");
    const lives = await secretLives(made.dir, [finding(key, ".env", added)], { walked: await walked(made.dir) });
    expect(lives.get(groupKey(finding(key, ".env", added)))).toMatchObject({ state: "removed", removed: { sha: removal, author: "Branch Remover" } });
  });

  it("compares each commit with its own parent, not with the commit before it in the log of two branches", async () => {
    const made = repo();
    const key = openaiProjectKey(60);
    made.write("app.env", "A=1\n");
    made.add("app.env");
    made.commit({ date: "2024-01-01T00:00:00Z" });
    made.git("branch", "side");
    made.write("app.env", `A=1\nKEY=${key}\n`);
    made.add("app.env");
    const added = made.commit({ date: "2024-01-02T00:00:00Z" });
    // Dated between the key's arrival and its removal on main: the log lists it in between.
    made.git("checkout", "-q", "side");
    made.write("app.env", "B=2\n");
    made.add("app.env");
    made.commit({ author: "Side Author", date: "2024-01-03T00:00:00Z" });
    made.git("checkout", "-q", "main");
    made.write("app.env", "A=1\n");
    made.add("app.env");
    const removal = made.commit({ author: "Main Remover", date: "2024-01-04T00:00:00Z" });
    made.git("-c", "user.name=Merger", "-c", "user.email=m@example.com", "merge", "-q", "--no-ff", "-m", "merge side", "side");
    const found = finding(key, "app.env", added);
    const lives = await secretLives(made.dir, [found], { walked: await walked(made.dir) });
    expect(lives.get(groupKey(found))).toMatchObject({ state: "removed", removed: { sha: removal, author: "Main Remover" } });
  });

  it("a key whose file was deleted is removed by the deleting commit", async () => {
    const made = repo();
    const key = openaiProjectKey(70);
    made.write("deploy/prod.env", `KEY=${key}\n`);
    made.write("README.md", "readme\n");
    made.add("deploy/prod.env", "README.md");
    const added = made.commit({ date: "2024-01-01T00:00:00Z" });
    made.git("rm", "-q", "deploy/prod.env");
    const removal = made.commit({ author: "File Deleter", date: "2024-01-02T00:00:00Z" });
    const found = finding(key, "deploy/prod.env", added);
    const lives = await secretLives(made.dir, [found], { walked: await walked(made.dir) });
    expect(lives.get(groupKey(found))).toMatchObject({ state: "removed", removed: { sha: removal, author: "File Deleter" } });
  });

  it("a key that lived only on a branch HEAD does not reach is removed, by no commit of HEAD's", async () => {
    const made = repo();
    made.write("README.md", "readme\n");
    made.add("README.md");
    made.commit({ date: "2024-01-01T00:00:00Z" });
    made.git("checkout", "-q", "-b", "experiment");
    const key = openaiProjectKey(71);
    made.write(".env", `KEY=${key}\n`);
    made.add(".env");
    const added = made.commit({ date: "2024-01-02T00:00:00Z" });
    made.git("rm", "-q", ".env");
    made.commit({ author: "Branch Cleaner", date: "2024-01-03T00:00:00Z" });
    made.git("checkout", "-q", "main");
    const found = finding(key, ".env", added);
    const lives = await secretLives(made.dir, [found], { walked: await walked(made.dir) });
    expect(lives.get(groupKey(found))).toEqual({ state: "removed" });
  });
});

describe("the scan's record of which commits changed which paths", () => {
  it("is kept by a walk of all refs, which sees all of HEAD's history, and not by a range or --since", async () => {
    const made = repo();
    made.write(".env", "KEY=\n");
    made.add(".env");
    const first = made.commit({ date: "2024-01-01T00:00:00Z" });
    made.write(".env", "KEY=1\n");
    made.add(".env");
    const second = made.commit({ date: "2024-01-02T00:00:00Z" });
    expect((await walkedChanges(made.dir))?.touching(second, new Set([".env"]))?.map((commit) => commit.sha)).toEqual([first, second]);
    for (const options of [{ revs: [`${first}..${second}`] }, { since: "2024-01-01T12:00:00Z" }]) {
      const source = historySource({ cwd: made.dir, ...options });
      for await (const item of source.items) void item;
      source.close();
      expect(source.pathChanges).toBeUndefined();
    }
  });
});

describe("keyscan history's report of a key whose file was moved", () => {
  it("in a range, lists it where it was found, still in HEAD, and says where it is now (text and JSON)", () => {
    const made = repo();
    made.write("config/.env", `KEY=${openaiProjectKey(31)}\n`);
    made.add("config");
    made.commit({ date: "2024-01-01T00:00:00Z" });
    made.git("mv", "config", "settings");
    made.commit({ date: "2024-01-02T00:00:00Z" });
    const text = runCli(["history", "HEAD"], { cwd: made.dir });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/still in HEAD\n/);
    expect(text.stdout).toMatch(/\n {4}moved to {4}settings\/\.env\n/);
    expect(text.stdout).toMatch(/\n {4}found in {4}config\/\.env:1:5 /);
    const json = JSON.parse(runCli(["history", "HEAD", "--format", "json"], { cwd: made.dir }).stdout) as { findings: unknown[]; secrets: { state: string; movedTo?: string[] }[] };
    expect(json.findings).toHaveLength(1);
    expect(json.secrets[0]).toMatchObject({ state: "present", movedTo: ["settings/.env"] });
    // A scan of all refs lists the new path as a place too, so a baseline taken from it covers the path the file has now.
    const all = JSON.parse(runCli(["history", "--format", "json"], { cwd: made.dir }).stdout) as { findings: { file: string }[]; secrets: { movedTo?: string[] }[] };
    expect(all.findings.map((finding) => finding.file)).toEqual(["config/.env", "settings/.env"]);
    expect(all.secrets[0]?.movedTo).toBeUndefined();
    expect(runCli(["baseline", "--history"], { cwd: made.dir }).code).toBe(0);
    expect(runCli(["scan", ".", "--baseline", ".keyscan-baseline.json", "-q"], { cwd: made.dir })).toMatchObject({ code: 0, stdout: "" });
  });
});
