import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { render, reportFormats } from "../../../src/report/index.js";
import { shannonEntropy } from "../../../src/engine/randomness.js";
import { redactFinding, redactFindings, redactSecret } from "../../../src/report/redact.js";
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

describe("redactFindings", () => {
  it("redacts each match against every secret of its file: one inside another, ones sharing a start, short ones", () => {
    const [base] = sampleFindings();
    if (!base) throw new Error("fixture lost its findings");
    const key = keys.project;
    const sibling = `${key.slice(0, 4)}${"x".repeat(40)}`; // the same first characters as the key
    const short = "q7!";
    const at = (line: number, secret: string, match: string, path = "app/config.py") => ({ ...base, path, line, secret, match });
    const findings = [
      at(1, key, `OPENAI_API_KEY = "${key}"`),
      at(2, sibling, `url = "https://u:${sibling}@host/?k=${key}"`),
      at(3, short, `pin = "${short}" # next to ${sibling}`),
      at(4, "unrelated-secret-value-000", `token = "${key}"`, "other/file.py"),
    ];
    const redacted = redactFindings(findings);
    expect(redacted[1]?.match).toBe(`url = "https://u:${redactSecret(sibling)}@host/?k=${redactSecret(key)}"`);
    expect(redacted[2]?.match).toBe(`pin = "${redactSecret(short)}" # next to ${redactSecret(sibling)}`);
    // Another file's secrets are not looked for: only what was found in this one.
    expect(redacted[3]?.match).toBe(`token = "${key}"`);
    for (const finding of redacted.slice(0, 3)) for (const secret of [key, sibling, short]) expect(finding.match).not.toContain(secret);
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
