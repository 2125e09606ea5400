// The eval's count of the providers in gitleaks' and trufflehog's lists that keyscan has a rule for,
// read from snapshot folders laid out as theirs are.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { buildContext } from "../../../src/run/pipeline.js";
import { printProviderListCoverage } from "../../../scripts/provider-lists.js";

const peers = mkdtempSync(join(tmpdir(), "keyscan-lists-"));
afterAll(() => rmSync(peers, { recursive: true, force: true }));

function printed(verbose: boolean): string {
  const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
  try {
    printProviderListCoverage(peers, buildContext().ruleset, (dir) => dir, verbose);
    return log.mock.calls.map((call) => call.join(" ")).join("\n");
  } finally {
    log.mockRestore();
  }
}

describe("provider list coverage", () => {
  it("counts the list entries whose provider has a rule, by name or first word, and names the others", () => {
    mkdirSync(join(peers, "gitleaks", "config"), { recursive: true });
    writeFileSync(join(peers, "gitleaks", "config", "gitleaks.toml"), ['[[rules]]', 'id = "aws-amazon-bedrock-api-key-long-lived"', '[[rules]]', 'id = "stripe-access-token"', '[[rules]]', 'id = "zzqvendor-api-token"', ""].join("\n"));
    for (const detector of ["github", "zzqwidget"]) mkdirSync(join(peers, "trufflehog", "pkg", "detectors", detector), { recursive: true });
    writeFileSync(join(peers, "trufflehog", "pkg", "detectors", "fp_words.txt"), "not a detector\n");
    const out = printed(true);
    expect(out).toContain("gitleaks' default rules");
    expect(out).toMatch(/3 entries, keyscan has a rule for the provider of 2; none for 1\n {2}without a rule: zzqvendor-api-token/);
    expect(out).toMatch(/trufflehog's detectors .*: 2 entries, keyscan has a rule for the provider of 1; none for 1\n {2}without a rule: zzqwidget/);
    expect(printed(false)).not.toContain("without a rule");
  });

  it("says which snapshot is missing rather than counting nothing", () => {
    const empty = mkdtempSync(join(peers, "none-"));
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    printProviderListCoverage(empty, buildContext().ruleset, (dir) => dir, false);
    const out = log.mock.calls.map((call) => call.join(" ")).join("\n");
    log.mockRestore();
    expect(out).toContain("gitleaks not found, skipped");
    expect(out).toContain("trufflehog not found, skipped");
  });
});
