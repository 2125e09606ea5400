// End to end, memory and size: an 11 MB staged file (over the default --max-file-size) is scanned by
// the hook, and 600 MB on standard input or in one blob of history scans with a flat memory: peak RSS
// (from /usr/bin/time) at most 300 MB, and the key at the very end is found. The 600 MB of data is
// made once, in a temporary folder, and serves both big cases.
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openaiProjectKey } from "../../fixtures/fake-keys.js";
import { runCli, runCliMeasured } from "../helpers/cli.js";
import { useTempRepos } from "../helpers/git-repo.js";

const repo = useTempRepos();
const MB = 1024 * 1024;
const key = openaiProjectKey(2001);

/** Writes `size` bytes of ordinary text lines, then a line with the key. */
function writeBigFile(path: string, size: number): void {
  const fd = openSync(path, "w");
  try {
    const line = "const filler = 'an ordinary line of source text, nothing to see';\n";
    const block = Buffer.from(line.repeat(Math.floor(MB / line.length)));
    for (let written = 0; written < size; written += block.length) writeSync(fd, block);
    writeSync(fd, `KEY = "${key}"\n`);
  } finally {
    closeSync(fd);
  }
}

describe("a file over --max-file-size in the hook", () => {
  it("an 11 MB staged file with a key at its end is scanned, and the commit is blocked", () => {
    const made = repo();
    writeBigFile(join(made.dir, "dump.sql"), 11 * MB);
    made.add("dump.sql");
    const result = runCli(["staged", "-f", "json", "--no-progress"], { cwd: made.dir });
    expect(result.code, result.stderr).toBe(1);
    const findings = (JSON.parse(result.stdout) as { findings: { file: string; line: number }[] }).findings;
    expect(findings).toMatchObject([{ file: "dump.sql" }]);
  });
});

describe("600 MB in flat memory", () => {
  const dir = mkdtempSync(join(tmpdir(), "keyscan-memory-"));
  const big = join(dir, "big.txt");
  beforeAll(() => writeBigFile(big, 600 * MB), 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("on standard input: scanned in windows, the key at the end found, peak RSS ≤ 300 MB", () => {
    const result = runCliMeasured(["scan", "-", "-f", "json", "--no-progress"], { cwd: dir, stdinFile: big });
    expect(result.stderr).not.toMatch(/Cannot create a string/);
    expect(result.code, result.stderr).toBe(1);
    expect((JSON.parse(result.stdout) as { findings: { file: string }[] }).findings).toMatchObject([{ file: "-" }]);
    expect(result.peakMb).toBeLessThanOrEqual(300);
  }, 300_000);

  it("as one blob in history: streamed from git in windows, the key found, peak RSS ≤ 300 MB", () => {
    const made = repo();
    // The blob goes straight into the object store, and the index, without a copy in the working tree.
    const oid = made.git("hash-object", "-w", big).trim();
    made.git("update-index", "--add", "--cacheinfo", `100644,${oid},dump.sql`);
    made.commit();
    const result = runCliMeasured(["history", "-f", "json", "--no-progress"], { cwd: made.dir });
    expect(result.stderr).not.toMatch(/Cannot create a string/);
    expect(result.code, result.stderr).toBe(1);
    expect((JSON.parse(result.stdout) as { findings: { file: string }[] }).findings).toMatchObject([{ file: "dump.sql" }]);
    expect(result.peakMb).toBeLessThanOrEqual(300);
  }, 300_000);
});
