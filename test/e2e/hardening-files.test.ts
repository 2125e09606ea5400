// Nothing lost: files keyscan writes appear whole or not at all, and no temporary file is left behind.
import { execFileSync, spawn } from "node:child_process";
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openaiProjectKey } from "../../fixtures/fake-keys.js";
import { writeFileAtomic } from "../../src/fs/write-file.js";
import { runCli } from "../helpers/cli.js";
import { type TempRepo, tempRepo } from "../helpers/git-repo.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe("atomic writes", () => {
  it("replace a file whole, and leave no temporary file when the write fails", () => {
    const dir = mkdtempSync(join(tmpdir(), "keyscan-atomic-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, "report.json"), "old");
    writeFileAtomic(join(dir, "report.json"), "new");
    expect(readFileSync(join(dir, "report.json"), "utf8")).toBe("new");
    // The target is a folder with content: the rename fails, and the temporary file is removed.
    mkdirSync(join(dir, "taken"));
    writeFileSync(join(dir, "taken", "keep"), "kept");
    expect(() => writeFileAtomic(join(dir, "taken"), "data")).toThrow();
    expect(readdirSync(dir).sort()).toEqual(["report.json", "taken"]);
    expect(readFileSync(join(dir, "taken", "keep"), "utf8")).toBe("kept");
  });

  it("write through a symlink, keeping the link, and into a pipe without replacing it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "keyscan-atomic-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, "real.json"), "old");
    symlinkSync("real.json", join(dir, "link.json"));
    writeFileAtomic(join(dir, "link.json"), "new");
    expect(lstatSync(join(dir, "link.json")).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, "real.json"), "utf8")).toBe("new");
    // `-o /dev/null` and pipes: a rename would put a plain file in the device's or pipe's place.
    const fifo = join(dir, "pipe");
    execFileSync("mkfifo", [fifo]);
    const reader = spawn("cat", [fifo]);
    let received = "";
    reader.stdout.on("data", (data: Buffer) => {
      received += data.toString();
    });
    const closed = new Promise((resolve) => reader.on("close", resolve));
    writeFileAtomic(fifo, "through the pipe");
    await closed;
    expect(received).toBe("through the pipe");
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it("keyscan baseline and --output leave only the finished file", () => {
    const made: TempRepo = tempRepo();
    cleanups.push(() => made.remove());
    made.write("a.py", `KEY = "${openaiProjectKey(600)}"\n`);
    expect(runCli(["baseline", "."], { cwd: made.dir }).code).toBe(0);
    expect(runCli(["scan", ".", "-f", "sarif", "-o", "out.sarif"], { cwd: made.dir }).code).toBe(1);
    expect(readdirSync(made.dir).filter((name) => name !== ".git").sort()).toEqual([".keyscan-baseline.json", "a.py", "out.sarif"]);
    expect(JSON.parse(readFileSync(join(made.dir, ".keyscan-baseline.json"), "utf8")).findings).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(made.dir, "out.sarif"), "utf8")).runs[0].results).toHaveLength(1);
  });
});
