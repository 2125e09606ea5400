// The build's warm-up run of the CLI (scripts/build.mjs bundles this file and runs it in a new Node
// process): `node warm-code-cache.cjs dist/cli-main.cjs` runs the CLI's bundle as `keyscan staged` in a
// throw-away repository with one staged file, and at exit writes the bundle's code cache, which then
// holds every function that run compiled (src/start/code-cache.ts, warmCodeCache).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { warmCodeCache } from "../src/start/code-cache.js";
import { useRegexpFlags } from "../src/start/regexp-flags.js";

const bundle = resolve(process.argv[2] ?? "");
const repository = mkdtempSync(join(tmpdir(), "keyscan-warm-"));
const git = (...args: string[]) => execFileSync("git", args, { cwd: repository, stdio: "ignore" });
git("init", "-q");
// Code of the kind a commit stages: names that hold rule keywords, values that are not secrets.
writeFileSync(
  join(repository, "settings.js"),
  [
    'const apiKey = process.env.OPENAI_API_KEY;',
    'const password = config.get("database.password");',
    'export const token = await readToken("github");',
    'export const endpoint = "https://api.example.com/v1";',
    "",
  ].join("\n"),
);
git("add", "settings.js");

// The CLI as `keyscan staged`, run from the repository: it reads process.argv and the working folder.
process.chdir(repository);
process.argv.splice(1, 2, bundle, "staged");
useRegexpFlags();
warmCodeCache(bundle);
process.on("exit", () => rmSync(repository, { recursive: true, force: true }));
