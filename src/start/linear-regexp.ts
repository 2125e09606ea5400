// V8 runs a regular expression with a backtracking engine; on input that makes a pattern backtrack
// without end it would hold the thread for minutes. With this flag V8 switches such a match, once it
// has backtracked too much, to its linear-time engine (for every pattern that engine can take: no
// lookarounds or backreferences; those are refused by the static check, regex-guard.ts, and bounded by
// the pool's per-file time budget). A V8 flag is process-wide and is read when a pattern is compiled,
// so it is set first thing in the CLI and in each scan worker, before any rule is compiled.
// The build sets it too before it writes the code caches: V8 refuses a cache made under other flags.
import { setFlagsFromString } from "node:v8";

export const LINEAR_FALLBACK_FLAG = "--enable-experimental-regexp-engine-on-excessive-backtracks";

export function useLinearRegexpFallback(): void {
  setFlagsFromString(LINEAR_FALLBACK_FLAG);
}
