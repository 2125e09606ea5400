// A big file's windows cut as bytes where the file is read, scanned wherever (here: answered out of
// order, as two workers would), and placed in the file in order: the findings are a whole-file scan's.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openaiProjectKey, rng } from "../../../fixtures/fake-keys.js";
import { fingerprint } from "../../../src/run/fingerprint.js";
import { buildContext } from "../../../src/run/pipeline.js";
import { scanContent } from "../../../src/run/scan-content.js";
import { scanWindow, scanWindows, WINDOWS_IN_FLIGHT, type WindowScanner } from "../../../src/run/windowed.js";
import { bigFileWindows } from "../../../src/sources/files.js";
import { streamByteWindows, type WindowSizes } from "../../../src/sources/windows.js";
import type { Match, WindowBuffer, WindowJob, WindowPiece, WindowScan } from "../../../src/types.js";

const ruleset = buildContext().ruleset;
const dir = mkdtempSync(join(tmpdir(), "keyscan-windowed-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SMALL: WindowSizes = { window: 700, overlap: 300 };

function fileOf(name: string, content: string | Uint8Array): { abs: string; path: string } {
  const abs = join(dir, name);
  writeFileSync(abs, content);
  return { abs, path: name };
}

/** The file's windows, SMALL, each read into the buffer scanWindows gives. */
const windowsOf = (file: { abs: string; path: string }) => (buffer: WindowBuffer) => bigFileWindows(file, buffer, SMALL);

/**
 * A scanner that scans each window in this thread but answers them in a shuffled order, with their
 * bytes moved to it and back as between threads, and records how many were out at once.
 */
function shuffledScanner(seed: number, answer: (job: WindowJob, index: number) => WindowScan = (job) => scanWindow(job, ruleset)) {
  const random = rng(seed);
  let out = 0;
  let index = 0;
  const seen = { mostOut: 0, windows: 0 };
  const scanner: WindowScanner = {
    scan: async (chunk) => scanContent(chunk, ruleset),
    scanWindow: (job) => {
      const moved = structuredClone(job, { transfer: [job.bytes.buffer] });
      const at = index++;
      seen.windows++;
      seen.mostOut = Math.max(seen.mostOut, ++out);
      return new Promise((resolve) =>
        setTimeout(() => {
          out--;
          const scan = answer(moved, at);
          resolve("bytes" in scan ? structuredClone(scan, { transfer: [scan.bytes.buffer] }) : scan);
        }, Math.floor(random() * 5)),
      );
    },
  };
  return { scanner, seen };
}

const where = (match: Match, print: string | undefined) =>
  `${match.ruleId} ${match.line}:${match.column}-${match.endLine}:${match.endColumn} ${match.secret} ${print}`;
const placed = (found: { matches: Match[]; fingerprints: string[] }) => found.matches.map((match, i) => where(match, found.fingerprints[i]));
const wholeScan = (path: string, text: string) =>
  scanContent({ path, text }, ruleset).map((match) => where(match, fingerprint(match.ruleId, path, match.secret)));

/** Line and column (1-based, UTF-16 code units) of `offset` in `text`. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  return `${before.split("\n").length}:${offset - before.lastIndexOf("\n")}`;
}

describe("a big file's windows scanned side by side", () => {
  it("finds what a whole-file scan finds, with multi-byte text, keys across boundaries and answers out of order", async () => {
    const random = rng(11);
    const words = ["const", "x", "=", "ünïcödé", "日本語", "😀", "\n", "\n", "// note", "value;"];
    let text = "";
    for (let i = 0; i < 80; i++) {
      for (let w = 0; w < 30; w++) text += `${words[Math.floor(random() * words.length)]} `;
      text += i % 3 === 0 ? `KEY = "${openaiProjectKey(700 + i)}" ` : "";
    }
    const file = fileOf("mixed.txt", text);
    const { scanner, seen } = shuffledScanner(3);
    const counted: WindowPiece[] = [];
    // Each window after the first few is read into a buffer that came back with an earlier one's scan.
    const given = new Set<ArrayBufferLike>();
    let reused = 0;
    const read = (buffer: WindowBuffer) =>
      bigFileWindows(
        file,
        (length) => {
          const bytes = buffer(length);
          if (given.has(bytes.buffer)) reused++;
          return bytes;
        },
        SMALL,
      );
    const scanning: WindowScanner = {
      ...scanner,
      scanWindow: async (job) => {
        const scan = await scanner.scanWindow(job);
        if ("bytes" in scan) given.add(scan.bytes.buffer);
        return scan;
      },
    };
    const found = await scanWindows(read, file.path, scanning, (piece) => counted.push(piece));
    expect(reused).toBe(seen.windows - WINDOWS_IN_FLIGHT);
    const whole = wholeScan(file.path, text);
    expect(whole.length).toBe(27);
    expect(placed(found)).toEqual(whole);
    expect(seen.windows).toBeGreaterThan(15);
    expect(seen.mostOut).toBe(WINDOWS_IN_FLIGHT);
    // Every byte is counted once, in the windows it is owned by.
    expect(counted.reduce((sum, piece) => sum + (piece.kind === "window" ? piece.window.owned : 0), 0)).toBe(Buffer.byteLength(text));
  });

  it("does the same for a stream's windows (a big blob from git), whatever the sizes the stream comes in", async () => {
    const random = rng(12);
    let text = "";
    for (let i = 0; i < 40; i++) text += `${"é日x\n".repeat(Math.floor(random() * 90))}KEY = "${openaiProjectKey(1000 + i)}" ${"y".repeat(i * 7)}\n`;
    const bytes = Buffer.from(text);
    async function* stream() {
      for (let at = 0; at < bytes.length; ) {
        const size = 1 + Math.floor(random() * 500);
        yield bytes.subarray(at, at + size);
        at += size;
      }
    }
    const { scanner, seen } = shuffledScanner(13);
    const found = await scanWindows((buffer) => streamByteWindows(stream(), "blob.txt", SMALL, buffer), "blob.txt", scanner, () => undefined);
    expect(placed(found)).toEqual(wholeScan("blob.txt", text));
    expect(found.matches).toHaveLength(40);
    expect(seen.windows).toBeGreaterThan(10);
  });

  it("finds a key across a window boundary once, at its line and column in the file", async () => {
    const key = openaiProjectKey(801);
    const head = "let a = 1; // filler\n".repeat(20);
    // One line through the whole of two windows (two bytes a character), the key across the second's end.
    const pad = "é".repeat(Math.floor((3 * SMALL.window - Buffer.byteLength(head) - 15) / 2));
    const text = `${head}${pad}"${key}"\nmore text\n${"let b = 2;\n".repeat(150)}`;
    const start = text.indexOf(key);
    const startByte = Buffer.byteLength(text.slice(0, start));
    expect(startByte).toBeLessThan(3 * SMALL.window);
    expect(startByte + key.length).toBeGreaterThan(3 * SMALL.window);
    const file = fileOf("boundary.txt", text);
    const found = await scanWindows(windowsOf(file), file.path, shuffledScanner(5).scanner, () => undefined);
    expect(found.matches.map((match) => `${match.line}:${match.column} ${match.secret}`)).toEqual([`${lineColumn(text, start)} ${key}`]);
    expect(found.matches[0]?.line).toBe(21);
  });

  it("reports a key lying in one window's overlap once, from the window that owns it", async () => {
    const key = openaiProjectKey(802);
    const head = "x".repeat(SMALL.window + 40) + "\n"; // the key starts past the first window's own bytes, in its overlap
    const text = `${head}token = "${key}"\n${"y\n".repeat(800)}`;
    const start = text.indexOf(key);
    expect(start + key.length).toBeLessThan(SMALL.window + SMALL.overlap); // whole in the first window's overlap too
    const file = fileOf("overlap.txt", text);
    const found = await scanWindows(windowsOf(file), file.path, shuffledScanner(6).scanner, () => undefined);
    expect(found.matches.map((match) => `${match.line}:${match.column} ${match.secret}`)).toEqual([`2:${start - head.length + 1} ${key}`]);
    expect(found.fingerprints).toEqual([fingerprint(found.matches[0]?.ruleId ?? "", file.path, key)]);
  });

  it("skips a binary big file after its first window, and scans only the text before a NUL", async () => {
    const key = openaiProjectKey(803);
    const binary = Buffer.alloc(5000, 7);
    binary[0] = 0;
    const skip = fileOf("blob.bin", binary);
    const { scanner, seen } = shuffledScanner(7);
    const counted: WindowPiece[] = [];
    const found = await scanWindows(windowsOf(skip), skip.path, scanner, (piece) => counted.push(piece));
    expect(found.matches).toEqual([]);
    expect(counted).toEqual([{ kind: "skipped", path: "blob.bin", reason: "binary" }]);
    expect(seen.windows).toBe(0);

    const leading = Buffer.concat([Buffer.from(`key = "${key}"\n`), Buffer.alloc(4000, 0)]);
    const text = fileOf("leading.bin", leading);
    const before = await scanWindows(windowsOf(text), text.path, scanner, () => undefined);
    expect(before.matches.map((match) => match.secret)).toEqual([key]);
    expect(seen.windows).toBe(0);
  });

  it("stops at a window whose scan timed out, keeping what the windows before it found", async () => {
    let text = "";
    for (let i = 0; i < 30; i++) text += `${"z".repeat(600)}\nKEY = "${openaiProjectKey(900 + i)}"\n`;
    const file = fileOf("slow.txt", text);
    const { scanner, seen } = shuffledScanner(8, (job, index) => (index === 4 ? { timedOut: true } : scanWindow(job, ruleset)));
    let windows = 0;
    const found = await scanWindows(windowsOf(file), file.path, scanner, (piece) => void (piece.kind === "window" && windows++));
    const whole = wholeScan(file.path, text);
    // Windows 0-3 placed; nothing of window 4 or after, and reading stopped a few windows past it.
    expect(found.matches.length).toBeGreaterThan(0);
    expect(placed(found)).toEqual(whole.slice(0, found.matches.length));
    expect(found.matches.length).toBeLessThan(whole.length / 2);
    expect(windows).toBeLessThanOrEqual(4 + WINDOWS_IN_FLIGHT);
    expect(seen.windows).toBe(windows);
  });
});
