import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openaiProjectKey } from "../../fixtures/fake-keys.js";
import { UsageError } from "../../src/errors.js";
import { type ReadBuffer, readWholeFile } from "../../src/sources/files.js";
import { readWorkingTree } from "../helpers/working-tree.js";
import type { ReadItem as SourceItem } from "../../src/types.js";
import { type TempRepo, useTempRepos } from "../helpers/git-repo.js";

const MB = 1024 * 1024;
const isRoot = process.getuid?.() === 0;
const repo = useTempRepos();

async function collect(cwd: string, paths?: string[], maxFileSize = MB): Promise<SourceItem[]> {
  const items: SourceItem[] = [];
  for await (const item of readWorkingTree({ cwd, maxFileSize, ...(paths ? { paths } : {}) })) items.push(item);
  return items;
}

const chunkPaths = (items: SourceItem[]): string[] =>
  items.flatMap((item) => (item.kind === "chunk" ? [item.chunk.path] : [])).sort();
const skips = (items: SourceItem[]): Record<string, string> =>
  Object.fromEntries(items.flatMap((item) => (item.kind === "skipped" ? [[item.path, item.reason]] : [])));

/** The same tree, built in a repository and outside one. */
function buildTree(made: TempRepo): void {
  made.write(".gitignore", "*.log\nbuild/\n");
  made.write("keep.txt", "kept\n");
  made.write("debug.log", "ignored\n");
  made.write("build/out.js", "ignored\n");
  made.write("sub/.gitignore", "secret.txt\n!important.log\n");
  made.write("sub/secret.txt", "ignored by the nested file\n");
  made.write("sub/important.log", "re-included by the nested file\n");
  made.write("sub/other.txt", "kept\n");
  made.write("sp ace/ünï cödé.txt", "kept\n");
  made.write(".hidden/config", "dot files count\n");
}

