// The `keyscan` command as installed (dist/cli.cjs): runs the CLI's bundle from its code cache.
import { join } from "node:path";
import { runBundle } from "./code-cache.js";
import { useLinearRegexpFallback } from "./linear-regexp.js";

useLinearRegexpFallback();
runBundle(join(__dirname, "cli-main.cjs"));
