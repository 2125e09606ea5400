// detect-secrets, with its default plugins and filters, over the same example files the eval scores
// keyscan on. It is a Python package, and this machine reaches no Python package index: it runs from
// the snapshot of Yelp/detect-secrets the eval reads its test cases from (DIR/peers/detect-secrets), on
// the system's python3 with the two packages it needs, PyYAML and requests (Debian: python3-yaml,
// python3-requests). Nothing of it is installed or committed. Its findings come back as "file:line"
// keys like keyscan's.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, normalize } from "node:path";
import { inFolderOf } from "./peer-folder.js";

export interface DetectSecrets {
  /** The snapshot's folder, put on PYTHONPATH. */
  snapshot: string;
  version: string;
}

/** detect-secrets runnable from the snapshot, or why it is not. */
export function findDetectSecrets(snapshot: string): DetectSecrets | { missing: string } {
  if (!existsSync(join(snapshot, "detect_secrets", "__init__.py"))) return { missing: `no detect_secrets package in ${snapshot}` };
  const probe = spawnSync("python3", ["-c", "import yaml, requests; from detect_secrets.__version__ import VERSION; print(VERSION)"], {
    encoding: "utf8",
    env: { ...process.env, PYTHONPATH: snapshot },
  });
  if (probe.error) return { missing: "no python3 on PATH" };
  if (probe.status !== 0) return { missing: `python3 cannot run it (${probe.stderr.trim().split("\n").pop() ?? ""}; it needs PyYAML and requests)` };
  return { snapshot, version: probe.stdout.trim() };
}

interface DetectSecretsReport {
  results: Record<string, { line_number: number }[]>;
}

/**
 * Runs `detect-secrets scan --all-files` over `files` (relative path -> text, or bytes), written under
 * a fresh folder, and returns each flagged line as "relative path:line"; undefined, with its first
 * error line printed, when it fails.
 */
export function detectSecretsFlags(detectSecrets: DetectSecrets, files: Map<string, string | Uint8Array>): Set<string> | undefined {
  return inFolderOf("keyscan-eval-detect-secrets-", files, (root) => {
    const run = spawnSync("python3", ["-m", "detect_secrets", "scan", "--all-files", "."], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, PYTHONPATH: detectSecrets.snapshot },
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.status !== 0) {
      console.log(`  (detect-secrets exited ${run.status}: ${(run.stderr || run.stdout).trim().split("\n").pop()})`);
      return undefined;
    }
    const flags = new Set<string>();
    for (const [file, secrets] of Object.entries((JSON.parse(run.stdout) as DetectSecretsReport).results)) {
      for (const secret of secrets) flags.add(`${normalize(file)}:${secret.line_number}`);
    }
    return flags;
  });
}
