// Which providers of gitleaks' and trufflehog's lists keyscan has a rule for (the issue asks for every
// cloud, CI, registry, database, payment and messaging provider in them), read at run time from
// snapshots in DIR/peers: gitleaks' default rule ids (`config/gitleaks.toml`) and trufflehog's detector
// folders (`pkg/detectors/*`). Nothing of theirs is committed. An entry counts as covered when
// coveredFamilies knows its name, or its first word (gitleaks' `aws-amazon-bedrock-api-key-long-lived`).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Ruleset } from "../src/engine/ruleset.js";
import { coveredFamilies } from "./provider-coverage.js";

interface ProviderList {
  name: string;
  /** The snapshot's folder under DIR/peers. */
  folder: string;
  entries: (snapshot: string) => string[] | undefined;
}

const LISTS: ProviderList[] = [
  {
    name: "gitleaks' default rules",
    folder: "gitleaks",
    entries: (snapshot) => {
      const config = join(snapshot, "config", "gitleaks.toml");
      if (!existsSync(config)) return undefined;
      return [...readFileSync(config, "utf8").matchAll(/^id\s*=\s*"([^"]+)"/gm)].map((match) => match[1] as string);
    },
  },
  {
    name: "trufflehog's detectors",
    folder: "trufflehog",
    entries: (snapshot) => {
      const detectors = join(snapshot, "pkg", "detectors");
      if (!existsSync(detectors)) return undefined;
      return readdirSync(detectors, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name);
    },
  },
];

/** Prints, for each list whose snapshot is there, how many of its providers keyscan has a rule for, and (verbose) which it has none for. */
export function printProviderListCoverage(peers: string, ruleset: Ruleset, sourceOf: (dir: string) => string, verbose: boolean): void {
  const covered = coveredFamilies(ruleset);
  for (const list of LISTS) {
    const snapshot = join(peers, list.folder);
    const entries = existsSync(snapshot) ? list.entries(snapshot) : undefined;
    if (!entries) {
      console.log(`\n${list.name}: ${snapshot} not found, skipped.`);
      continue;
    }
    const missing = entries.filter((entry) => !covered(entry) && !covered(entry.split("-")[0] as string));
    console.log(`\n${list.name} (${sourceOf(snapshot)}): ${entries.length} entries, keyscan has a rule for the provider of ${entries.length - missing.length}; none for ${missing.length}`);
    if (verbose && missing.length > 0) console.log(`  without a rule: ${missing.join(" ")}`);
  }
}
