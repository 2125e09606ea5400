// What git says of each secret a history scan found: is it still in HEAD (present), or only in history
// (removed, and by which commit)? A removed key stays readable in every clone until it is rotated, so the
// report says both. Read with the same hardened git as the scan; nothing here runs the repository's programs.
import type { Finding } from "../types.js";
import { type LifeEvent, type SecretLife, groupKey } from "../report/secrets.js";
import { CatFile } from "./cat-file.js";
import { mapOrdered } from "./concurrency.js";
import { git } from "./git.js";

/** Larger versions of a file are not read back to follow a secret: its removal date is then left unknown. */
const MAX_VERSION_BYTES = 8 * 1024 * 1024;

/** Secrets whose lives are worked out at the same time (each with its own `git log` running). */
const SECRETS_AT_ONCE = 4;

/** Per group key: present in HEAD or removed, with the removing commit where the paths' history shows it. */
export async function secretLives(root: string, findings: readonly Finding[]): Promise<Map<string, SecretLife>> {
  const groups = new Map<string, { secret: string; paths: Set<string> }>();
  for (const finding of findings) {
    if (!finding.commit) continue;
    const key = groupKey(finding);
    const group = groups.get(key) ?? { secret: finding.secret, paths: new Set<string>() };
    group.paths.add(finding.path);
    groups.set(key, group);
  }
  const lives = new Map<string, SecretLife>();
  if (groups.size === 0) return lives;
  const head = await git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], { cwd: root })
    .then((out) => out.toString("utf8").trim())
    .catch(() => "");
  if (!head) {
    for (const key of groups.keys()) lives.set(key, { state: "unknown" });
    return lives;
  }
  const objects = new CatFile(root);
  try {
    const holds = async (rev: string, path: string, secret: string): Promise<boolean> => {
      // cat-file --batch reads one name a line: a path with a newline cannot be asked for (and is rare).
      if (path.includes("\n")) return false;
      const object = await objects.read(`${rev}:${path}`, MAX_VERSION_BYTES);
      return object.content !== undefined && object.content.includes(secret);
    };
    // Secrets found in the same files (two keys in one file) share the log of the commits that touched them.
    const logs = new Map<string, Promise<Buffer>>();
    const logOf = (paths: readonly string[]): Promise<Buffer> => {
      const key = [...paths].sort().join("\0");
      let log = logs.get(key);
      if (!log) {
        log = git(["log", "--reverse", "--no-renames", "--format=%H%x00%an%x00%ae%x00%aI", head, "--", ...paths.map((path) => `:(literal)${path}`)], {
          cwd: root,
        });
        logs.set(key, log);
      }
      return log;
    };
    const lifeOf = async ({ secret, paths }: { secret: string; paths: Set<string> }): Promise<SecretLife> => {
      let present = false;
      for (const path of paths) if (await holds(head, path, secret)) present = true;
      if (present) return { state: "present" };
      const removed = await removingCommit(secret, [...paths], logOf, holds);
      return { state: "removed", ...(removed ? { removed } : {}) };
    };
    // A few secrets followed at once: each waits mostly on its own `git log`, which another core can run.
    const followed = mapOrdered(groups, SECRETS_AT_ONCE, async ([key, group]) => [key, await lifeOf(group)] as const);
    for await (const [key, life] of followed) lives.set(key, life);
  } finally {
    objects.close();
  }
  return lives;
}

/**
 * The newest commit on HEAD's history after which none of the paths holds the secret while its
 * parent's version did: walks the commits that touched those paths (`logOf`: HEAD's log of them,
 * oldest first). Undefined when the
 * secret never reached HEAD's line (it lives only on another branch).
 */
async function removingCommit(
  secret: string,
  paths: string[],
  logOf: (paths: readonly string[]) => Promise<Buffer>,
  holds: (rev: string, path: string, secret: string) => Promise<boolean>,
): Promise<LifeEvent | undefined> {
  const log = await logOf(paths);
  let held = false;
  let removed: LifeEvent | undefined;
  for (const line of log.toString("utf8").split("\n")) {
    const [sha, author, email, date] = line.split("\u0000");
    if (!sha || author === undefined || email === undefined || date === undefined) continue;
    let holdsNow = false;
    for (const path of paths) if (await holds(sha, path, secret)) holdsNow = true;
    if (held && !holdsNow) removed = { sha, author, email, date };
    if (holdsNow) removed = undefined;
    held = holdsNow;
  }
  return removed;
}
