// End to end, with real git and the built CLI: wherever keyscan is started (the repository's root, a
// subfolder, another folder entirely), it reports the same paths and fingerprints, and the config's
// allow list, .keyscanignore, .gitleaksignore and the baseline suppress the same findings.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openaiProjectKey } from "../../fixtures/fake-keys.js";
import { runCli } from "../helpers/cli.js";
import { tempRepo } from "../helpers/git-repo.js";

interface Reported {
  file: string;
  fingerprint: string;
  line: number;
}

function findings(stdout: string): Reported[] {
  const report = JSON.parse(stdout) as { findings: Reported[] };
  return report.findings.map(({ file, fingerprint, line }) => ({ file, fingerprint, line }));
}

describe("paths are relative to the scanned repository, wherever keyscan starts", () => {
  const made = tempRepo();
  const outside = mkdtempSync(join(tmpdir(), "keyscan-outside-"));
  afterAll(() => {
    made.remove();
    rmSync(outside, { recursive: true, force: true });
  });

  const key = (seed: number) => `OPENAI_API_KEY = "${openaiProjectKey(seed)}"\n`;
  made.write("keyscan.toml", '[allow]\npaths = ["vendor/**"]\n');
  made.write("vendor/lib.js", key(1)); // allowed by path
  made.write("src/app/ignored.js", key(2)); // its fingerprint goes into .keyscanignore
  made.write("src/app/gitleaks.js", `\n${key(3)}`); // named in .gitleaksignore (file:rule:line)
  made.write("src/app/known.js", key(4)); // in the baseline
  made.write("src/app/new.js", key(5)); // reported everywhere
  made.add(".");
  made.commit();

  // The fingerprints as a scan from the root sees them, before any suppression.
  const all = findings(runCli(["scan", "-f", "json", "--no-progress"], { cwd: made.dir }).stdout);
  const fingerprintOf = (file: string) => all.find((finding) => finding.file === file)?.fingerprint ?? "";

  it("finds the same unsuppressed keys from the root, from outside, and from a subfolder", () => {
    expect(all.map((finding) => finding.file)).toEqual(["src/app/gitleaks.js", "src/app/ignored.js", "src/app/known.js", "src/app/new.js"]);
    made.write(".keyscanignore", `# a fixture\n${fingerprintOf("src/app/ignored.js")}\n`);
    made.write(".gitleaksignore", "src/app/gitleaks.js:openai-project-key:2\n");
    made.write(
      "baseline.json",
      JSON.stringify({ version: 1, tool: "keyscan", findings: [{ fingerprint: fingerprintOf("src/app/known.js"), ruleId: "openai-project-key", path: "src/app/known.js" }] }),
    );
    const expected = [{ file: "src/app/new.js", fingerprint: fingerprintOf("src/app/new.js"), line: 1 }];
    const baseline = join(made.dir, "baseline.json");
    const runs = [
      { cwd: made.dir, args: [] },
      { cwd: outside, args: [made.dir] },
      { cwd: outside, args: [relative(outside, made.dir)] },
      { cwd: join(made.dir, "src"), args: [".."] },
      { cwd: join(made.dir, "src", "app"), args: [made.dir] },
    ];
    for (const run of runs) {
      const result = runCli(["scan", ...run.args, "-f", "json", "--no-progress", "--baseline", baseline], { cwd: run.cwd });
      expect(result.code, `${run.cwd} ${run.args.join(" ")}: ${result.stderr}`).toBe(1);
      expect(findings(result.stdout)).toEqual(expected);
    }
  });

  it("scans a subfolder with repository-relative paths, from inside it or from the root", () => {
    const fromRoot = runCli(["scan", "src/app", "-f", "json", "--no-progress"], { cwd: made.dir });
    const fromInside = runCli(["scan", ".", "-f", "json", "--no-progress"], { cwd: join(made.dir, "src", "app") });
    const fromOutside = runCli(["scan", join(made.dir, "src", "app"), "-f", "json", "--no-progress"], { cwd: outside });
    expect(findings(fromRoot.stdout).map((finding) => finding.file)).toEqual(["src/app/known.js", "src/app/new.js"]);
    expect(findings(fromInside.stdout)).toEqual(findings(fromRoot.stdout));
    expect(findings(fromOutside.stdout)).toEqual(findings(fromRoot.stdout));
  });

  it("gives SARIF uris relative to %SRCROOT%, the repository's root", () => {
    const result = runCli(["scan", made.dir, "-f", "sarif", "--no-progress"], { cwd: outside });
    const run = JSON.parse(result.stdout).runs[0];
    const locations = run.results.map((entry: { locations: { physicalLocation: { artifactLocation: unknown } }[] }) => entry.locations[0]?.physicalLocation.artifactLocation);
    expect(locations).toEqual([{ uri: "src/app/new.js", uriBaseId: "%SRCROOT%" }, { uri: "src/app/known.js", uriBaseId: "%SRCROOT%" }].sort((a, b) => (a.uri < b.uri ? -1 : 1)));
    expect(run.originalUriBaseIds["%SRCROOT%"].uri).toBe(`file://${made.dir}/`);
  });

  it("writes the baseline at the repository's root with its paths, when run from outside", () => {
    const file = join(made.dir, ".keyscan-baseline.json");
    expect(existsSync(file)).toBe(false);
    const result = runCli(["baseline", made.dir, "--no-progress"], { cwd: outside });
    expect(result.code, result.stderr).toBe(0);
    const paths = (JSON.parse(readFileSync(file, "utf8")) as { findings: { path: string }[] }).findings.map((entry) => entry.path);
    expect(paths).toEqual(["src/app/known.js", "src/app/new.js"]);
    rmSync(file);
  });

  it("reads the same config and suppressions for history from a subfolder as from the root", () => {
    const fromRoot = runCli(["history", "-f", "json", "--no-progress"], { cwd: made.dir });
    const fromSub = runCli(["history", "-f", "json", "--no-progress"], { cwd: join(made.dir, "src", "app") });
    expect(findings(fromRoot.stdout).map((finding) => finding.file)).toEqual(["src/app/known.js", "src/app/new.js"]);
    expect(findings(fromSub.stdout)).toEqual(findings(fromRoot.stdout));
  });
});

describe("outside a repository, paths are relative to the scanned folder", () => {
  const folder = mkdtempSync(join(tmpdir(), "keyscan-plain-"));
  const elsewhere = mkdtempSync(join(tmpdir(), "keyscan-elsewhere-"));
  afterAll(() => {
    rmSync(folder, { recursive: true, force: true });
    rmSync(elsewhere, { recursive: true, force: true });
  });

  it("reports and suppresses the same from inside the folder and from elsewhere", () => {
    mkdirSync(join(folder, "conf"));
    mkdirSync(join(folder, "fixtures"));
    writeFileSync(join(folder, "keyscan.toml"), '[allow]\npaths = ["fixtures/**"]\n');
    writeFileSync(join(folder, "conf", "app.env"), `OPENAI_API_KEY=${openaiProjectKey(7)}\n`);
    writeFileSync(join(folder, "fixtures", "sample.env"), `OPENAI_API_KEY=${openaiProjectKey(8)}\n`);
    const inside = runCli(["scan", "-f", "json", "--no-progress"], { cwd: folder });
    const fromElsewhere = runCli(["scan", folder, "-f", "json", "--no-progress"], { cwd: elsewhere });
    expect(findings(inside.stdout).map((finding) => finding.file)).toEqual(["conf/app.env"]);
    expect(findings(fromElsewhere.stdout)).toEqual(findings(inside.stdout));
  });
});
