// What a `git push` is about to publish, as revision arguments for `git rev-list` / `git log`.
// git runs the pre-push hook with one stdin line per ref: `<local ref> <local sha> <remote ref> <remote sha>`.
import { git } from "../sources/git.js";
import { isNullId } from "../sources/raw-diff.js";

/**
 * Revision arguments selecting the commits the push adds:
 * - a deletion (local sha all zeros) adds nothing;
 * - an update adds `<remote sha>..<local sha>`;
 * - a new branch, or a remote sha this clone does not have (a force push over unfetched work), adds the
 *   local commits on no remote-tracking branch of that remote: `<local sha> --not --remotes=<remote>`.
 * Ranges come first and the `--not` group last, since `--not` flips every argument after it.
 * Empty when nothing is pushed.
 */
export async function prePushRanges(stdinText: string, remote: string, repoCwd: string): Promise<string[]> {
  const ranges: string[] = [];
  const newTips: string[] = [];
  for (const line of stdinText.split("\n")) {
    const [, localSha, , remoteSha] = line.trim().split(/\s+/);
    if (!localSha || !remoteSha || isNullId(localSha)) continue;
    if (!isNullId(remoteSha) && (await hasCommit(remoteSha, repoCwd))) ranges.push(`${remoteSha}..${localSha}`);
    else newTips.push(localSha);
  }
  return newTips.length > 0 ? [...ranges, ...newTips, "--not", `--remotes=${remote}`] : ranges;
}

/**
 * The range when the pre-commit framework runs the hook: it reads git's stdin itself and passes the
 * range in PRE_COMMIT_FROM_REF / PRE_COMMIT_TO_REF (older versions: PRE_COMMIT_SOURCE / PRE_COMMIT_ORIGIN).
 * Undefined when those are not set.
 */
export function preCommitFrameworkRanges(env: NodeJS.ProcessEnv): string[] | undefined {
  const from = env.PRE_COMMIT_FROM_REF ?? env.PRE_COMMIT_SOURCE;
  const to = env.PRE_COMMIT_TO_REF ?? env.PRE_COMMIT_ORIGIN;
  return from && to ? [`${from}..${to}`] : undefined;
}

async function hasCommit(sha: string, cwd: string): Promise<boolean> {
  try {
    await git(["cat-file", "-e", `${sha}^{commit}`], { cwd });
    return true;
  } catch {
    return false;
  }
}
