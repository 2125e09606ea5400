// PKCS#12 key stores made by openssl for tests: a throw-away EC key and self-signed certificate,
// exported as `openssl pkcs12 -export` writes them. Every key is generated fresh, in a temporary folder.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface KeyStoreOptions {
  password: string;
  /** The MAC's digest (`-macalg`); openssl 3 writes SHA-256 by default. */
  macAlgorithm?: "sha1" | "sha256" | "sha384" | "sha512";
  /** The MAC's (and the encryption's) iteration count (`-iter`). */
  iterations?: number;
  /** Certificates only, no private key (a trust store). */
  certificatesOnly?: boolean;
  /** No MAC at all (`-nomac`). */
  noMac?: boolean;
}

/** Makes key stores from one key pair; `remove` deletes its folder. */
export function keyStoreMaker(): { keyStore: (options: KeyStoreOptions) => Buffer; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "keyscan-p12-"));
  const key = join(dir, "key.pem");
  const certificate = join(dir, "cert.pem");
  const openssl = (...args: string[]): void => {
    execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  };
  openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", certificate, "-subj", "/CN=keyscan test", "-days", "2");
  let made = 0;
  const keyStore = (options: KeyStoreOptions): Buffer => {
    const out = join(dir, `store-${made++}.p12`);
    openssl(
      "pkcs12",
      "-export",
      "-in",
      certificate,
      ...(options.certificatesOnly ? ["-nokeys"] : ["-inkey", key]),
      "-out",
      out,
      "-passout",
      `pass:${options.password}`,
      ...(options.macAlgorithm ? ["-macalg", options.macAlgorithm] : []),
      ...(options.iterations ? ["-iter", String(options.iterations)] : []),
      ...(options.noMac ? ["-nomac"] : []),
    );
    return readFileSync(out);
  };
  return { keyStore, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A password nobody knows, so no well-known one opens the store. */
export const randomPassword = (): string => randomBytes(12).toString("base64url");
