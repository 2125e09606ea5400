// Bundles the CLI, the library and the scan worker into dist/ with esbuild: one file each,
// so `npx keyscan` and the pre-commit hook start without resolving a module tree.
// The default rules (rules/*.toml, the source of truth) are parsed, validated and checked here and
// embedded as JSON, so neither the CLI nor a worker parses TOML or runs the schema at start-up.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: false,
  logLevel: "warning",
  // Bundled CommonJS dependencies (commander) expect require(); give ESM output one.
  banner: { js: "import { createRequire as __keyscanRequire } from 'node:module'; const require = __keyscanRequire(import.meta.url);" },
};

/** The JSON of precompiledRules() (src/load-rules.ts), run from a throw-away bundle. */
async function precompiledRules() {
  const dir = mkdtempSync(join(tmpdir(), "keyscan-build-"));
  try {
    const outfile = join(dir, "load-rules.mjs");
    await build({ ...common, entryPoints: ["src/load-rules.ts"], outfile });
    const { precompiledRules: run } = await import(pathToFileURL(outfile).href);
    return run(join(import.meta.dirname, "..", "rules"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const define = { KEYSCAN_PRECOMPILED_RULES: JSON.stringify(await precompiledRules()) };

await build({ ...common, define, entryPoints: { index: "src/index.ts", worker: "src/worker.ts" }, outdir: "dist" });
await build({
  ...common,
  define,
  entryPoints: { cli: "src/cli.ts" },
  outdir: "dist",
  banner: { js: `#!/usr/bin/env node\n${common.banner.js}` },
});
