import { describe, expect, it } from "vitest";
import { rng } from "../../../fixtures/fake-keys.js";
import { changedLines, lineHashes, splitLines } from "../../../src/sources/line-diff.js";

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

  it("gives equal lines equal hashes and different lines different ones, on random texts of every line length and ending", () => {
    const random = rng(19);
    // A few bytes, so lines repeat often; "\r" and "\0" among them (a CRLF line keeps its "\r").
    const alphabet = ["a", "b", "\r", "\u0000", "\u00e9", "\n"];
    for (let round = 0; round < 300; round++) {
      const length = Math.floor(random() * 120);
      let text = "";
      for (let i = 0; i < length; i++) {
        const pick = random();
        // Runs of one byte make long lines that differ only in their length.
        text += pick < 0.5 ? (alphabet[0] as string).repeat(Math.floor(random() * 20)) : (alphabet[Math.floor(random() * alphabet.length)] as string);
      }
      const bytes = Buffer.from(text);
      const { hashes, starts } = splitLines(bytes);
      const expected = bytes.length === 0 ? [] : bytes.toString("latin1").split("\n");
      if (bytes.at(-1) === 10) expected.pop(); // a final "\n" ends the last line and starts none
      expect(hashes.length).toBe(expected.length);
      expect([...lineHashes(bytes)]).toEqual([...hashes]);
      expected.forEach((line, i) => expect(bytes.subarray(starts[i], (starts[i] as number) + line.length).toString("latin1")).toBe(line));
      const hashOf = new Map<string, number>();
      expected.forEach((line, i) => {
        const known = hashOf.get(line);
        if (known === undefined) hashOf.set(line, hashes[i] as number);
        else expect(hashes[i]).toBe(known);
      });
      expect(new Set(hashOf.values()).size).toBe(hashOf.size);
    }
  });

  it("hashes a last line without newline as the same line ended, whatever the memory held past the bytes before", () => {
    const line = "0123456789abc";
    lineHashes(Buffer.from("y".repeat(200))); // leaves bytes that are no line's end past the next, shorter bytes
    const [unended] = lineHashes(Buffer.from(line));
    expect(lineHashes(Buffer.from(`${line}\n`))[0]).toBe(unended);
    expect(lineHashes(Buffer.from(`x\r\n${line}\r\n${line}`))[2]).toBe(unended);
    expect(lineHashes(Buffer.from(`${line}\r\n`))[0]).not.toBe(unended);
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

  it("finds a script of as many edits as the bound allows, and gives up one past it, whether or not the lines are on one side only", () => {
    const before = Array.from({ length: 60 }, (_, i) => `line ${i}`);
    // Ten lines replaced (ten deleted, ten inserted): 20 edits, every one a line the other side lacks.
    const after = before.map((line, i) => (i % 6 === 3 ? `other ${i}` : line));
    const replaced = before.flatMap((_, i) => (i % 6 === 3 ? [[i, i + 1]] : []));
    expect(changed(before.join("\n"), after.join("\n"), 20)).toEqual(replaced);
    expect(changed(before.join("\n"), after.join("\n"), 19)).toEqual([[3, 58]]);
    // The same lines in another order: none is on one side only, and no script stays within 20 edits.
    const shuffled = [...before.slice(30), ...before.slice(0, 30)];
    expect(changed(before.join("\n"), shuffled.join("\n"), 20)).toEqual([[0, 60]]);
    expect(changed(before.join("\n"), shuffled.join("\n"))).toEqual([[0, 1], [30, 60]]);
  });

  it("gives the same script for a pair whatever diffs ran before it (the working memory is reused)", () => {
    const before = Array.from({ length: 80 }, (_, i) => `line ${i}`);
    const edited = before.map((line, i) => (i % 5 === 2 ? `other ${i}` : line)).filter((_, i) => i % 7 !== 4);
    const fresh = changed(before.join("\n"), edited.join("\n"));
    // A long diff that gives up, and a short one, leave the trace full of other numbers.
    const shuffled = [...before.slice(40), ...before.slice(0, 40)];
    expect(changed(before.join("\n"), shuffled.join("\n"), 60)).toEqual([[0, 80]]);
    expect(changed("a\nb\n", "a\nc\n")).toEqual([[1, 2]]);
    expect(changed(before.join("\n"), edited.join("\n"))).toEqual(fresh);
    expect(fresh.length).toBeGreaterThan(10);
  });
});
