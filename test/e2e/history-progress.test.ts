// History's progress bar counts commits: git counts them first (the total, for an ETA) and the walk
// reports those it reaches. The two must agree for every selection of commits.
import { describe, expect, it } from "vitest";
import { createProgress, formatProgress } from "../../src/cli/progress.js";
import { countCommits, historySource } from "../../src/sources/history.js";
import { useTempRepos } from "../helpers/git-repo.js";

const repo = useTempRepos();

/** The commits the history source walks (one item each, what the progress bar counts). */
async function walked(cwd: string, revs: string[], since?: string): Promise<number> {
  const source = historySource({ cwd, revs, ...(since ? { since } : {}) });
  let commits = 0;
  try {
    for await (const item of source.items) if (item.kind === "commit") commits++;
  } finally {
    source.close();
  }
  return commits;
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
      expect(await walked(made.dir, revs, since)).toBe(expected);
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
