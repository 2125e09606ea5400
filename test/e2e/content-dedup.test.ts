// Each distinct file content is scanned once: the shared index of contents, one file's scan with it,
// and the main thread's join that gives a duplicate the findings of the first file with its content.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";
import { ALNUM, openaiProjectKey, randomString, rng } from "../../fixtures/fake-keys.js";
import { claimContent, contentId, createContentIndex, settleContent } from "../../src/run/content-index.js";
import { createContentCache } from "../../src/run/content-cache.js";
import { isGuessable } from "../../src/engine/entropy.js";
import { fingerprint } from "../../src/run/fingerprint.js";
import { type FileScan, packScan, scanFile, unpackScan } from "../../src/run/file-scan.js";
import { buildContext } from "../../src/run/pipeline.js";

const scratch = mkdtempSync(join(tmpdir(), "keyscan-dedup-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const context = buildContext();

function file(name: string, text: string) {
  const abs = join(scratch, name);
  writeFileSync(abs, text);
  return { path: `src/${name}`, abs };
}

describe("content index", () => {
  const id = (text: string) => contentId(Buffer.from(text), []);

  it("gives the first claim of a content to scan, and later claims the first scan's outcome", () => {
    const index = createContentIndex();
    const clean = claimContent(index, id("const a = 1;\n"));
    expect(clean.kind).toBe("first");
    if (clean.kind === "first") settleContent(index, clean.slot, false);
    expect(claimContent(index, id("const a = 1;\n"))).toEqual({ kind: "clean" });
    const found = claimContent(index, id("const a = 2;\n"));
    if (found.kind === "first") settleContent(index, found.slot, true);
    expect(claimContent(index, id("const a = 2;\n"))).toEqual({ kind: "found" });
  });

  it("tells the same bytes apart when only one path lets the entropy detector run", () => {
    const bytes = Buffer.from("x");
    expect(contentId(bytes, [])).not.toBe(contentId(bytes, ["generic-high-entropy"]));
    const index = createContentIndex();
    const lockfile = claimContent(index, contentId(bytes, ["generic-high-entropy"]));
    if (lockfile.kind === "first") settleContent(index, lockfile.slot, false);
    // Clean without the entropy detector says nothing of a scan with it: that one is a first scan too.
    expect(claimContent(index, contentId(bytes, [])).kind).toBe("first");
  });

  it("gives contents whose keys agree, and whose hash's other half or length does not, slots of their own", () => {
    const index = createContentIndex();
    const first = id("one");
    const variants = [first, { ...first, high: first.high ^ 1 }, { ...first, length: first.length + 1 }];
    const slots = variants.map((variant, n) => {
      const claim = claimContent(index, variant);
      if (claim.kind !== "first") throw new Error(`variant ${n} was answered ${claim.kind}`);
      settleContent(index, claim.slot, n === 1);
      return claim.slot;
    });
    expect(new Set(slots).size).toBe(3);
    expect(variants.map((variant) => claimContent(index, variant).kind)).toEqual(["clean", "found", "clean"]);
  });

  it("does not wait for the scan of another content that has the same key", () => {
    const index = createContentIndex();
    const scanning = id("two");
    expect(claimContent(index, scanning).kind).toBe("first"); // never settled: its scan is "under way"
    const started = performance.now();
    expect(claimContent(index, { ...scanning, high: scanning.high ^ 1 }).kind).toBe("first");
    expect(performance.now() - started).toBeLessThan(1000); // the wait for a scan of the same content is 2 s
  });

  it("answers a thread woken before the first scan ended only once it has ended", async () => {
    const index = createContentIndex();
    const content = id("three");
    const claim = claimContent(index, content);
    if (claim.kind !== "first") throw new Error("setup: the first claim was not first");
    const worker = new Worker(new URL("../helpers/claim-worker.mjs", import.meta.url), { workerData: { index, id: content } });
    const messages: string[] = [];
    let claiming: () => void = () => {};
    const started = new Promise<void>((resolve) => (claiming = resolve));
    const answered = new Promise<string>((resolve, reject) => {
      worker.on("error", reject);
      worker.on("message", (message: string) => (messages.push(message) === 1 ? claiming() : resolve(message)));
    });
    await Promise.race([started, answered]);
    await new Promise((resolve) => setTimeout(resolve, 200)); // the worker is waiting for the scan to end
    // A wake-up with the scan still under way (as the claimer's own wake-up after writing the id can be).
    Atomics.notify(index.states, claim.slot);
    await new Promise((resolve) => setTimeout(resolve, 100));
    settleContent(index, claim.slot, false);
    expect(await answered).toBe("clean");
    await worker.terminate();
  });

  it("scans without sharing once half the slots are taken", () => {
    const index = createContentIndex();
    const slots = index.states.length;
    let claim = claimContent(index, id("0"));
    for (let n = 1; n <= slots / 2; n++) claim = claimContent(index, id(String(n)));
    expect(claim).toEqual({ kind: "unshared" });
  });

  it("stops waiting for a first scan that never ends, and scans the content itself", () => {
    const index = createContentIndex();
    expect(claimContent(index, id("stuck")).kind).toBe("first");
    const started = performance.now();
    expect(claimContent(index, id("stuck"))).toEqual({ kind: "unshared" });
    expect(performance.now() - started).toBeGreaterThanOrEqual(1900);
  });
});

describe("scanFile", () => {
  it("scans the first file with a content and reports the next as a duplicate of it", () => {
    const index = createContentIndex();
    const text = `token = "${openaiProjectKey(3)}"\n`;
    const first = scanFile(file("a.py", text), context, { maxFileSize: 1e6, index });
    const second = scanFile(file("b.py", text), context, { maxFileSize: 1e6, index });
    expect(first).toMatchObject({ kind: "scanned", matches: [{ ruleId: "openai-project-key" }] });
    expect(second).toEqual({ kind: "duplicate", bytes: Buffer.byteLength(text), content: (first as { content: string }).content });
  });

  it("works out each match's fingerprint at the file's own path, a weak secret's slow one too", () => {
    const password = randomString(rng(23), ALNUM, 10);
    expect(isGuessable(password)).toBe(true);
    const scanned = scanFile(file("db.properties", `url=jdbc:mysql://db:3306/app?user=app&password=${password}\n`), context, {
      maxFileSize: 1e6,
      index: createContentIndex(),
    });
    expect(scanned).toMatchObject({ kind: "scanned", matches: [{ ruleId: "jdbc-url-password", secret: password }] });
    expect(scanned).toMatchObject({ fingerprints: [fingerprint("jdbc-url-password", "src/db.properties", password)] });
  });

  it("answers a clean copy with no findings and no content id, so it needs no joining", () => {
    const index = createContentIndex();
    const text = "const nothing = 1;\n";
    expect(scanFile(file("f.js", text), context, { maxFileSize: 1e6, index })).toEqual({ kind: "scanned", bytes: text.length, matches: [] });
    expect(scanFile(file("g.js", text), context, { maxFileSize: 1e6, index })).toEqual({ kind: "scanned", bytes: text.length, matches: [] });
  });

  it("reads each file whole and alone although one buffer is reused for every read", () => {
    const index = createContentIndex();
    const key = openaiProjectKey(6);
    const big = `${"const padding = 1;\n".repeat(20_000)}token = "${key}"\n`;
    const bigScan = scanFile(file("big.py", big), context, { maxFileSize: 1e7, index });
    expect(bigScan).toMatchObject({ kind: "scanned", bytes: big.length, matches: [{ line: 20_001 }] });
    // A smaller file read next must not see the bigger one's bytes after its end, nor share its id.
    const small = "const padding = 1;\n";
    expect(scanFile(file("small.py", small), context, { maxFileSize: 1e7, index })).toEqual({ kind: "scanned", bytes: small.length, matches: [] });
    expect(scanFile(file("big-copy.py", big), context, { maxFileSize: 1e7, index })).toMatchObject({ kind: "duplicate", bytes: big.length });
  });

  it("scans a copy with the entropy detector although a lockfile with the same bytes was clean without it", () => {
    const index = createContentIndex();
    const text = `client_secret = "${randomString(rng(18), ALNUM, 32)}"\n`;
    expect(scanFile(file("yarn.lock", text), context, { maxFileSize: 1e6, index })).toMatchObject({ matches: [] });
    expect(scanFile(file("settings.py", text), context, { maxFileSize: 1e6, index })).toMatchObject({
      kind: "scanned",
      matches: [{ ruleId: "generic-high-entropy" }],
    });
  });

  it("scans every file when given no index", () => {
    const text = `token = "${openaiProjectKey(4)}"\n`;
    scanFile(file("c.py", text), context, { maxFileSize: 1e6 });
    expect(scanFile(file("d.py", text), context, { maxFileSize: 1e6 })).toMatchObject({ kind: "scanned", matches: [{ ruleId: "openai-project-key" }] });
  });
});

describe("packed scans", () => {
  it("sends a clean scan as its byte count and anything else whole", () => {
    const clean: FileScan = { kind: "scanned", bytes: 12, matches: [] };
    const skipped: FileScan = { kind: "skipped", path: "a", reason: "binary" };
    expect(packScan(clean)).toBe(12);
    expect(unpackScan(packScan(clean))).toEqual(clean);
    expect(packScan(skipped)).toBe(skipped);
    expect(unpackScan(undefined)).toEqual({ kind: "gone" });
  });
});

describe("content cache", () => {
  const secret = openaiProjectKey(5);
  const first = scanFile(file("e.py", `key = "${secret}"\n`), context, { maxFileSize: 1e6, index: createContentIndex() });
  if (first.kind !== "scanned" || first.content === undefined) throw new Error("setup: the first scan did not claim its content");
  const content = first.content;
  const matches = first.matches;

  it("gives a duplicate the first file's matches, even when it asks before they are recorded", async () => {
    const cache = createContentCache();
    const duplicate = cache.recorded(content);
    cache.record(content, matches);
    expect(await duplicate).toEqual(matches);
    expect(await cache.recorded(content)).toEqual(matches);
  });

  it("scans a content once, remembering clean contents by key alone", async () => {
    const cache = createContentCache();
    let scans = 0;
    const scan = async () => (scans++, []);
    await cache.matches("blob-1", scan);
    await cache.matches("blob-1", scan);
    expect(await cache.matches("blob-2", async () => matches)).toEqual(matches);
    expect(await cache.matches("blob-2", async () => [])).toEqual(matches);
    expect(scans).toBe(1);
  });

  it("rejects the duplicates still waiting when the scan fails", async () => {
    const cache = createContentCache();
    const waiting = cache.recorded(content);
    cache.fail(new Error("worker stopped"));
    await expect(waiting).rejects.toThrow("worker stopped");
  });
});
