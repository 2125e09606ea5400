// A lock file beside a file that several keyscan processes may update at once (the baseline): created with
// O_EXCL, so exactly one process holds it; the others wait a little, then give up with a clear message.
import { closeSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { UsageError } from "../errors.js";
import { readSmallFile } from "./read-file.js";
import { writeFailure } from "./write-file.js";
import { neutralize } from "../report/common.js";

/** How long a second process waits for the lock: updates under it take milliseconds, so this is generous. */
const WAIT_MS = 5_000;
const POLL_MS = 100;
/** A lock this old whose holder cannot be checked (another host, unreadable) is taken to be left over from a crash. */
const STALE_MS = 10 * 60_000;

/**
 * Runs `update` holding `${file}.lock`. A lock whose process is gone (same host, pid not running) or that is
 * older than ten minutes is stale and taken over; a live one is waited for up to five seconds, then a
 * UsageError names the process holding it.
 */
export async function withLock<T>(file: string, update: () => T): Promise<T> {
  const lock = `${file}.lock`;
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    if (tryCreate(file, lock)) break;
    const holder = describeHolder(lock);
    if (holder.stale) {
      rmSync(lock, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new UsageError(
        `${neutralize(file)} is being updated by ${holder.who} (lock file ${neutralize(lock)}); run again when it is done, or delete the lock file if no keyscan is running`,
      );
    }
    await sleep(POLL_MS);
  }
  try {
    return update();
  } finally {
    rmSync(lock, { force: true });
  }
}

/**
 * Creates the lock with O_EXCL (which also refuses a symlink in its place); false when it exists. A lock
 * that cannot be created (a folder that does not exist, a read-only one) means `file` cannot be written either.
 */
function tryCreate(file: string, lock: string): boolean {
  let fd: number;
  try {
    fd = openSync(lock, "wx");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new UsageError(`cannot write ${neutralize(file)}: ${writeFailure(error)} (its lock file ${neutralize(lock)} could not be created)`);
  }
  try {
    writeSync(fd, `${JSON.stringify({ pid: process.pid, host: hostname() })}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

function describeHolder(lock: string): { stale: boolean; who: string } {
  let holder: { pid?: unknown; host?: unknown } = {};
  let age = 0;
  try {
    age = Date.now() - statSync(lock).mtimeMs;
    holder = JSON.parse(readSmallFile(lock, "lock file", { limit: 1024 })) as typeof holder;
  } catch {
    // Vanished, unreadable or half-written: only its age can tell.
  }
  const pid = typeof holder.pid === "number" ? holder.pid : undefined;
  const who = pid === undefined ? "another process" : `keyscan process ${pid}${holder.host === hostname() ? "" : ` on ${neutralize(String(holder.host))}`}`;
  if (pid !== undefined && holder.host === hostname()) return { stale: !isRunning(pid), who };
  return { stale: age > STALE_MS, who };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
