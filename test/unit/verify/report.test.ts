// Verdicts from --verify as the three report formats show them: a live key, a revoked one, an unreachable one.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { render } from "../../../src/report/index.js";
import { emptyStats, type Finding, type RuleMeta } from "../../../src/types.js";
import { verifyFindings } from "../../../src/verify/index.js";
import { fakeCredential, refusingUrl, type StandIn, standIns, startStandIn } from "../../helpers/fake-providers.js";

const rule = (id: string): RuleMeta => ({ id, name: id, severity: "high", remediation: "Revoke it.", tags: [] });
const rules = [rule("openai-project-key"), rule("github-pat"), rule("slack-bot-token")];

function finding(ruleId: string, secret: string, line: number): Finding {
  return {
    ruleId,
    ruleName: ruleId,
    severity: "high",
    path: "settings.env",
    line,
    column: 5,
    endLine: line,
    endColumn: 5 + secret.length,
    secret,
    match: secret,
    fingerprint: `fp${line}`,
    entropy: 4.5,
  };
}

const live = fakeCredential("openai", 101);
const revoked = fakeCredential("github", 202);
const unreachable = fakeCredential("slack", 303);
let servers: StandIn[] = [];
let verified: Finding[] = [];

beforeAll(async () => {
  servers = [
    await startStandIn(standIns.openai?.answer(live) ?? (() => ({}))),
    await startStandIn(standIns.github?.answer(fakeCredential("github", 1)) ?? (() => ({}))),
  ];
  verified = await verifyFindings(
    [finding("openai-project-key", live.secret, 1), finding("github-pat", revoked.secret, 2), finding("slack-bot-token", unreachable.secret, 3)],
    (ruleId) => ruleId.split("-")[0],
    { endpoints: { openai: servers[0]?.url ?? "", github: servers[1]?.url ?? "", slack: await refusingUrl() } },
  );
});
afterAll(async () => Promise.all(servers.map((server) => server.close())));

const report = (format: "text" | "json" | "sarif"): string =>
  render(format, { findings: verified, stats: emptyStats(), mode: "scan", rules, redact: true, color: false, toolVersion: "0.0.0" });

describe("verdicts in reports", () => {
  it("text: a mark per finding, with the owner of a live key", () => {
    const text = report("text");
    expect(text).toContain("✔ live");
    expect(text).toContain(standIns.openai?.identity);
    expect(text).toContain("✘ revoked or invalid");
    expect(text).toMatch(/could not reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  });

  it("json: verification { status, identity?, detail? } on each finding", () => {
    const json = JSON.parse(report("json")) as { findings: Array<{ line: number; verification?: unknown }> };
    const byLine = new Map(json.findings.map((f) => [f.line, f.verification]));
    expect(byLine.get(1)).toEqual({ status: "valid", identity: standIns.openai?.identity });
    expect(byLine.get(2)).toEqual({ status: "invalid", detail: "GitHub rejected the key (HTTP 401)" });
    expect(byLine.get(3)).toEqual({ status: "unknown", detail: expect.stringContaining("ECONNREFUSED") });
  });

  it("sarif: the verdict in properties, and level error for a live key", () => {
    type Result = { level: string; properties: { verification?: { status: string } }; locations: Array<{ physicalLocation: { region: { startLine: number } } }> };
    const sarif = JSON.parse(report("sarif")) as { runs: Array<{ results: Result[] }> };
    const results = sarif.runs[0]?.results ?? [];
    const byLine = new Map(results.map((r) => [r.locations[0]?.physicalLocation.region.startLine, r]));
    expect(byLine.get(1)?.level).toBe("error");
    expect(byLine.get(1)?.properties.verification?.status).toBe("valid");
    expect(byLine.get(2)?.properties.verification?.status).toBe("invalid");
    expect(byLine.get(3)?.properties.verification?.status).toBe("unknown");
  });

  it("no format carries a key", () => {
    for (const format of ["text", "json", "sarif"] as const) {
      for (const secret of [live.secret, revoked.secret, unreachable.secret]) expect(report(format)).not.toContain(secret);
    }
  });
});
