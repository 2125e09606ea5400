// End to end, with real git: history sees the objects as stored (no replace refs, no grafts), a
// partial clone's missing blobs are never fetched (not even through an `ext::` remote the repository
// allows), and a repository git refuses for its ownership is refused by keyscan too, not scanned as a folder.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openaiProjectKey } from "../../fixtures/fake-keys.js";
import { runCli } from "../helpers/cli.js";
import { useTempRepos } from "../helpers/git-repo.js";

const repo = useTempRepos();

function findingsOf(stdout: string): { file: string; commit?: string }[] {
  return (JSON.parse(stdout) as { findings: { file: string; commit?: string }[] }).findings;
}

describe("history reads the objects as stored", () => {
  it("a replace ref cannot hide the commit that added a key", () => {
    const made = repo();
    made.write("a.py", "x = 1\n");
    made.add("a.py");
    made.commit({ message: "base" });
    made.write("a.py", `KEY = "${openaiProjectKey(1701)}"\n`);
    made.add("a.py");
    const leaky = made.commit({ message: "leak" });
    made.git("reset", "-q", "--hard", "HEAD~1");
    made.write("a.py", "x = 2\n");
    made.add("a.py");
    const clean = made.commit({ message: "clean" });
    made.git("reset", "-q", "--hard", leaky);
    made.git("replace", leaky, clean); // `git log` now shows the clean commit's content in its place
    expect(made.git("show", "HEAD:a.py")).toBe("x = 2\n");

    const result = runCli(["history", "-f", "json", "--no-progress"], { cwd: made.dir });
    expect(result.code).toBe(1);
    expect(findingsOf(result.stdout)).toMatchObject([{ file: "a.py", commit: leaky }]);
  });

  it("a grafts file cannot cut off the commits before it", () => {
    const made = repo();
    made.write("a.py", `KEY = "${openaiProjectKey(1702)}"\n`);
    made.add("a.py");
    const leaky = made.commit({ message: "leak" });
    made.write("a.py", "x = 1\n");
    made.add("a.py");
    const tip = made.commit({ message: "remove it" });
    made.write(".git/info/grafts", `${tip}\n`); // the tip, with no parents
    expect(made.git("-c", "advice.graftFileDeprecated=false", "rev-list", "--all").trim()).toBe(tip);

    const result = runCli(["history", "-f", "json", "--no-progress"], { cwd: made.dir });
    expect(result.code).toBe(1);
    expect(findingsOf(result.stdout)).toMatchObject([{ file: "a.py", commit: leaky }]);
  });
});

describe("a partial clone fetches nothing", () => {
  it("its missing blobs are reported, never fetched, even from an ext:: remote the repository allows", () => {
    const source = repo();
    source.git("config", "uploadpack.allowFilter", "true");
    source.write("a.py", `KEY = "${openaiProjectKey(1703)}"\n`);
    source.add("a.py");
    source.commit();
    const clone = repo(false);
    clone.git("clone", "-q", "--no-checkout", "--filter=blob:none", `file://${source.dir}`, ".");
    // The clone's remote now runs a program on any fetch: the marker file says whether it ran.
    const marker = join(clone.dir, "fetched");
    clone.git("config", "protocol.ext.allow", "always");
    clone.git("config", "protocol.allow", "always");
    clone.git("remote", "set-url", "origin", `ext::touch ${marker}`);

    for (const command of ["history", "scan"]) {
      const result = runCli([command, "-f", "json", "--no-progress"], { cwd: clone.dir });
      expect(existsSync(marker), `${command} fetched`).toBe(false);
      expect(result.code, result.stderr).toBe(0);
      if (command === "history") expect(result.stderr).toMatch(/1 blob is missing from this clone .*not scanned/);
    }
  });
});

describe("a repository another user owns", () => {
  it("is refused with one sentence naming safe.directory (exit 2), not scanned as a plain folder", () => {
    const made = repo();
    made.write("a.py", `KEY = "${openaiProjectKey(1704)}"\n`);
    made.write(".gitignore", "ignored.py\n");
    made.write("ignored.py", `KEY = "${openaiProjectKey(1705)}"\n`);
    made.add("a.py", ".gitignore");
    made.commit();
    made.write("a.py", `KEY = "${openaiProjectKey(1706)}"\n`);
    made.add("a.py");
    execFileSync("chown", ["-R", "nobody", made.dir]);
    try {
      for (const command of ["scan", "staged", "history"]) {
        const result = runCli([command, "--no-progress"], { cwd: made.dir });
        expect(result.code, command).toBe(2);
        expect(result.stderr.trim().split("\n"), command).toHaveLength(1);
        expect(result.stderr, command).toMatch(/git refuses the repository at .* another user owns it.*safe\.directory/);
      }
      // Named in safe.directory, it is scanned through git as usual.
      const trusted = runCli(["scan", "-f", "json", "--no-progress"], {
        cwd: made.dir,
        env: { GIT_CONFIG_COUNT: "1", GIT_CONFIG_KEY_0: "safe.directory", GIT_CONFIG_VALUE_0: made.dir },
      });
      expect(trusted.code, trusted.stderr).toBe(1);
      expect(findingsOf(trusted.stdout).map((finding) => finding.file)).toEqual(["a.py"]);
    } finally {
      execFileSync("chown", ["-R", "root", made.dir]);
    }
  });
});
