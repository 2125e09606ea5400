import { describe, expect, it } from "vitest";
import { redactSecret } from "../../../src/report/redact.js";
import { MAX_SARIF_RESULTS, renderSarif } from "../../../src/report/sarif.js";
import type { Finding, Severity } from "../../../src/types.js";
import { multitoolProblems, sarifSchemaErrors } from "../../helpers/sarif.js";
import { input, keys, rules, sampleFindings, scan } from "./fixtures.js";

// The parts of a SARIF log these tests read.
interface Sarif {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; semanticVersion: string; rules: SarifRule[] } };
    automationDetails: { id: string };
    originalUriBaseIds?: Record<string, { uri: string }>;
    invocations: { executionSuccessful: boolean; toolExecutionNotifications?: { level: string; message: { text: string } }[] }[];
    results: SarifResult[];
  }[];
}
interface SarifRule {
  id: string;
  name: string;
  help: { text: string; markdown: string };
  defaultConfiguration: { level: string };
  properties: { "security-severity": string; tags: string[]; precision: string };
}
interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: {
    physicalLocation: {
      artifactLocation: { uri: string; uriBaseId?: string };
      region: { startLine: number; startColumn: number; endLine: number; endColumn: number };
    };
  }[];
  partialFingerprints: { primaryLocationLineHash: string };
  properties?: Record<string, unknown>;
}

function parse(text: string): Sarif {
  return JSON.parse(text) as Sarif;
}

function run(text: string) {
  const [first] = parse(text).runs;
  if (!first) throw new Error("no run");
  return first;
}

/** Findings of every kind the SARIF writer handles: history, verification, odd paths, a multi-line region. */
function richFindings(): Finding[] {
  const commit = { sha: "c".repeat(40), author: "Eve", email: "eve@example.com", date: "2022-12-31T23:59:59Z" };
  const [legacy] = scan({ path: "dir with space/#1 100%.env", text: `A=${keys.legacy}\n`, commit });
  if (!legacy) throw new Error("no finding");
  return [
    ...sampleFindings(),
    { ...legacy, verification: { status: "valid", identity: "user-abc" } },
    { ...legacy, path: "weird:name,ü.txt", line: 4, endLine: 6, endColumn: 3, verification: { status: "unknown" } },
  ];
}

