// Standard output as a place a report must reach: a write that fails (a full disk: ENOSPC; a reader that
// went away: EPIPE, `| head -0`) is an error, exit code 2, never a report taken as delivered (0 or 1).
import { UsageError } from "../errors.js";
import { writeFailure } from "../fs/write-file.js";

/**
 * Once per process: the failure is reported through writeStdout's promise, so the stream's own "error"
 * event, which would otherwise end the process with a stack trace, is taken care of here.
 */
export function guardStdout(): void {
  process.stdout.on("error", () => {});
}

/** Writes `text` to standard output; resolves once it is handed to the OS, rejects with a one-sentence UsageError. */
export function writeStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (error) => {
      if (error) reject(new UsageError(`cannot write to standard output: ${writeFailure(error)}`));
      else resolve();
    });
  });
}
