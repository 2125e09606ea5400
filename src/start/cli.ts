// The `keyscan` command as installed (dist/cli.cjs): runs the CLI's bundle from its code cache.
// Node's own modules come with V8's compiled code for them, which V8 takes only under the flags it
// was made with: a module first loaded after useLinearRegexpFallback() sets its flag is compiled from
// source (~10 ms of every start for child_process and the network and stream modules it loads). The
// modules every run of the CLI loads are therefore loaded here, before the flag; the bundle's own code
// cache is made under the flag (scripts/build.mjs), so it is read after.
import { join } from "node:path";
import { runBundle } from "./code-cache.js";
import { useLinearRegexpFallback } from "./linear-regexp.js";

require("node:child_process");
require("node:os");
require("node:timers/promises");
useLinearRegexpFallback();
runBundle(join(__dirname, "cli-main.cjs"));
