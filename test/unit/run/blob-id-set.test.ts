import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createBlobIdSet } from "../../../src/run/blob-id-set.js";

const blobId = (n: number) => createHash("sha1").update(`blob ${n}`).digest("hex");

describe("createBlobIdSet", () => {
  it("says whether an id is new, through many growths of its table", () => {
    const ids = createBlobIdSet();
    for (let n = 0; n < 20_000; n++) expect(ids.add(blobId(n))).toBe(true);
    for (let n = 0; n < 20_000; n += 7) expect(ids.add(blobId(n))).toBe(false);
    expect(ids.add(blobId(20_000))).toBe(true);
  });

  it("keeps apart ids whose first 64 bits differ in one bit, zero words included", () => {
    const ids = createBlobIdSet();
    expect(ids.add("12345678000000000000000000000000000000aa")).toBe(true);
    expect(ids.add("1234567800000001ffffffffffffffffffffffff")).toBe(true);
    expect(ids.add("12345678000000000000000000000000000000aa")).toBe(false);
  });
});
