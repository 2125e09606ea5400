// What git says of each secret a history scan found: is it still in HEAD (present), or only in history
// (removed, and by which commit)? A removed key stays readable in every clone until it is rotated, so the
// report says both. Read with the same hardened git as the scan; nothing here runs the repository's programs.
import type { Finding } from "../types.js";
import { type LifeEvent, type SecretLife, groupKey } from "../report/secrets.js";
import { CatFile } from "./cat-file.js";
import { decodeText, isUtf8Text } from "./decode.js";
import { git, literalPathspec } from "./git.js";
import type { FileMoves } from "./file-moves.js";
import type { PathChanges, TouchingCommit } from "./path-changes.js";

/** Larger versions of a file are not read back to follow a secret: its removal date is then left unknown. */
const MAX_VERSION_BYTES = 8 * 1024 * 1024;

/**
 * Per group key: present in HEAD or removed, with the removing commit where the paths' history shows it.
 * `walked`: which commits changed which paths, recorded by a history scan that walked all of HEAD's
 * history (history.ts); without it, git walks HEAD's history again for the removed secrets' paths.
 * `moves`: the files a range's commits moved; a secret is followed to the paths its file moved to (the
 * move is no finding there), so a key whose file was moved is still present, not removed.
 */
export async function secretLives(
  root: string,
  findings: readonly Finding[],
  { walked, moves }: { walked?: PathChanges | undefined; moves?: FileMoves | undefined } = {},
): Promise<Map<string, SecretLife>> {
  const groups = new Map<string, { secret: string; paths: Set<string> }>();
  for (const finding of findings) {
    if (!finding.commit) continue;
    const key = groupKey(finding);
    const group = groups.get(key) ?? { secret: finding.secret, paths: new Set<string>() };
    group.paths.add(finding.path);
    groups.set(key, group);
  }
  const foundAt = new Map([...groups].map(([key, group]) => [key, new Set(group.paths)]));
  if (moves) for (const group of groups.values()) group.paths = moves.followed(group.paths);
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
          return content === undefined ? new Set<string>() : secretsHeld(content, [...(secretsByPath.get(path) ?? [])]);
        });
        held.set(version, secrets);
      }
      return (await secrets).has(secret);
    };
    const removed: [string, { secret: string; paths: Set<string> }][] = [];
    for (const [key, group] of groups) {
      const holding: string[] = [];
      for (const path of group.paths) if (await holds(head, path, group.secret)) holding.push(path);
      const movedTo = holding.some((path) => foundAt.get(key)?.has(path)) ? [] : holding;
      if (holding.length > 0) lives.set(key, { state: "present", ...(movedTo.length > 0 ? { movedTo } : {}) });
      else removed.push([key, group]);
    }
    if (removed.length === 0) return lives;
    // One walk of HEAD's history for every removed secret's paths (when the scan's own walk did not
    // record it): on a long history each walk costs git about a second, and a scan may have found
    // secrets in hundreds of files.
    const paths = new Set(removed.flatMap(([, group]) => [...group.paths]));
    const commits = walked?.touching(head, paths) ?? (await commitsTouching(root, head, paths));
    const removers = new Map<string, string>();
    for (const [key, group] of removed) {
      const removing = await removingCommit(group.secret, [...group.paths], commits, holds);
      if (removing) removers.set(key, removing);
    }
    const events = await describeCommits(root, new Set(removers.values()));
    for (const [key] of removed) {
      const removing = events.get(removers.get(key) ?? "");
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
async function commitsTouching(root: string, head: string, paths: ReadonlySet<string>): Promise<TouchingCommit[]> {
  const pathspecs = [...paths].filter((path) => !path.includes("\n")).map(literalPathspec);
  const log = await git(["log", "--stdin", "--reverse", "--no-renames", "-z", "--name-only", "--diff-merges=first-parent", "--format=%x01%H%x00%P", head], {
    cwd: root,
    input: `--\n${pathspecs.join("\n")}\n`,
  });
  const commits: TouchingCommit[] = [];
  // Each record: \x01, the format's fields and a NUL, then a newline and the changed paths, each NUL-ended.
  for (const record of log.toString("utf8").split("\x01")) {
    const [sha, parents, ...names] = record.split("\0");
    if (!sha || parents === undefined) continue;
    const changed = new Set(names.map((name, index) => (index === 0 ? name.replace(/^\n/, "") : name)).filter((name) => name !== ""));
    commits.push({ sha, parents: parents.split(" ").filter((parent) => parent !== ""), paths: changed });
  }
  return commits;
}

/** Each commit's author and date, by its id: one git call for all of them. */
async function describeCommits(root: string, shas: ReadonlySet<string>): Promise<Map<string, LifeEvent>> {
  const events = new Map<string, LifeEvent>();
  if (shas.size === 0) return events;
  const log = await git(["log", "--stdin", "--no-walk=unsorted", "--format=%x01%H%x00%an%x00%ae%x00%aI"], { cwd: root, input: `${[...shas].join("\n")}\n` });
  for (const record of log.toString("utf8").split("\x01")) {
    const [sha, author, email, date] = record.replace(/\n$/, "").split("\0");
    if (sha && author !== undefined && email !== undefined && date !== undefined) events.set(sha, { sha, author, email, date });
  }
  return events;
}

/**
 * The id of the newest commit on HEAD's history after which none of the paths holds the secret while
 * its (first) parent's version did, among the commits that changed those paths. Each commit is compared
 * with its own parent, not with the commit before it in the log: on a history of branches the log
 * interleaves them. A commit that removed it is preferred to a merge (named only when no single
 * commit did: a merge that resolved a conflict without the secret; git's walk also lists a merge that
 * brought the removal in, the scan's walk only merges that differ from every parent). Undefined when
 * no such commit exists (the secret lived only on another branch).
 */
async function removingCommit(
  secret: string,
  paths: string[],
  commits: readonly TouchingCommit[],
  holds: (rev: string, path: string, secret: string) => Promise<boolean>,
): Promise<string | undefined> {
  const anyHolds = async (rev: string): Promise<boolean> => {
    for (const path of paths) if (await holds(rev, path, secret)) return true;
    return false;
  };
  const touching = commits.filter(({ parents, paths: changed }) => parents.length > 0 && paths.some((path) => changed.has(path)));
  for (const merges of [false, true]) {
    for (let index = touching.length - 1; index >= 0; index--) {
      const { sha, parents } = touching[index]!;
      if (parents.length > 1 !== merges) continue;
      // The parent first: on the commits after the removal it holds nothing, so their own versions are never read.
      if ((await anyHolds(parents[0]!)) && !(await anyHolds(sha))) return sha;
    }
  }
  return undefined;
}

/** Up to this many secrets, a version is searched once for each; more are looked for in one pass. */
const FEW_SECRETS = 16;
const KEY_CHARACTERS = 12;

/**
 * The secrets a version's text holds. A file may hold thousands (a fixture of tokens): searching the
 * text once for each cost seconds, so many are looked up by their last characters at each place in
 * the text instead.
 */
function secretsHeld(content: Buffer, secrets: readonly string[]): Set<string> {
  if (secrets.length <= FEW_SECRETS) return new Set(secrets.filter((secret) => versionHolds(content, secret)));
  const text = decodeText(content) ?? "";
  // Keyed by their last few characters, not their first: many secrets share a provider's prefix (`sk-proj-`);
  // a few, as each place in the text is hashed to be looked up.
  const width = Math.min(KEY_CHARACTERS, ...secrets.map((secret) => secret.length));
  const byEnd = new Map<string, string[]>();
  for (const secret of secrets) {
    const end = secret.slice(-width);
    const same = byEnd.get(end);
    if (same) same.push(secret);
    else byEnd.set(end, [secret]);
  }
  const held = new Set<string>();
  for (let at = 0; at + width <= text.length && held.size < secrets.length; at++) {
    const candidates = byEnd.get(text.slice(at, at + width));
    for (const secret of candidates ?? []) if (text.startsWith(secret, at + width - secret.length)) held.add(secret);
  }
  return held;
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
