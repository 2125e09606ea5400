// Big files are read in overlapping windows: a key across a window boundary is found once, at its
// line and column in the file, and the findings are those of scanning the file whole.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openaiProjectKey, rng } from "../../fixtures/fake-keys.js";
import { buildContext, scanText } from "../../src/run/pipeline.js";
import { decodedWindows, fileByteWindows, WINDOW_BYTES, WINDOWED_ABOVE } from "../../src/sources/windows.js";
import type { Chunk, Finding } from "../../src/types.js";
import { runCli } from "../helpers/cli.js";
import { type TempRepo, tempRepo } from "../helpers/git-repo.js";

const folders: TempRepo[] = [];
function folder(): TempRepo {
  const made = tempRepo({ init: false });
  folders.push(made);
  return made;
}
afterEach(() => {
  for (const made of folders.splice(0)) made.remove();
});

const context = buildContext();
const where = (finding: Finding) => `${finding.ruleId} ${finding.line}:${finding.column}-${finding.endLine}:${finding.endColumn} ${finding.secret}`;

describe("windows of a big file", () => {
  it("find exactly what a whole-file scan finds, with multi-byte text and keys across every boundary", async () => {
    const random = rng(7);
    const words = ["const", "x", "=", "ünïcödé", "日本語", "😀", "\n", "\n", "// note", "value;"];
    let text = "";
    for (let i = 0; i < 60; i++) {
      for (let w = 0; w < 30; w++) text += `${words[Math.floor(random() * words.length)]} `;
      text += i % 3 === 0 ? `KEY = "${openaiProjectKey(500 + i)}" ` : "";
    }
    const made = folder();
    made.write("big.txt", text);
    const chunks = [];
    for await (const item of decodedWindows(fileByteWindows(join(made.dir, "big.txt"), "big.txt", { window: 700, overlap: 300 }), "big.txt")) chunks.push(item);
    expect(chunks.length).toBeGreaterThan(10);
    const windowed = chunks.flatMap((item) => (item.kind === "chunk" ? scanText(item.chunk, context) : []));
    const whole = scanText({ path: "big.txt", text }, context);
    expect(whole.length).toBe(20);
    expect(windowed.map(where)).toEqual(whole.map(where));
    // The windows' own parts, joined, are the file's text: nothing lost or doubled.
    const own = chunks.map((item) => (item.kind === "chunk" ? item.chunk.text.slice(0, item.chunk.window?.handOff) : ""));
    expect(own.join("")).toBe(text);
  });

  it("the CLI reads a file over 8 MB in windows and finds a key straddling the first boundary once", () => {
    const made = folder();
    const key = openaiProjectKey(550);
    const filler = "let a = 1; // filler text of a big generated file\n";
    const lines = Math.floor((WINDOW_BYTES - 20) / filler.length);
    const head = filler.repeat(lines);
    const pad = "x".repeat(WINDOW_BYTES - head.length - 10); // the key starts 10 bytes before the boundary
    const body = `${head}${pad}"${key}"\n${filler.repeat(Math.ceil((WINDOWED_ABOVE - WINDOW_BYTES) / filler.length) + 10)}`;
    expect(Buffer.byteLength(body)).toBeGreaterThan(WINDOWED_ABOVE);
    writeFileSync(join(made.dir, "huge.js"), body);
    const result = runCli(["scan", ".", "-f", "json", "--no-redact"], { cwd: made.dir });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { findings: { line: number; column: number; secret: string }[]; stats: { files: number; bytes: number } };
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ line: lines + 1, column: pad.length + 2, secret: key });
    expect(report.stats).toMatchObject({ files: 1, bytes: Buffer.byteLength(body) });
  });

  it("leaves matches in the overlap to the next window", () => {
    const key = openaiProjectKey(560);
    const chunk: Chunk = { path: "w", text: `0123456789"${key}"`, window: { line: 5, column: 3, handOff: 11 } };
    expect(scanText(chunk, context)).toEqual([]);
    expect(scanText({ ...chunk, window: { line: 5, column: 3, handOff: 12 } }, context)).toMatchObject([{ line: 5, column: 14 }]);
  });
});
