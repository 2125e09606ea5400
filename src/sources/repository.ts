// The scanned repository as reports name it: its folder's name, and its web page when the `origin`
// remote is on GitHub or GitLab (for links to commits and files in the HTML report).
import { basename } from "node:path";
import type { JsonRepository } from "../report/json.js";
import { git } from "./git.js";

export async function describeRepository(root: string): Promise<JsonRepository> {
  const remote = await git(["remote", "get-url", "origin"], { cwd: root })
    .then((out) => out.toString("utf8").trim())
    .catch(() => "");
  const url = webUrl(remote);
  const name = url ? new URL(url).pathname.slice(1) : basename(root);
  return { name, ...(url ? { url } : {}) };
}

/**
 * https://github.com/owner/repo for `git@github.com:owner/repo.git`, `ssh://git@gitlab.com/group/sub/repo`,
 * `https://user:token@github.com/owner/repo.git` and the like; undefined for other hosts. Credentials in
 * the remote's URL are dropped: a report must not carry them.
 */
export function webUrl(remote: string): string | undefined {
  const scp = /^[\w.-]+@([\w.-]+):(?!\/)(.+)$/.exec(remote);
  let host: string;
  let path: string;
  if (scp) {
    host = scp[1] ?? "";
    path = scp[2] ?? "";
  } else {
    let parsed: URL;
    try {
      parsed = new URL(remote);
    } catch {
      return undefined;
    }
    if (!["https:", "http:", "ssh:", "git:"].includes(parsed.protocol)) return undefined;
    host = parsed.hostname;
    path = parsed.pathname.slice(1);
  }
  path = path.replace(/\.git\/?$/, "").replace(/\/+$/, "");
  if (!/^(github\.com|gitlab\.com)$/i.test(host) || !/^[\w.-]+(\/[\w.-]+)+$/.test(path)) return undefined;
  return `https://${host.toLowerCase()}/${path}`;
}
