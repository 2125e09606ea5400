// End to end, with real git: the hook scans every byte git commits as text, decided as git decides
// it (a NUL past the first 8,000 bytes is text), UTF-16 and UTF-32 without a byte-order mark, and the
// text before the first NUL of a file git calls binary.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openaiProjectKey } from "../../fixtures/fake-keys.js";
import { runCli } from "../helpers/cli.js";
import { useTempRepos } from "../helpers/git-repo.js";

const repo = useTempRepos();

interface JsonFinding {
  file: string;
  line: number;
  column: number;
}

function findingsOf(stdout: string): JsonFinding[] {
  return (JSON.parse(stdout) as { findings: JsonFinding[] }).findings;
}

/** Stages one file and runs `staged`, then `scan` over the same working tree; both results. */
function stageAndScan(name: string, bytes: Buffer): { staged: JsonFinding[]; scan: JsonFinding[]; codes: number[]; numstat: string } {
  const made = repo();
  made.write(name, bytes);
  made.add(name);
  const staged = runCli(["staged", "-f", "json", "--no-progress"], { cwd: made.dir });
  const scan = runCli(["scan", "-f", "json", "--no-progress"], { cwd: made.dir });
  const numstat = made.git("diff", "--cached", "--numstat");
  return { staged: findingsOf(staged.stdout), scan: findingsOf(scan.stdout), codes: [staged.code, scan.code], numstat };
}

describe("text as git decides it", () => {
  it("a NUL past git's first 8,000 bytes: git diffs the file as text, and keyscan scans it", () => {
    const padding = "# filler line\n".repeat(578); // 8,092 bytes: the NUL falls between git's 8,000 and 8 KiB
    const bytes = Buffer.concat([Buffer.from(padding), Buffer.from("\0\n"), Buffer.from(`KEY = "${openaiProjectKey(1801)}"\n`)]);
    const result = stageAndScan("notes.txt", bytes);
    expect(result.numstat).toMatch(/^580\t0\tnotes\.txt/); // text to git: it counts the lines
    expect(result.codes).toEqual([1, 1]);
    expect(result.staged).toMatchObject([{ file: "notes.txt", line: 580, column: 8 }]);
    expect(result.scan).toMatchObject([{ file: "notes.txt", line: 580 }]);
  });

  it("a binary file (an early NUL) with a key before it: the text before the first NUL is scanned", () => {
    const bytes = Buffer.concat([Buffer.from(`KEY = "${openaiProjectKey(1802)}"\n`), Buffer.from([0, 1, 2, 3, 0, 255])]);
    const result = stageAndScan("blob.dat", bytes);
    expect(result.codes).toEqual([1, 1]);
    expect(result.staged).toMatchObject([{ file: "blob.dat", line: 1, column: 8 }]);
    expect(result.scan).toMatchObject([{ file: "blob.dat", line: 1, column: 8 }]);
  });

  it("UTF-16LE and UTF-16BE without a byte-order mark are decoded and scanned", () => {
    const text = `# settings\nKEY = "${openaiProjectKey(1803)}"\n`;
    const le = stageAndScan("settings.txt", Buffer.from(text, "utf16le"));
    expect(le.codes).toEqual([1, 1]);
    expect(le.staged).toMatchObject([{ file: "settings.txt", line: 2, column: 8 }]);
    expect(le.scan).toMatchObject([{ file: "settings.txt", line: 2, column: 8 }]);
    const be = stageAndScan("settings.txt", Buffer.from(text, "utf16le").swap16());
    expect(be.codes).toEqual([1, 1]);
    expect(be.staged).toMatchObject([{ file: "settings.txt", line: 2, column: 8 }]);
  });

  it("UTF-32LE without a byte-order mark is decoded and scanned", () => {
    const text = `KEY = "${openaiProjectKey(1804)}"\n`;
    const bytes = Buffer.alloc(text.length * 4);
    for (let i = 0; i < text.length; i++) bytes.writeUInt32LE(text.charCodeAt(i), i * 4);
    const result = stageAndScan("wide.txt", bytes);
    expect(result.codes).toEqual([1, 1]);
    expect(result.staged).toMatchObject([{ file: "wide.txt", line: 1, column: 8 }]);
  });

  it("a real binary file is still skipped and counted", () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    const made = repo();
    made.write("image.bin", bytes);
    made.add("image.bin");
    const result = runCli(["scan", "--no-progress"], { cwd: made.dir });
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).toMatch(/1 binary/);
  });
});

describe("file names that are not valid UTF-8", () => {
  it("are opened by their bytes and scanned, in a repository and outside one, and reported under the decoded name", () => {
    const made = repo();
    made.write("good.py", "x = 1\n");
    // Names with a byte that is not UTF-8 (Latin-1 "é", a bare 0xff), written through Buffer paths: a
    // file, and a file in a folder so named.
    const key = (seed: number) => `KEY = "${openaiProjectKey(seed)}"\n`;
    writeFileSync(Buffer.from(`${made.dir}/caf\xe9.py`, "latin1"), key(1805));
    mkdirSync(Buffer.from(`${made.dir}/dir\xff`, "latin1"));
    writeFileSync(Buffer.from(`${made.dir}/dir\xff/inner.py`, "latin1"), key(1806));
    made.git("add", "-A");
    const files = (stdout: string): string[] => (JSON.parse(stdout).findings as { file: string }[]).map((finding) => finding.file).sort();
    const inRepo = runCli(["scan", "--no-progress", "-f", "json"], { cwd: made.dir });
    expect(inRepo.code).toBe(1);
    expect(files(inRepo.stdout)).toEqual(["caf\ufffd.py", "dir\ufffd/inner.py"]);
    // Outside a repository the file is found too; a folder so named is not entered, and says so.
    rmSync(join(made.dir, ".git"), { recursive: true, force: true });
    const outside = runCli(["scan", "--no-progress", "-f", "json"], { cwd: made.dir });
    expect(files(outside.stdout)).toEqual(["caf\ufffd.py"]);
    expect(outside.stderr).toMatch(/warning: cannot read dir\ufffd \(its name is not valid UTF-8: keyscan lists no folder so named outside a repository\); skipped/);
  });
});

