// Every test's scratch folders, and the temporary files the CLI itself leaves for the user (the
// replacement file of `keyscan fix --history`, hooks' backups), go under one folder for the run,
// removed at its end: without it, each run left dozens of folders in the machine's /tmp.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup(): () => void {
  const runDir = mkdtempSync(join(tmpdir(), "keyscan-tests-"));
  // Read by os.tmpdir() in the test workers and in every process they spawn, which inherit it.
  process.env.TMPDIR = runDir;
  return () => rmSync(runDir, { recursive: true, force: true });
}
