// The CLI and the worker start from V8 code caches the build writes (src/start/code-cache.ts).
// Whether V8 takes a cache depends on what the isolate compiled before (Node 22 and 24 reuse a script
// compiled earlier in the same isolate and then report the cache as taken), so every check of V8's
// verdict runs in a fresh process.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { openaiProjectKey } from "../../fixtures/fake-keys.js";
import { cachedDataFor, codeCacheFile, makeCodeCache, runBundle } from "../../src/start/code-cache.js";
import { buildContext } from "../../src/run/pipeline.js";
import { createScanPool } from "../../src/run/pool.js";
import { VERSION } from "../../src/version.js";

const dist = join(import.meta.dirname, "..", "..", "dist");
const regexpFlagsModule = pathToFileURL(join(import.meta.dirname, "..", "..", "src", "start", "regexp-flags.ts")).href;
const codeCacheModule = pathToFileURL(join(import.meta.dirname, "..", "..", "src", "start", "code-cache.ts")).href;

/** V8's verdict on each bundle's built cache, asked in a new Node process (through tsx, to load the TypeScript source). */
function freshVerdicts(bundles: string[]): Record<string, boolean> {
  const probe = `
    import { readFileSync } from "node:fs";
    import { cachedDataFor, codeCacheFile, compileBundle } from ${JSON.stringify(codeCacheModule)};
    import { useRegexpFlags } from ${JSON.stringify(regexpFlagsModule)};
    // The CLI and the workers run under this V8 flag, and the build made the caches under it.
    useRegexpFlags();
    const verdicts = {};
    for (const bundle of ${JSON.stringify(bundles)}) {
      const bytes = readFileSync(bundle);
      const data = cachedDataFor(bytes, readFileSync(codeCacheFile(bundle)));
      verdicts[bundle] = data !== undefined && !compileBundle(bundle, bytes.toString("utf8"), data).cachedDataRejected;
    }
    process.stdout.write(JSON.stringify(verdicts));`;
  const output = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", probe], { encoding: "utf8" });
  return JSON.parse(output) as Record<string, boolean>;
}

