// A scan worker's entry (dist/worker.cjs): runs the worker's bundle from its code cache.
//
// It does not set V8's regex flags (regexp-flags.ts): they are per process, and the CLI set them before
// it started any worker. Setting them here would change them under a thread that is running regexes
// whenever another program (a test) starts the pool, which crashed that process in some runs.
import { join } from "node:path";
import { runBundle } from "./code-cache.js";

runBundle(join(__dirname, "worker-main.cjs"));
