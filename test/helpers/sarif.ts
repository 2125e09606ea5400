// Checks a SARIF log the two ways GitHub code scanning cares about: the official SARIF 2.1.0 JSON
// schema (ajv) and GitHub's ingestion rules (the SARIF Multitool's "Gh" rule kind).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";

const toolDir = fileURLToPath(new URL("../../node_modules/@microsoft/sarif-multitool-linux/", import.meta.url));

let validator: ReturnType<Ajv2020["compile"]> | undefined;

/** The schema's errors for this log; empty when it is valid. */
export function sarifSchemaErrors(log: unknown): ErrorObject[] {
  validator ??= new Ajv2020({ strict: false, validateFormats: false, allErrors: true }).compile(
    JSON.parse(readFileSync(join(toolDir, "sarif-2.1.0.json"), "utf8")) as object,
  );
  return validator(log) ? [] : [...(validator.errors ?? [])];
}

/**
 * "level ruleId" for each problem the Multitool finds with GitHub's rules. The Multitool exits 0
 * whatever it finds, so its own SARIF output is read.
 */
export function multitoolProblems(sarifText: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), "keyscan-multitool-"));
  try {
    const file = join(dir, "log.sarif");
    const out = join(dir, "out.sarif");
    writeFileSync(file, sarifText);
    execFileSync(join(toolDir, "Sarif.Multitool"), ["validate", file, "-o", out, "--rule-kind", "Sarif;Gh"], { stdio: "pipe" });
    const log = JSON.parse(readFileSync(out, "utf8")) as { runs: { results: { level?: string; ruleId: string }[] }[] };
    return log.runs.flatMap((run) => run.results.map((result) => `${result.level ?? "warning"} ${result.ruleId}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