describe("the built code caches (the global setup builds dist/)", () => {
  it("are taken by this Node's V8, in a process that compiled nothing before", () => {
    const bundles = ["cli-main.cjs", "worker-main.cjs"].map((name) => join(dist, name));
    expect(freshVerdicts(bundles)).toEqual(Object.fromEntries(bundles.map((bundle) => [bundle, true])));
  });

  it("is taken by a worker when the process's main thread set the flags, as the CLI's entry does, and not otherwise", () => {
    // The worker's entry (src/start/worker.ts) sets no flag, since a flag changed by one thread while another runs
    // a regex can crash the process: this shows that V8's flags are per process, so the workers run under the CLI's.
    const bundle = join(dist, "worker-main.cjs");
    const verdictInWorker = (mainSetsFlags: boolean): boolean => {
      // The worker compiles the bundle as runBundle does, with the text and cache the main thread read.
      const probe = `
        import { readFileSync } from "node:fs";
        import { Worker } from "node:worker_threads";
        import { cachedDataFor, codeCacheFile, wrapBundle } from ${JSON.stringify(codeCacheModule)};
        import { useRegexpFlags } from ${JSON.stringify(regexpFlagsModule)};
        if (${mainSetsFlags}) useRegexpFlags();
        const bytes = readFileSync(${JSON.stringify(bundle)});
        const workerData = { text: wrapBundle(bytes.toString("utf8")), cachedData: cachedDataFor(bytes, readFileSync(codeCacheFile(${JSON.stringify(bundle)}))) };
        const worker = new Worker(\`
          import { Script } from "node:vm";
          import { parentPort, workerData } from "node:worker_threads";
          parentPort.postMessage(!new Script(workerData.text, { cachedData: workerData.cachedData }).cachedDataRejected);\`,
          { eval: true, workerData });
        worker.once("message", (taken) => { process.stdout.write(String(taken)); void worker.terminate(); });`;
      const output = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", probe], { encoding: "utf8" });
      return output === "true";
    };
    expect(verdictInWorker(true)).toBe(true);
    expect(verdictInWorker(false)).toBe(false);
  });

  it("hold, for the CLI, the functions a run of keyscan staged compiled: more than the top level alone", () => {
    const bundle = join(dist, "cli-main.cjs");
    // The top level's cache, made in a new process (as the build makes the worker's).
    const probe = `
      import { makeCodeCache } from ${JSON.stringify(codeCacheModule)};
      import { useRegexpFlags } from ${JSON.stringify(regexpFlagsModule)};
      useRegexpFlags();
      process.stdout.write(String(makeCodeCache(${JSON.stringify(bundle)}).length));`;
    const topLevelOnly = Number(execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", probe], { encoding: "utf8" }));
    expect(readFileSync(codeCacheFile(bundle)).length).toBeGreaterThan(2 * topLevelOnly);
  });

  it("are for bundles written in ASCII: Node decodes them on its fast path, into strings of one byte a character", () => {
    for (const name of ["cli-main.cjs", "worker-main.cjs"]) {
      const bytes = readFileSync(join(dist, name));
      const first = bytes.findIndex((byte) => byte > 0x7f);
      expect(first === -1 ? "" : bytes.subarray(Math.max(0, first - 40), first + 40).toString("utf8"), name).toBe("");
    }
  });

  it("are not used for a bundle they were not made for", () => {
    const cliCache = readFileSync(join(dist, "cli-main.cache"));
    expect(cachedDataFor(readFileSync(join(dist, "worker-main.cjs")), cliCache)).toBeUndefined();
    expect(cachedDataFor(readFileSync(join(dist, "cli-main.cjs")), cliCache)).toBeInstanceOf(Buffer);
  });

  it("are not used after a same-length edit of dist/cli-main.cjs: the edited code runs", () => {
    const dir = mkdtempSync(join(tmpdir(), "keyscan-code-cache-edit-"));
    try {
      for (const file of ["cli.cjs", "cli-main.cjs", "cli-main.cache"]) copyFileSync(join(dist, file), join(dir, file));
      const bundle = join(dir, "cli-main.cjs");
      const source = readFileSync(bundle, "utf8");
      // The version literal, changed in its last character: the bundle keeps its length.
      const literal = JSON.stringify(VERSION);
      const edited = `${literal.slice(0, -2)}${literal.at(-2) === "9" ? "8" : "9"}"`;
      expect(source.split(literal)).toHaveLength(2);
      writeFileSync(bundle, source.replace(literal, edited));
      expect(readFileSync(bundle).length).toBe(Buffer.byteLength(source));
      const printed = execFileSync(process.execPath, [join(dir, "cli.cjs"), "--version"], { encoding: "utf8" }).trim();
      expect(printed).toBe(JSON.parse(edited));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the CLI's start", () => {
  it("loads child_process and the modules it needs before it sets the regexp flag, under which Node's compiled code for them would be refused", () => {
    const dir = mkdtempSync(join(tmpdir(), "keyscan-start-"));
    try {
      const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "ignore" });
      git("init", "-q");
      writeFileSync(join(dir, "app.js"), "export const answer = 42;\n");
      git("add", "app.js");
      // Preloaded: notes the modules Node had loaded when the flag is set, and names those loaded after.
      const probe = join(dir, "probe.cjs");
      writeFileSync(
        probe,
        `const v8 = require("node:v8"); const set = v8.setFlagsFromString; let before;
        v8.setFlagsFromString = (flag) => { before ??= new Set(process.moduleLoadList); return set(flag); };
        process.on("exit", () => process.stderr.write(JSON.stringify(process.moduleLoadList.filter((name) => before && !before.has(name)))));`,
      );
      const run = spawnSync(process.execPath, ["--require", probe, join(dist, "cli.cjs"), "staged"], { cwd: dir, encoding: "utf8" });
      expect(run.status).toBe(0);
      const after = (JSON.parse(run.stderr) as string[]).filter((name) => name.startsWith("NativeModule ")).map((name) => name.slice("NativeModule ".length));
      for (const name of ["child_process", "net", "stream", "os", "timers/promises"]) expect(after, name).not.toContain(name);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
