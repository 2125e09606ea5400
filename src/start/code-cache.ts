// Start-up without compiling. The CLI and the scan worker are each a CommonJS bundle in dist/, run
// through node:vm with the V8 code cache that `npm run build` made for it: V8 then skips parsing and
// compiling the bundle's 360-620 KB at each start (the main thread's and each worker's), which a
// pre-commit hook pays on every commit (the figures: README, Fast start).
// A cache made by another Node version, or under other V8 flags, is refused by V8 itself and the
// bundle is compiled as usual; a missing cache is the same.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { Script } from "node:vm";

/** A bundle's code cache lies beside it: dist/cli-main.cjs has dist/cli-main.cache. */
export const codeCacheFile = (bundle: string): string => bundle.replace(/\.cjs$/, ".cache");

type ModuleFunction = (exports: object, require: NodeJS.Require, module: { exports: object }, filename: string, dirname: string) => void;

/**
 * The bundle compiled as Node compiles a CommonJS module: inside the module wrapper. The cache is
 * made for exactly this text, so the build and each start must wrap a bundle alike.
 */
export function compileBundle(bundle: string, cachedData?: Buffer): Script {
  const source = readFileSync(bundle, "utf8");
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  return new Script(wrapped, { filename: bundle, ...(cachedData ? { cachedData } : {}) });
}

/** Runs a CommonJS bundle as Node would run it as a module, from its code cache when V8 takes it. */
export function runBundle(bundle: string): void {
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(codeCacheFile(bundle));
  } catch {
    // No cache (a build without one, a copied bundle): compiled from source.
  }
  const moduleFunction = compileBundle(bundle, cachedData).runInThisContext() as ModuleFunction;
  const module = { exports: {} };
  moduleFunction(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
}

/**
 * The code cache for a bundle, as the build writes it. The bundle is compiled, not run: a cache made
 * after a whole scan (with every function used compiled) would tie the build to a scan, for no faster start.
 */
export const makeCodeCache = (bundle: string): Buffer => compileBundle(bundle).createCachedData();
