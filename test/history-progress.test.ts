// History's progress bar counts commits: git counts them first (the total, for an ETA) and the walk
// reports those it reaches. The two must agree for every selection of commits.
import { describe, expect, it } from "vitest";
import { createProgress, formatProgress } from "../src/cli/progress.js";
import { countCommits, scanHistory } from "../src/sources/history.js";
import { useTempRepos } from "./helpers/git-repo.js";

const repo = useTempRepos();

/** The commits scanHistory reports through onCommits, and the count in its stats. */
async function walked(cwd: string, revs: string[], since?: string): Promise<{ reported: number; stats: number }> {
  let reported = 0;
  const options = { cwd, revs, maxFileSize: 1 << 20, onCommits: (count: number) => (reported += count), ...(since ? { since } : {}) };
  const { stats } = await scanHistory(options, async () => []);
  return { reported, stats: stats.commits };
}

describe("history's commit count", () => {
  it("is what the walk goes through: all refs, a range, and --since", async () => {
    const made = repo();
    for (let i = 0; i < 5; i++) {
      made.write(`file${i}.txt`, `version ${i}\n`);
      made.add(".");
      made.commit({ message: `main ${i}`, date: `2024-01-0${i + 1}T00:00:00Z` });
    }
    made.git("checkout", "-q", "-b", "side", "HEAD~2");
    for (let i = 0; i < 2; i++) {
      made.write(`side${i}.txt`, `side ${i}\n`);
      made.add(".");
      made.commit({ message: `side ${i}`, date: `2024-02-0${i + 1}T00:00:00Z` });
    }

    const selections: { revs: string[]; since?: string; expected: number }[] = [
      { revs: [], expected: 7 },
      { revs: ["main~2..main"], expected: 2 },
      { revs: ["main..side"], expected: 2 },
      { revs: [], since: "2024-01-04T12:00:00Z", expected: 3 },
    ];
    for (const { revs, since, expected } of selections) {
      const options = { cwd: made.dir, revs, maxFileSize: 1 << 20, ...(since ? { since } : {}) };
      expect(await countCommits(options)).toBe(expected);
      expect(await walked(made.dir, revs, since)).toEqual({ reported: expected, stats: expected });
    }
  });
});

describe("the history progress line", () => {
  it("shows commits done of the total, and an ETA", () => {
    expect(formatProgress({ noun: "commit", count: 30, total: 120, bytes: 3 * 1024 ** 2, elapsedMs: 3_000 })).toBe(
      "scanning 30/120 commits  3.0 MB  1.0 MB/s  ETA 9s",
    );
    expect(formatProgress({ noun: "commit", count: 1, total: 1, bytes: 10, elapsedMs: 1_000 })).toBe("scanning 1/1 commit  10 B  10 B/s  ETA 0s");
    expect(formatProgress({ noun: "file", count: 1, bytes: 10, elapsedMs: 1_000 })).toBe("scanning 1 file  10 B  10 B/s");
  });
});

describe("the history progress bar", () => {
  it("draws commits of the total, in full on a terminal that reports no width", () => {
    const writes: string[] = [];
    let time = 0;
    const stream = { isTTY: true, columns: 0, write: (text: string) => writes.push(text) };
    const progress = createProgress({ enabled: true, noun: "commit", stream, now: () => time });
    expect(progress.visible).toBe(true);
    progress.setTotal(4);
    progress.tick(100, 1);
    time = 1_000;
    progress.tick(100, 1);
    expect(writes).toEqual(["\r\x1b[Kscanning 2/4 commits  200 B  200 B/s  ETA 1s"]);
    expect(createProgress({ enabled: false, noun: "commit", stream }).visible).toBe(false);
  });
});
