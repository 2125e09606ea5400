// Bundles the CLI, the library and the scan worker into dist/ with esbuild: one file each,
// so `npx keyscan-cli` and the pre-commit hook start without resolving a module tree.
// The default rules (rules/*.toml, the source of truth) are parsed, validated and checked here and
// embedded as JSON, with their prefilter's tables, so neither the CLI nor a worker parses TOML, runs
// the schema or works out the prefilter at start-up.
// The CLI and the worker are CommonJS bundles, each started by a small entry that runs it from the
// V8 code cache written here (src/start/code-cache.ts): dist/cli.cjs runs dist/cli-main.cjs, and
// dist/worker.cjs runs dist/worker-main.cjs. The CLI's cache is written by a warm-up run of the CLI.
// The library's type declarations (dist/types/) come from tsc (tsconfig.types.json).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = join(import.meta.dirname, "..");
const dist = join(root, "dist");

const common = { bundle: true, platform: "node", target: "node20", sourcemap: false, logLevel: "warning" };

const esm = {
  ...common,
  format: "esm",
  // Bundled CommonJS dependencies (commander) expect require(); give ESM output one.
  banner: { js: "import { createRequire as __keyscanRequire } from 'node:module'; const require = __keyscanRequire(import.meta.url);" },
};

/** A module of src/, bundled to a throw-away file and imported. */
async function importSource(entry) {
  const dir = mkdtempSync(join(tmpdir(), "keyscan-build-"));
  try {
    const outfile = join(dir, "module.mjs");
    await build({ ...esm, entryPoints: [entry], outfile });
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const { precompiledPrefilter, precompiledRules } = await importSource("src/config/default-rules.ts");
const rulesDir = join(import.meta.dirname, "..", "rules");
const { rules, details } = precompiledRules(rulesDir);
const rulesDefine = {
  KEYSCAN_PRECOMPILED_RULES: JSON.stringify(rules),
  KEYSCAN_PRECOMPILED_RULE_DETAILS: JSON.stringify(details.join("\n")),
  KEYSCAN_PRECOMPILED_PREFILTER: JSON.stringify(precompiledPrefilter(rulesDir)),
};

await build({ ...esm, define: rulesDefine, entryPoints: { index: "src/index.ts" }, outdir: dist });

const commonJs = { ...common, format: "cjs", outdir: dist, outExtension: { ".js": ".cjs" } };
await build({
  ...commonJs,
  // keyscan fix is a bundle of its own: its parsers (@babel/parser, yaml: ~850 KB) would otherwise
  // be loaded by every start of the CLI, the pre-commit hook's included.
  entryPoints: { "cli-main": "src/cli/main.ts", "worker-main": "src/run/worker.ts", fix: "src/fix/command.ts" },
  // CommonJS has no import.meta: the sources' import.meta.url (the rules folder, the worker's file)
  // becomes the bundle's own file URL.
  define: { ...rulesDefine, "import.meta.url": "__keyscanFileUrl" },
  banner: { js: 'var __keyscanFileUrl = require("node:url").pathToFileURL(__filename).href;' },
});
await build({ ...commonJs, entryPoints: { worker: "src/start/worker.ts" } });
await build({ ...commonJs, entryPoints: { cli: "src/start/cli.ts" }, banner: { js: "#!/usr/bin/env node" } });

const { codeCacheFile, makeCodeCache } = await importSource("src/start/code-cache.ts");
// The CLI and the worker run under these V8 flags, and V8 takes a code cache only if it was made under the same flags.
const { useRegexpFlags } = await importSource("src/start/regexp-flags.ts");
useRegexpFlags();
writeFileSync(codeCacheFile(join(dist, "worker-main.cjs")), makeCodeCache(join(dist, "worker-main.cjs")));
// The CLI's cache is made by a run of `keyscan staged` (scripts/warm-code-cache.ts), in a process of its own:
// it then holds what the pre-commit hook runs, not only the bundle's top level. Without git, the top level's.
const warmDir = mkdtempSync(join(tmpdir(), "keyscan-build-"));
try {
  const warm = join(warmDir, "warm-code-cache.cjs");
  await build({ ...common, format: "cjs", entryPoints: ["scripts/warm-code-cache.ts"], outfile: warm });
  execFileSync(process.execPath, [warm, join(dist, "cli-main.cjs")], { stdio: ["ignore", "ignore", "inherit"] });
} catch (error) {
  console.warn(`build: the CLI's code cache is made without a warm-up run (${error.message.split("\n")[0]})`);
  writeFileSync(codeCacheFile(join(dist, "cli-main.cjs")), makeCodeCache(join(dist, "cli-main.cjs")));
} finally {
  rmSync(warmDir, { recursive: true, force: true });
}

rmSync(join(dist, "types"), { recursive: true, force: true });
// typescript's package exports do not list its bin; its place in node_modules is stable.
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.types.json")], { stdio: "inherit" });
