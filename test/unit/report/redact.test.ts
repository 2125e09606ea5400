import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { render, reportFormats } from "../../../src/report/index.js";
import { shannonEntropy } from "../../../src/engine/randomness.js";
import { redactFinding, redactSecret } from "../../../src/report/redact.js";
import { input, keys, sampleFindings } from "./fixtures.js";

describe("redactSecret", () => {
  it("keeps the first 4 characters and the length of a long secret", () => {
    expect(redactSecret(keys.project)).toBe(`${keys.project.slice(0, 4)}…(${keys.project.length} chars)`);
    expect(redactSecret(keys.project)).toMatch(/^sk-p…\(164 chars\)$/);
  });

  it("shows neither prefix nor length of a guessable secret (a password, a short or repetitive token)", () => {
    for (const weak of ["hunter2", "48213907", "abc", "sunshine7", "Tr0ub4dor&3xyzzy", "a".repeat(60)]) {
      expect(redactSecret(weak)).toBe("…(redacted)");
    }
  });

  it("never reveals more than 4 characters, and nothing of a guessable secret", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200 }), (secret) => {
        const kept = redactSecret(secret).split("…(")[0] ?? "";
        const limit = secret.length * shannonEntropy(secret) < 128 ? 0 : 4;
        return Array.from(kept).length <= limit && secret.startsWith(kept);
      }),
    );
  });
});

describe("redactFinding", () => {
  it("replaces the secret inside match, and the companion", () => {
    const [finding] = sampleFindings().filter((f) => f.ruleId === "test-password");
    if (!finding) throw new Error("fixture lost its password finding");
    const companion = `AKIA${"Q".repeat(16)}`;
    const redacted = redactFinding({ ...finding, match: `${finding.match} ${companion}`, companion });
    expect(redacted.secret).toBe(redactSecret(keys.password));
    expect(redacted.match).toBe(`password = "${redactSecret(keys.password)}" ${redactSecret(companion)}`);
    expect(redacted.companion).toBe(redactSecret(companion));
    expect(JSON.stringify(redacted)).not.toContain(keys.password);
    expect(JSON.stringify(redacted)).not.toContain(companion);
  });
});

describe("every format", () => {
  const companion = `AKIA${"Z".repeat(16)}`;
  const findings = sampleFindings().map((f, i) => (i === 0 ? { ...f, companion } : f));
  const secrets = [keys.project, keys.legacy, keys.password, keys.pin, companion];

  for (const format of reportFormats) {
    it(`${format}: prints no whole secret when redacting`, () => {
      const out = render(format, input(findings, { redact: true, mode: "history" }));
      expect(out.length).toBeGreaterThan(0);
      for (const secret of secrets) expect(out).not.toContain(secret);
    });
  }

  for (const format of ["text", "json"] as const) {
    it(`${format}: --no-redact shows the secrets, never the companion`, () => {
      const out = render(format, input(findings, { redact: false }));
      for (const secret of [keys.project, keys.legacy, keys.password, keys.pin]) expect(out).toContain(secret);
      expect(out).not.toContain(companion);
    });
  }

  for (const format of ["sarif", "github"] as const) {
    it(`${format}: redacts even with --no-redact (it is uploaded or shown to all readers)`, () => {
      const out = render(format, input(findings, { redact: false }));
      for (const secret of secrets) expect(out).not.toContain(secret);
      expect(out).toContain(redactSecret(keys.project));
    });
  }
});
