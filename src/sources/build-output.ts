// --include-build: the build output a repository's .gitignore hides (dist/, build/, .next/static …) is
// what a site serves or a package ships, so a key a bundler inlined lives there and nowhere in git.
// git lists those ignored files itself, with the same hardened settings as every other listing.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { SourceItem } from "../types.js";
import { git, splitNul } from "./git.js";

/** Where the common tools write their output by default. */
export const BUILD_FOLDERS = ["dist", "build", "out", ".next/static", ".output/public", ".svelte-kit/output", ".nuxt/dist"];

/** The files git ignores under the build folders at the repository's root, as working-tree files to scan. */
export async function* ignoredBuildFiles(root: string): AsyncGenerator<SourceItem> {
  const folders = BUILD_FOLDERS.filter((folder) => existsSync(join(root, folder)));
  if (folders.length === 0) return;
  const listed = await git(["ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--", ...folders], { cwd: root });
  for (const path of splitNul(listed)) yield { kind: "file", file: { abs: join(root, path), path } };
}