describe("renderSarif", () => {
  const text = renderSarif(input(richFindings(), { mode: "history", root: "/home/dev/project" }));

  it("passes the official SARIF 2.1.0 JSON schema", () => {
    expect(sarifSchemaErrors(JSON.parse(text))).toEqual([]);
    // The validator does reject a broken log, so the pass above means something.
    const broken = JSON.parse(text) as Sarif;
    const location = broken.runs[0]?.results[0]?.locations[0];
    if (location) location.physicalLocation.region.startLine = 0;
    expect(sarifSchemaErrors(broken)).not.toEqual([]);
  });

  describe("with the SARIF Multitool and GitHub's ingestion rules", () => {
    it("reports no error and no warning for keyscan's log", { timeout: 60_000 }, () => {
      expect(multitoolProblems(text)).toEqual([]);
    });

    it("does flag a log GitHub would reject (a run without rules)", { timeout: 60_000 }, () => {
      const broken = JSON.parse(text) as { runs: { tool: { driver: { rules?: unknown } } }[] };
      if (broken.runs[0]) delete broken.runs[0].tool.driver.rules;
      expect(multitoolProblems(JSON.stringify(broken))).toContain("error GH1018");
    });
  });

  it("describes the tool and lists each rule with results once, with GitHub's severity properties", () => {
    const sarif = parse(text);
    expect(sarif.$schema).toBe("https://json.schemastore.org/sarif-2.1.0.json");
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs).toHaveLength(1);
    const driver = run(text).tool.driver;
    expect(driver).toMatchObject({ name: "keyscan", semanticVersion: "0.1.0", informationUri: "https://www.npmjs.com/package/keyscan-cli" });
    const ids = driver.rules.map((rule) => rule.id);
    const withResults = new Set(richFindings().map((finding) => finding.ruleId));
    expect(withResults.size).toBeGreaterThan(2);
    expect(withResults.size).toBeLessThan(rules.length);
    // In the order of the rules in force, none without results.
    expect(ids).toEqual(rules.map((rule) => rule.id).filter((id) => withResults.has(id)));
    const project = driver.rules.find((rule) => rule.id === "openai-project-key");
    expect(project?.name).toBe("OpenaiProjectKey");
    expect(project?.help.markdown).toContain("Revoke it under the project's API keys");
    expect(project?.properties).toMatchObject({ "security-severity": "9.5", precision: "high" });
    // GitHub's own tags come first; the rule's tags (from rules/*.toml) follow.
    expect(project?.properties.tags.slice(0, 2)).toEqual(["security", "secret"]);
    const byId = (id: string) => driver.rules.find((rule) => rule.id === id);
    expect(byId("test-password")?.properties["security-severity"]).toBe("5.5");
    expect(byId("test-password")?.properties.tags).toEqual(["security", "secret", "password"]);
    expect(byId("test-password")?.defaultConfiguration.level).toBe("warning");
    expect(byId("test-pin")?.defaultConfiguration.level).toBe("note");
  });

  it("lists no rule for a clean run, and GitHub's rules accept it", { timeout: 60_000 }, () => {
    const clean = renderSarif(input([]));
    expect(run(clean).tool.driver.rules).toEqual([]);
    expect(run(clean).results).toEqual([]);
    expect(sarifSchemaErrors(JSON.parse(clean))).toEqual([]);
    expect(multitoolProblems(clean)).toEqual([]);
  });

  it("stays small with many rules in force: a rule without results adds nothing", () => {
    const [finding] = sampleFindings();
    if (!finding) throw new Error("no finding");
    const many = Array.from({ length: 2000 }, (_, index) => ({ ...rules[0], id: `extra-rule-${index}` }) as (typeof rules)[number]);
    const few = renderSarif(input([finding]));
    const withMany = renderSarif(input([finding], { rules: [...rules, ...many] }));
    expect(withMany).toBe(few);
  });

  it("keeps rule ids unique when the rules repeat, and adds a rule a finding names but the list lacks", () => {
    const [finding] = sampleFindings();
    if (!finding) throw new Error("no finding");
    const stray = { ...finding, ruleId: "custom-token", ruleName: "Custom token" };
    const [first] = rules;
    if (!first) throw new Error("no rules");
    const out = run(renderSarif(input([finding, stray], { rules: [...rules, { ...first }] })));
    const ids = out.tool.driver.rules.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain("custom-token");
    for (const result of out.results) expect(out.tool.driver.rules[result.ruleIndex]?.id).toBe(result.ruleId);
  });

  it("places each result with four 1-based coordinates and a %SRCROOT%-relative, encoded URI", () => {
    const out = run(text);
    const place = (path: string, line: number, column: number, endLine: number, endColumn: number) =>
      JSON.stringify([path, line, column, endLine, endColumn]);
    const expected = richFindings().map((f) => place(f.path, f.line, f.column, f.endLine, f.endColumn));
    const actual = out.results.map((result) => {
      const { artifactLocation, region } = result.locations[0]?.physicalLocation ?? {};
      expect(artifactLocation?.uriBaseId).toBe("%SRCROOT%");
      const path = (artifactLocation?.uri ?? "").split("/").map(decodeURIComponent).join("/");
      return place(path, region?.startLine ?? 0, region?.startColumn ?? 0, region?.endLine ?? 0, region?.endColumn ?? 0);
    });
    expect(actual.sort()).toEqual(expected.sort());
    const uris = out.results.map((result) => result.locations[0]?.physicalLocation.artifactLocation.uri);
    expect(uris).toContain("dir%20with%20space/%231%20100%25.env");
    expect(uris).toContain("weird%3Aname%2C%C3%BC.txt");
    expect(uris).toContain("src/config.ts");
    const project = out.results.find((result) => result.ruleId === "openai-project-key");
    expect(project?.locations[0]?.physicalLocation.region).toEqual({ startLine: 2, startColumn: 21, endLine: 2, endColumn: 185 });
    expect(out.originalUriBaseIds).toEqual({ "%SRCROOT%": { uri: "file:///home/dev/project/" } });
    expect(run(renderSarif(input(sampleFindings()))).originalUriBaseIds).toBeUndefined();
  });

  it("gives an absolute path a file: URI without a base", () => {
    const [finding] = sampleFindings();
    if (!finding) throw new Error("no finding");
    const [result] = run(renderSarif(input([{ ...finding, path: "/tmp/a b.txt" }]))).results;
    expect(result?.locations[0]?.physicalLocation.artifactLocation).toEqual({ uri: "file:///tmp/a%20b.txt" });
  });

  it("names the rule and the redacted secret, and carries commit and verification as properties", () => {
    const out = run(text);
    const live = out.results.find((result) => result.properties?.verification !== undefined && result.locations[0]?.physicalLocation.region.startLine === 1);
    expect(live?.message.text).toContain(`OpenAI API key (legacy user key) (openai-legacy-key): ${redactSecret(keys.legacy)}.`);
    expect(live?.message.text).toContain("Verified live");
    expect(live?.properties).toEqual({
      commit: "c".repeat(40),
      author: "Eve",
      email: "eve@example.com",
      date: "2022-12-31T23:59:59Z",
      verification: { status: "valid", identity: "user-abc" },
    });
    expect(out.automationDetails.id).toBe("keyscan/history/");
    expect(run(renderSarif(input([], { category: "keyscan/nightly" }))).automationDetails.id).toBe("keyscan/nightly/");
    expect(out.invocations[0]?.executionSuccessful).toBe(true);
  });

  it("sets level by severity, and error for a key verified live", () => {
    const [, password, , pin] = sampleFindings();
    if (!password || !pin) throw new Error("fixture changed");
    const levels = (findings: Finding[]) => run(renderSarif(input(findings))).results.map((result) => result.level);
    expect(levels([password, pin])).toEqual(["note", "warning"]); // app/main.py (pin) sorts first
    expect(levels([{ ...pin, verification: { status: "valid" } }])).toEqual(["error"]);
  });

  it("fingerprints results by content, so a key that moves down the file keeps its alert", () => {
    const body = `const key = "${keys.project}";\nconst again = "${keys.project}";\n`;
    const hashes = (text: string) =>
      run(renderSarif(input(scan({ path: "k.ts", text })))).results.map((result) => result.partialFingerprints.primaryLocationLineHash);
    const before = hashes(body);
    const after = hashes(`// a\n// b\n\n${body}`);
    expect(before).toEqual(after);
    expect(new Set(before).size).toBe(2);
    expect(before[0]).toMatch(/^[0-9a-f]{20}:1$/);
  });

  it("caps results at 25,000, keeping the most severe, and says how many were left out", () => {
    const [critical, , , low] = sampleFindings();
    if (!critical || !low) throw new Error("fixture changed");
    const at = (finding: Finding, line: number, severity: Severity = finding.severity): Finding => ({ ...finding, severity, line, endLine: line });
    const findings = [
      ...Array.from({ length: 30 }, (_, i) => at(low, i + 1)),
      ...Array.from({ length: MAX_SARIF_RESULTS }, (_, i) => at(critical, i + 1)),
    ];
    const out = run(renderSarif(input(findings)));
    expect(MAX_SARIF_RESULTS).toBe(25_000);
    expect(out.results).toHaveLength(25_000);
    expect(out.results.every((result) => result.level === "error")).toBe(true);
    expect(out.invocations[0]?.toolExecutionNotifications).toEqual([
      { level: "warning", message: { text: expect.stringMatching(/^30 of 25030 findings were left out/) } },
    ]);
    expect(run(renderSarif(input(findings.slice(0, 25_000)))).invocations[0]?.toolExecutionNotifications).toBeUndefined();
  });
});
