import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { openaiProjectKey } from "../../../fixtures/fake-keys.js";
import { mapOrdered } from "../../../src/sources/concurrency.js";
import { decodeText, looksBinary } from "../../../src/sources/decode.js";
import { stdinItems } from "../../../src/sources/stdin.js";
import type { SourceItem } from "../../../src/types.js";

const text = "clé = 'ünïcode'\nsecond line\n";

describe("decodeText", () => {
  it("decodes UTF-8, dropping a BOM, and keeps going past invalid bytes", () => {
    expect(decodeText(Buffer.from(text))).toBe(text);
    expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toBe(text);
    expect(decodeText(Buffer.from([0x61, 0xff, 0x62]))).toBe("a\ufffdb");
  });

  it("decodes UTF-16 LE and BE with a BOM, although they contain NUL bytes", () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const be = Buffer.from(le).swap16();
    expect(looksBinary(le)).toBe(true);
    expect(decodeText(le)).toBe(text);
    expect(decodeText(be)).toBe(text);
  });

  it("calls bytes with a NUL in the first 8 KiB binary, and not after", () => {
    expect(decodeText(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00]))).toBeUndefined();
    expect(decodeText(Buffer.concat([Buffer.alloc(8192, 0x61), Buffer.from([0])]))).toHaveLength(8193);
  });
});

describe("stdinItems", () => {
  const collect = async (stream: Readable): Promise<SourceItem[]> => {
    const items: SourceItem[] = [];
    for await (const item of stdinItems(stream)) items.push(item);
    return items;
  };

  it("reads all of standard input as one chunk named '-'", async () => {
    const key = openaiProjectKey(1);
    const parts = [Buffer.from(`key=${key.slice(0, 10)}`), Buffer.from(`${key.slice(10)}\n`)];
    expect(await collect(Readable.from(parts))).toEqual([
      { kind: "chunk", chunk: { path: "-", text: `key=${key}\n` }, bytes: key.length + 5 },
    ]);
  });

  it("skips binary input", async () => {
    expect(await collect(Readable.from([Buffer.from([1, 0, 2])]))).toEqual([{ kind: "skipped", path: "-", reason: "binary" }]);
  });
});

describe("mapOrdered", () => {
  it("keeps input order and at most `limit` calls in flight", async () => {
    let running = 0;
    let peak = 0;
    const results: number[] = [];
    const work = async (n: number): Promise<number> => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, (n * 7) % 5));
      running--;
      return n * 2;
    };
    for await (const value of mapOrdered(Array.from({ length: 40 }, (_, i) => i), 4, work)) results.push(value);
    expect(results).toEqual(Array.from({ length: 40 }, (_, i) => i * 2));
    expect(peak).toBe(4);
  });
});
