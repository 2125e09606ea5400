// Start-up without compiling. The CLI and the scan worker are each a CommonJS bundle in dist/, run
// through node:vm with the V8 code cache that `npm run build` made for it: V8 then skips parsing and
// compiling the bundle's 360-620 KB at each start (the main thread's and each worker's), which a
// pre-commit hook pays on every commit (the figures: README, Fast start).
//
// A cache holds the functions V8 had compiled when it was made. V8 compiles a function when it is
// first called, so a cache made right after compiling holds little more than the bundle's top level;
// the CLI's cache is made at the end of a run of `keyscan staged` instead (warmCodeCache, run by the
// build), so it also holds what a pre-commit hook calls: the module initialisers, the scan, the report.
//
// The cache file starts with a SHA-256 of the bundle it was made for, and is used only when the
// bundle's bytes still have that hash. V8's own check is weaker: on Node 20 it compares only the
// source's length, so a same-length edit of a bundle (a hot-fix, a patch-package patch) would run
// the old code from the cache. A cache made by another Node version, or under other V8 flags, is
// refused by V8 itself; then, as with a missing or stale cache, the bundle is compiled as usual.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { Script } from "node:vm";

/** A bundle's code cache lies beside it: dist/cli-main.cjs has dist/cli-main.cache. */
export const codeCacheFile = (bundle: string): string => bundle.replace(/\.cjs$/, ".cache");

const DIGEST_BYTES = 32;

const digest = (bytes: Buffer): Buffer => createHash("sha256").update(bytes).digest();

type ModuleFunction = (exports: object, require: NodeJS.Require, module: { exports: object }, filename: string, dirname: string) => void;

/**
 * The bundle's text compiled as Node compiles a CommonJS module: inside the module wrapper. The cache
 * is made for exactly this text, so the build and each start must wrap a bundle alike.
 */
export function compileBundle(bundle: string, source: string, cachedData?: Buffer): Script {
  return new Script(wrapBundle(source), { filename: bundle, ...(cachedData ? { cachedData } : {}) });
}

export const wrapBundle = (source: string): string => `(function (exports, require, module, __filename, __dirname) {${source}\n})`;

/** V8's data from a cache file, if the file was made for exactly these bundle bytes. */
export function cachedDataFor(bundleBytes: Buffer, cacheFile: Buffer): Buffer | undefined {
  if (cacheFile.length <= DIGEST_BYTES) return undefined;
  return cacheFile.subarray(0, DIGEST_BYTES).equals(digest(bundleBytes)) ? cacheFile.subarray(DIGEST_BYTES) : undefined;
}

/** Runs a CommonJS bundle as Node would run it as a module, from its code cache when it fits. */
export function runBundle(bundle: string): void {
  const bytes = readFileSync(bundle);
  let cachedData: Buffer | undefined;
  try {
    cachedData = cachedDataFor(bytes, readFileSync(codeCacheFile(bundle)));
  } catch {
    // No cache (a build without one, a copied bundle): compiled from source.
  }
  runScript(bundle, compileBundle(bundle, bytes.toString("utf8"), cachedData));
}

function runScript(bundle: string, script: Script): void {
  const moduleFunction = script.runInThisContext() as ModuleFunction;
  const module = { exports: {} };
  moduleFunction(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
}

/**
 * For the build: runs the bundle (compiled from source) as runBundle does, with the process's
 * arguments, and when the process exits writes the bundle's cache file with every function the run
 * compiled.
 */
export function warmCodeCache(bundle: string): void {
  const bytes = readFileSync(bundle);
  const script = compileBundle(bundle, bytes.toString("utf8"));
  process.on("exit", () => writeFileSync(codeCacheFile(bundle), Buffer.concat([digest(bytes), script.createCachedData()])));
  runScript(bundle, script);
}

/**
 * The cache file for a bundle made without running it: the bundle's hash, then V8's code cache of its
 * top level. The worker's cache (a worker's start is not a pre-commit hook's), and the CLI's when the
 * build cannot run it (warmCodeCache).
 */
export function makeCodeCache(bundle: string): Buffer {
  const bytes = readFileSync(bundle);
  return Buffer.concat([digest(bytes), compileBundle(bundle, bytes.toString("utf8")).createCachedData()]);
}
