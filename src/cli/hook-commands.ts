// The hook commands: `keyscan install` writes git's pre-commit or pre-push hook, and `keyscan pre-push`
// is that pre-push hook, scanning exactly the commits being pushed.
import { homedir } from "node:os";
import { join, relative, resolve } from "node:path";
import { installHook } from "../hooks/install.js";
import { preCommitFrameworkRanges, prePushRanges } from "../hooks/pre-push.js";
import { git, repoRoot, splitNul } from "../sources/git.js";
import { requireRepository, runScan, type ScanFlags } from "./commands.js";
import { writeStdout } from "./stdout.js";
export async function runInstall(flags: { prePush?: boolean }): Promise<number> {
  const root = requireRepository(await repoRoot(process.cwd()), "install");
  const hooksDir = await hooksDirectory(root);
  const fallback = `"${process.execPath}" "${process.argv[1] ?? "keyscan"}"`;
  const hookName = flags.prePush ? "pre-push" : "pre-commit";
  const result = installHook({ root, hooksDir, hookName, fallback });
  const kept = result.keptAs ? ` (the existing hook was kept as ${result.keptAs} and runs after keyscan)` : "";
  const said =
    result.action === "unchanged" ? `already installed in ${result.file}` : `${result.action} ${result.file}${kept}`;
  await writeStdout(`keyscan: ${hookName} hook ${said}\n`);
  if (result.notPortable) {
    process.stderr.write(
      `keyscan: warning: ${relative(root, result.file)} starts keyscan by an absolute path that other clones of this repository do not have; to make it portable, run \`npm install --save-dev keyscan-cli\` and change that line to \`${result.notPortable.portableLine}\`\n`,
    );
  }
  return 0;
}

/**
 * `keyscan pre-push [remote]`: git's pre-push hook. Scans exactly the commits being pushed, from the
 * lines git writes on standard input (or the range the pre-commit framework passes in its variables).
 */
export async function runPrePush(remote: string | undefined, flags: ScanFlags): Promise<number> {
  const root = requireRepository(await repoRoot(process.cwd()), "pre-push");
  let revs = preCommitFrameworkRanges(process.env);
  if (!revs) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    revs = await prePushRanges(Buffer.concat(chunks).toString("utf8"), remote ?? "origin", root);
  }
  if (revs.length === 0) return 0;
  const code = await runScan("history", revs, flags);
  if (code !== 0) process.stderr.write(PUSH_BLOCKED);
  return code;
}

const PUSH_BLOCKED = `
Push blocked: a commit being pushed adds a secret (even if a later commit removes it, the history keeps it).
To go on, do one of:
  - rewrite the commits without the key (\`git rebase -i\`, or \`git commit --amend\` for the last one), then push again;
  - if it is a false positive, add its fingerprint (printed above) to .keyscanignore;
  - bypass the check for this one push with \`git push --no-verify\`.
`;

/**
 * Where git runs hooks from: the user's core.hooksPath (relative to the repository root) or
 * <common git dir>/hooks. keyscan's own git calls override core.hooksPath on the command line for
 * safety, so that value ("command line:" origin) is passed over here.
 */
async function hooksDirectory(root: string): Promise<string> {
  const listed = await git(["config", "--show-origin", "--null", "--get-all", "core.hooksPath"], { cwd: root }).catch(
    () => Buffer.alloc(0),
  );
  const fields = splitNul(listed);
  let configured: string | undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (!fields[i]?.startsWith("command line:")) configured = fields[i + 1];
  }
  if (configured) return resolve(root, configured.replace(/^~(?=\/)/, homedir()));
  const commonDir = (await git(["rev-parse", "--git-common-dir"], { cwd: root })).toString("utf8").trim();
  return join(resolve(root, commonDir), "hooks");
}
