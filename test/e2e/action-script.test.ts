// The action's script (scripts/action.mjs) end to end: real git repositories (a bare "origin", a
// developer's clone that pushes, and the runner's checkout), the variables and event payload a runner
// sets, and the locally built CLI in place of npx's download of the published package.
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openaiProjectKey } from "../../fixtures/fake-keys.js";
import { CLI, cliEnv } from "../helpers/cli.js";

const SCRIPT = join(import.meta.dirname, "..", "..", "scripts", "action.mjs");
const VERSION = (JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "package.json"), "utf8")) as { version: string }).version;
const ZERO = "0".repeat(40);

const work = mkdtempSync(join(tmpdir(), "keyscan-action-e2e-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// npx as the runner would have it, but running the local build: it records how it was called.
const bin = join(work, "bin");
mkdirSync(bin);
writeFileSync(
  join(bin, "npx"),
  `#!${process.execPath}
const { spawnSync } = require("node:child_process");
const args = process.argv.slice(2);
require("node:fs").writeFileSync(${JSON.stringify(join(work, "npx-args.json"))}, JSON.stringify(args));
const at = args.indexOf("--");
const result = spawnSync(process.execPath, [${JSON.stringify(CLI)}, ...args.slice(at + 2)], { stdio: "inherit" });
process.exit(result.status ?? 2);
`,
);
chmodSync(join(bin, "npx"), 0o755);

const env = cliEnv({ GIT_AUTHOR_NAME: "Dev", GIT_AUTHOR_EMAIL: "dev@example.com", GIT_COMMITTER_NAME: "Dev", GIT_COMMITTER_EMAIL: "dev@example.com" });
const git = (cwd: string, ...args: string[]): string => execFileSync("git", args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

const origin = join(work, "origin.git");
const dev = join(work, "dev");
git(work, "init", "-q", "--bare", "-b", "main", origin);
git(work, "clone", "-q", origin, dev);

function commit(file: string, text: string, message: string): string {
  mkdirSync(join(dev, file, ".."), { recursive: true });
  writeFileSync(join(dev, file), text);
  git(dev, "add", "-A");
  git(dev, "commit", "-q", "-m", message);
  return git(dev, "rev-parse", "HEAD");
}

const key = (seed: number) => `OPENAI_API_KEY = "${openaiProjectKey(seed)}"\n`;

/** A fresh checkout of `ref` as actions/checkout makes it: full (fetch-depth: 0) or one commit deep. */
function checkout(name: string, ref: string, depth?: number): string {
  const dir = join(work, name);
  git(work, "clone", "-q", "--no-tags", ...(depth ? [`--depth=${depth}`, "--no-single-branch"] : []), `file://${origin}`, dir);
  git(dir, "checkout", "-q", ref);
  return dir;
}

interface ActionRun {
  status: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  npxArgs?: string[];
  files: string[];
  automationId?: string;
}

function runAction(cwd: string, eventName: string, event: object, inputs: Record<string, string> = {}, refName = "main"): ActionRun {
  const temp = mkdtempSync(join(work, "runner-temp-"));
  const eventPath = join(temp, "event.json");
  writeFileSync(eventPath, JSON.stringify(event));
  const outputFile = join(temp, "output");
  writeFileSync(outputFile, "");
  rmSync(join(work, "npx-args.json"), { force: true });
  const result = spawnSync(process.execPath, [SCRIPT], {
    cwd,
    encoding: "utf8",
    env: {
      ...env,
      PATH: `${bin}:${process.env.PATH ?? ""}`,
      GITHUB_ACTIONS: "true",
      GITHUB_EVENT_NAME: eventName,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REF_NAME: refName,
      GITHUB_OUTPUT: outputFile,
      GITHUB_WORKSPACE: cwd,
      RUNNER_TEMP: temp,
      KEYSCAN_CATEGORY: "keyscan",
      KEYSCAN_SARIF: "true",
      ...inputs,
    },
  });
  const outputs = Object.fromEntries(
    readFileSync(outputFile, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => line.split("=") as [string, string]),
  );
  const npxFile = join(work, "npx-args.json");
  const npxArgs = existsSync(npxFile) ? (JSON.parse(readFileSync(npxFile, "utf8")) as string[]) : undefined;
  let files: string[] = [];
  let automationId: string | undefined;
  if (outputs["sarif-file"]) {
    const run = JSON.parse(readFileSync(outputs["sarif-file"], "utf8")).runs[0];
    files = run.results.map((entry: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => entry.locations[0]?.physicalLocation.artifactLocation.uri);
    automationId = run.automationDetails?.id;
  }
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, outputs, npxArgs, files, automationId };
}

// main: an old key (already on the remote, not to be reported again), then a clean commit.
const old = commit("old.js", key(1), "old key");
const base = commit("README.md", "hello\n", "clean");
git(dev, "push", "-q", "origin", "main");
// A push of two commits: the second removes the key the first added.
commit("pushed.js", key(2), "add a key");
const pushed = commit("pushed.js", "// moved to the environment\n", "remove it");
git(dev, "push", "-q", "origin", "main");

describe("the action's script on a push", () => {
  it("scans the pushed commits (before..after) with the published package at the action's version", () => {
    const runner = checkout("push-full", "main");
    const result = runAction(runner, "push", { before: base, after: pushed, forced: false });
    expect(result.stdout).not.toContain("::error::");
    expect(result.outputs["exit-code"]).toBe("1");
    expect(result.npxArgs?.slice(0, 6)).toEqual(["--yes", `--package=keyscan-cli@${VERSION}`, "--", "keyscan", "history", `${base}..${pushed}`]);
    // The key added and removed within the push is found; the old one, already on the remote, is not.
    expect(result.files).toEqual(["pushed.js"]);
    expect(result.automationId).toBe("keyscan/");
  });

  it("runs the version the input names, and writes the category as the SARIF run's automationDetails.id", () => {
    const runner = checkout("push-version", "main");
    const result = runAction(runner, "push", { before: base, after: pushed }, { KEYSCAN_VERSION: "9.9.9", KEYSCAN_CATEGORY: "secrets/web" });
    expect(result.npxArgs?.[1]).toBe("--package=keyscan-cli@9.9.9");
    expect(result.automationId).toBe("secrets/web/");
  });

  it("fetches the history a shallow checkout lacks", () => {
    const runner = checkout("push-shallow", "main", 1);
    expect(git(runner, "rev-parse", "--is-shallow-repository")).toBe("true");
    const result = runAction(runner, "push", { before: base, after: pushed });
    expect(result.stderr).toContain("the checkout is shallow; fetching its history");
    expect(result.outputs["exit-code"]).toBe("1");
    expect(result.files).toEqual(["pushed.js"]);
  });

  it("says in one sentence to set fetch-depth: 0 when a shallow checkout cannot fetch", () => {
    const runner = checkout("push-shallow-offline", "main", 1);
    git(runner, "remote", "set-url", "origin", join(work, "no-such-remote.git"));
    const result = runAction(runner, "push", { before: base, after: pushed });
    expect(result.outputs["exit-code"]).toBe("2");
    expect(result.npxArgs).toBeUndefined();
    expect(result.stdout).toBe(
      "::error::keyscan: the checkout is shallow and its history could not be fetched: set `fetch-depth: 0` on actions/checkout\n",
    );
  });

  it("scans a new branch's commits that are on no other remote branch", () => {
    git(dev, "checkout", "-q", "-b", "feature");
    const added = commit("feature.js", key(3), "feature key");
    git(dev, "push", "-q", "origin", "feature");
    const runner = checkout("new-branch", "feature");
    const result = runAction(runner, "push", { before: ZERO, after: added, created: true }, {}, "feature");
    expect(result.outputs["exit-code"]).toBe("1");
    expect(result.npxArgs).toContain(`^refs/remotes/origin/main`);
    expect(result.npxArgs).not.toContain(`^refs/remotes/origin/feature`);
    expect(result.files).toEqual(["feature.js"]);
  });

  it("after a force push whose old tip is gone, scans the commits on no other remote branch", () => {
    git(dev, "checkout", "-q", "-b", "rewrite", base);
    const first = commit("rewrite.js", "clean\n", "first");
    git(dev, "push", "-q", "origin", "rewrite");
    git(dev, "reset", "-q", "--hard", base);
    const rewritten = commit("rewrite.js", key(4), "rewritten with a key");
    git(dev, "push", "-q", "--force", "origin", "rewrite");
    git(work, "--git-dir", origin, "gc", "-q", "--prune=now");
    const runner = checkout("force", "rewrite");
    const result = runAction(runner, "push", { before: first, after: rewritten, forced: true }, {}, "rewrite");
    expect(result.outputs["exit-code"]).toBe("1");
    expect(result.files).toEqual(["rewrite.js"]);
  });

  it("scans nothing when a push deletes a branch", () => {
    const runner = checkout("delete", "main");
    const result = runAction(runner, "push", { before: pushed, after: ZERO, deleted: true }, {}, "gone");
    expect(result.outputs).toEqual({ "exit-code": "0" });
    expect(result.npxArgs).toBeUndefined();
  });
});

describe("the action's script on a pull request", () => {
  it("scans the pull request's commits (base..head), from a shallow checkout too", () => {
    const head = git(dev, "rev-parse", "feature");
    const event = { pull_request: { base: { sha: pushed, ref: "main" }, head: { sha: head, ref: "feature" } } };
    for (const depth of [undefined, 1]) {
      const runner = checkout(`pr-${depth ?? "full"}`, head, depth);
      const result = runAction(runner, "pull_request", event);
      expect(result.outputs["exit-code"], result.stdout + result.stderr).toBe("1");
      expect(result.npxArgs?.slice(4, 6)).toEqual(["history", `${pushed}..${head}`]);
      expect(result.files).toEqual(["feature.js"]);
    }
  });

  it("annotates instead of writing SARIF when sarif is false, and passes extra args as words", () => {
    const head = git(dev, "rev-parse", "feature");
    const runner = checkout("pr-annotate", head);
    const event = { pull_request: { base: { sha: pushed }, head: { sha: head } } };
    const result = runAction(runner, "pull_request", event, { KEYSCAN_SARIF: "false", KEYSCAN_ARGS: " --no-entropy   --exit-code 3 " });
    expect(result.npxArgs?.slice(6)).toEqual(["--format", "github", "--no-entropy", "--exit-code", "3"]);
    expect(result.stdout).toMatch(/^::error file=feature\.js,line=1/m);
    expect(result.outputs).toEqual({ "exit-code": "3" });
  });
});

describe("the action's script in other modes", () => {
  it("scans the working tree on other events, and history with the range input", () => {
    const runner = checkout("other", "main");
    const scanned = runAction(runner, "workflow_dispatch", {});
    expect(scanned.npxArgs?.[4]).toBe("scan");
    expect(scanned.files).toEqual(["old.js"]);
    const history = runAction(runner, "schedule", {}, { KEYSCAN_MODE: "history", KEYSCAN_RANGE: `${old}..main` });
    expect(history.npxArgs?.slice(4, 6)).toEqual(["history", `${old}..main`]);
    expect(history.files).toEqual(["pushed.js"]);
  });

  it("refuses an unknown mode, and mode commits on an event without commits, with exit code 2", () => {
    const runner = checkout("bad-mode", "main");
    const unknown = runAction(runner, "push", {}, { KEYSCAN_MODE: "everything" });
    expect(unknown.stdout).toBe('::error::keyscan: unknown mode "everything" (use commits, history or scan)\n');
    expect(unknown.outputs).toEqual({ "exit-code": "2" });
    const noCommits = runAction(runner, "schedule", {}, { KEYSCAN_MODE: "commits" });
    expect(noCommits.stdout).toContain('mode "commits" needs a push or pull_request event');
    expect(noCommits.outputs).toEqual({ "exit-code": "2" });
  });
});