describe.each([
  ["in a repository", true],
  ["outside a repository", false],
])("working tree %s", (_label, init) => {
  it("honours .gitignore, nested ones relative to their folder, and lists untracked files", async () => {
    const made = repo(init);
    buildTree(made);
    if (init) {
      made.add("keep.txt");
      made.commit();
    }
    expect(chunkPaths(await collect(made.dir))).toEqual(
      [".gitignore", ".hidden/config", "keep.txt", "sp ace/ünï cödé.txt", "sub/.gitignore", "sub/important.log", "sub/other.txt"].sort(),
    );
  });

  it("skips symlinks, including a loop, and never follows them", async () => {
    const made = repo(init);
    made.write("real/key.txt", `${openaiProjectKey(1)}\n`);
    symlinkSync("real", join(made.dir, "dirlink"));
    symlinkSync("real/key.txt", join(made.dir, "filelink"));
    symlinkSync("loop", join(made.dir, "loop"));
    const items = await collect(made.dir);
    expect(chunkPaths(items)).toEqual(["real/key.txt"]);
    expect(skips(items)).toEqual({ dirlink: "symlink", filelink: "symlink", loop: "symlink" });
  });

  it("follows a symlink named as a path to scan, a file's under the name it was given, and refuses one to nothing or to a device", async () => {
    const made = repo(init);
    made.write("real/key.txt", `${openaiProjectKey(1)}\n`);
    symlinkSync("real", join(made.dir, "dirlink"));
    symlinkSync("real/key.txt", join(made.dir, "filelink"));
    symlinkSync("nothing", join(made.dir, "dangling"));
    symlinkSync("/dev/null", join(made.dir, "device"));
    expect(chunkPaths(await collect(made.dir, ["filelink"]))).toEqual(["filelink"]);
    // A folder is scanned where it is: as if named by its real path.
    const throughLink = chunkPaths(await collect(made.dir, ["dirlink"]));
    expect(throughLink).toEqual(chunkPaths(await collect(made.dir, ["real"])));
    expect(throughLink).toEqual([init ? "real/key.txt" : "key.txt"]);
    await expect(collect(made.dir, ["dangling"])).rejects.toThrow("dangling is a symlink to nothing");
    // A pipe's or a device's link (`/dev/stdin` on a pipe) is no file to read.
    await expect(collect(made.dir, ["device"])).rejects.toThrow("device is a symlink to neither a file nor a folder (to scan standard input, give -)");
  });

  it("skips binary and large files and says so, and decodes UTF-16 with a BOM", async () => {
    const made = repo(init);
    made.write("image.bin", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
    made.write("big.txt", "a".repeat(2000));
    made.write("small.txt", "a".repeat(1000));
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`key=${openaiProjectKey(2)}\n`, "utf16le")]);
    made.write("wide.txt", utf16);
    const items = await collect(made.dir, undefined, 1500);
    expect(skips(items)).toEqual({ "image.bin": "binary", "big.txt": "large" });
    const wide = items.find((item) => item.kind === "chunk" && item.chunk.path === "wide.txt");
    expect(wide).toMatchObject({ chunk: { text: `key=${openaiProjectKey(2)}\n` }, bytes: utf16.length });
  });

  it("reports a file it cannot read and goes on", async () => {
    const made = repo(init);
    made.write("a.txt", "a\n");
    made.write("locked.txt", "secret\n");
    made.write("pipe", "a tracked file that becomes a FIFO\n");
    made.write("z.txt", "z\n");
    if (init) {
      made.add("pipe");
      made.commit();
    }
    rmSync(join(made.dir, "pipe"));
    execFileSync("mkfifo", [join(made.dir, "pipe")]); // not a regular file: reading it would block
    chmodSync(join(made.dir, "locked.txt"), 0o000);
    const items = await collect(made.dir);
    expect(skips(items).pipe).toBe("unreadable");
    // chmod cannot stop root from reading: there, only the FIFO above is unreadable.
    if (isRoot) expect(chunkPaths(items)).toEqual(["a.txt", "locked.txt", "z.txt"]);
    else {
      expect(skips(items)["locked.txt"]).toBe("unreadable");
      expect(chunkPaths(items)).toEqual(["a.txt", "z.txt"]);
    }
  });

  it("handles names with spaces, newlines and non-ASCII characters", async () => {
    const made = repo(init);
    const names = ["with space.txt", "new\nline.txt", "naïve-日本.txt"];
    for (const name of names) made.write(name, `${name}\n`);
    if (init) {
      made.add(names[0] ?? "");
      made.commit();
    }
    const items = await collect(made.dir);
    expect(chunkPaths(items)).toEqual([...names].sort());
    for (const item of items) if (item.kind === "chunk") expect(item.chunk.text).toBe(`${item.chunk.path}\n`);
  });

  it("scans a file named as a path argument even if ignored, and refuses a missing path", async () => {
    const made = repo(init);
    made.write(".gitignore", "*.env\n");
    made.write("app/.env", "TOKEN=1\n");
    made.write("app/main.ts", "x\n");
    // Outside a repository, paths are relative to the scanned folder, and only the .gitignore files in it
    // apply: what is reported does not depend on the folder keyscan was started in.
    expect(chunkPaths(await collect(made.dir, ["app"]))).toEqual(init ? ["app/main.ts"] : [".env", "main.ts"]);
    // Chunk paths are relative to the repository root, or outside a repository to the scanned folder.
    const fromApp = chunkPaths(await collect(join(made.dir, "app"), ["main.ts", ".env"]));
    expect(fromApp).toEqual(init ? ["app/.env", "app/main.ts"] : [".env", "main.ts"]);
    await expect(collect(made.dir, ["nope"])).rejects.toThrow(new UsageError("path not found: nope"));
  });
});

