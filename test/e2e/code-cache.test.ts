// The CLI and the worker start from V8 code caches the build writes (src/code-cache.ts).
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { openaiProjectKey } from "../../fixtures/fake-keys.js";
import { codeCacheFile, compileBundle, makeCodeCache, runBundle } from "../../src/start/code-cache.js";
import { buildContext } from "../../src/run/pipeline.js";
import { createScanPool } from "../../src/run/pool.js";
import { useLinearRegexpFallback } from "../../src/start/linear-regexp.js";

const dist = join(import.meta.dirname, "..", "..", "dist");

describe("the built code caches (the global setup builds dist/)", () => {
  // The CLI and the workers run under this V8 flag, and the build made the caches under it.
  useLinearRegexpFallback();
  for (const bundle of ["cli-main.cjs", "worker-main.cjs"]) {
    it(`are taken by this Node for ${bundle}`, () => {
      const path = join(dist, bundle);
      expect(compileBundle(path, readFileSync(codeCacheFile(path))).cachedDataRejected).toBe(false);
    });
  }

  it("are refused for a bundle they were not made for", () => {
    const cliCache = readFileSync(join(dist, "cli-main.cache"));
    expect(compileBundle(join(dist, "worker-main.cjs"), cliCache).cachedDataRejected).toBe(true);
  });
});

describe("runBundle", () => {
  const dir = mkdtempSync(join(tmpdir(), "keyscan-code-cache-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, "out.json");
  // A bundle that reports what Node gives a CommonJS module.
  const bundle = join(dir, "probe.cjs");
  writeFileSync(
    bundle,
    `require("node:fs").writeFileSync(${JSON.stringify(out)}, JSON.stringify({ filename: __filename, dirname: __dirname, module: typeof module.exports }));\n`,
  );
  const ran = () => JSON.parse(readFileSync(out, "utf8"));

  it("runs a bundle as a CommonJS module, with or without its cache", () => {
    runBundle(bundle);
    expect(ran()).toEqual({ filename: bundle, dirname: dir, module: "object" });
    rmSync(out);
    writeFileSync(codeCacheFile(bundle), makeCodeCache(bundle));
    runBundle(bundle);
    expect(ran()).toEqual({ filename: bundle, dirname: dir, module: "object" });
  });

  it("runs a bundle whose cache is stale or garbage, compiling it instead", () => {
    writeFileSync(codeCacheFile(bundle), "not a code cache");
    rmSync(out, { force: true });
    runBundle(bundle);
    expect(ran().filename).toBe(bundle);
  });
});

describe("the workers without their code cache", () => {
  it("compile their bundle and scan", async () => {
    const dir = mkdtempSync(join(tmpdir(), "keyscan-no-cache-"));
    try {
      for (const file of ["worker.cjs", "worker-main.cjs"]) copyFileSync(join(dist, file), join(dir, file));
      // The main thread's context has no rules, so a finding can only come from a worker.
      const pool = createScanPool({
        threads: 2,
        entropy: true,
        context: () => buildContext(undefined, []),
        inlineBytes: 0,
        workerUrl: pathToFileURL(join(dir, "worker.cjs")),
      });
      const found = await pool.scan({ path: "app.env", text: `OPENAI_API_KEY=${openaiProjectKey(7)}\n` });
      await pool.close();
      expect(found.map((finding) => finding.ruleId)).toEqual(["openai-project-key"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
