// Property tests (fast-check) over the real engine and reporters: a key embedded anywhere is found
// at its exact line and column; arbitrary bytes never throw; redacted reports never carry a whole
// secret; SARIF is always schema-valid.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { awsKeyPair, checksummedToken, openaiLegacyKey, openaiProjectKey, prefixedToken, ALNUM } from "../../../fixtures/fake-keys.js";
import { buildContext, ruleMetas, scanText } from "../../../src/run/pipeline.js";
import { render, reportFormats } from "../../../src/report/index.js";
import { decodeText } from "../../../src/sources/decode.js";
import { emptyStats, type Finding } from "../../../src/types.js";
import { sarifSchemaErrors } from "../../helpers/sarif.js";

const context = buildContext();
const RUNS = 150;

/** A key generator per format, each from a seed. */
const keyOf = [
  (seed: number) => openaiProjectKey(seed),
  (seed: number) => openaiLegacyKey(seed),
  (seed: number) => checksummedToken(seed, "ghp"),
  (seed: number) => prefixedToken(seed, "glpat-", ALNUM, 20),
  (seed: number) => awsKeyPair(seed).id,
];
const key = fc.tuple(fc.integer({ min: 0, max: keyOf.length - 1 }), fc.nat()).map(([kind, seed]) => keyOf[kind]?.(seed) ?? "");

/** Random text of lines: any Unicode, CRLF and tabs, but no word character or '-' next to where the key goes. */
const noise = fc.string({ unit: fc.oneof(fc.constantFrom("\n", "\r\n", "\t", " ", "=", '"', ";"), fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 })), maxLength: 300 });
const separator = fc.constantFrom(" ", "\n", '"', "'", "=", ": ", "\t", "(");

function expectedPosition(before: string): { line: number; column: number } {
  const lines = before.split("\n");
  return { line: lines.length, column: (lines.at(-1) ?? "").length + 1 };
}

describe("properties", () => {
  it("a generated key embedded anywhere in random text is found at its exact line and column", () => {
    fc.assert(
      fc.property(noise, separator, key, separator, noise, (head, open, secret, close, tail) => {
        const before = `${head}${open}`;
        const text = `${before}${secret}${close}${tail}`;
        const found = scanText({ path: "random.txt", text }, context).filter((finding) => finding.secret === secret);
        expect(found).toHaveLength(1);
        const start = expectedPosition(before);
        expect(found[0]).toMatchObject({ ...start, endLine: start.line, endColumn: start.column + secret.length });
      }),
      { numRuns: RUNS },
    );
  });

  it("arbitrary bytes never throw, whatever the path", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4000 }), fc.string(), (bytes, path) => {
        const text = decodeText(bytes);
        if (text !== undefined) scanText({ path, text }, context);
        const lossy = Buffer.from(bytes).toString("latin1");
        expect(Array.isArray(scanText({ path, text: lossy }, context))).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  const findingsIn = (secrets: string[], noiseText: string[]): Finding[] => {
    const text = secrets.map((secret, i) => `${noiseText[i] ?? ""}\nTOKEN = "${secret}"\n`).join("");
    return scanText({ path: `dir/${noiseText[0] ?? ""}.env`, text }, context);
  };

  it("a redacted report, in any format, never contains a whole secret", () => {
    fc.assert(
      fc.property(fc.array(key, { minLength: 1, maxLength: 4 }), fc.array(noise, { maxLength: 4 }), (secrets, noiseText) => {
        const findings = findingsIn(secrets, noiseText);
        expect(findings.length).toBeGreaterThanOrEqual(1);
        for (const format of reportFormats) {
          const report = render(format, {
            findings,
            stats: emptyStats(),
            mode: "scan",
            rules: ruleMetas(context),
            redact: true,
            color: false,
            toolVersion: "0.0.0",
          });
          for (const finding of findings) expect(report.includes(finding.secret), `${format}: ${finding.secret}`).toBe(false);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("SARIF is always valid against the SARIF 2.1.0 schema, whatever the paths, commits and secrets", () => {
    const commit = fc.record({
      sha: fc.stringMatching(/^[0-9a-f]{40}$/),
      author: fc.string(),
      email: fc.string(),
      date: fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
    });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(key, fc.string({ minLength: 1 }), fc.option(commit, { nil: undefined })), { maxLength: 5 }),
        fc.constantFrom("scan", "staged", "history" as const),
        (entries, mode) => {
          const findings = entries.flatMap(([secret, path, found]) =>
            scanText({ path, text: `KEY = "${secret}"\n`, ...(found ? { commit: found } : {}) }, context),
          );
          const sarif = JSON.parse(
            render("sarif", { findings, stats: emptyStats(), mode, rules: ruleMetas(context), redact: true, color: false, toolVersion: "1.2.3" }),
          ) as unknown;
          expect(sarifSchemaErrors(sarif).slice(0, 2)).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  });
});
