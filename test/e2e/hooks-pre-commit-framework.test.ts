// End-to-end: the pre-commit framework (https://pre-commit.com) installs keyscan's hooks from a local clone
// of this repository (`repo: <clone>`, `rev: <sha>`), as `language: node` does it: npm installs the clone,
// packs it (the prepack build) and installs the tarball. Then real commits and pushes go through it.
// npm runs offline: everything it needs must already be in the npm cache (`npm ci` put it there).
// Runs wherever the `pre-commit` program is installed, and always in CI (.ci/run installs Debian's package).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { delimiter, join, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openaiProjectKey } from "../../fixtures/fake-keys.js";
import { cliEnv } from "../helpers/cli.js";
import { type TempRepo, tempRepo } from "../helpers/git-repo.js";

const installed = spawnSync("pre-commit", ["--version"], { encoding: "utf8" }).status === 0;
const checkout = fileURLToPath(new URL("../..", import.meta.url));

describe.skipIf(!installed && !process.env.CI)("the pre-commit framework, from a local clone of keyscan", () => {
  let work: string;
  let project: TempRepo;
  let remote: TempRepo;
  let env: NodeJS.ProcessEnv;
  let seed = 1000;

  function run(command: string, ...args: string[]): { code: number; output: string } {
    const result = spawnSync(command, args, { cwd: project.dir, env, encoding: "utf8" });
    return { code: result.status ?? -1, output: `${result.stdout}${result.stderr}${result.error ?? ""}` };
  }

  const git = (...args: string[]) => run("git", ...args);
  const head = (): string => project.git("rev-parse", "HEAD").trim();
  const onRemote = (ref: string): string =>
    spawnSync("git", ["rev-parse", "--verify", "-q", ref], { cwd: remote.dir, env, encoding: "utf8" }).stdout.trim();

  function commitFile(name: string, content: string, ...flags: string[]): { code: number; output: string } {
    project.write(name, content);
    project.add(name);
    return git("commit", ...flags, "-m", name);
  }

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), "keyscan-pre-commit-"));
    const clone = join(work, "keyscan");
    expect(spawnSync("git", ["clone", "-q", checkout, clone], { env: cliEnv() }).status).toBe(0);
    const rev = spawnSync("git", ["rev-parse", "HEAD"], { cwd: clone, encoding: "utf8" }).stdout.trim();
    env = cliEnv({
      // pre-commit's node language uses the machine's node only when it lies outside the home folder, and
      // otherwise downloads one (no network here). Under `npx -p node@22` (.ci/run's other Node runs) the
      // node on PATH is in npm's cache in the home folder: leave those PATH entries out, so the hook runs
      // keyscan with the machine's node, as it would for a user.
      PATH: (process.env.PATH ?? "")
        .split(delimiter)
        .filter((dir) => dir !== "" && !dir.startsWith(`${homedir()}${sep}`))
        .join(delimiter),
      PRE_COMMIT_HOME: join(work, "pre-commit-home"),
      npm_config_offline: "true",
      GIT_AUTHOR_NAME: "T",
      GIT_AUTHOR_EMAIL: "t@example.com",
      GIT_COMMITTER_NAME: "T",
      GIT_COMMITTER_EMAIL: "t@example.com",
    });
    remote = tempRepo({ init: false });
    remote.git("init", "-q", "--bare", "-b", "main");
    project = tempRepo();
    project.git("remote", "add", "origin", remote.dir);
    writeFileSync(
      join(project.dir, ".pre-commit-config.yaml"),
      `repos:\n  - repo: ${clone}\n    rev: ${rev}\n    hooks:\n      - id: keyscan\n      - id: keyscan-pre-push\n`,
    );
    project.add(".pre-commit-config.yaml");
    project.commit({ message: "pre-commit config" });
    const install = run("pre-commit", "install", "--install-hooks", "--hook-type", "pre-commit", "--hook-type", "pre-push");
    expect(install.code, install.output).toBe(0);
  }, 600_000);

  afterAll(() => {
    project?.remove();
    remote?.remove();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("blocks a commit that adds a key, and lets a clean one through", () => {
    const before = head();
    const blocked = commitFile("settings.py", `OPENAI_API_KEY = "${openaiProjectKey(seed++)}"\n`);
    expect(blocked.code, blocked.output).not.toBe(0);
    expect(blocked.output).toMatch(/keyscan \(secrets in staged changes\)\.+Failed/);
    expect(blocked.output).toContain("settings.py:1:");
    expect(blocked.output).toContain("Commit blocked");
    expect(head()).toBe(before);

    const clean = commitFile("settings.py", 'import os\nOPENAI_API_KEY = os.environ["OPENAI_API_KEY"]\n');
    expect(clean.code, clean.output).toBe(0);
    expect(clean.output).toMatch(/keyscan \(secrets in staged changes\)\.+Passed/);
    expect(head()).not.toBe(before);
  });

  it("pre-push: the first push of a repository is scanned; then an update that adds a key is blocked", () => {
    const clean = head();
    expect(commitFile("first.env", `KEY=${openaiProjectKey(seed++)}\n`, "--no-verify").code).toBe(0);
    const first = git("push", "origin", "main");
    expect(first.code, first.output).not.toBe(0);
    expect(first.output).toContain("first.env");
    expect(first.output).toContain("Push blocked");
    expect(onRemote("main")).toBe("");

    expect(git("reset", "-q", "--hard", clean).code).toBe(0);
    const landed = git("push", "origin", "main");
    expect(landed.code, landed.output).toBe(0);
    expect(landed.output).toMatch(/keyscan \(secrets in pushed commits\)\.+Passed/);
    expect(onRemote("main")).toBe(clean);

    expect(commitFile("later.env", `KEY=${openaiProjectKey(seed++)}\n`, "--no-verify").code).toBe(0);
    const update = git("push", "origin", "main");
    expect(update.code, update.output).not.toBe(0);
    expect(update.output).toContain("later.env");
    expect(onRemote("main")).toBe(clean);
  });
});
