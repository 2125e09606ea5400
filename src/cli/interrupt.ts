// Ctrl-C (SIGINT) and SIGTERM: stop promptly, stop the git processes keyscan started, and exit 130
// (143 for SIGTERM) as shells expect. Nothing is left half-written: files are written synchronously
// to a temporary name and renamed (write-file.ts), and a signal handler only runs between two
// JavaScript tasks, so never in the middle of that write.
import { killGitChildren } from "../sources/git.js";

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

export function exitOnInterrupt(): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      killGitChildren();
      process.stderr.write(`\nkeyscan: interrupted (${signal})\n`);
      process.exit(EXIT_CODES[signal]);
    });
  }
}
