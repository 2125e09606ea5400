// secretlint, with its recommended preset, over the same example files the eval scores keyscan on,
// so both are scored the same way. It is the copy `npm run bench` installs (scripts/bench/peers.ts)
// into .bench/peers of this checkout or, from a git worktree, of the main checkout; the eval never
// installs it. Its findings come back as "file:line" keys like keyscan's.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { inFolderOf } from "./peer-folder.js";

export interface Secretlint {
  bin: string;
  version: string;
}

/** The installed secretlint, or undefined (with the folders looked in) when there is none. */
export function findSecretlint(repo: string): Secretlint | { missing: string[] } {
  const checkouts = [repo];
  const common = spawnSync("git", ["-C", repo, "rev-parse", "--path-format=absolute", "--git-common-dir"], { encoding: "utf8" });
  if (common.status === 0) checkouts.push(dirname(common.stdout.trim()));
  const looked: string[] = [];
  for (const checkout of new Set(checkouts.map((path) => resolve(path)))) {
    const peers = join(checkout, ".bench", "peers");
    const bin = join(peers, "node_modules", ".bin", "secretlint");
    looked.push(peers);
    if (!existsSync(bin) || !existsSync(join(peers, "node_modules", "@secretlint", "secretlint-rule-preset-recommend"))) continue;
    const manifest = JSON.parse(readFileSync(join(peers, "node_modules", "secretlint", "package.json"), "utf8")) as { version: string };
    return { bin, version: manifest.version };
  }
  return { missing: looked };
}

interface SecretlintResult {
  filePath: string;
  messages: { loc: { start: { line: number } } }[];
}

/**
 * Runs secretlint over `files` (relative path -> text, or bytes), written under a fresh folder, and
 * returns each flagged line as "relative path:line"; undefined, with secretlint's first error
 * line printed, when it fails.
 */
export function secretlintFlags(secretlint: Secretlint, files: Map<string, string | Uint8Array>): Set<string> | undefined {
  return inFolderOf("keyscan-eval-secretlint-", files, (root) => {
    const rc = join(root, ".secretlintrc.json");
    writeFileSync(rc, `${JSON.stringify({ rules: [{ id: "@secretlint/secretlint-rule-preset-recommend" }] })}\n`);
    const output = join(root, ".secretlint-report.json");
    const run = spawnSync(secretlint.bin, ["--secretlintrc", rc, "--format", "json", "--output", output, "--no-color", "--no-gitignore", "**/*"], {
      cwd: root,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    if ((run.status !== 0 && run.status !== 1) || !existsSync(output)) {
      console.log(`  (secretlint exited ${run.status}: ${(run.stderr || run.stdout).trim().split("\n")[0]})`);
      return undefined;
    }
    const flags = new Set<string>();
    for (const result of JSON.parse(readFileSync(output, "utf8")) as SecretlintResult[]) {
      const file = resolve(root, result.filePath).slice(root.length + 1);
      for (const message of result.messages) flags.add(`${file}:${message.loc.start.line}`);
    }
    return flags;
  });
}
