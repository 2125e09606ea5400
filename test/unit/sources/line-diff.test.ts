import { describe, expect, it } from "vitest";
import { changedLines, splitLines } from "../../../src/sources/line-diff.js";

const lines = (text: string) => splitLines(Buffer.from(text));
const changed = (before: string, after: string, maxEdits?: number) => changedLines(lines(before).hashes, lines(after).hashes, maxEdits);

describe("splitLines", () => {
  it("gives each line's start and a hash that depends on the line's bytes alone, wherever it lies and however it ends", () => {
    const text = "abcdefghij\nabcdefgh\nx\nabcdefghij\n\nabcdefgh";
    const { hashes, starts } = lines(text);
    expect([...starts]).toEqual([0, 11, 20, 22, 33, 34, text.length]);
    expect(hashes[3]).toBe(hashes[0]); // the same 10 bytes, at another offset
    expect(hashes[5]).toBe(hashes[1]); // the same 8 bytes, the last without "\n"
    expect(new Set(hashes).size).toBe(4);
    // Lines longer than a word, differing only in their last byte or only in their length.
    const long = lines("0123456789abcdefX\n0123456789abcdefY\n0123456789abcdef\n0123456789abcdef\u0000\n");
    expect(new Set(long.hashes).size).toBe(4);
  });

  it("counts no line in empty bytes, and one in bytes without a newline", () => {
    expect([...lines("").starts]).toEqual([0]);
    expect([...lines("one line").starts]).toEqual([0, 8]);
  });
});

describe("changedLines", () => {
  it("marks the inserted and replaced lines of the new version, and the line after each deletion", () => {
    expect(changed("a\nb\nc\n", "a\nb\nc\n")).toEqual([]);
    expect(changed("a\nb\nc\n", "a\nX\nc\n")).toEqual([[1, 2]]);
    expect(changed("a\nb\nc\n", "a\nc\n")).toEqual([[1, 2]]);
    expect(changed("a\nb\nc\n", "a\nb\nc\nd\n")).toEqual([[3, 4]]);
    expect(changed("a\nb\nc\nd\ne\nf\n", "a\nB\nc\nd\nE\nf\ng\n")).toEqual([[1, 2], [4, 5], [6, 7]]);
    expect(changed("", "x\ny\n")).toEqual([[0, 2]]);
  });

  it("takes the whole middle as changed past the edit bound", () => {
    const before = Array.from({ length: 40 }, (_, i) => `line ${i}`).join("\n");
    const after = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? `line ${i}` : `other ${i}`)).join("\n");
    expect(changed(before, after)).toEqual(Array.from({ length: 20 }, (_, i) => [2 * i + 1, 2 * i + 2]));
    expect(changed(before, after, 10)).toEqual([[1, 40]]);
  });

  it("takes the whole middle as changed when the lengths alone differ by more than the bound", () => {
    const added = Array.from({ length: 20 }, (_, i) => `new ${i}`);
    const before = "a\nb\nc\nd\n";
    const after = `a\n${added.join("\n")}\nX\nc\nd\n`;
    expect(changed(before, after, 10)).toEqual([[1, 22]]);
    expect(changed(before, after)).toEqual([[1, 22]]);
  });
});
