import { describe, expect, it } from "vitest";
import { type StagedFile, stagedFileBatches } from "../../../src/sources/staged-patch.js";

const OLD = "1".repeat(40);
const NEW = "2".repeat(40);
const NULL = "0".repeat(40);

async function collect(parts: (string | Buffer)[]): Promise<StagedFile[]> {
  const files: StagedFile[] = [];
  const patch = (async function* () {
    for (const part of parts) yield Buffer.from(part);
  })();
  for await (const batch of stagedFileBatches(patch)) files.push(...batch);
  return files;
}

describe("stagedFileBatches", () => {
  it("reads the patch as a stream, by its headers: lines split across buffers, a huge one-line file, too many lines to keep", async () => {
    const patch = [
      `diff --git a/a.txt b/a.txt\nindex ${OLD}..${NEW} 100644\n--- a/a.txt\n+++ b/a.txt\n@@ -1,0 +2,3 @@\n+x\n+y\n+z\n@@ -9 +12 @@\n-old\n+new\n`,
      `diff --git a/one-line.txt b/one-line.txt\nnew file mode 100644\nindex ${NULL}..${NEW}\n@@ -0,0 +1 @@\n+${"q".repeat(200_000)}`,
      `${"q".repeat(200_000)}\n`,
      `diff --git a/many.txt b/many.txt\nindex ${OLD}..${NEW} 100755\n@@ -0,0 +1,100001 @@\n+...\n`,
      `diff --git a/image.png b/image.png\nnew file mode 100644\nindex ${NULL}..${NEW}\nBinary files /dev/null and b/image.png differ\n`,
    ];
    // Buffers cut mid-line, as a pipe delivers them.
    const bytes = Buffer.from(patch.join(""));
    const files = await collect([bytes.subarray(0, 50), bytes.subarray(50, 120), bytes.subarray(120)]);
    expect(files).toEqual([
      { path: "a.txt", blob: NEW, mode: "100644", lines: new Set([2, 3, 4, 12]) },
      { path: "one-line.txt", blob: NEW, mode: "100644", lines: new Set([1]) },
      { path: "many.txt", blob: NEW, mode: "100755", lines: "all" },
      { path: "image.png", blob: NEW, mode: "100644", lines: "all" },
    ]);
  });

  it("hands a file on as soon as the next file starts, before the rest of the patch is read", async () => {
    const parts = ["diff --git a/a b/a\n@@ -0,0 +1 @@\n+x\n", "diff --git a/b b/b\n@@ -0,0 +1,2 @@\n+y\n+z\n", "diff --git a/c b/c\n@@ -0,0 +1 @@\n+w\n"];
    let partsRead = 0;
    const patch = (async function* () {
      for (const part of parts) {
        partsRead++;
        yield Buffer.from(part);
      }
    })();
    const seen: [number, string[]][] = [];
    for await (const batch of stagedFileBatches(patch)) seen.push([partsRead, batch.map((file) => file.path)]);
    expect(seen).toEqual([
      [2, ["a"]],
      [3, ["b"]],
      [3, ["c"]],
    ]);
  });

  it("takes the path from the header: quoted names unescaped (octal bytes as UTF-8), a name holding ' b/', non-ASCII", async () => {
    const files = await collect([
      `diff --git "a/q\\"d/t\\\\ab\\303\\251\\t" "b/q\\"d/t\\\\ab\\303\\251\\t"\nnew file mode 100644\nindex ${NULL}..${NEW}\n@@ -0,0 +1 @@\n+t\n`,
      `diff --git a/x b/y b/x b/y\nindex ${OLD}..${NEW} 100644\n@@ -1 +1 @@\n-a\n+b\n`,
      Buffer.from(`diff --git a/näme b/näme\nindex ${OLD}..${NEW} 100644\n@@ -1 +1 @@\n-a\n+b\n`, "utf8"),
    ]);
    expect(files.map((file) => file.path)).toEqual(['q"d/t\\abé\t', "x b/y", "näme"]);
  });

  it("leaves out a type change's deletion half, keeps its addition, and keeps a change of mode alone without a blob", async () => {
    const files = await collect([
      `diff --git a/f b/f\ndeleted file mode 100644\nindex ${OLD}..${NULL}\n--- a/f\n+++ /dev/null\n@@ -1 +0,0 @@\n-hi\n`,
      `diff --git a/f b/f\nnew file mode 120000\nindex ${NULL}..${NEW}\n--- /dev/null\n+++ b/f\n@@ -0,0 +1 @@\n+m\n\\ No newline at end of file\n`,
      "diff --git a/m b/m\nold mode 100644\nnew mode 100755\n",
      `diff --git a/n b/n\nold mode 100644\nnew mode 100755\nindex ${OLD}..${NEW}\n@@ -2,0 +3 @@\n+c\n`,
    ]);
    expect(files).toEqual([
      { path: "f", blob: NEW, mode: "120000", lines: new Set([1]) },
      { path: "m", blob: undefined, mode: "100755", lines: new Set() },
      { path: "n", blob: NEW, mode: "100755", lines: new Set([3]) },
    ]);
  });

  it("names a renamed file by its 'rename to' line (quoted names too), with only the lines the move changed", async () => {
    const files = await collect([
      "diff --git a/old.py b/new.py\nsimilarity index 100%\nrename from old.py\nrename to new.py\n",
      `diff --git "a/d\\303\\251/x y" "b/new dir/x\\ty"\nsimilarity index 80%\nrename from "d\\303\\251/x y"\nrename to "new dir/x\\ty"\nindex ${OLD}..${NEW} 100644\n--- "a/d\\303\\251/x y"\n+++ "b/new dir/x\\ty"\n@@ -5,0 +6 @@ d = 4\n+e = 5\n`,
    ]);
    expect(files).toEqual([
      { path: "new.py", blob: undefined, mode: "", lines: new Set() },
      { path: "new dir/x\ty", blob: NEW, mode: "100644", lines: new Set([6]) },
    ]);
  });

  it("refuses a header it cannot read rather than guess a path", async () => {
    await expect(collect(["diff --git a/x c/x\n"])).rejects.toThrow(/unexpected git diff header/);
    await expect(collect(["diff --git a/x b/y\n"])).rejects.toThrow(/unexpected git diff header/);
  });
});