describe("working tree in a repository", () => {
  it("reads the working tree, lists untracked files, and skips submodules and deleted files", async () => {
    const made = repo();
    made.write("tracked.txt", "old\n");
    made.write("deleted.txt", "gone\n");
    made.add("tracked.txt", "deleted.txt");
    made.commit();
    made.write("tracked.txt", "new\n");
    made.write("untracked.txt", "u\n");
    rmSync(join(made.dir, "deleted.txt")); // still in the index: listed by git, but nothing to read
    mkdirSync(join(made.dir, "nested"));
    execFileSync("git", ["init", "-q"], { cwd: join(made.dir, "nested") });
    made.write("nested/inner.txt", "inner\n");
    const items = await collect(made.dir);
    expect(chunkPaths(items)).toEqual(["tracked.txt", "untracked.txt"]);
    expect(items.find((item) => item.kind === "chunk" && item.chunk.path === "tracked.txt")).toMatchObject({
      chunk: { text: "new\n" },
    });
    expect(skips(items)).toEqual({ nested: "submodule" });
  });

  it("lists a tracked file that .gitignore matches, beside untracked files that it does not", async () => {
    const made = repo();
    made.write("forced.log", "tracked before it was ignored\n");
    made.add("forced.log");
    made.commit();
    made.write(".gitignore", "*.log\n");
    made.write("new.log", "untracked and ignored\n");
    made.write("new.txt", "untracked\n");
    expect(chunkPaths(await collect(made.dir))).toEqual([".gitignore", "forced.log", "new.txt"]);
  });

  it("lists each file once, the tracked ones before the untracked ones, both within the path asked for", async () => {
    const made = repo();
    made.write("src/z-tracked.txt", "t\n");
    made.write("src/m-tracked.txt", "t\n");
    made.write("other/tracked.txt", "t\n");
    made.add("src/z-tracked.txt", "src/m-tracked.txt", "other/tracked.txt");
    made.commit();
    made.write("src/a-untracked.txt", "u\n");
    made.write("other/untracked.txt", "u\n");
    const listed = (await collect(made.dir, ["src"])).flatMap((item) => (item.kind === "chunk" ? [item.chunk.path] : []));
    expect(listed).toEqual(["src/m-tracked.txt", "src/z-tracked.txt", "src/a-untracked.txt"]);
  });

  it("fails with git's reason when git cannot list the files", async () => {
    const made = repo();
    made.write("a.txt", "a\n");
    made.add("a.txt");
    made.commit();
    writeFileSync(join(made.dir, ".git", "index"), "not an index");
    // Both listings read the index: the first failure is reported, and the other's is not left unhandled.
    await expect(collect(made.dir)).rejects.toThrow(/^git ls-files failed: /);
  });

  it("gives paths relative to the repository root when run from a subfolder", async () => {
    const made = repo();
    made.write("src/deep/a.txt", "a\n");
    made.write("b.txt", "b\n");
    expect(chunkPaths(await collect(join(made.dir, "src")))).toEqual(["src/deep/a.txt"]);
    expect(chunkPaths(await collect(join(made.dir, "src"), [".."]))).toEqual(["b.txt", "src/deep/a.txt"]);
  });

  it("skips paths the configuration allows without reading them", async () => {
    const made = repo();
    made.write("vendor/lib.js", "v\n");
    made.write("main.js", "m\n");
    const items: SourceItem[] = [];
    for await (const item of readWorkingTree({ cwd: made.dir, maxFileSize: MB, isPathAllowed: (path) => path.startsWith("vendor/") })) {
      items.push(item);
    }
    expect(chunkPaths(items)).toEqual(["main.js"]);
    expect(skips(items)).toEqual({ "vendor/lib.js": "allowed-path" });
  });
});

describe("reading files into a reused buffer", () => {
  const dir = mkdtempSync(join(tmpdir(), "keyscan-read-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  /** A 16-byte buffer, so the edge cases are small files. */
  const smallBuffer = (): ReadBuffer => ({ bytes: Buffer.alloc(16), grow: (size) => Buffer.alloc(size) });
  const fileOf = (name: string, text?: string) => {
    const abs = join(dir, name);
    if (text !== undefined) writeFileSync(abs, text);
    return { abs, path: name };
  };
  const readAll = (file: { abs: string; path: string }, maxFileSize: number, into: ReadBuffer) =>
    [readWholeFile(file, maxFileSize, into)].map((item) =>
      item !== undefined && item !== "windows" && item.kind === "chunk" ? Buffer.from(item.chunk.raw).toString() : item,
    );

  it("reads files shorter than, as long as and longer than the buffer whole", () => {
    const into = smallBuffer();
    for (const text of ["short", "exactly 16 bytes", "forty bytes, more than the buffer holds."]) {
      expect(readAll(fileOf(`f${text.length}.txt`, text), 1000, into)).toEqual([text]);
    }
    expect(into.bytes.length).toBeGreaterThanOrEqual(40);
    expect(readAll(fileOf("empty.txt", ""), 1000, into)).toEqual([""]);
  });

  it("skips a file over the size limit even when it fits the buffer", () => {
    expect(readAll(fileOf("twelve.txt", "twelve bytes"), 10, smallBuffer())).toEqual([
      { kind: "skipped", path: "twelve.txt", reason: "large", detail: "12 bytes" },
    ]);
  });

  it("says what a folder or a FIFO is without waiting on it", () => {
    mkdirSync(join(dir, "sub"));
    expect(readAll(fileOf("sub"), 1000, smallBuffer())).toEqual([{ kind: "skipped", path: "sub", reason: "submodule" }]);
    execFileSync("mkfifo", [join(dir, "pipe")]);
    expect(readAll(fileOf("pipe"), 1000, smallBuffer())).toEqual([
      { kind: "skipped", path: "pipe", reason: "unreadable", detail: "not a regular file" },
    ]);
  });
});
