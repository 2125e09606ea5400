import { describe, expect, it } from "vitest";
import { JSON_FORMAT_VERSION, type JsonReport, renderJson } from "../../../src/report/json.js";
import { redactSecret } from "../../../src/report/redact.js";
import type { ReportInput } from "../../../src/report/common.js";
import type { Finding } from "../../../src/types.js";
import { input, keys, rules, sampleFindings, scan } from "./fixtures.js";

function parse(text: string): JsonReport {
  return JSON.parse(text) as JsonReport;
}

describe("renderJson", () => {
  it("writes the documented, versioned document", () => {
    const given = input(sampleFindings());
    const report = parse(renderJson(given));
    expect(report.version).toBe(JSON_FORMAT_VERSION);
    expect(report.version).toBe(1);
    expect(report.tool).toEqual({ name: "keyscan", version: "0.1.0" });
    expect(report.mode).toBe("scan");
    expect(report.stats).toEqual(given.stats);
    expect(report.findings.map((f) => `${f.file}:${f.line}`)).toEqual(["app/main.py:1", "app/main.py:2", "src/config.ts:2", "src/config.ts:3"]);
  });

  it("flattens a finding with the secret redacted, and no match or companion", () => {
    const [finding] = scan({ path: "src/a.ts", text: `\n  const k = "${keys.project}";\n` });
    if (!finding) throw new Error("no finding");
    const [out] = parse(renderJson(input([{ ...finding, companion: "AKIA0000000000000000" }]))).findings;
    expect(out).toEqual({
      ruleId: "openai-project-key",
      ruleName: "OpenAI project API key",
      severity: "critical",
      file: "src/a.ts",
      line: 2,
      column: 14,
      endLine: 2,
      endColumn: 14 + keys.project.length,
      secret: redactSecret(keys.project),
      fingerprint: finding.fingerprint,
      entropy: finding.entropy,
    });
  });

  it("flattens commit fields and keeps verification", () => {
    const commit = { sha: "f".repeat(40), author: "Bob", email: "bob@example.com", date: "2023-02-03T04:05:06Z", message: "oops" };
    const [finding] = scan({ path: "x.env", text: `K=${keys.legacy}\n`, commit });
    if (!finding) throw new Error("no finding");
    const [out] = parse(renderJson(input([{ ...finding, verification: { status: "valid", identity: "user-1" } }], { mode: "history" })))
      .findings;
    expect(out).toMatchObject({ commit: "f".repeat(40), author: "Bob", email: "bob@example.com", date: "2023-02-03T04:05:06Z" });
    expect(out?.verification).toEqual({ status: "valid", identity: "user-1" });
    expect(JSON.stringify(out)).not.toContain("oops");
  });

  it("with --no-redact shows the secret and the match, still never the companion", () => {
    const [finding] = scan({ path: "c.py", text: `password = "${keys.password}"\n` });
    if (!finding) throw new Error("no finding");
    const text = renderJson(input([{ ...finding, companion: "companion-secret-value" }], { redact: false }));
    const [out] = parse(text).findings;
    expect(out?.secret).toBe(keys.password);
    expect(out?.match).toBe(`password = "${keys.password}"`);
    expect(text).not.toContain("companion");
  });

  it("has an empty findings array when nothing was found", () => {
    expect(parse(renderJson(input([]))).findings).toEqual([]);
  });

  it("reads the rules only for a finding: a clean scan's report does not make every rule's texts", () => {
    let reads = 0;
    const counted = (findings: Finding[]): ReportInput => {
      const given = input(findings);
      return {
        ...given,
        get rules() {
          reads++;
          return rules;
        },
      };
    };
    expect(parse(renderJson(counted([]))).rules).toEqual({});
    expect(reads).toBe(0);
    const [finding] = scan({ path: "src/a.ts", text: `const k = "${keys.project}";\n` });
    if (!finding) throw new Error("no finding");
    const remediation = rules.find((rule) => rule.id === finding.ruleId)?.remediation;
    expect(remediation).toBeTruthy();
    expect(parse(renderJson(counted([finding]))).rules[finding.ruleId]?.remediation).toBe(remediation);
    expect(reads).toBe(1);
  });
});
