// `keyscan fix --history`: history is not rewritten by keyscan. It writes the file that
// `git filter-repo --replace-text` takes and says what running it costs, because a key committed
// once stays readable in every clone until it is rotated, whatever is done to history afterwards.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Finding } from "../types.js";
import { writeFileAtomic } from "../fs/write-file.js";

/** One `literal:SECRET==>***REMOVED***` line per distinct secret (`literal:` so a secret is never read as a glob or regex). */
export function replacementText(findings: readonly Finding[]): string {
  const secrets = [...new Set(findings.map((finding) => finding.secret))];
  return secrets.map((secret) => `literal:${secret}==>***REMOVED***\n`).join("");
}

/**
 * Writes the replacement file, mode 0600: to `output` when given, else to a new private folder
 * outside the repository (a file of secrets inside it could be committed by the next `git add .`).
 */
export function writeReplacementFile(text: string, output: string | undefined): string {
  const file = output ?? join(mkdtempSync(join(tmpdir(), "keyscan-history-")), "replace-text.txt");
  writeFileAtomic(file, text, 0o600);
  return file;
}

/** The commands to run, and what they cost. */
export function historyInstructions(file: string, secrets: number): string[] {
  return [
    `Wrote ${secrets} secret(s) to ${file} (mode 0600; delete it when done).`,
    "To remove them from every commit, in a fresh clone (git filter-repo refuses to rewrite others):",
    `  git filter-repo --replace-text ${file}`,
    "  git push --force --all && git push --force --tags",
    "What that costs:",
    "  - every commit from the first that held a secret gets a new id: open pull requests and signed tags break;",
    "  - everyone must re-clone (or hard-reset every branch); a clone that pushes its old branches brings the secrets back;",
    "  - forks, caches and the host's pull-request refs keep the old commits: ask the host's support to purge them;",
    "  - none of it un-leaks a key: rotate each one first (see the steps above).",
  ];
}
