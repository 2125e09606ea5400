// The V8 flags the regex engine runs under, set first thing in the CLI, before any rule is compiled and
// before any scan worker starts: a V8 flag is process-wide (the workers run under the CLI's) and is read
// when a pattern is compiled and run. Changing one while another thread runs a regex can crash the process.
//
// The linear-time fallback: V8 runs a regular expression with a backtracking engine; on input that
// makes a pattern backtrack without end it would hold the thread for minutes. With this flag V8
// switches such a match, once it has backtracked too much, to its linear-time engine (for every
// pattern that engine can take: no lookarounds or backreferences; those are refused by the static
// check, regex-guard.ts, and bounded by the pool's per-file time budget).
//
// No tier-up: by default V8 compiles a pattern to bytecode for its first match and compiles it again,
// to machine code, for the next (at once only for a long subject, such as a whole file). A scan runs
// each pattern it uses many times, so that bytecode is thrown away at once, and a compilation's
// analysis, most of its cost, is done twice: for the patterns first run on short text (a value, a
// name, a path), compiling to machine code only saves that.
//
// The build sets these flags too before it writes the code caches: V8 refuses a cache made under other flags.
import { setFlagsFromString } from "node:v8";

export const REGEXP_FLAGS = ["--enable-experimental-regexp-engine-on-excessive-backtracks", "--no-regexp-tier-up"] as const;

export function useRegexpFlags(): void {
  for (const flag of REGEXP_FLAGS) setFlagsFromString(flag);
}
