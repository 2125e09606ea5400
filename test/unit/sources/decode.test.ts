import { Readable } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { openaiProjectKey } from "../../../fixtures/fake-keys.js";
import { mapOrdered } from "../../../src/sources/concurrency.js";
import { decodeText, decodeUtf8, looksBinary } from "../../../src/sources/decode.js";
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

  it("calls bytes with a NUL in the first 8,000 bytes binary (as git does), and not after", () => {
    expect(decodeText(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00]))).toBeUndefined();
    expect(looksBinary(Buffer.concat([Buffer.alloc(7999, 0x61), Buffer.from([0])]))).toBe(true);
    expect(decodeText(Buffer.concat([Buffer.alloc(8000, 0x61), Buffer.from([0])]))).toHaveLength(8001);
  });

  it("of a binary file, decodes the text before the first NUL when it is long enough to hold a secret", () => {
    const head = "token = 'abcdefghijklmnop'\n";
    expect(decodeText(Buffer.concat([Buffer.from(head), Buffer.from([0, 0xff, 0x13])]))).toBe(head);
    expect(decodeText(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]))).toBeUndefined();
  });

  it("decodes UTF-16 and UTF-32 without a byte-order mark, and UTF-32 with one", () => {
    const le16 = Buffer.from(text, "utf16le");
    expect(decodeText(le16)).toBe(text);
    expect(decodeText(Buffer.from(le16).swap16())).toBe(text);
    const le32 = Buffer.alloc(text.length * 4);
    for (let i = 0; i < text.length; i++) le32.writeUInt32LE(text.codePointAt(i) ?? 0, i * 4);
    expect(decodeText(le32)).toBe(text);
    expect(decodeText(Buffer.from(le32).swap32())).toBe(text);
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), le32]))).toBe(text);
  });

  it("does not take random bytes or control codes for wide text", () => {
    let state = 7;
    const random = Buffer.from(Array.from({ length: 4096 }, () => (state = (state * 1103515245 + 12345) % 2 ** 31) % 256));
    random[10] = 0;
    expect(decodeText(random)).toBeUndefined();
    expect(decodeText(Buffer.from([0, 1, 2, 3]))).toBeUndefined();
  });
});

describe("decodeUtf8", () => {
  // The reference: the WHATWG decoder, lossy, dropping a leading BOM.
  const reference = new TextDecoder("utf-8", { fatal: false, ignoreBOM: false });
  const bom = Buffer.from([0xef, 0xbb, 0xbf]);

  it("gives the WHATWG decoder's text for ASCII, valid UTF-8 (a BOM or none) and invalid bytes", () => {
    const cases = [
      Buffer.alloc(0),
      bom,
      Buffer.from("plain ASCII = 'abc'\n"),
      Buffer.from(text),
      Buffer.concat([bom, Buffer.from(text)]),
      Buffer.concat([bom, bom, Buffer.from("x")]), // only the first BOM is dropped
      Buffer.from("emoji 🔑 and CJK 鍵, Latin-1 é"),
      Buffer.from([0x61, 0xff, 0x62]), // invalid byte
      Buffer.from([0x61, 0xe2, 0x82]), // truncated sequence at the end
      Buffer.from([0xed, 0xa0, 0x80]), // an encoded surrogate (CESU-8) is not UTF-8
      Buffer.from([0xc0, 0xaf]), // overlong
      Buffer.concat([bom, Buffer.from([0xff])]),
    ];
    for (const bytes of cases) expect(decodeUtf8(bytes)).toBe(reference.decode(bytes));
  });

  it("gives the WHATWG decoder's text for any bytes, any string's UTF-8, and a view into a larger buffer", () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.string({ unit: "binary", maxLength: 64 }).map((value) => new Uint8Array(Buffer.from(value))),
      fc.tuple(fc.boolean(), fc.string({ unit: "grapheme", maxLength: 64 })).map(([withBom, value]) => new Uint8Array(Buffer.concat([withBom ? bom : Buffer.alloc(0), Buffer.from(value)]))),
    );
    fc.assert(
      fc.property(bytes, fc.nat(8), fc.nat(8), (body, before, after) => {
        const view = new Uint8Array(before + body.length + after).fill(0xbb).subarray(before, before + body.length);
        view.set(body);
        expect(decodeUtf8(view)).toBe(reference.decode(body));
      }),
      { numRuns: 2000 },
    );
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

  it("hands input over 4 MB on as windows of bytes, every byte in them, and shorter input as texts", async () => {
    const line = "const filler = 'an ordinary line of source text';\n";
    const big = Buffer.from(line.repeat(Math.ceil((5 * 1024 * 1024) / line.length)));
    const items = await collect(Readable.from([big.subarray(0, 1000), big.subarray(1000)]));
    expect(items.map((item) => item.kind)).toEqual(["windows"]);
    const windows = items[0]?.kind === "windows" ? items[0].windows : undefined;
    let owned = 0;
    for await (const piece of windows?.((length) => new Uint8Array(length)) ?? []) if (piece.kind === "window") owned += piece.window.owned;
    expect(owned).toBe(big.length);

    const three = big.subarray(0, 3 * 1024 * 1024);
    const texts = await collect(Readable.from([three]));
    expect(texts.every((item) => item.kind === "chunk")).toBe(true);
    expect(texts.map((item) => (item.kind === "chunk" ? item.bytes : 0)).reduce((a, b) => a + b, 0)).toBe(three.length);
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
