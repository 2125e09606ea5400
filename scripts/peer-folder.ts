// The example files a peer scanner is run over, written under a fresh folder for one run and removed
// after it: secretlint and detect-secrets are scored on the same files as keyscan (scripts/peers.ts).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** Writes `files` (relative path -> text, or bytes) under a fresh folder, runs `run` on that folder, and removes it. */
export function inFolderOf<T>(prefix: string, files: Map<string, string | Uint8Array>, run: (root: string) => T): T {
  const root = mkdtempSync(join(tmpdir(), prefix));
  try {
    for (const [file, text] of files) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), text);
    }
    return run(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
