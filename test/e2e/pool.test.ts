// The pool runs the built worker (dist/worker.cjs), which the global setup builds before any test.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checksummedToken, openaiProjectKey, randomString, rng } from "../../fixtures/fake-keys.js";
import { suppressionSteps } from "../../src/filters/index.js";
import { drain } from "../../src/run/drain.js";
import { buildContext, scanAndFilter } from "../../src/run/pipeline.js";
import { scanContent } from "../../src/run/scan-content.js";
import type { SourceItem } from "../../src/types.js";
import { createScanPool } from "../../src/run/pool.js";
import { scanWindows, type WindowScanner } from "../../src/run/windowed.js";
import { bigFileWindows } from "../../src/sources/files.js";
import type { Chunk, Match } from "../../src/types.js";

const scratch = mkdtempSync(join(tmpdir(), "keyscan-pool-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Many chunks, every fifth holding a fake key on its third line. */
function chunks(count: number): Chunk[] {
  return Array.from({ length: count }, (_, index) => {
    const secret = index % 5 === 0 ? `const key = "${openaiProjectKey(index + 1)}";` : "const nothing = 1;";
    return { path: `src/file${index}.ts`, text: `// file ${index}\nimport x from "y";\n${secret}\n${"x".repeat(index * 10)}\n` };
  });
}

/** Rules with nothing in them: a pool given this context finds nothing in the main thread. */
const noRules = () => buildContext(undefined, []);

describe("createScanPool", () => {
  it("with one thread, scans in the main thread exactly as scanAndFilter does", async () => {
    const pool = createScanPool({ threads: 1, entropy: true });
    const input = chunks(20);
    const found = await Promise.all(input.map((chunk) => pool.scan(chunk)));
    const context = buildContext();
    expect(found).toEqual(input.map((chunk) => scanContent(chunk, context.ruleset)));
    expect(found.flat()).toHaveLength(4);
    await pool.close();
  });

  it("scans small inputs in the main thread: the workers never start", async () => {
    const pool = createScanPool({ threads: 2, entropy: true, context: noRules, inlineBytes: 1024 * 1024 });
    const found = await Promise.all(chunks(10).map((chunk) => pool.scan(chunk)));
    expect(found.flat()).toEqual([]);
    await pool.close();
  });

  it("on worker threads, returns each chunk's matches in order, the same as the main thread would", async () => {
    // The main thread's context has no rules, so every finding below comes from a worker.
    const pool = createScanPool({ threads: 2, entropy: true, context: noRules, inlineBytes: 0 });
    const input = chunks(600);
    const found = await Promise.all(input.map((chunk) => pool.scan(chunk)));
    await pool.close();
    const context = buildContext();
    expect(found).toEqual(input.map((chunk) => scanContent(chunk, context.ruleset)));
    expect(found.flat()).toHaveLength(120);
    expect(found[5]?.[0]).toMatchObject({ line: 3, ruleId: "openai-project-key" });
  });

  it("hands over from the main thread to the workers without losing or reordering findings", async () => {
    // Workers start after the first byte; chunks are scanned in the main thread until one is ready.
    const pool = createScanPool({ threads: 2, entropy: true, inlineBytes: 1 });
    const input = chunks(1500);
    const found = await Promise.all(input.map((chunk) => pool.scan(chunk)));
    await pool.close();
    const context = buildContext();
    expect(found).toEqual(input.map((chunk) => scanContent(chunk, context.ruleset)));
  });

  it("reads and scans working-tree files on the workers: each file's own findings, UTF-16 decoded, binary and vanished files told apart", async () => {
    const dir = mkdtempSync(join(scratch, "files-"));
    const input = chunks(40);
    const files = input.map((chunk, index) => {
      const abs = join(dir, `file${index}.ts`);
      writeFileSync(abs, index % 10 === 0 ? Buffer.from(`\ufeff${chunk.text}`, "utf16le") : chunk.text);
      return { path: chunk.path, abs };
    });
    writeFileSync(join(dir, "image.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]));
    const pool = createScanPool({ threads: 2, entropy: true, context: noRules, inlineBytes: 0, maxFileSize: 1024 * 1024 });
    // In jobs of 7 files, so several are in flight on both workers at once.
    const jobs = Array.from({ length: Math.ceil(files.length / 7) }, (_, index) => pool.scanFiles(files.slice(index * 7, index * 7 + 7)));
    const outcomes = (await Promise.all(jobs)).flat();
    const [binary, gone] = await pool.scanFiles([
      { path: "image.png", abs: join(dir, "image.png") },
      { path: "gone.ts", abs: join(dir, "gone.ts") },
    ]);
    await pool.close();
    const context = buildContext();
    expect(outcomes.map((outcome) => (outcome.kind === "scanned" ? outcome.matches : outcome))).toEqual(
      input.map((chunk) => scanContent(chunk, context.ruleset)),
    );
    expect(outcomes.flatMap((outcome) => (outcome.kind === "scanned" ? outcome.matches : []))).toHaveLength(8);
    expect(binary).toEqual({ kind: "skipped", path: "image.png", reason: "binary" });
    expect(gone).toEqual({ kind: "gone" });
  });

  it("with the workers started ahead, scans a small folder's files in the main thread and leaves a big scan's to the workers", async () => {
    const dir = mkdtempSync(join(scratch, "ahead-"));
    // Every file holds a key; the main thread's context has no rules, so a file it scans shows none.
    const files = Array.from({ length: 300 }, (_, index) => {
      const abs = join(dir, `file${index}.ts`);
      writeFileSync(abs, `// file ${index}\nconst key = "${openaiProjectKey(index + 1)}";\n`);
      return { path: `src/file${index}.ts`, abs };
    });
    const keysFound = (scans: Awaited<ReturnType<typeof pool.scanFiles>>): number =>
      scans.flatMap((scan) => (scan.kind === "scanned" ? scan.matches : [])).length;
    const pool = createScanPool({ threads: 2, entropy: true, context: noRules, startNow: true, maxFileSize: 1024 * 1024 });
    // Sent before a worker can be ready: a few files are scanned here, then the rest wait for the workers.
    const small = pool.scanFiles(files.slice(0, 10));
    const big = pool.scanFiles(files.slice(10));
    expect(keysFound(await small)).toBe(0);
    expect(keysFound(await big)).toBe(290);
    await pool.close();
  });

  it("scans a content once however many files hold it, and reports it at each file's path", async () => {
    const dir = mkdtempSync(join(scratch, "copies-"));
    // A strong key, and a password: a weak secret's fingerprint is worked out on the worker that scans
    // the first copy, at that copy's path, and on the main thread for the others.
    const password = randomString(rng(22), "abcdefghijklmnopqrstuvwxyz0123456789", 10);
    const text = `const key = "${openaiProjectKey(21)}";\nconst db = "jdbc:mysql://db:3306/app?user=app&password=${password}";\n`;
    const copies = Array.from({ length: 30 }, (_, index) => {
      const abs = join(dir, `copy${index}.js`);
      writeFileSync(abs, text);
      return { path: `copies/copy${index}.js`, abs };
    });
    const pool = createScanPool({ threads: 2, entropy: true, context: noRules, inlineBytes: 0, maxFileSize: 1024 * 1024 });
    async function* items(): AsyncGenerator<SourceItem> {
      for (const file of copies) yield { kind: "file", file };
    }
    const { findings } = await drain(items(), pool, suppressionSteps({}), () => undefined);
    const outcomes = await pool.scanFiles(copies);
    await pool.close();
    const context = buildContext();
    // Scanned once already: every copy is now a duplicate of that content.
    expect(outcomes.filter((outcome) => outcome.kind === "duplicate")).toHaveLength(30);
    // The same findings as scanning every copy on its own: its own path, its own fingerprint.
    const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : 1);
    expect([...findings].sort(byPath)).toEqual(copies.flatMap((file) => scanAndFilter({ path: file.path, text }, context)).sort(byPath));
    expect(findings.filter((finding) => finding.ruleId === "jdbc-url-password")).toHaveLength(30);
    expect(new Set(findings.map((finding) => finding.fingerprint)).size).toBe(60);
  });

  it("keeps a chunk's added lines across the thread boundary, for the not-new filter", async () => {
    const pool = createScanPool({ threads: 2, entropy: true, context: noRules, inlineBytes: 0 });
    const text = `a = "${openaiProjectKey(7)}"\nb = "${openaiProjectKey(8)}"\n`;
    async function* items(): AsyncGenerator<SourceItem> {
      yield { kind: "chunk", chunk: { path: "a.env", text, addedLines: new Set([2]) }, bytes: text.length };
    }
    const { findings: found } = await drain(items(), pool, suppressionSteps({}), () => undefined);
    await pool.close();
    expect(found.map((finding) => finding.line)).toEqual([2]);
  });

  it("hands back the findings in the order of the items, whichever worker answers first", async () => {
    const pool = createScanPool({ threads: 2, entropy: true, context: noRules, inlineBytes: 0, startNow: true });
    // The first item is big and slow to scan (every line names a secret for the generic detector to read),
    // the second small: the second worker answers first. Under 2 MB, so drain hands out both at once.
    const big = `${"const api_key = process.env.API_KEY; // token password secret\n".repeat(25_000)}const key = "${openaiProjectKey(31)}";\n`;
    const small = `const key = "${openaiProjectKey(32)}";\n`;
    async function* items(): AsyncGenerator<SourceItem> {
      yield { kind: "chunk", chunk: { path: "big.ts", text: big }, bytes: big.length };
      yield { kind: "chunk", chunk: { path: "small.ts", text: small }, bytes: small.length };
    }
    const { findings } = await drain(items(), pool, suppressionSteps({}), () => undefined);
    await pool.close();
    expect(findings.map((finding) => finding.path)).toEqual(["big.ts", "small.ts"]);
  });

  it("builds the workers' rules from the config file: custom rules, disabled rules", async () => {
    const configFile = join(scratch, "keyscan.toml");
    writeFileSync(
      configFile,
      `disable = ["openai-project-key"]\n[[rule]]\nid = "acme-token"\nname = "Acme token"\nkeywords = ["acme_"]\npattern = '''acme_[a-z0-9]{16}'''\n`,
    );
    const pool = createScanPool({ threads: 2, entropy: false, configFile, context: noRules, inlineBytes: 0 });
    const text = `x = "acme_${randomString(rng(5), "abcdefghijklmnopqrstuvwxyz0123456789", 16)}"\ny = "${openaiProjectKey(9)}"\nz = "${checksummedToken(3, "ghp")}"\n`;
    const found = await pool.scan({ path: "a.txt", text });
    await pool.close();
    expect(found.map((finding) => finding.ruleId)).toContain("acme-token");
    expect(found.map((finding) => finding.ruleId)).not.toContain("openai-project-key");
  });

  it("rejects with the config's error when the workers cannot build their rules", async () => {
    const configFile = join(scratch, "broken.toml");
    writeFileSync(configFile, `[[rule]]\nid = "broken"\nname = "Broken"\nkeywords = ["zz"]\npattern = "zz(["\n`);
    const pool = createScanPool({ threads: 2, entropy: true, configFile, context: noRules, inlineBytes: 0 });
    await expect(pool.scan({ path: "a.txt", text: "zz" })).rejects.toThrow(/broken\.toml: rule "broken": invalid pattern/);
    await expect(pool.scan({ path: "b.txt", text: "zz" })).rejects.toMatchObject({ name: "UsageError" });
    await pool.close();
  });

  it("scans a big file's windows on the workers, never in the main thread, moving each window's bytes there and back", async () => {
    // The main thread's context has no rules, and the workers have not started: every finding comes from a worker.
    const pool = createScanPool({ threads: 2, entropy: true, context: noRules });
    let text = "";
    for (let i = 0; i < 60; i++) text += `${"let filler = 1;\n".repeat(i % 7)}line ${i} ${"é".repeat(i * 3)} KEY = "${openaiProjectKey(3000 + i)}"\n`;
    const abs = join(scratch, "big.txt");
    writeFileSync(abs, text);
    const sent: Uint8Array[] = [];
    const moved: WindowScanner = {
      scan: (chunk) => pool.scan(chunk),
      scanWindow: (job) => {
        sent.push(job.bytes);
        return pool.scanWindow(job);
      },
    };
    const found = await scanWindows((buffer) => bigFileWindows({ abs, path: "big.txt" }, buffer, { window: 900, overlap: 300 }), "big.txt", moved, () => undefined);
    await pool.close();
    const whole = scanContent({ path: "big.txt", text }, buildContext().ruleset);
    expect(whole).toHaveLength(60);
    // Offsets are the window's (the stamp drops them); lines and columns are the file's.
    const placed = (matches: Match[]) => matches.map(({ start: _start, end: _end, ...match }) => match);
    expect(placed(found.matches)).toEqual(placed(whole));
    expect(sent.length).toBeGreaterThan(10);
    expect(sent.map((bytes) => bytes.byteLength)).toEqual(sent.map(() => 0)); // gone from this thread once sent
  });

  it("stops a big file at a window that overruns the time budget, keeping the findings of the windows before it", async () => {
    const configFile = join(scratch, "slow.toml");
    // As in hardening-regex.test.ts: a custom rule exponential on a run of "Ő", which V8's linear engine cannot take.
    writeFileSync(configFile, `[[rule]]\nid = "slow"\nname = "Slow"\nkeywords = ["acme_"]\npattern = \'\'\'(?<=acme_)(?:[\\u0100-\\u0200]+[\\u0100-\\u0200]+)+y\'\'\'\n`);
    const timedOut: string[] = [];
    const pool = createScanPool({ threads: 2, entropy: true, configFile, inline: false, budgetMs: 500, onTimeout: (path) => timedOut.push(path) });
    const line = (i: number) => `KEY = "${openaiProjectKey(3100 + i)}"\n${"x".repeat(600)}\n`;
    const text = `${line(0)}${line(1)}acme_${"\u0150".repeat(60)}x\n${line(2)}${line(3)}${line(4)}${line(5)}`;
    const abs = join(scratch, "slow.txt");
    writeFileSync(abs, text);
    const found = await scanWindows((buffer) => bigFileWindows({ abs, path: "slow.txt" }, buffer, { window: 700, overlap: 100 }), "slow.txt", pool, () => undefined);
    // The pool goes on with a new worker.
    const after = await pool.scan({ path: "a.txt", text: line(9) });
    await pool.close();
    expect(timedOut).toEqual(["slow.txt"]);
    // Windows 0 and 1 hold keys 0 and 1; window 2 holds the slow line, and keys 2 to 5 come after it.
    expect(found.matches.map((match) => match.secret)).toEqual([openaiProjectKey(3100), openaiProjectKey(3101)]);
    expect(after).toHaveLength(1);
  });
});
