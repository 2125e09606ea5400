// Each distinct file content is scanned once: the shared index of contents, one file's scan with it,
// and the main thread's join that gives a duplicate the findings of the first file with its content.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openaiProjectKey } from "../fixtures/fake-keys.js";
import { claimContent, contentId, contentKey, createContentIndex } from "../src/content-index.js";
import { createContentJoin } from "../src/content-join.js";
import { type FileScan, scanFile } from "../src/file-scan.js";
import { fingerprint } from "../src/fingerprint.js";
import { buildContext } from "../src/pipeline.js";

const scratch = mkdtempSync(join(tmpdir(), "keyscan-dedup-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const context = buildContext();

function file(name: string, text: string) {
  const abs = join(scratch, name);
  writeFileSync(abs, text);
  return { path: `src/${name}`, abs };
}

describe("content index", () => {
  it("answers first to the first claim of a content and duplicate to the next", () => {
    const index = createContentIndex();
    const same = contentKey(contentId(Buffer.from("const a = 1;\n"), true));
    expect(claimContent(index, same)).toBe("first");
    expect(claimContent(index, contentKey(contentId(Buffer.from("const a = 1;\n"), true)))).toBe("duplicate");
    expect(claimContent(index, contentKey(contentId(Buffer.from("const a = 2;\n"), true)))).toBe("first");
  });

  it("tells the same bytes apart when only one path lets the entropy detector run", () => {
    const bytes = Buffer.from("x");
    expect(contentId(bytes, true)).not.toBe(contentId(bytes, false));
  });

  it("gives every claim 'full' once half its slots are taken, so every file is still scanned", () => {
    const index = createContentIndex();
    const slots = index.table.length - 1;
    let answer = "";
    for (let n = 1; n <= slots / 2 + 1; n++) answer = claimContent(index, BigInt(n) * 2n + 1n);
    expect(answer).toBe("full");
  });
});

describe("scanFile", () => {
  it("scans the first file with a content and reports the next as a duplicate of it", () => {
    const index = createContentIndex();
    const text = `token = "${openaiProjectKey(3)}"\n`;
    const first = scanFile(file("a.py", text), context, { maxFileSize: 1e6, index });
    const second = scanFile(file("b.py", text), context, { maxFileSize: 1e6, index });
    expect(first).toMatchObject({ kind: "scanned", findings: [{ ruleId: "openai-project-key", path: "src/a.py" }] });
    expect(second).toEqual({ kind: "duplicate", bytes: Buffer.byteLength(text), content: (first as { content: string }).content });
  });

  it("scans every file when given no index", () => {
    const text = `token = "${openaiProjectKey(4)}"\n`;
    scanFile(file("c.py", text), context, { maxFileSize: 1e6 });
    expect(scanFile(file("d.py", text), context, { maxFileSize: 1e6 })).toMatchObject({ kind: "scanned", findings: [{ path: "src/d.py" }] });
  });
});

describe("content join", () => {
  const secret = openaiProjectKey(5);
  const first = scanFile(file("e.py", `key = "${secret}"\n`), context, { maxFileSize: 1e6, index: createContentIndex() });
  if (first.kind !== "scanned" || first.content === undefined) throw new Error("setup: the first scan did not claim its content");
  const content = first.content;
  const copy = { path: "vendor/e.py", abs: "/nonexistent" };

  it("gives a duplicate the first file's findings at its own path, even when it answers first", async () => {
    const join = createContentJoin(() => false, async () => ({ kind: "gone" }));
    const duplicate = join.settle(copy, { kind: "duplicate", bytes: 10, content });
    const original = await join.settle({ path: "src/e.py", abs: "" }, first);
    const outcome = await duplicate;
    expect(original).toMatchObject({ kind: "scanned", findings: [{ path: "src/e.py" }] });
    expect(outcome).toMatchObject({ kind: "scanned", bytes: 10, findings: [{ path: "vendor/e.py", secret }] });
    expect(outcome.kind === "scanned" && outcome.findings[0]?.fingerprint).toBe(fingerprint("openai-project-key", "vendor/e.py", secret));
  });

  it("applies the allow lists to each file's own path", async () => {
    const join = createContentJoin((finding) => finding.path.startsWith("vendor/"), async () => ({ kind: "gone" }));
    const original = await join.settle({ path: "src/e.py", abs: "" }, first);
    const duplicate = await join.settle(copy, { kind: "duplicate", bytes: 10, content });
    expect(original.kind === "scanned" && original.findings).toHaveLength(1);
    expect(duplicate).toEqual({ kind: "scanned", bytes: 10, findings: [] });
  });

  it("scans a file after all when another content took its key", async () => {
    const rescans: string[] = [];
    const rescanned: FileScan = { kind: "scanned", bytes: 3, findings: [] };
    const join = createContentJoin(() => false, async (file) => {
      rescans.push(file.path);
      return rescanned;
    });
    await join.settle({ path: "src/e.py", abs: "" }, first);
    // Same first 16 hex digits (the key), different content.
    const other = `${content.slice(0, 16)}${"0".repeat(content.length - 17)}e`;
    expect(await join.settle(copy, { kind: "duplicate", bytes: 3, content: other })).toEqual(rescanned);
    expect(rescans).toEqual(["vendor/e.py"]);
  });

  it("rejects the duplicates still waiting when the scan fails", async () => {
    const join = createContentJoin(() => false, async () => ({ kind: "gone" }));
    const waiting = join.settle(copy, { kind: "duplicate", bytes: 1, content });
    join.fail(new Error("worker stopped"));
    await expect(waiting).rejects.toThrow("worker stopped");
  });
});
