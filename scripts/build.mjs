// Bundles the CLI, the library and the scan worker into dist/ with esbuild: one file each,
// so `npx keyscan` and the pre-commit hook start without resolving a module tree.
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

await build({ ...common, entryPoints: { index: "src/index.ts", worker: "src/worker.ts" }, outdir: "dist" });
await build({
  ...common,
  entryPoints: { cli: "src/cli.ts" },
  outdir: "dist",
  banner: { js: `#!/usr/bin/env node\n${common.banner.js}` },
});
