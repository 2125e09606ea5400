import { describe, expect, it } from "vitest";
import { pemPrivateKey } from "../../../fixtures/fake-keys.js";
import { CONTEXT_LINES, createChangeReader } from "../../../src/sources/history-changes.js";

/** The changes of version "after" against version "before", both given as text. */
async function changesOf(before: string, after: string): Promise<string> {
  const blobs = new Map([
    ["before", Buffer.from(before)],
    ["after", Buffer.from(after)],
  ]);
  const changes = await createChangeReader(async (blob) => blobs.get(blob)).changes("after", ["before"]);
  if (changes.kind !== "changes") throw new Error("expected the changes of a text version");
  return changes.text;
}

const filler = (label: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${label} line ${i} of filler text`);

describe("createChangeReader", () => {
  it("gives the changed lines with their context", async () => {
    const lines = filler("a", 40);
    const changed = [...lines];
    changed[20] = "a changed line";
    const text = await changesOf(`${lines.join("\n")}\n`, `${changed.join("\n")}\n`);
    expect(text.trimEnd().split("\n")).toEqual(changed.slice(20 - CONTEXT_LINES, 21 + CONTEXT_LINES));
  });

  it("asks no bytes again of a version it was given whole (a first version), and gives the same changes", async () => {
    const lines = filler("d", 40);
    const changed = [...lines];
    changed[30] = "another changed line";
    const blobs = new Map([
      ["before", Buffer.from(`${lines.join("\n")}\n`)],
      ["after", Buffer.from(`${changed.join("\n")}\n`)],
    ]);
    const asked: string[] = [];
    const reader = createChangeReader(async (blob) => {
      asked.push(blob);
      return blobs.get(blob);
    });
    reader.remember("before", blobs.get("before") as Buffer);
    const changes = await reader.changes("after", ["before"]);
    expect(asked).toEqual(["after"]);
    expect(changes).toMatchObject({ kind: "changes", text: await changesOf(`${lines.join("\n")}\n`, `${changed.join("\n")}\n`) });
  });

  it("adds a PEM block a change touches from its BEGIN line, however far before the change, and no block the change does not reach", async () => {
    // The key's body runs more lines than the context, so its BEGIN line is outside the change's
    // context; the key before it is over 16 KB earlier in the file, the one after it many lines later.
    const far = pemPrivateKey(1);
    const touched = pemPrivateKey(2);
    const after = pemPrivateKey(3);
    const before = [far, ...filler("b", 600), touched, ...filler("c", 40), after];
    const bodyLines = touched.split("\n");
    const last = bodyLines.length - 2; // the body's last line, just above -----END
    const edited = [...bodyLines];
    edited[last] = [...(edited[last] ?? "")].reverse().join("");
    const version = [far, ...filler("b", 600), edited.join("\n"), ...filler("c", 40), after];
    expect(last).toBeGreaterThan(CONTEXT_LINES + 1);
    expect(far.length + 600 * 30).toBeGreaterThan(16_500);

    const text = await changesOf(`${before.join("\n")}\n`, `${version.join("\n")}\n`);
    expect(text).toContain(edited.join("\n"));
    expect(text).not.toContain(far.split("\n")[1]);
    expect(text).not.toContain(after.split("\n")[1]);
  });
  it("decodes changed lines as a whole version is: a leading BOM dropped, UTF-8 kept, a bad byte as U+FFFD", async () => {
    const lines = filler("g", 30);
    const edited = [...lines];
    edited[0] = "first line café ✓";
    edited[25] = "token = 'abc\u00ff'";
    const before = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join("\n")}\n`)]);
    const after = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${edited.join("\n")}\n`.replace("\u00ff", "\u0001"))]);
    after[after.indexOf(1)] = 0xff; // a byte that is not UTF-8
    const blobs = new Map([
      ["before", before],
      ["after", after],
    ]);
    const changes = await createChangeReader(async (blob) => blobs.get(blob)).changes("after", ["before"]);
    // Each region is its lines with their newlines; regions are joined by a blank line.
    const first = `${edited.slice(0, 1 + CONTEXT_LINES).join("\n")}\n`;
    const second = `${edited.slice(25 - CONTEXT_LINES, 30).join("\n").replace("\u00ff", "\ufffd")}\n`;
    expect(changes).toMatchObject({ kind: "changes", text: `${first}\n\n${second}` });
  });
  it("drops a parent's hashes once a version replacing it was compared, reading it again only if asked again", async () => {
    const blobs = new Map([
      ["v1", Buffer.from(`${filler("g", 30).join("\n")}\n`)],
      ["v2", Buffer.from(`${filler("h", 30).join("\n")}\n`)],
      ["v3", Buffer.from(`${filler("i", 30).join("\n")}\n`)],
    ]);
    const asked: string[] = [];
    const reader = createChangeReader(async (blob) => {
      asked.push(blob);
      return blobs.get(blob);
    });
    await reader.changes("v2", ["v1"]); // reads v2, then v1
    await reader.changes("v3", ["v2"]); // v2 is still held: it was not replaced yet
    expect(asked).toEqual(["v2", "v1", "v3"]);
    // Another branch changing v1 too reads it again, and gets the same changes.
    const again = await reader.changes("v3", ["v1"]);
    expect(asked).toEqual(["v2", "v1", "v3", "v3", "v1"]);
    expect(again.kind).toBe("changes");
  });

  it("answers a version that names itself as its parent (a mode change) and a revert diffed while its original is", async () => {
    // Each version's hashes must be held before its parents' are awaited: held only after, a mode
    // change would wait for itself, and a change and its revert, read together, for each other.
    const a = Buffer.from(`${filler("e", 20).join("\n")}\n`);
    const b = Buffer.from(`${filler("f", 20).join("\n")}\n`);
    const blobs = new Map([
      ["a", a],
      ["b", b],
    ]);
    const reader = createChangeReader(async (blob) => blobs.get(blob));
    const settled = await Promise.race([
      Promise.all([reader.changes("a", ["a"]), reader.changes("b", ["a"]), reader.changes("a", ["b"])]),
      new Promise<"stuck">((resolve) => setTimeout(() => resolve("stuck"), 2000)),
    ]);
    expect(settled).not.toBe("stuck");
    const [self, change, revert] = settled as Awaited<ReturnType<typeof reader.changes>>[];
    expect(self).toEqual({ kind: "changes", text: "", bytes: a.length });
    expect(change?.kind === "changes" && change.text.length > 0).toBe(true);
    expect(revert?.kind === "changes" && revert.text.length > 0).toBe(true);
  });
});
