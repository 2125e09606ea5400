import { describe, expect, it } from "vitest";
import { ALNUM, openaiProjectKey, pemPrivateKey, randomString, rng } from "../../fixtures/fake-keys.js";
import { fingerprint } from "../../src/run/fingerprint.js";
import { createRuleset } from "../../src/engine/ruleset.js";
import { rulesSkippedAt } from "../../src/engine/ruleset.js";
import { suppressionSteps } from "../../src/filters/index.js";
import { drain, historyStats, type Scanner } from "../../src/run/drain.js";
import { scanContent } from "../../src/run/scan-content.js";
import { scanWindow } from "../../src/run/windowed.js";
import { compileRules, parseRuleFiles } from "../../src/engine/rules.js";
import { UsageError } from "../../src/errors.js";
import { readDefaultRuleSources } from "../../src/config/default-rules.js";
import { CONTEXT_LINES } from "../../src/sources/history-changes.js";
import { historySource } from "../../src/sources/history.js";
import type { Chunk, Match, WindowJob } from "../../src/types.js";
import { useTempRepos } from "../helpers/git-repo.js";

const ruleset = createRuleset(compileRules(parseRuleFiles(readDefaultRuleSources())));
const MB = 1024 * 1024;
const repo = useTempRepos();

/**
 * The history source drained as the CLI drains it, scanning in this thread with the real engine and
 * the suppressions that need no files; counts the chunks it was asked to scan. `onWindow` is told of
 * each big blob's window.
 */
async function scanHistory(
  options: { cwd: string; revs?: string[]; windowedAbove?: number },
  scan = async (chunk: Chunk): Promise<Match[]> => scanContent(chunk, ruleset),
  onWindow?: (window: WindowJob) => void,
) {
  const source = historySource(options);
  const scanner: Scanner = {
    scan,
    scanFiles: async () => [],
    scanWindow: async (window) => {
      onWindow?.(window);
      return scanWindow(window, ruleset);
    },
    rulesSkippedAt: (path) => rulesSkippedAt(ruleset, path),
  };
  try {
    const { findings, stats } = await drain(source.items, scanner, suppressionSteps({}), () => undefined);
    return { findings, stats: historyStats(stats) };
  } finally {
    source.close();
  }
}

async function history(cwd: string, revs?: string[]) {
  const scanned: Chunk[] = [];
  const result = await scanHistory({ cwd, ...(revs ? { revs } : {}) }, async (chunk) => {
    scanned.push(chunk);
    return scanContent(chunk, ruleset);
  });
  return { ...result, scanned };
}

