// What git says of each secret a history scan found: is it still in HEAD (present), or only in history
// (removed, and by which commit)? A removed key stays readable in every clone until it is rotated, so the
// report says both. Read with the same hardened git as the scan; nothing here runs the repository's programs.
import type { Finding } from "../types.js";
import { type LifeEvent, type SecretLife, groupKey } from "../report/secrets.js";
import { CatFile } from "./cat-file.js";
import { decodeText, isUtf8Text } from "./decode.js";
import { git } from "./git.js";

/** Larger versions of a file are not read back to follow a secret: its removal date is then left unknown. */
const MAX_VERSION_BYTES = 8 * 1024 * 1024;

/** A commit of HEAD's history that changed some of the followed paths, its parents, and which paths it changed. */
interface PathCommit {
  event: LifeEvent;
  /** None for a root commit, two or more for a merge. */
  parents: string[];
  paths: Set<string>;
}

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
  // Every secret followed in each path: a version of a path is read once and asked about all of them.
  const secretsByPath = new Map<string, Set<string>>();
  for (const group of groups.values()) for (const path of group.paths) secretsByPath.set(path, (secretsByPath.get(path) ?? new Set()).add(group.secret));
  const objects = new CatFile(root);
  try {
    // A version is asked about for several secrets, and as a commit and as another's parent: which of
    // the path's secrets it holds is kept (not the version, which on a long history would fill memory,
    // and not one answer per secret: asking git again per secret streamed a big file once for each).
    const held = new Map<string, Promise<Set<string>>>();
    const holds = async (rev: string, path: string, secret: string): Promise<boolean> => {
      // cat-file --batch reads one name a line: a path with a newline cannot be asked for (and is rare).
      if (path.includes("\n")) return false;
      const version = `${rev}:${path}`;
      let secrets = held.get(version);
      if (!secrets) {
        secrets = objects.read(version, MAX_VERSION_BYTES).then(({ content }) => {
          const followed = [...(secretsByPath.get(path) ?? [])];
          return new Set(content === undefined ? [] : followed.filter((candidate) => versionHolds(content, candidate)));
        });
        held.set(version, secrets);
      }
      return (await secrets).has(secret);
    };
    const removed: [string, { secret: string; paths: Set<string> }][] = [];
    for (const [key, group] of groups) {
      let present = false;
      for (const path of group.paths) if (await holds(head, path, group.secret)) present = true;
      if (present) lives.set(key, { state: "present" });
      else removed.push([key, group]);
    }
    if (removed.length === 0) return lives;
    // One walk of HEAD's history for every removed secret's paths: on a long history each walk costs
    // git about a second, and a scan may have found secrets in hundreds of files.
    const commits = await commitsTouching(root, head, new Set(removed.flatMap(([, group]) => [...group.paths])));
    for (const [key, group] of removed) {
      const removing = await removingCommit(group.secret, [...group.paths], commits, holds);
      lives.set(key, { state: "removed", ...(removing ? { removed: removing } : {}) });
    }
  } finally {
    objects.close();
  }
  return lives;
}

/**
 * HEAD's commits that changed any of `paths` (a merge by what it brought into its first parent),
 * oldest first, each with the paths it changed. The paths go to git on its standard input, so
 * their number is not bounded by the command line's length.
 */
async function commitsTouching(root: string, head: string, paths: ReadonlySet<string>): Promise<PathCommit[]> {
  const pathspecs = [...paths].filter((path) => !path.includes("\n")).map((path) => `:(literal)${path}`);
  const log = await git(
    ["log", "--stdin", "--reverse", "--no-renames", "-z", "--name-only", "--diff-merges=first-parent", "--format=%x01%H%x00%P%x00%an%x00%ae%x00%aI", head],
    { cwd: root, input: `--\n${pathspecs.join("\n")}\n` },
  );
  const commits: PathCommit[] = [];
  // Each record: \x01, the format's fields and a NUL, then a newline and the changed paths, each NUL-ended.
  for (const record of log.toString("utf8").split("\x01")) {
    const [sha, parents, author, email, date, ...names] = record.split("\0");
    if (!sha || parents === undefined || author === undefined || email === undefined || date === undefined) continue;
    const changed = new Set(names.map((name, index) => (index === 0 ? name.replace(/^\n/, "") : name)).filter((name) => name !== ""));
    commits.push({ event: { sha, author, email, date }, parents: parents.split(" ").filter((parent) => parent !== ""), paths: changed });
  }
  return commits;
}

/**
 * The newest commit on HEAD's history after which none of the paths holds the secret while its
 * (first) parent's version did, among the commits that changed those paths. Each commit is compared
 * with its own parent, not with the commit before it in the log: on a history of branches the log
 * interleaves them. A commit that removed it is preferred to a merge that brought the removal in
 * (the merge is named only when no single commit did). Undefined when no such commit exists (the
 * secret lived only on another branch).
 */
async function removingCommit(
  secret: string,
  paths: string[],
  commits: readonly PathCommit[],
  holds: (rev: string, path: string, secret: string) => Promise<boolean>,
): Promise<LifeEvent | undefined> {
  const anyHolds = async (rev: string): Promise<boolean> => {
    for (const path of paths) if (await holds(rev, path, secret)) return true;
    return false;
  };
  const touching = commits.filter(({ parents, paths: changed }) => parents.length > 0 && paths.some((path) => changed.has(path)));
  for (const merges of [false, true]) {
    for (let index = touching.length - 1; index >= 0; index--) {
      const { event, parents } = touching[index]!;
      if (parents.length > 1 !== merges) continue;
      if (!(await anyHolds(event.sha)) && (await anyHolds(parents[0]!))) return event;
    }
  }
  return undefined;
}

/**
 * True when a version's text, as the scan read it, holds the secret. Most versions are UTF-8, whose
 * bytes hold the secret's own; only other versions (UTF-16 text, a key store read as its line) are
 * decoded, so a long history's versions are not all decoded to be asked about.
 */
function versionHolds(content: Buffer, secret: string): boolean {
  if (content.includes(secret)) return true;
  return !isUtf8Text(content) && (decodeText(content)?.includes(secret) ?? false);
}
