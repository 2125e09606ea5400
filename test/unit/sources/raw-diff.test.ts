import { describe, expect, it } from "vitest";
import { rawEntryBatches, type RawEntry } from "../../../src/sources/raw-diff.js";

const BLOB = "1".repeat(40);
const NEW = "2".repeat(40);

async function collect(batches: string[][]): Promise<RawEntry[][]> {
  const out: RawEntry[][] = [];
  for await (const entries of rawEntryBatches((async function* () { yield* batches; })())) out.push(entries);
  return out;
}

describe("rawEntryBatches", () => {
  it("pairs each meta with its path, also when a batch ends between them", async () => {
    const meta = `:100644 100644 ${BLOB} ${NEW} M`;
    const batches = await collect([[meta, "a.txt", meta], ["b.txt"], []]);
    expect(batches.map((entries) => entries.map((entry) => entry.path))).toEqual([["a.txt"], ["b.txt"]]);
    expect(batches[1]?.[0]).toEqual({ srcs: [BLOB], srcModes: ["100644"], dst: NEW, dstMode: "100644", status: "M", path: "b.txt" });
  });

  it("refuses a field that is not raw meta where one is due", async () => {
    await expect(collect([["not meta", "a.txt"]])).rejects.toThrow(/unexpected git diff --raw output: "not meta"/);
  });
});
