// End to end, memory and the number of files: `keyscan staged` (the pre-commit hook) with 200,000 staged
// files streams git's listing of them, and with forty files of several MB streams each from git in
// windows of bytes moved to the workers, one file at a time, so its peak RSS (from /usr/bin/time) stays
// at most 300 MB, and the one key among them is found.
// The repositories are built straight into git's object store and index (`hash-object`, `update-index
// --index-info`): staged reads only the index, and 200,000 `git add`s or files written to disk would take minutes.
import { describe, expect, it } from "vitest";
import { openaiProjectKey } from "../../fixtures/fake-keys.js";
import { runCliMeasured } from "../helpers/cli.js";
import { type TempRepo, useTempRepos } from "../helpers/git-repo.js";

const repo = useTempRepos();
const FILES = 200_000;
const KEY_FILE = 123_457;
const key = openaiProjectKey(2002);

/** Distinct paths, a thousand to a folder, as a big monorepo would lay them out. */
const pathOf = (index: number): string => `src/module-${Math.floor(index / 1000)}/file-${index % 1000}.ts`;

/** Each of the few contents as a blob: four versions committed, four staged over them, one with the key. */
function storeBlobs(made: TempRepo, contents: string[]): string[] {
  return contents.map((content) => made.gitWithInput(content, "hash-object", "-w", "--stdin").trim());
}

/** Sets `count` paths' index entries at once: `blobOf(i)` is the blob for path i. */
function stageAll(made: TempRepo, count: number, blobOf: (index: number) => string): void {
  const lines = Array.from({ length: count }, (_, index) => `100644 ${blobOf(index)}\t${pathOf(index)}\n`);
  made.gitWithInput(lines.join(""), "update-index", "--index-info");
}

interface Report {
  findings: { file: string; line: number }[];
  stats: { files: number };
}

describe("staged with 200,000 modified files", () => {
  it("finds the one key, blocks the commit, and keeps peak RSS ≤ 300 MB", () => {
    const made = repo();
    const committed = storeBlobs(made, [0, 1, 2, 3].map((n) => `export const value = ${n};\n`));
    const changed = storeBlobs(made, [0, 1, 2, 3].map((n) => `export const value = ${n + 10};\n`));
    const [withKey] = storeBlobs(made, [`export const value = 1;\nexport const apiKey = "${key}";\n`]);
    stageAll(made, FILES, (index) => committed[index % 4] as string);
    made.commit();
    stageAll(made, FILES, (index) => (index === KEY_FILE ? (withKey as string) : (changed[index % 4] as string)));
    // Every path modified (M) in the index against HEAD; --name-status reads no blob, so it takes a second, not half a minute.
    const statuses = made.git("diff", "--cached", "--name-status").split("\n").filter((line) => line !== "");
    expect(statuses.filter((line) => line.startsWith("M\t"))).toHaveLength(FILES);

    const result = runCliMeasured(["staged", "-f", "json", "--no-progress"], { cwd: made.dir });
    expect(result.code, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.findings.map((finding) => [finding.file, finding.line])).toEqual([[pathOf(KEY_FILE), 2]]);
    expect(report.stats.files).toBe(FILES);
    expect(result.peakMb).toBeLessThanOrEqual(300);
  }, 300_000);
});

describe("staged with forty new files of 7.5 MB each, each cut into windows moved to the workers", () => {
  it("finds the key at the end of one, and keeps peak RSS ≤ 300 MB", () => {
    const made = repo();
    const line = "const filler = 'an ordinary line of source text, nothing to see';\n";
    const filler = line.repeat(Math.floor((7.5 * 1024 * 1024) / line.length));
    const [plain, withKey] = storeBlobs(made, [filler, `${filler}KEY = "${key}"\n`]);
    stageAll(made, 40, (index) => (index === 31 ? (withKey as string) : (plain as string)));

    const result = runCliMeasured(["staged", "-f", "json", "--no-progress"], { cwd: made.dir });
    expect(result.code, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.findings.map((finding) => [finding.file, finding.line])).toEqual([[pathOf(31), filler.split("\n").length]]);
    expect(report.stats.files).toBe(40);
    expect(result.peakMb).toBeLessThanOrEqual(300);
  }, 300_000);
});
