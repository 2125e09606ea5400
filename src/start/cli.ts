// The `keyscan` command as installed (dist/cli.cjs): runs the CLI's bundle from its code cache.
// Node's own modules come with V8's compiled code for them, which V8 takes only under the flags it
// was made with: a module first loaded after useRegexpFlags() sets its flags is compiled from
// source (~10 ms of every start for child_process and the network and stream modules it loads). The
// modules every run of the CLI loads are therefore loaded here, before the flags, and tty, which a run
// on a terminal (a pre-commit hook's) loads for its output: 0.4 ms compiled after the flags, 0.1 ms
// loaded for nothing. The bundle's own code cache is made under the flags (scripts/build.mjs), so it is
// read after. Before it, `keyscan staged` has git start its patch (staged-ahead.ts), so that git works
// while the bundle loads.
import { join } from "node:path";
import { runBundle } from "./code-cache.js";
import { useRegexpFlags } from "./regexp-flags.js";
import { startStagedPatchAhead } from "./staged-ahead.js";

require("node:child_process");
require("node:os");
require("node:timers/promises");
require("node:tty");
startStagedPatchAhead(process.argv, process.cwd());
useRegexpFlags();
runBundle(join(__dirname, "cli-main.cjs"));
