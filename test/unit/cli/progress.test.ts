import { describe, expect, it } from "vitest";
import { createProgress, formatProgress, type ProgressStream } from "../../../src/cli/progress.js";

/** A fake terminal that records writes, and a clock the test moves by hand. */
function fakeTerminal(isTTY = true): { stream: ProgressStream; writes: string[] } {
  const writes: string[] = [];
  return { stream: { isTTY, columns: 120, write: (text: string) => writes.push(text) }, writes };
}

function clock(): { now: () => number; advance: (ms: number) => void } {
  let time = 1_000;
  return { now: () => time, advance: (ms) => (time += ms) };
}

describe("formatProgress", () => {
  it("shows done/total, bytes, rate and an ETA from the item rate", () => {
    const line = formatProgress({ noun: "file", count: 100, total: 400, bytes: 10 * 1024 ** 2, elapsedMs: 2_000 });
    expect(line).toBe("scanning 100/400 files  10.0 MB  5.0 MB/s  ETA 6s");
  });

  it("has no ETA while the total is unknown, and minutes for long ones", () => {
    expect(formatProgress({ noun: "blob", count: 7, bytes: 2048, elapsedMs: 1_000 })).toBe(
      "scanning 7 blobs  2.0 KB  2.0 KB/s",
    );
    expect(formatProgress({ noun: "blob", count: 1, total: 200, bytes: 0, elapsedMs: 1_000 })).toContain(
      "ETA 3m19s",
    );
  });
});

describe("createProgress", () => {
  it("draws nothing when the stream is not a terminal, or when disabled", () => {
    for (const [isTTY, enabled] of [
      [false, true],
      [true, false],
    ] as const) {
      const { stream, writes } = fakeTerminal(isTTY);
      const time = clock();
      const progress = createProgress({ enabled, noun: "file", stream, now: time.now });
      time.advance(5_000);
      progress.tick(100);
      progress.done();
      expect(writes).toEqual([]);
    }
  });

  it("stays quiet for short scans, then redraws at most every 100 ms and clears its line at the end", () => {
    const { stream, writes } = fakeTerminal();
    const time = clock();
    const progress = createProgress({ enabled: true, noun: "file", total: 10, stream, now: time.now });
    progress.tick(1024);
    time.advance(250);
    progress.tick(1024);
    expect(writes).toEqual([]);

    time.advance(50); // 300 ms in: the first draw
    progress.tick(1024);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toContain("scanning 3/10 files");
    for (let i = 0; i < 5; i++) {
      time.advance(10);
      progress.tick(1024);
    }
    expect(writes).toHaveLength(1);
    time.advance(60);
    progress.tick(1024);
    expect(writes).toHaveLength(2);
    expect(writes[1]).toMatch(/^\r\x1b\[K/);

    progress.done();
    expect(writes[2]).toBe("\r\x1b[K");
    time.advance(1_000);
    progress.tick(1);
    expect(writes).toHaveLength(3);
  });

  it("does not write a clearing sequence when it never drew", () => {
    const { stream, writes } = fakeTerminal();
    const progress = createProgress({ enabled: true, noun: "file", stream, now: clock().now });
    progress.tick(10);
    progress.done();
    expect(writes).toEqual([]);
  });

  it("fits the line to the terminal's width and counts against a total when given one", () => {
    const { stream, writes } = fakeTerminal();
    stream.columns = 20;
    const time = clock();
    const progress = createProgress({ enabled: true, noun: "blob", stream, now: time.now });
    progress.setTotal(50);
    time.advance(400);
    progress.tick(10, 5);
    expect(writes[0]).toBe(`\r\x1b[K${"scanning 5/50 blobs  10 B".slice(0, 19)}`);
  });
});
