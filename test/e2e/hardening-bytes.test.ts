// Any bytes: minified single-line files, invalid UTF-8, UTF-16, CRLF, hostile and odd file names,
// binary, symlink loops, unreadable and vanishing files — through the real engine and the CLI.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openaiProjectKey } from "../../fixtures/fake-keys.js";
import { buildContext, scanText } from "../../src/run/pipeline.js";
import { readWorkingTree } from "../helpers/working-tree.js";
import { runCli } from "../helpers/cli.js";
import { type TempRepo, useTempRepos } from "../helpers/git-repo.js";

const tempFolder = useTempRepos();
/** A plain folder by default; a repository with `init`. */
const folder = (init = false): TempRepo => tempFolder(init);

interface JsonReport {
  findings: { file: string; line: number; column: number; ruleId: string; secret: string }[];
  stats: { files: number; skippedBinary: number; unreadable: number; skippedOther: number };
}

function scanJson(dir: string, args: string[] = ["."]): { code: number; report: JsonReport; stderr: string } {
  const result = runCli(["scan", ...args, "-f", "json", "--no-redact"], { cwd: dir });
  return { code: result.code, report: JSON.parse(result.stdout) as JsonReport, stderr: result.stderr };
}

const context = buildContext();

describe("minified files", () => {
  it("scans a 5 MB single-line bundle full of assignment candidates in linear time, finding a key at its column", () => {
    const key = openaiProjectKey(400);
    const parts: string[] = [];
    let length = 0;
    for (let i = 0; length < 5_000_000; i++) {
      const part = `var a${i}={apiKey:"Zx${(i * 7919).toString(36)}Qw${(i * 104729).toString(36)}Pk",f:function(){return ${i}}};`;
      parts.push(part);
      length += part.length;
      if (i === 20_000) {
        parts.push(`var k="${key}";`);
        length += key.length + 9;
      }
    }
    const text = parts.join("");
    const started = performance.now();
    const findings = scanText({ path: "dist/bundle.js", text }, context);
    const elapsed = performance.now() - started;
    // A per-candidate scan to the end of the line made this take about a minute.
    expect(elapsed).toBeLessThan(5000);
    const found = findings.filter((finding) => finding.secret === key);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ line: 1, column: text.indexOf(key) + 1 });
  });
});

describe("encodings and line endings, through the CLI", () => {
  it("finds keys after invalid UTF-8, in UTF-16 LE and BE with a BOM, and on CRLF lines, at the right line and column", () => {
    const made = folder();
    const keys = [401, 402, 403, 404].map((seed) => openaiProjectKey(seed));
    const bad = Buffer.from([0xc3, 0x28, 0xfd, 0x80, 0xff, 0x0a]); // invalid sequences, then a newline
    writeFileSync(join(made.dir, "bad-utf8.txt"), Buffer.concat([bad, bad, Buffer.from(`\xff x = "${keys[0]}"\n`, "latin1")]));
    const utf16 = `first line\r\nkey = "${keys[1]}"\r\n`;
    writeFileSync(join(made.dir, "le.txt"), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(utf16, "utf16le")]));
    const be = Buffer.from(utf16, "utf16le").swap16();
    writeFileSync(join(made.dir, "be.txt"), Buffer.concat([Buffer.from([0xfe, 0xff]), be]));
    writeFileSync(join(made.dir, "crlf.env"), `A=1\r\nB=2\r\nOPENAI_API_KEY=${keys[3]}\r\n`);
    const { code, report } = scanJson(made.dir);
    expect(code).toBe(1);
    const byFile = Object.fromEntries(report.findings.map((finding) => [finding.file, finding]));
    expect(byFile["bad-utf8.txt"]).toMatchObject({ line: 3, column: 8, secret: keys[0] });
    expect(byFile["le.txt"]).toMatchObject({ line: 2, column: 8, secret: keys[1] });
    expect(byFile["be.txt"]).toMatchObject({ line: 2, column: 8, secret: keys[1] });
    expect(byFile["crlf.env"]).toMatchObject({ line: 3, column: 16, secret: keys[3] });
  });
});

describe("file names and file kinds, through the CLI", () => {
  it("reports names with spaces, newlines and non-ASCII exactly, in a repository and outside one", () => {
    for (const init of [true, false]) {
      const made = folder(init);
      const names = ["with space.py", "new\nline.py", "naïve-日本.py"];
      names.forEach((name, i) => made.write(name, `KEY = "${openaiProjectKey(410 + i)}"\n`));
      if (init) made.add(names[0] ?? "");
      const files = scanJson(made.dir).report.findings.map((finding) => finding.file);
      expect(files.sort(), `git: ${init}`).toEqual([...names].sort());
    }
  });

  it("neutralises escape sequences in a hostile file name and in matched text in the text report", () => {
    const made = folder();
    const hostile = "\u001b]0;owned\u0007\u001b[2J\u001b[31mx\u202e.py";
    made.write(hostile, `KEY = "${openaiProjectKey(420)}" # \u001b[1A\u001b[2K\n`);
    made.write("note.py", `password = "Xq7\u001b[2JpL9\u0007vR2mK8wT3"\n`);
    const result = runCli(["scan", ".", "--no-redact"], { cwd: made.dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("\\x1b]0;owned\\x07\\x1b[2J\\x1b[31mx\\u202e.py");
    expect(result.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202e]/);
  });

  it("skips binary files, never follows symlinks (a loop included), and counts what it skipped", () => {
    const made = folder();
    made.write("image.png", Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0]), Buffer.from(openaiProjectKey(430))]));
    mkdirSync(join(made.dir, "real"));
    made.write("real/k.py", `KEY = "${openaiProjectKey(431)}"\n`);
    symlinkSync("real/k.py", join(made.dir, "link.py"));
    symlinkSync(".", join(made.dir, "real/loop"));
    symlinkSync("/etc/passwd", join(made.dir, "outside"));
    const { code, report } = scanJson(made.dir);
    expect(code).toBe(1);
    expect(report.findings.map((finding) => finding.file)).toEqual(["real/k.py"]);
    expect(report.stats).toMatchObject({ skippedBinary: 1, skippedOther: 3 });
  });

  it("warns about a file it cannot read, counts it, and goes on", () => {
    const made = folder();
    made.write("a.py", `KEY = "${openaiProjectKey(440)}"\n`);
    execFileSync("mkfifo", [join(made.dir, "fifo")]); // reading it would block forever
    const { code, report, stderr } = scanJson(made.dir);
    expect(code).toBe(1);
    expect(report.stats.unreadable).toBe(1);
    expect(stderr).toMatch(/warning: cannot read fifo \(not a regular file\); skipped/);
    expect(report.findings).toHaveLength(1);
  });

  it("passes over a file that vanishes between listing and reading", async () => {
    for (const init of [true, false]) {
      const made = folder(init);
      for (const name of ["a.txt", "b.txt", "c.txt"]) made.write(name, `${name}\n`);
      if (init) made.add(".");
      const paths: string[] = [];
      for await (const item of readWorkingTree({ cwd: made.dir, maxFileSize: 1e6 })) {
        if (item.kind === "chunk") paths.push(item.chunk.path);
        if (paths.length === 1) rmSync(join(made.dir, "b.txt"));
      }
      expect(paths, `git: ${init}`).toEqual(["a.txt", "c.txt"]);
    }
  });
});