describe("history source", () => {
  it("finds a key added then deleted, with its commit, author, email, date, path and line", async () => {
    const made = repo();
    made.write("README.md", "# app\n");
    made.add("README.md");
    made.commit({ date: "2023-05-01T10:00:00Z" });
    made.write("src/config.js", `// settings\nexport const key = "${openaiProjectKey(1)}";\n`);
    made.add("src/config.js");
    const leak = made.commit({ author: "Ada Lovelace", email: "ada@example.com", date: "2023-06-07T08:09:10Z" });
    made.write("src/config.js", "// settings\nexport const key = process.env.OPENAI_API_KEY;\n");
    made.add("src/config.js");
    made.commit({ date: "2023-06-08T00:00:00Z" });

    const { findings, stats } = await history(made.dir);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      ruleId: "openai-project-key",
      path: "src/config.js",
      line: 2,
      secret: openaiProjectKey(1),
      fingerprint: fingerprint("openai-project-key", "src/config.js", openaiProjectKey(1)),
      commit: { sha: leak, author: "Ada Lovelace", email: "ada@example.com", date: "2023-06-07T08:09:10+00:00" },
    });
    expect(stats).toMatchObject({ commits: 3, blobs: 3, skippedBinary: 0, skippedLarge: 0 });
  });

  it("scans a blob again with the entropy detector when it comes back at a path where that detector runs", async () => {
    const made = repo();
    const text = `client_secret = "${randomString(rng(18), ALNUM, 32)}"\n`;
    made.write("deps/yarn.lock", text);
    made.add("deps/yarn.lock");
    made.commit();
    made.write("settings.py", text);
    made.add("settings.py");
    const copy = made.commit();
    const { findings, stats, scanned } = await history(made.dir);
    expect(findings.map((finding) => [finding.ruleId, finding.path, finding.commit?.sha])).toEqual([["generic-high-entropy", "settings.py", copy]]);
    // Scanned twice, but one blob in the stats.
    expect(scanned).toHaveLength(2);
    expect(stats).toMatchObject({ commits: 2, blobs: 1, bytes: text.length });
  });

  it("scans a later version only in the lines it changes, with a few around them, and finds the key it adds at its own line", async () => {
    const made = repo();
    const filler = (from: number) => Array.from({ length: 20 }, (_, i) => `value_${from + i} = ${from + i}`);
    const old = `old_key = "${openaiProjectKey(2)}"`;
    made.write("app.py", [old, ...filler(0), "", ...filler(100)].join("\n") + "\n");
    made.add("app.py");
    made.commit();
    const added = `new_key = "${openaiProjectKey(3)}"`;
    made.write("app.py", [old, ...filler(0), added, ...filler(100)].join("\n") + "\n");
    made.add("app.py");
    const second = made.commit();

    const { findings, stats, scanned } = await history(made.dir);
    expect(findings.map((finding) => [finding.secret, finding.line, finding.commit?.sha])).toEqual([
      [openaiProjectKey(2), 1, findings[0]?.commit?.sha],
      [openaiProjectKey(3), 22, second],
    ]);
    expect(findings[0]?.commit?.sha).not.toBe(second);
    // The first version whole; the second's changed line with CONTEXT_LINES each side (not the old key);
    // then, as that held a match, the second whole and the first (already scanned) from the cache.
    expect(scanned).toHaveLength(3);
    expect(scanned[1]?.text.split("\n")).toEqual([...filler(0).slice(-CONTEXT_LINES), added, ...filler(100).slice(0, CONTEXT_LINES), ""]);
    expect(stats).toMatchObject({ commits: 2, blobs: 2 });
  });

  it("scans no more than the changes of a version that adds no key, and reports nothing again", async () => {
    const made = repo();
    const lines = Array.from({ length: 50 }, (_, i) => `line ${i}`);
    made.write("notes.txt", [`token = "${openaiProjectKey(4)}"`, ...lines].join("\n"));
    made.add("notes.txt");
    made.commit();
    lines[40] = "line forty";
    made.write("notes.txt", [`token = "${openaiProjectKey(4)}"`, ...lines].join("\n"));
    made.add("notes.txt");
    made.commit();

    const { findings, scanned } = await history(made.dir);
    expect(findings).toHaveLength(1);
    expect(scanned.map((chunk) => chunk.text.trimEnd().split("\n").length)).toEqual([51, 2 * CONTEXT_LINES + 1]);
  });

  it("finds a private key whose middle line a later version changes: a PEM block a change touches is scanned whole", async () => {
    const made = repo();
    const key = pemPrivateKey(5);
    made.write("deploy/key.pem", `${key}\n`);
    made.add("deploy/key.pem");
    made.commit();
    const keyLines = key.split("\n");
    const middle = Math.floor(keyLines.length / 2);
    expect(middle).toBeGreaterThan(CONTEXT_LINES + 1);
    keyLines[middle] = [...(keyLines[middle] ?? "")].reverse().join("");
    made.write("deploy/key.pem", `${keyLines.join("\n")}\n`);
    made.add("deploy/key.pem");
    const second = made.commit();

    const { findings } = await history(made.dir);
    expect(findings.map((finding) => finding.ruleId)).toEqual(["private-key", "private-key"]);
    expect(findings.map((finding) => finding.commit?.sha)).toContain(second);
  });

  it("counts a blob once in the stats whichever of its two paths the walk meets first", async () => {
    const made = repo();
    const text = `client_secret = "${randomString(rng(19), ALNUM, 32)}"\n`;
    made.write("settings.py", text);
    made.add("settings.py");
    const first = made.commit();
    made.write("deps/yarn.lock", text);
    made.add("deps/yarn.lock");
    made.commit();
    // The log walks the oldest commit (settings.py) first: the lockfile's scan, without the entropy detector, comes second.
    const { findings, stats, scanned } = await history(made.dir);
    expect(findings.map((finding) => [finding.ruleId, finding.path, finding.commit?.sha])).toEqual([["generic-high-entropy", "settings.py", first]]);
    expect(scanned.map((chunk) => chunk.path)).toEqual(["settings.py", "deps/yarn.lock"]);
    expect(stats).toMatchObject({ commits: 2, blobs: 1, bytes: text.length });
  });

  it("reports for a range only what the range adds", async () => {
    const made = repo();
    made.write("a.txt", `old = ${openaiProjectKey(2)}\n`);
    made.add("a.txt");
    const a = made.commit();
    made.write("a.txt", `old = ${openaiProjectKey(2)}\nnew = ${openaiProjectKey(3)}\n`);
    made.add("a.txt");
    const b = made.commit();
    made.write("b.txt", `later = ${openaiProjectKey(4)}\n`);
    made.add("b.txt");
    made.commit();

    const range = await history(made.dir, [`${a}..${b}`]);
    expect(range.findings.map((f) => [f.commit?.sha, f.line, f.secret])).toEqual([[b, 2, openaiProjectKey(3)]]);
    expect(range.stats.commits).toBe(1);

    const all = await history(made.dir);
    expect(all.findings.map((f) => f.secret).sort()).toEqual([2, 3, 4].map((seed) => openaiProjectKey(seed)).sort());
  });

  it("scans a blob once, and reports it at every path that introduced it", async () => {
    const made = repo();
    const content = `token = "${openaiProjectKey(5)}"\n`;
    made.write("one/.env", content);
    made.write("two/.env", content);
    made.add(".");
    const first = made.commit();
    made.write("three/.env", content);
    made.add(".");
    const second = made.commit();

    const { findings, scanned, stats } = await history(made.dir);
    expect(scanned).toHaveLength(1);
    expect(stats.blobs).toBe(1);
    expect(findings.map((f) => [f.path, f.commit?.sha, f.fingerprint]).sort()).toEqual(
      [
        ["one/.env", first],
        ["two/.env", first],
        ["three/.env", second],
      ]
        .map(([path, sha]) => [path, sha, fingerprint("openai-project-key", path ?? "", openaiProjectKey(5))])
        .sort(),
    );
  });

  it("does not re-report an old key when a later commit edits the file", async () => {
    const made = repo();
    made.write("settings.py", `KEY = "${openaiProjectKey(6)}"\nDEBUG = False\n`);
    made.add("settings.py");
    const leak = made.commit();
    for (let i = 0; i < 3; i++) {
      made.write("settings.py", `KEY = "${openaiProjectKey(6)}"\nDEBUG = False\nVERSION = ${i}\n`);
      made.add("settings.py");
      made.commit();
    }
    const { findings } = await history(made.dir);
    expect(findings.map((f) => f.commit?.sha)).toEqual([leak]);
  });

  it("reports a key added in a merge's conflict resolution once, and not keys the merge brings from a branch", async () => {
    const made = repo();
    made.write("a.txt", "base\n");
    made.add("a.txt");
    made.commit();
    made.git("checkout", "-q", "-b", "side");
    made.write("side.txt", `side = ${openaiProjectKey(7)}\n`);
    made.add("side.txt");
    const sideCommit = made.commit();
    made.git("checkout", "-q", "main");
    made.write("main.txt", "main\n");
    made.add("main.txt");
    made.commit();
    made.git("-c", "user.name=M", "-c", "user.email=m@example.com", "merge", "-q", "--no-commit", "side");
    made.write("a.txt", `resolved = ${openaiProjectKey(8)}\n`); // an "evil merge": new content in the merge itself
    made.add("a.txt");
    const merge = made.commit({ message: "merge" });

    const { findings } = await history(made.dir);
    expect(findings.map((f) => [f.path, f.commit?.sha]).sort()).toEqual(
      [
        ["a.txt", merge],
        ["side.txt", sideCommit],
      ].sort(),
    );
  });

  it("scans a change that two branches bring in once, and reports its key at both commits", async () => {
    const made = repo();
    const settings = Array.from({ length: 30 }, (_, i) => `setting_${i} = ${i}`);
    made.write("config.py", `${settings.join("\n")}\n`);
    made.add("config.py");
    made.commit();
    const changed = [...settings];
    changed[15] = `token = "${openaiProjectKey(10)}"`;
    changed[25] = "setting_25 = 26";
    made.git("checkout", "-q", "-b", "stable");
    made.write("config.py", `${changed.join("\n")}\n`);
    made.add("config.py");
    const onStable = made.commit({ date: "2024-01-03T00:00:00Z" });
    made.git("checkout", "-q", "main");
    made.write("config.py", `${changed.join("\n")}\n`); // the same version, from the same one: a backport's twin
    made.add("config.py");
    const onMain = made.commit({ date: "2024-01-04T00:00:00Z" });

    const { findings, scanned } = await history(made.dir);
    expect(findings.map((finding) => finding.commit?.sha).sort()).toEqual([onStable, onMain].sort());
    // The first version whole, the change once, the changed version whole (it holds a match): three scans.
    expect(scanned).toHaveLength(3);
  });

  it("skips binary blobs and counts them; streams a blob over the window threshold and scans it all", async () => {
    const made = repo();
    made.write("image.png", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]));
    made.write("big.txt", `${"x".repeat(MB)}\n${openaiProjectKey(9)}\n`);
    made.add(".");
    made.commit();
    const scanned: string[] = [];
    const { findings, stats } = await scanHistory(
      { cwd: made.dir, windowedAbove: 1024 },
      async (chunk) => {
        scanned.push(`chunk ${chunk.path}`);
        return scanContent(chunk, ruleset);
      },
      (window) => scanned.push(`window ${window.path}`),
    );
    expect(findings).toMatchObject([{ path: "big.txt", line: 2, secret: openaiProjectKey(9) }]);
    // Scanned as byte windows (two of WINDOW_BYTES), the binary blob not at all.
    expect(scanned).toEqual(["window big.txt", "window big.txt"]);
    expect(stats).toMatchObject({ commits: 1, blobs: 2, skippedBinary: 1, skippedLarge: 0, bytes: MB + openaiProjectKey(9).length + 2 });
  });

  it("handles names with spaces, newlines and non-ASCII", async () => {
    const made = repo();
    const names = ["with space.txt", "new\nline.txt", "naïve-日本.txt"];
    names.forEach((name, i) => made.write(name, `k = ${openaiProjectKey(10 + i)}\n`));
    made.add(".");
    made.commit();
    const { findings } = await history(made.dir);
    expect(findings.map((f) => f.path).sort()).toEqual([...names].sort());
  });

  it("returns nothing for an empty repository", async () => {
    const made = repo();
    const { findings, stats } = await history(made.dir);
    expect(findings).toEqual([]);
    expect(stats).toMatchObject({ commits: 0, blobs: 0 });
  });

  it("refuses a folder that is not a repository, an unknown revision, and an option posing as a revision", async () => {
    const outside = repo(false);
    await expect(history(outside.dir)).rejects.toThrow(
      new UsageError(`history needs a git repository: ${outside.dir} is not one`),
    );
    const made = repo();
    made.write("a.txt", "a\n");
    made.add("a.txt");
    made.commit();
    await expect(history(made.dir, ["no-such-branch"])).rejects.toThrow(UsageError);
    await expect(history(made.dir, ["HEAD..no-such-branch"])).rejects.toThrow(/no-such-branch/);
    await expect(history(made.dir, ["--output=/tmp/x"])).rejects.toThrow(/cannot start with "-"/);
  });
  it("finds every introduction when more files are in flight than it works on at once, and one waits for its parent's blob", async () => {
    const made = repo();
    made.write("a.txt", `first = ${openaiProjectKey(20)}\n`);
    made.add("a.txt");
    const older = made.commit();
    // a.txt's new version has a finding, so its parent blob is read only after the 600 files' blobs were asked for.
    made.write("a.txt", `first = ${openaiProjectKey(20)}\nsecond = ${openaiProjectKey(21)}\n`);
    const keyed = [100, 250, 599];
    for (let i = 0; i < 600; i++) {
      made.write(`f${String(i).padStart(3, "0")}.txt`, keyed.includes(i) ? `k = ${openaiProjectKey(30 + i)}\n` : `line ${i}\n`);
    }
    made.add(".");
    const newer = made.commit();
    const { findings, stats } = await history(made.dir);
    // Findings come as scans answer (reporters sort them): compared as a set.
    const found = findings.map((f) => [f.commit?.sha, f.path, f.secret].join(" ")).sort();
    const expected = [
      [newer, "a.txt", openaiProjectKey(21)],
      ...keyed.map((i) => [newer, `f${String(i).padStart(3, "0")}.txt`, openaiProjectKey(30 + i)]),
      [older, "a.txt", openaiProjectKey(20)],
    ].map((row) => row.join(" "));
    expect(found).toEqual(expected.sort());
    expect(stats).toMatchObject({ commits: 2, blobs: 602 });
  });

  it("fails when a blob's scan fails", async () => {
    const made = repo();
    for (let i = 0; i < 20; i++) made.write(`f${i}.txt`, `line ${i}\n`);
    made.add(".");
    made.commit();
    const scan = async (chunk: Chunk) => {
      if (chunk.path === "f7.txt") throw new Error("scan failed on f7.txt");
      return [];
    };
    await expect(scanHistory({ cwd: made.dir }, scan)).rejects.toThrow("scan failed on f7.txt");
  });
});
