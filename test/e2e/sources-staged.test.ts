import { describe, expect, it } from "vitest";
import { openaiProjectKey } from "../../fixtures/fake-keys.js";
import { createRuleset, rulesSkippedAt } from "../../src/engine/ruleset.js";
import { suppressionSteps } from "../../src/filters/index.js";
import { drain, type Scanner } from "../../src/run/drain.js";
import { scanContent } from "../../src/run/scan-content.js";
import { scanWindow } from "../../src/run/windowed.js";
import { compileRules, parseRuleFiles } from "../../src/engine/rules.js";
import { UsageError } from "../../src/errors.js";
import { readDefaultRuleSources } from "../../src/config/default-rules.js";
import { stagedItems } from "../../src/sources/staged.js";
import type { Chunk, Finding, SourceItem, WindowJob } from "../../src/types.js";
import { useTempRepos } from "../helpers/git-repo.js";

const ruleset = createRuleset(compileRules(parseRuleFiles(readDefaultRuleSources())));
const MB = 1024 * 1024;
const repo = useTempRepos();

async function staged(cwd: string, windowedAbove?: number): Promise<SourceItem[]> {
  const items: SourceItem[] = [];
  for await (const item of stagedItems({ cwd, ...(windowedAbove ? { windowedAbove } : {}) })) items.push(item);
  return items;
}

function chunks(items: SourceItem[]): Chunk[] {
  return items.flatMap((item) => (item.kind === "chunk" ? [item.chunk] : []));
}

/**
 * The items drained as the CLI drains them, scanned in this thread with the real engine and the
 * suppressions that need no files. `onWindow` is told of each window of a big file.
 */
async function findings(items: SourceItem[], onWindow?: (window: WindowJob) => void): Promise<Finding[]> {
  const scanner: Scanner = {
    scan: async (chunk) => scanContent(chunk, ruleset),
    scanFiles: async () => [],
    scanWindow: async (window) => {
      onWindow?.(window);
      return scanWindow(window, ruleset);
    },
    rulesSkippedAt: (path) => rulesSkippedAt(ruleset, path),
  };
  return (await drain(listed(items), scanner, suppressionSteps({}), () => undefined)).findings;
}

async function* listed(items: SourceItem[]): AsyncGenerator<SourceItem> {
  yield* items;
}

