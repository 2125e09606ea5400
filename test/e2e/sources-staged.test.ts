import { describe, expect, it } from "vitest";
import { openaiProjectKey } from "../../fixtures/fake-keys.js";
import { createRuleset } from "../../src/engine/ruleset.js";
import { scanText } from "../../src/run/pipeline.js";
import { compileRules, parseRuleFiles } from "../../src/engine/rules.js";
import { UsageError } from "../../src/errors.js";
import { readDefaultRuleSources } from "../../src/config/default-rules.js";
import { addedLineBatches, stagedItems } from "../../src/sources/staged.js";
import type { Chunk, Finding, SourceItem } from "../../src/types.js";
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

function findings(items: SourceItem[]): Finding[] {
  return chunks(items).flatMap((chunk) => scanText(chunk, { ruleset }));
}

describe("staged source", () => {
  it("works before the first commit: every line of a new file counts", async () => {
    const made = repo();
    made.write("config.ts", `const a = 1;\nconst key = "${openaiProjectKey(1)}";\n`);
    made.add("config.ts");
    const items = await staged(made.dir);
    expect(chunks(items)).toHaveLength(1);
    expect([...(chunks(items)[0]?.addedLines ?? [])]).toEqual([1, 2]);
    expect(findings(items).map((f) => [f.path, f.line, f.secret])).toEqual([["config.ts", 2, openaiProjectKey(1)]]);
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
    expect(findings(items).map((f) => f.secret)).toEqual([openaiProjectKey(2)]);

    made.add("app.ts"); // now the fix is staged
    expect(findings(await staged(made.dir))).toEqual([]);
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
    expect(findings(items).map((f) => [f.line, f.secret])).toEqual([[7, openaiProjectKey(4)]]);
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
    const found = findings(await staged(`${made.dir}/src`));
    expect(found.map((f) => [f.path, f.line, f.secret])).toEqual([
      ["docs/new näme.md", 2, openaiProjectKey(6)],
      ["src/ünïcode file.ts", 1, openaiProjectKey(7)],
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
    expect(items.filter((item) => item.kind === "skipped")).toEqual([]);
    expect(findings(items)).toMatchObject([{ path: "big.txt", line: 2, column: 8 }]);
  });

  it("decodes a staged UTF-16 file, whose lines git cannot diff, as all new", async () => {
    const made = repo();
    made.write("wide.txt", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`k=${openaiProjectKey(9)}\n`, "utf16le")]));
    made.add("wide.txt");
    const items = await staged(made.dir);
    expect(chunks(items)[0]).toEqual({ path: "wide.txt", text: `k=${openaiProjectKey(9)}\n` });
    expect(findings(items)).toHaveLength(1);
  });

  it("refuses a folder that is not a repository", async () => {
    const made = repo(false);
    await expect(staged(made.dir)).rejects.toThrow(UsageError);
    await expect(staged(made.dir)).rejects.toThrow(/needs a git repository/);
  });

  it("reads the patch as a stream, by its hunk headers: lines split across buffers, a huge one-line file, too many lines to keep", async () => {
    const patch = [
      "diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1,0 +2,3 @@\n+x\n+y\n+z\n@@ -9 +12 @@\n-old\n+new\n",
      `diff --git a/one-line.txt b/one-line.txt\n@@ -0,0 +1 @@\n+${"q".repeat(200_000)}`,
      `${"q".repeat(200_000)}\n`,
      "diff --git a/many.txt b/many.txt\n@@ -0,0 +1,100001 @@\n+...\n",
      "diff --git a/image.png b/image.png\nBinary files /dev/null and b/image.png differ\n",
    ];
    // Buffers cut mid-line, as a pipe delivers them.
    const bytes = Buffer.from(patch.join(""));
    const parts = [bytes.subarray(0, 50), bytes.subarray(50, 120), bytes.subarray(120)];
    const files: (Set<number> | "all")[] = [];
    for await (const batch of addedLineBatches((async function* () { yield* parts; })())) files.push(...batch);
    expect(files).toEqual([new Set([2, 3, 4, 12]), new Set([1]), "all", "all"]);
  });

  it("hands a file's lines on as soon as the next file starts, before the rest of the patch is read", async () => {
    const parts = ["diff --git a/a b/a\n@@ -0,0 +1 @@\n+x\n", "diff --git a/b b/b\n@@ -0,0 +1,2 @@\n+y\n+z\n", "diff --git a/c b/c\n@@ -0,0 +1 @@\n+w\n"];
    let partsRead = 0;
    const patch = (async function* () {
      for (const part of parts) {
        partsRead++;
        yield Buffer.from(part);
      }
    })();
    const seen: [number, (Set<number> | "all")[]][] = [];
    for await (const batch of addedLineBatches(patch)) seen.push([partsRead, batch]);
    expect(seen).toEqual([
      [2, [new Set([1])]],
      [3, [new Set([1, 2])]],
      [3, [new Set([1])]],
    ]);
  });
});
