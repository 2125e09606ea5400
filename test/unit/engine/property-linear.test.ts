// Property: no default rule is slow on hostile text. Random repetitive lines built from each rule's own
// keywords (a keyword repeated, glued to long words, long runs of one character, runs of separators)
// are scanned, rule by rule, and the time is bounded per KB: generously (50 ms a KB, where a scan
// runs at ~0.01 ms a KB), so a loaded machine passes while a quadratic or worse pattern, which takes
// seconds to minutes on such lines, fails.
// Run as the CLI runs: with V8's linear-time fallback on (start/regexp-flags.ts).
// The generic high-entropy detector (kind "entropy") is left out: its search is being rewritten to
// linear time under the same issue, with its own tests.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emptyConfig } from "../../../src/config/load.js";
import { buildContext, scanText } from "../../../src/run/pipeline.js";
import { useRegexpFlags } from "../../../src/start/regexp-flags.js";

useRegexpFlags();

const MS_PER_KB = 50;
/** Added to every bound: timer resolution and a garbage collection. */
const SLACK_MS = 250;

const context = buildContext(emptyConfig(), undefined, { entropy: false });
const rules = context.ruleset.rules.filter((rule) => rule.kind === "regex");

/** For a rule with no keywords (it runs on every file at its onlyPaths): brackets, digits and separators. */
const NO_KEYWORD_PIECES = ["[", "]", "{", "0", "12,", "255, ", "a=", ":"];

/** A random line of up to ~16 KB made of one rule's keywords and the shapes that make patterns backtrack. */
function hostileLine(keywords: readonly string[]): fc.Arbitrary<string> {
  const keyword = fc.constantFrom(...keywords);
  const char = fc.constantFrom("a", "Z", "0", "_", "-", "/", "+", "=", ".", " ", ":", '"', "\t");
  const piece = fc.oneof(
    fc.tuple(keyword, fc.integer({ min: 1, max: 400 }), fc.constantFrom("", "_", "-", " ", "=", ".")).map(([word, times, glue]) => Array(times).fill(word).join(glue)),
    fc.tuple(char, fc.integer({ min: 1, max: 8000 })).map(([c, times]) => c.repeat(times)),
    fc.tuple(keyword, fc.string({ unit: fc.constantFrom("a", "b", "0", "_", "-"), minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 300 })).map(
      ([word, tail, times]) => `${word}${tail}`.repeat(times),
    ),
  );
  return fc.array(piece, { minLength: 1, maxLength: 4 }).map((pieces) => pieces.join("").slice(0, 16 * 1024));
}

describe("every default rule runs in time proportional to its input", () => {
  it(`scans random repetitive lines of its keywords within ${MS_PER_KB} ms a KB`, () => {
    expect(rules.length).toBeGreaterThan(50);
    for (const rule of rules) {
      fc.assert(
        fc.property(hostileLine(rule.keywords.length > 0 ? rule.keywords : NO_KEYWORD_PIECES), fc.constantFrom("config.py", ".env", "a.json"), (line, path) => {
          const started = performance.now();
          scanText({ path, text: `${line}\n` }, context);
          const took = performance.now() - started;
          expect(took, `${rule.id}: ${line.length} characters took ${took.toFixed(0)} ms`).toBeLessThan(SLACK_MS + (MS_PER_KB * line.length) / 1024);
        }),
        { numRuns: 12, seed: 17 },
      );
    }
  }, 300_000);
});
