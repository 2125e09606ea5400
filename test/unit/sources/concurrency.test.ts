// startReading: a source started ahead of its reader (the staged scan has git list the changes while
// the rules are built).
import { describe, expect, it } from "vitest";
import { startReading } from "../../../src/sources/concurrency.js";

/** A source that records what happened to it: started, each item handed out, stopped. */
function recordedSource(items: number[], events: string[], failAt?: number) {
  return (async function* () {
    events.push("started");
    try {
      for (const item of items) {
        await new Promise((resolve) => setImmediate(resolve));
        if (item === failAt) throw new Error(`failed at ${item}`);
        events.push(`item ${item}`);
        yield item;
      }
    } finally {
      events.push("stopped");
    }
  })();
}

describe("startReading", () => {
  it("starts the source before anything is read, then hands out every item in order", async () => {
    const events: string[] = [];
    const items = await startReading(recordedSource([1, 2, 3], events));
    expect(events[0]).toBe("started");
    const read: number[] = [];
    for await (const item of items) read.push(item);
    expect(read).toEqual([1, 2, 3]);
    expect(events).toEqual(["started", "item 1", "item 2", "item 3", "stopped"]);
  });

  it("stops a source nobody read (the scan ended before it), and one read in part", async () => {
    const unread: string[] = [];
    await (await startReading(recordedSource([1, 2], unread))).return?.();
    expect(unread[0]).toBe("started");
    expect(unread.at(-1)).toBe("stopped");
    expect(unread).not.toContain("item 2");
    const partly: string[] = [];
    for await (const item of await startReading(recordedSource([1, 2, 3], partly))) if (item === 2) break;
    expect(partly).toEqual(["started", "item 1", "item 2", "stopped"]);
  });

  it("surfaces the source's error when its items are read, not when it starts", async () => {
    const events: string[] = [];
    const items = await startReading(recordedSource([1], events, 1));
    const read = async () => {
      for await (const item of items) expect(item).toBeUndefined();
    };
    await expect(read()).rejects.toThrow("failed at 1");
    expect(events).toEqual(["started", "stopped"]);
  });
});
