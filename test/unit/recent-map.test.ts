import { describe, expect, it } from "vitest";
import { createRecentMap } from "../../src/recent-map.js";

describe("createRecentMap", () => {
  it("keeps what was set within the newest half of its limit", () => {
    const map = createRecentMap<number>(10);
    for (let i = 0; i < 100; i++) map.set(`k${i}`, i);
    for (let i = 95; i < 100; i++) expect(map.get(`k${i}`)).toBe(i);
  });

  it("forgets what was not used within its limit", () => {
    const map = createRecentMap<number>(10);
    for (let i = 0; i < 100; i++) map.set(`k${i}`, i);
    expect(map.get("k0")).toBeUndefined();
    expect(map.get("k80")).toBeUndefined();
  });

  it("keeps an entry that is read while others come and go", () => {
    const map = createRecentMap<number>(10);
    map.set("kept", 1);
    for (let i = 0; i < 100; i++) {
      map.set(`k${i}`, i);
      expect(map.get("kept")).toBe(1);
    }
  });

  it("holds no more than its limit of weight", () => {
    const map = createRecentMap<number[]>(100, (value) => value.length);
    for (let i = 0; i < 50; i++) map.set(`k${i}`, new Array<number>(30).fill(i));
    // 30 a value: the young generation takes two (60 > 50) before it becomes old, so at most four are held.
    const held = Array.from({ length: 50 }, (_, i) => map.get(`k${i}`)).filter((value) => value !== undefined);
    expect(held.length).toBeLessThanOrEqual(4);
    expect(held.length).toBeGreaterThanOrEqual(2);
    expect(map.get("k49")).toEqual(new Array<number>(30).fill(49));
  });

  it("forgets a deleted key at once, and gives its weight to others", () => {
    const map = createRecentMap<number[]>(100, (value) => value.length);
    map.set("gone", new Array<number>(40).fill(0));
    map.delete("gone");
    expect(map.get("gone")).toBeUndefined();
    // With "gone" still counted, the young generation would pass 50 at "b" and "a" would age a generation sooner.
    map.set("a", new Array<number>(40).fill(1));
    map.set("b", new Array<number>(40).fill(2));
    map.set("c", new Array<number>(40).fill(3));
    expect(map.get("a")).toEqual(new Array<number>(40).fill(1));
    map.delete("missing"); // no such key: nothing changes
    expect(map.get("c")).toEqual(new Array<number>(40).fill(3));
  });

  it("replaces a key's value without counting it twice", () => {
    const map = createRecentMap<number>(4);
    map.set("a", 1);
    map.set("a", 2);
    expect(map.get("a")).toBe(2);
    map.set("b", 3); // weight 2 of 4: nothing forgotten yet
    expect(map.get("a")).toBe(2);
  });
});
