// The GitHub Action's logic (action.yml runs it with the runner's own Node, 20 or later): decide what
// to scan from the event, fetch what a shallow checkout lacks, run the published keyscan-cli at the
// action's version, and hand the exit code and SARIF path to the later steps through GITHUB_OUTPUT.
// Plain Node with no dependencies, so it runs straight from the action's checkout with nothing to
// install; a test runs it on sample repositories with the variables a runner sets.
//
// Inputs (set by action.yml from `with:`): KEYSCAN_MODE, KEYSCAN_RANGE, KEYSCAN_ARGS, KEYSCAN_SARIF,
// KEYSCAN_CATEGORY, KEYSCAN_VERSION. Runner variables: GITHUB_EVENT_NAME, GITHUB_EVENT_PATH,
// GITHUB_REF_NAME, GITHUB_OUTPUT, RUNNER_TEMP.
import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const PACKAGE = "keyscan-cli";
const ZERO_SHA = /^0+$/;
const PULL_REQUEST_EVENTS = new Set(["pull_request", "pull_request_target"]);

/** A failure the user can act on: one sentence, printed as a workflow error, and exit code 2 for the job. */
class ActionError extends Error {}

const env = process.env;

function output(name, value) {
  if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, `${name}=${value}\n`);
}

function git(args, options = {}) {
  const result = spawnSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", options.quiet ? "ignore" : "inherit"] });
  return { ok: result.status === 0, stdout: (result.stdout ?? "").trim() };
}

const hasCommit = (sha) => git(["cat-file", "-e", `${sha}^{commit}`], { quiet: true }).ok;

/** The version to run: the `version` input, else the action's own (its package.json at the tag the workflow uses). */
function keyscanVersion() {
  if (env.KEYSCAN_VERSION) return env.KEYSCAN_VERSION;
  const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  return manifest.version;
}

function readEvent() {
  if (!env.GITHUB_EVENT_PATH) return {};
  try {
    return JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, "utf8"));
  } catch {
    throw new ActionError(`cannot read the event payload ${env.GITHUB_EVENT_PATH}`);
  }
}

/**
 * actions/checkout fetches one commit by default. The commits to scan need the history behind them:
 * fetch all of it, or say in one sentence how to get it.
 */
function unshallow() {
  if (git(["rev-parse", "--is-shallow-repository"], { quiet: true }).stdout !== "true") return;
  process.stderr.write("keyscan: the checkout is shallow; fetching its history\n");
  if (!git(["fetch", "--quiet", "--no-tags", "--unshallow", "origin"]).ok) {
    throw new ActionError("the checkout is shallow and its history could not be fetched: set `fetch-depth: 0` on actions/checkout");
  }
}

/** Makes sure a commit is here, fetching it by id if need be; false when it cannot be had (a force push's old tip). */
function ensureCommit(sha) {
  if (hasCommit(sha)) return true;
  git(["fetch", "--quiet", "--no-tags", "origin", sha], { quiet: true });
  return hasCommit(sha);
}

/**
 * The revisions holding a push's new commits. `before..after` for an update; for a new branch (before
 * is all zeros), or a force push whose old tip is gone, the commits of `after` on no other branch of
 * the remote. The exclusions are listed here and not with `for-each-ref --exclude`, which needs git 2.42.
 */
function pushedRevisions(event) {
  const { before = "", after = "" } = event;
  if (!after || ZERO_SHA.test(after)) return undefined; // a deleted branch or tag: nothing was added
  if (!ensureCommit(after)) throw new ActionError(`the pushed commit ${after} is not in the checkout: set \`fetch-depth: 0\` on actions/checkout`);
  if (before && !ZERO_SHA.test(before) && ensureCommit(before)) return [`${before}..${after}`];
  const own = `refs/remotes/origin/${env.GITHUB_REF_NAME ?? ""}`;
  const others = git(["for-each-ref", "--format=%(refname)", "refs/remotes/"], { quiet: true })
    .stdout.split("\n")
    .filter((ref) => ref !== "" && ref !== own && !ref.endsWith("/HEAD"));
  return [after, ...others.map((ref) => `^${ref}`)];
}

function pullRequestRange(event) {
  const base = event.pull_request?.base?.sha;
  const head = event.pull_request?.head?.sha;
  if (!base || !head) throw new ActionError("the pull_request event has no base and head commits");
  for (const sha of [base, head]) {
    if (!ensureCommit(sha)) throw new ActionError(`commit ${sha} of the pull request is not in the checkout: set \`fetch-depth: 0\` on actions/checkout`);
  }
  return [`${base}..${head}`];
}

/** The keyscan command and its arguments for this event and these inputs; undefined when there is nothing to scan. */
function command(eventName) {
  const isPullRequest = PULL_REQUEST_EVENTS.has(eventName);
  const mode = env.KEYSCAN_MODE || (isPullRequest || eventName === "push" ? "commits" : "scan");
  if (mode === "scan") return ["scan"];
  if (mode === "history") {
    unshallow();
    return ["history", ...(env.KEYSCAN_RANGE ? [env.KEYSCAN_RANGE] : [])];
  }
  if (mode !== "commits") throw new ActionError(`unknown mode "${mode}" (use commits, history or scan)`);
  unshallow();
  const event = readEvent();
  if (isPullRequest) return ["history", ...pullRequestRange(event)];
  if (eventName === "push") {
    const revisions = pushedRevisions(event);
    return revisions ? ["history", ...revisions] : undefined;
  }
  throw new ActionError(`mode "commits" needs a push or pull_request event, not ${eventName || "none"}: use mode scan or history`);
}

function main() {
  const [major] = process.versions.node.split(".").map(Number);
  if (major < 20) throw new ActionError(`keyscan needs Node.js 20 or later, and the runner has ${process.version}`);
  const scan = command(env.GITHUB_EVENT_NAME ?? "");
  if (!scan) {
    process.stdout.write("keyscan: the push deleted a ref; there are no new commits to scan\n");
    output("exit-code", 0);
    return;
  }
  const sarif = env.KEYSCAN_SARIF !== "false";
  const sarifFile = join(env.RUNNER_TEMP ?? ".", "keyscan.sarif");
  rmSync(sarifFile, { force: true });
  const format = sarif
    ? ["--format", "sarif", "--output", sarifFile, ...(env.KEYSCAN_CATEGORY ? ["--sarif-category", env.KEYSCAN_CATEGORY] : [])]
    : ["--format", "github"];
  // Extra arguments are split on whitespace and passed as they are: never through a shell.
  const extra = (env.KEYSCAN_ARGS ?? "").split(/\s+/).filter(Boolean);
  // The published package, run by npx: the action's repository holds no build, and installing its
  // devDependencies to build one would cost every run ~20 s.
  const args = ["--yes", `--package=${PACKAGE}@${keyscanVersion()}`, "--", "keyscan", ...scan, ...format, ...extra];
  process.stderr.write(`keyscan: npx ${args.join(" ")}\n`);
  const result = spawnSync("npx", args, { stdio: "inherit" });
  const status = result.status ?? 2;
  output("exit-code", status);
  // Uploaded even when clean (code scanning then closes fixed alerts); not when keyscan wrote none.
  if (sarif && existsSync(sarifFile)) output("sarif-file", sarifFile);
}

try {
  main();
} catch (error) {
  if (!(error instanceof ActionError)) throw error;
  process.stdout.write(`::error::keyscan: ${error.message}\n`);
  output("exit-code", 2);
}
