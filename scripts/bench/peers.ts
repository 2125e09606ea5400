// The peer scanners the bench compares keyscan with, installed on first use into .bench/peers/ rather
// than kept among the devDependencies: secretlint 13 declares Node >= 22, so as a devDependency it
// made every `npm ci` on Node 20 print ~50 EBADENGINE warnings and install ~50 packages that only the
// bench uses. (It runs on Node 20 all the same.) Exact versions, so runs compare like with like.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const PEER_PACKAGES = ["secretlint@13.0.6", "@secretlint/secretlint-rule-preset-recommend@13.0.7"];

export interface Peers {
  /** The folder the peers are installed in (its node_modules is also read for the bench's corpus). */
  dir: string;
  secretlintBin: string;
  secretlintVersion: string;
}

/** Installs the peers into `benchDir`/peers the first time (npm, from the registry or its cache), then reuses them. */
export function installPeers(benchDir: string): Peers {
  const dir = join(benchDir, "peers");
  const secretlintBin = join(dir, "node_modules", ".bin", "secretlint");
  if (!existsSync(secretlintBin)) {
    process.stderr.write(`installing ${PEER_PACKAGES.join(", ")} into ${dir} …\n`);
    execFileSync("npm", ["install", "--prefix", dir, "--no-audit", "--no-fund", "--loglevel=error", "--engine-strict=false", ...PEER_PACKAGES], {
      stdio: "inherit",
    });
  }
  const manifest = JSON.parse(readFileSync(join(dir, "node_modules", "secretlint", "package.json"), "utf8")) as { version: string };
  return { dir, secretlintBin, secretlintVersion: manifest.version };
}
