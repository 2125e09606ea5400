// The entropy detector tries its assignment regex only at names around its keywords (found by the
// prefilter): it must find exactly what a global search of the whole text finds.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileRules, type CompiledEntropyRule, parseRuleFiles } from "../src/engine/rules.js";
import { assignments } from "../src/engine/entropy.js";
import { readDefaultRuleSources } from "../src/config/default-rules.js";

const rule = compileRules(parseRuleFiles(readDefaultRuleSources())).find(
  (candidate): candidate is CompiledEntropyRule => candidate.kind === "entropy",
);

/** The reference: the assignment regex searched globally from the start. */
function globalSearch(entropy: CompiledEntropyRule, text: string): string[] {
  const regex = new RegExp(entropy.regex.source, entropy.regex.flags.replace("y", "g"));
  return [...text.matchAll(regex)].map((found) => `${found.index}:${found[0]}`);
}

describe("entropy assignments", () => {
  it("finds what a global search finds in random mixes of names, operators and values", () => {
    if (!rule) throw new Error("no entropy rule among the defaults");
    const pieces = [
      ...rule.keywords,
      ...rule.keywords.map((keyword) => keyword.toUpperCase()),
      "client_secret",
      "db_",
      "_key",
      ".",
      "-",
      " = ",
      "=",
      ": ",
      ":=",
      "=>",
      '"',
      "'",
      "Zx9kQ2mP7vR4tL8w",
      "abc",
      " ",
      "\n",
      "ENV ",
      "<",
      ">",
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 14 }), (parts) => {
        const text = parts.join("");
        expect([...assignments(rule, text)].map((found) => `${found.index}:${found[0]}`)).toEqual(globalSearch(rule, text));
      }),
      { numRuns: 3000, seed: 3 },
    );
  });
});
