// What a `git push` is about to publish, as revision arguments for `git rev-list` / `git log`.
// git runs the pre-push hook with one stdin line per ref: `<local ref> <local sha> <remote ref> <remote sha>`.
import { UsageError } from "../errors.js";
import { neutralize } from "../report/common.js";
import { git } from "../sources/git.js";
import { isNullId } from "../sources/raw-diff.js";

/** A line as git writes it: two refs and two object ids (SHA-1's 40 hex digits, or SHA-256's 64). */
const PUSH_LINE = /^\S+ ([0-9a-f]{40}|[0-9a-f]{64}) \S+ ([0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * Revision arguments selecting the commits the push adds:
 * - a deletion (local sha all zeros) adds nothing;
 * - an update adds `<remote sha>..<local sha>`;
 * - a new branch, or a remote sha this clone does not have (a force push over unfetched work), adds the
 *   local commits on no remote-tracking branch of that remote: `<local sha> --not --remotes=<remote>`.
 * Ranges come first and the `--not` group last, since `--not` flips every argument after it.
 * Empty when nothing is pushed. A line not as git writes it is a usage error: skipped, it would let
 * the push through unscanned (a hook runner that passes something else on standard input).
 */
export async function prePushRanges(stdinText: string, remote: string, repoCwd: string): Promise<string[]> {
  const ranges: string[] = [];
  const newTips: string[] = [];
  for (const [index, line] of stdinText.split("\n").entries()) {
    if (line.trim() === "") continue;
    const [, localSha = "", remoteSha = ""] = PUSH_LINE.exec(line.trim()) ?? [];
    if (!localSha) {
      throw new UsageError(
        `pre-push: line ${index + 1} of standard input is not "<local ref> <local sha> <remote ref> <remote sha>", as git writes it: ${JSON.stringify(neutralize(line.slice(0, 200)))}`,
      );
    }
    if (isNullId(localSha)) continue;
    if (!isNullId(remoteSha) && (await hasCommit(remoteSha, repoCwd))) ranges.push(`${remoteSha}..${localSha}`);
    else newTips.push(localSha);
  }
  return newTips.length > 0 ? [...ranges, ...newTips, "--not", `--remotes=${remote}`] : ranges;
}

/**
 * What to scan when the pre-commit framework runs the hook. It reads git's standard input itself and
 * passes the first pushed ref on: PRE_COMMIT_FROM_REF..PRE_COMMIT_TO_REF (pre-commit >= 2.2), or, for a
 * branch whose history reaches a root commit no remote has (the first push of a repository), no range
 * but PRE_COMMIT_LOCAL_BRANCH and PRE_COMMIT_REMOTE_NAME (>= 2.14): then the commits on no branch of
 * that remote. Undefined outside the framework.
 */
export function preCommitFrameworkRanges(env: NodeJS.ProcessEnv): string[] | undefined {
  const { PRE_COMMIT_FROM_REF: from, PRE_COMMIT_TO_REF: to, PRE_COMMIT_LOCAL_BRANCH: local, PRE_COMMIT_REMOTE_NAME: remote } = env;
  if (from && to) return [`${from}..${to}`];
  if (local && remote) return [local, "--not", `--remotes=${remote}`];
  return undefined;
}

async function hasCommit(sha: string, cwd: string): Promise<boolean> {
  try {
    await git(["cat-file", "-e", `${sha}^{commit}`], { cwd });
    return true;
  } catch {
    return false;
  }
}
