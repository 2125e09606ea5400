// `keyscan pack [DIR]`: the files `npm publish` would send, as npm itself lists them
// (`npm pack --dry-run --json`), whatever git tracks or ignores: a `.env` that git ignores but `files`
// or a missing `.npmignore` lets through is published to everyone. Paths are reported as they appear in
// the tarball (`package/.env`). npm runs with --ignore-scripts: keyscan runs no script of the package.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { UsageError } from "../errors.js";
import type { SourceItem } from "../types.js";

/** Where npm puts a package's files inside its tarball. */
const TARBALL_ROOT = "package";

export interface PackListing {
  name: string;
  version: string;
  files: string[];
}

/** What `npm pack --dry-run` says the package in `dir` would contain. */
export async function packListing(dir: string): Promise<PackListing> {
  const folder = resolve(dir);
  if (!existsSync(join(folder, "package.json"))) throw new UsageError(`pack: ${dir} has no package.json`);
  const { code, stdout, stderr } = await runNpm(["pack", "--dry-run", "--json", "--ignore-scripts"], folder);
  if (code !== 0) {
    const reason = stderr.split("\n").find((line) => /npm (error|ERR!)/.test(line)) ?? `exit code ${code}`;
    throw new UsageError(`pack: npm pack failed in ${dir}: ${reason.replace(/^npm (error|ERR!)\s*/, "")}`);
  }
  let parsed: { name?: string; version?: string; files?: { path?: unknown }[] }[];
  try {
    parsed = JSON.parse(stdout) as typeof parsed;
  } catch {
    throw new UsageError(`pack: npm pack --dry-run --json printed no JSON in ${dir}`);
  }
  const [pack] = parsed;
  if (!pack || !Array.isArray(pack.files)) throw new UsageError(`pack: npm pack listed no files in ${dir}`);
  return {
    name: pack.name ?? "",
    version: pack.version ?? "",
    files: pack.files.map((file) => file.path).filter((path): path is string => typeof path === "string"),
  };
}

/** The listed files, for the scan pool to read, under the names they will have in the tarball. */
export async function* packItems(dir: string, listing: PackListing): AsyncGenerator<SourceItem> {
  const folder = resolve(dir);
  for (const path of listing.files) yield { kind: "file", file: { abs: join(folder, path), path: `${TARBALL_ROOT}/${path}` } };
}

/** npm as the user runs it: the one running this script (npm_execpath, under `npm run`), else `npm` on PATH. */
function runNpm(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const viaNode = process.env.npm_execpath && /\.[cm]?js$/.test(process.env.npm_execpath);
  const [command, prefix] = viaNode ? [process.execPath, [process.env.npm_execpath as string]] : ["npm", []];
  return new Promise((done, fail) => {
    const child = spawn(command, [...prefix, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (data: Buffer) => (stdout += data.toString("utf8")));
    child.stderr.on("data", (data: Buffer) => (stderr += data.toString("utf8")));
    child.on("error", (error: NodeJS.ErrnoException) =>
      fail(error.code === "ENOENT" ? new UsageError("keyscan pack needs npm on PATH") : error),
    );
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}
