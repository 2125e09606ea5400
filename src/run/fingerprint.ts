import { createHash } from "node:crypto";

/**
 * A finding's fingerprint: stable across line moves, rebases and squashes because it depends only
 * on the rule, the path and the secret. A hash, so it can be printed and stored without the secret.
 */
export function fingerprint(ruleId: string, path: string, secret: string): string {
  return createHash("sha256").update(`${ruleId}\0${path}\0${secret}`).digest("hex").slice(0, 20);
}