describe("staged source", () => {
  it("works before the first commit: every line of a new file counts", async () => {
    const made = repo();
    made.write("config.ts", `const a = 1;\nconst key = "${openaiProjectKey(1)}";\n`);
    made.add("config.ts");
    const items = await staged(made.dir);
    expect(chunks(items)).toHaveLength(1);
    expect([...(chunks(items)[0]?.addedLines ?? [])]).toEqual([1, 2]);
    expect((await findings(items)).map((f) => [f.path, f.line, f.secret])).toEqual([["config.ts", 2, openaiProjectKey(1)]]);
  });

  it("scans the index, not the working tree", async () => {
    const made = repo();
    made.write("app.ts", "start\n");
    made.add("app.ts");
    made.commit();
    made.write("app.ts", `start\nkey = "${openaiProjectKey(2)}"\n`);
    made.add("app.ts");
    made.write("app.ts", "start\nkey = process.env.KEY\n"); // fixed in the working tree, but not staged
    const items = await staged(made.dir);
    expect(chunks(items)[0]?.text).toBe(`start\nkey = "${openaiProjectKey(2)}"\n`);
    expect((await findings(items)).map((f) => f.secret)).toEqual([openaiProjectKey(2)]);

    made.add("app.ts"); // now the fix is staged
    expect(await findings(await staged(made.dir))).toEqual([]);
  });

  it("reports only added or changed lines, not an old key elsewhere in the file", async () => {
    const made = repo();
    const lines = Array.from({ length: 10 }, (_, i) => `line ${i + 1}`);
    lines[1] = `old = "${openaiProjectKey(3)}"`;
    made.write("settings.py", `${lines.join("\n")}\n`);
    made.add("settings.py");
    made.commit();
    lines[6] = `new = "${openaiProjectKey(4)}"`;
    lines[8] = "line nine, edited";
    lines.push("appended");
    made.write("settings.py", `${lines.join("\n")}\n`);
    made.add("settings.py");
    const items = await staged(made.dir);
    expect([...(chunks(items)[0]?.addedLines ?? [])]).toEqual([7, 9, 11]);
    expect((await findings(items)).map((f) => [f.line, f.secret])).toEqual([[7, openaiProjectKey(4)]]);
  });

  it("skips files whose change only deletes lines", async () => {
    const made = repo();
    made.write("a.txt", `keep\n${openaiProjectKey(5)}\n`);
    made.add("a.txt");
    made.commit();
    made.write("a.txt", "keep\n");
    made.add("a.txt");
    expect(await staged(made.dir)).toEqual([]);
  });

  it("handles renamed and modified files, names with a space and non-ASCII, from a subfolder", async () => {
    const made = repo();
    made.write("docs/old name.md", "# notes\n");
    made.write("src/ünïcode file.ts", "export {};\n");
    made.add(".");
    made.commit();
    made.git("mv", "docs/old name.md", "docs/new näme.md");
    made.write("docs/new näme.md", `# notes\ntoken: ${openaiProjectKey(6)}\n`);
    made.write("src/ünïcode file.ts", `export const k = "${openaiProjectKey(7)}";\n`);
    made.add(".");
    const found = await findings(await staged(`${made.dir}/src`));
    expect(found.map((f) => [f.path, f.line, f.secret])).toEqual([
      ["docs/new näme.md", 2, openaiProjectKey(6)],
      ["src/ünïcode file.ts", 1, openaiProjectKey(7)],
    ]);
  });

  it("reads a file made a symlink (two sections in git's patch), a change of mode alone, and names git quotes, and finds the key after them", async () => {
    const made = repo();
    made.write("was-file", "plain\n");
    made.write("run.sh", "echo hi\n");
    made.add("was-file", "run.sh");
    made.commit();
    made.git("rm", "-q", "--cached", "was-file");
    made.git("update-index", "--add", "--cacheinfo", `120000,${made.gitWithInput("run.sh", "hash-object", "-w", "--stdin").trim()},was-file`);
    made.git("update-index", "--chmod=+x", "run.sh");
    const odd = 'quo"te\\back\ttab é.txt';
    made.write(odd, `key = "${openaiProjectKey(11)}"\n`);
    made.write("z.txt", `key = "${openaiProjectKey(12)}"\n`);
    made.add(odd, "z.txt");
    const items = await staged(made.dir);
    expect(items.filter((item) => item.kind === "skipped").map((item) => [item.path, item.kind === "skipped" && item.reason])).toEqual([
      ["was-file", "symlink"],
    ]);
    expect((await findings(items)).map((f) => [f.path, f.line, f.secret])).toEqual([
      [odd, 1, openaiProjectKey(11)],
      ["z.txt", 1, openaiProjectKey(12)],
    ]);
  });

  it("skips deleted files, symlinks and binary files", async () => {
    const made = repo();
    made.write("gone.txt", `${openaiProjectKey(8)}\n`);
    made.add("gone.txt");
    made.commit();
    made.git("rm", "-q", "gone.txt");
    made.write("blob.bin", Buffer.from([0, 1, 2, 3]));
    made.git("update-index", "--add", "--cacheinfo", `120000,${made.git("hash-object", "-w", "--stdin").trim()},link`);
    made.add("blob.bin");
    const items = await staged(made.dir);
    expect(items.filter((item) => item.kind === "skipped").map((item) => [item.path, item.kind === "skipped" && item.reason])).toEqual([
      ["blob.bin", "binary"],
      ["link", "symlink"],
    ]);
    expect(chunks(items)).toEqual([]);
  });

  it("streams a file over the window threshold from git and scans every line of it, however big", async () => {
    const made = repo();
    made.write("big.txt", `${"x".repeat(MB)}\nKEY = "${openaiProjectKey(10)}"\n`);
    made.add("big.txt");
    const items = await staged(made.dir, 1024);
    expect(items.map((item) => item.kind)).toEqual(["windows"]);
    expect(await findings(items)).toMatchObject([{ path: "big.txt", line: 2, column: 8 }]);
  });

  it("by default hands over a file of up to 4 MB as text, and cuts a bigger one into windows of bytes", async () => {
    const made = repo();
    const line = "let a = 1; // a line of a big generated file\n";
    made.write("small.txt", line.repeat(Math.floor((4 * MB) / line.length)));
    made.write("big.txt", line.repeat(Math.ceil((4 * MB) / line.length) + 1));
    made.add("small.txt", "big.txt");
    const items = await staged(made.dir);
    const pathOf = (item: SourceItem) => (item.kind === "chunk" ? item.chunk.path : item.kind === "windows" ? item.path : item.kind);
    expect(items.map((item) => [item.kind, pathOf(item)])).toEqual([
      ["windows", "big.txt"],
      ["chunk", "small.txt"],
    ]);
  });

  it("in a file over the window threshold, as in any other, reports only what the staged lines add", async () => {
    const made = repo();
    const filler = "let a = 1; // a line of a big generated file\n".repeat(Math.ceil((2 * MB) / 46));
    made.write("big.txt", `KEY = "${openaiProjectKey(11)}"\n${filler}`);
    made.add("big.txt");
    made.commit();
    const lines = 1 + filler.split("\n").length;
    made.write("big.txt", `KEY = "${openaiProjectKey(11)}"\n${filler}NEW = "${openaiProjectKey(12)}"\n`);
    made.add("big.txt");
    const items = await staged(made.dir, 1024);
    let windows = 0;
    const found = await findings(items, () => windows++);
    expect(windows).toBeGreaterThan(1);
    expect(found.map((finding) => [finding.line, finding.secret])).toEqual([[lines, openaiProjectKey(12)]]);
  });

  it("decodes a staged UTF-16 file, whose lines git cannot diff, as all new", async () => {
    const made = repo();
    made.write("wide.txt", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`k=${openaiProjectKey(9)}\n`, "utf16le")]));
    made.add("wide.txt");
    const items = await staged(made.dir);
    expect(chunks(items)[0]).toEqual({ path: "wide.txt", text: `k=${openaiProjectKey(9)}\n` });
    expect(await findings(items)).toHaveLength(1);
  });

  it("refuses a folder that is not a repository", async () => {
    const made = repo(false);
    await expect(staged(made.dir)).rejects.toThrow(UsageError);
    await expect(staged(made.dir)).rejects.toThrow(/needs a git repository/);
  });
});
