import { createHash, scryptSync } from "node:crypto";
import { isGuessable } from "../engine/entropy.js";

/**
 * A finding's fingerprint: stable across line moves, rebases, squashes and clones because it depends only
 * on the rule, the path and the secret, so a committed baseline or .keyscanignore works everywhere.
 * A hash, so it can be printed and stored without the secret. For a strong secret (an API key) that is
 * SHA-256: nobody can guess 128 bits and more. A guessable secret (isGuessable: a password) gets scrypt, a
 * slow, memory-hard hash salted with the rule and path, so each guess costs milliseconds and megabytes
 * instead of a nanosecond, and a table computed for one repository's path fits no other.
 */
export function fingerprint(ruleId: string, path: string, secret: string): string {
  if (!isGuessable(secret)) return legacyFingerprint(ruleId, path, secret);
  const key = `${ruleId}\0${path}\0${secret}`;
  let slow = slowFingerprints.get(key);
  if (slow === undefined) {
    slow = scryptSync(secret, `keyscan fingerprint v3\0${ruleId}\0${path}`, 10, SCRYPT).toString("hex");
    slowFingerprints.set(key, slow);
  }
  return slow;
}

/**
 * scrypt's cost: N = 2^12 with r = 8, 4 MB and ~10 ms a hash. Every guessable finding pays it once a path, and a
 * real tree holds dozens of test and documentation passwords, so the cost is what a scan can afford: a dearer
 * hash slows a guesser down in proportion, it does not stop one (a weak password must be rotated anyway).
 */
const SCRYPT = { N: 2 ** 12, r: 8, p: 1 };

/** A secret found at many places (a blob's paths in history, a duplicated file) is hashed once per path. */
const slowFingerprints = new Map<string, string>();

/**
 * The fingerprint before guessable secrets got scrypt: a truncated SHA-256 of rule, path and secret. Still
 * what a strong secret's fingerprint is; for a guessable one it is only matched against old ignore and
 * baseline entries, so they keep working until they are replaced.
 */
export function legacyFingerprint(ruleId: string, path: string, secret: string): string {
  return createHash("sha256").update(`${ruleId}\0${path}\0${secret}`).digest("hex").slice(0, 20);
}
