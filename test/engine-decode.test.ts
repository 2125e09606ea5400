// The decoders' candidate search: base64Runs must find exactly the spans its reference regex does.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { base64Runs } from "../src/engine/decode.js";

/** The reference: standalone runs of 32+ base64 characters with up to two "=" of padding. */
function expectedRuns(text: string): [number, number][] {
  return [...text.matchAll(/(?<![\w+/=-])[\w+/-]{32,}={0,2}(?![\w+/=-])/g)].map((found) => [found.index, found.index + found[0].length]);
}

describe("base64Runs", () => {
  it("finds runs of exactly 32 and longer, at the text's ends, padded, and not those glued to = or other base64", () => {
    const run = (length: number) => "QUJD".repeat(20).slice(0, length);
    const texts = [
      run(32),
      run(31),
      ` ${run(32)}==`,
      `${run(40)}===`,
      `=${run(40)}`,
      `a.${run(33)}.b ${run(31)} ${run(64)}=\n`,
      `${"x".repeat(31)} ${run(32)}-${run(32)}`,
      `é${run(32)}é`,
      // A short word at a probed position, a gap at its 32nd character, then a run of exactly 32 right after the gap.
      `${".".repeat(30)}ab${".".repeat(30)}${run(32)}.`,
      `${".".repeat(30)}ab${".".repeat(29)}${run(33)}`,
    ];
    for (const text of texts) expect(base64Runs(text), JSON.stringify(text)).toEqual(expectedRuns(text));
  });

  it("agrees with the reference on random mixes of words, runs and separators", () => {
    const pieces = ["QUJDREVGR0hJSktMTU5PUFFSU1RVVldY", "QUJDREVGR0hJSktMTU5PUFFSU1RVVld", "a", "abc", "Zm9v", "_", "-", "+", "/", "=", "==", " ", ".", "\n", "é", "\"", "0123456789"];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 30 }), (parts) => {
        const text = parts.join("");
        expect(base64Runs(text)).toEqual(expectedRuns(text));
      }),
      { numRuns: 3000, seed: 11 },
    );
  });
});
