// Times the scan engine alone, single thread: every file under a folder is read and decoded first,
// then scanText runs over each text. Prints MB/s, the finding count and a digest of the findings,
// so a change to the engine can be checked for speed and for identical results in one run.
//
//   npx tsx scripts/engine-bench.ts [FOLDER] [--runs N]     (FOLDER: .bench/tree/copy-1 by default)
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { buildContext, scanText } from "../src/run/pipeline.js";
import { decodeText } from "../src/sources/decode.js";
import type { Chunk } from "../src/types.js";

function files(root: string, folder = root): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === ".git" ? [] : files(root, path);
    return entry.isFile() ? [path] : [];
  });
}

const args = process.argv.slice(2);
const runsFlag = args.indexOf("--runs");
const runs = runsFlag === -1 ? 5 : Number(args[runsFlag + 1]);
const root = args.find((arg, index) => !arg.startsWith("--") && index !== runsFlag + 1) ?? ".bench/tree/copy-1";

const chunks: Chunk[] = [];
let bytes = 0;
for (const path of files(root).sort()) {
  const raw = readFileSync(path);
  const text = decodeText(raw);
  if (text === undefined) continue;
  bytes += raw.length;
  chunks.push({ path: relative(root, path).split("\\").join("/"), text });
}
const context = buildContext();

const seconds: number[] = [];
let digest = "";
let count = 0;
for (let run = 0; run < runs; run++) {
  const started = process.hrtime.bigint();
  const findings = chunks.flatMap((chunk) => scanText(chunk, context));
  seconds.push(Number(process.hrtime.bigint() - started) / 1e9);
  count = findings.length;
  digest = createHash("sha256")
    .update(JSON.stringify(findings.map((f) => [f.ruleId, f.path, f.line, f.column, f.endLine, f.endColumn, f.secret])))
    .digest("hex")
    .slice(0, 16);
}
const sorted = [...seconds].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
const mb = bytes / 1e6;
console.log(`${chunks.length} files, ${mb.toFixed(1)} MB; runs (s): ${seconds.map((s) => s.toFixed(3)).join(" ")}`);
console.log(`engine median ${median.toFixed(3)} s = ${(mb / median).toFixed(1)} MB/s; ${count} findings, digest ${digest}`);
