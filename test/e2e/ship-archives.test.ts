// End to end: archives built by real tools (zip, tar, gzip, python's zipfile) are scanned inside, nested to a
// depth, named `outer!inner`; corrupt, truncated and encrypted ones give a warning and the scan goes on; a
// 10 GB zip bomb stops at the limit in bounded time and memory; SARIF carries the inner path and validates.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checksummedToken, openaiProjectKey } from "../../fixtures/fake-keys.js";
import { CLI, cliEnv, runCli } from "../helpers/cli.js";
import { multitoolProblems, sarifSchemaErrors } from "../helpers/sarif.js";

let dir: string;
const key = openaiProjectKey(601);
const token = checksummedToken(602, "ghp");

const sh = (command: string, cwd = dir) => execFileSync("bash", ["-c", command], { cwd, stdio: "pipe" });
const files = (stdout: string) => (JSON.parse(stdout) as { findings: { file: string }[] }).findings.map((finding) => finding.file).sort();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "keyscan-archives-"));
  // A repository (nothing committed), so reported paths are relative to its root whichever files are named.
  sh("git init -q");
  mkdirSync(join(dir, "src/pkg/config"), { recursive: true });
  writeFileSync(join(dir, "src/pkg/config/.env"), `OPENAI_API_KEY=${key}\n`);
  writeFileSync(join(dir, "src/pkg/app.properties"), `github.token=${token}\n`);
  mkdirSync(join(dir, "out"));
  sh("cd src && zip -qr ../out/app.zip pkg && tar -cf ../out/app.tar pkg && tar -czf ../out/app.tgz pkg && cp pkg/config/.env ../out/single.env && gzip ../out/single.env");
  // A jar holding a zip holding the files: depth 2 is opened by default, depth 3 is not.
  sh("mkdir -p nest && cp out/app.zip nest/ && (cd nest && zip -q inner.jar app.zip && zip -q ../out/outer.war inner.jar)");
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("archives", () => {
  it("finds keys inside zip, tar, tar.gz and gz, under outer!inner paths", () => {
    const result = runCli(["scan", "out/app.zip", "out/app.tar", "out/app.tgz", "out/single.env.gz", "--format", "json", "--no-progress"], { cwd: dir });
    expect(result.code, result.stderr).toBe(1);
    expect(files(result.stdout)).toEqual([
      "out/app.tar!pkg/app.properties",
      "out/app.tar!pkg/config/.env",
      "out/app.tgz!pkg/app.properties",
      "out/app.tgz!pkg/config/.env",
      "out/app.zip!pkg/app.properties",
      "out/app.zip!pkg/config/.env",
      "out/single.env.gz",
    ]);
  });

  it("opens nested archives to --max-archive-depth (default 2), and none with 0", () => {
    const deep = runCli(["scan", "out/outer.war", "--format", "json", "--no-progress", "--max-archive-depth", "3"], { cwd: dir });
    expect(files(deep.stdout)).toEqual(["out/outer.war!inner.jar!app.zip!pkg/app.properties", "out/outer.war!inner.jar!app.zip!pkg/config/.env"]);
    const byDefault = runCli(["scan", "out/outer.war", "--format", "json", "--no-progress"], { cwd: dir });
    expect(byDefault.code).toBe(0);
    const none = runCli(["scan", "out/app.zip", "--no-progress", "--max-archive-depth", "0"], { cwd: dir });
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/skipped 1 \(1 binary\)/);
    expect(runCli(["scan", "out/app.zip", "--max-archive-depth", "x"], { cwd: dir }).stderr).toBe(
      'keyscan: --max-archive-depth: "x" is not a depth from 0 to 10\n',
    );
  });

  it("warns about corrupt, truncated and encrypted archives by name, and scans the rest", () => {
    mkdirSync(join(dir, "bad"));
    copyFileSync(join(dir, "out/app.zip"), join(dir, "bad/truncated.zip"));
    truncateSync(join(dir, "bad/truncated.zip"), Math.floor(statSync(join(dir, "bad/truncated.zip")).size / 2));
    copyFileSync(join(dir, "out/app.tgz"), join(dir, "bad/truncated.tgz"));
    truncateSync(join(dir, "bad/truncated.tgz"), 40);
    writeFileSync(join(dir, "bad/garbage.zip"), Buffer.concat([Buffer.from("PK\x03\x04"), Buffer.alloc(600, 7)]));
    sh("cd src && zip -q -P hunter2 -r ../bad/encrypted.zip pkg");
    writeFileSync(join(dir, "bad/plain.env"), `OPENAI_API_KEY=${key}\n`);
    const result = runCli(["scan", "bad", "--format", "json", "--no-progress"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(files(result.stdout)).toContain("bad/plain.env");
    for (const name of ["truncated.tgz", "garbage.zip", "encrypted.zip"]) expect(result.stderr).toMatch(new RegExp(`keyscan: warning: cannot read archive bad/${name.replace(".", "\\.")} \\(corrupt, truncated or encrypted`));
    // The truncated zip's entries before the cut are still scanned, or it is named in a warning.
    expect(result.stderr.includes("bad/truncated.zip") || files(result.stdout).some((file) => file.startsWith("bad/truncated.zip!"))).toBe(true);
    expect(JSON.stringify(JSON.parse(result.stdout).findings)).not.toContain("encrypted.zip!");
  });

  it("reports traversal names inside an archive as names, and writes nothing", () => {
    const zip = join(dir, "evil.zip");
    execFileSync("python3", ["-c", `import zipfile,sys\nz=zipfile.ZipFile(sys.argv[1],'w')\nz.writestr('../../etc/passwd.env', 'TOKEN=${token}\\n')\nz.writestr('/abs/key.env', 'KEY=${key}\\n')\nz.close()`, zip]);
    const before = readdirRecursive(dir);
    const result = runCli(["scan", "evil.zip", "--format", "json", "--no-progress"], { cwd: dir });
    expect(files(result.stdout)).toEqual(["evil.zip!../../etc/passwd.env", "evil.zip!/abs/key.env"]);
    expect(readdirRecursive(dir)).toEqual(before);
    expect(existsSync("/abs/key.env")).toBe(false);
  });

  it("stops a 10 GB zip bomb at the limit, in bounded time and memory", () => {
    const bomb = join(dir, "bomb");
    mkdirSync(bomb);
    // 100 copies of a zip holding 100 MB of zeros: 10 GB once both levels are expanded.
    sh("head -c 100000000 /dev/zero > zeros.bin && zip -q -9 zeros.zip zeros.bin && rm zeros.bin && for i in $(seq 1 100); do cp zeros.zip z$i.zip; done && zip -q -0 bomb.zip z[0-9]*.zip && rm z[0-9]*.zip zeros.zip", bomb);
    const started = Date.now();
    const timed = spawnSync("/usr/bin/time", ["-f", "%M", process.execPath, CLI, "scan", "bomb.zip", "--no-progress"], {
      cwd: bomb,
      env: cliEnv(),
      encoding: "utf8",
    });
    const seconds = (Date.now() - started) / 1000;
    const peakKb = Number(timed.stderr.trim().split("\n").at(-1));
    expect(timed.stderr).toMatch(/keyscan: warning: bomb\/bomb\.zip(![^:]+)?: (expanded past 256 MB|expands more than 200 times its size)/);
    expect(timed.status).toBe(0);
    expect(seconds).toBeLessThan(10);
    expect(peakKb / 1024).toBeLessThan(300);
  });

  it("puts the inner path in SARIF, valid for GitHub", () => {
    const result = runCli(["scan", "out/app.zip", "--format", "sarif", "--no-progress"], { cwd: dir });
    const sarif = JSON.parse(result.stdout);
    const uris = sarif.runs[0].results.map((entry: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => entry.locations[0]?.physicalLocation.artifactLocation.uri);
    expect(uris.sort()).toEqual(["out/app.zip!pkg/app.properties", "out/app.zip!pkg/config/.env"]);
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    expect(multitoolProblems(result.stdout).filter((problem) => problem.startsWith("error"))).toEqual([]);
  });
});

function readdirRecursive(root: string): string[] {
  return execFileSync("find", [root], { encoding: "utf8" }).split("\n").filter(Boolean).sort();
}
