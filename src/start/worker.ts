// A scan worker's entry (dist/worker.cjs): runs the worker's bundle from its code cache.
import { join } from "node:path";
import { runBundle } from "./code-cache.js";
import { useRegexpFlags } from "./regexp-flags.js";

useRegexpFlags();
runBundle(join(__dirname, "worker-main.cjs"));
