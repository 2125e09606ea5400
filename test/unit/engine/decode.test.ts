// The decoders find exactly what their reference regexes find: base64Runs the spans of standalone
// runs, the JSON and URL layers the lines holding an escape, decoded, with offsets that map back.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { base64Runs, decodeLayers, type Layer } from "../../../src/engine/decode.js";

/** The reference: standalone runs of 32+ base64 characters with up to two "=" of padding, after one "=" at most. */
function expectedRuns(text: string): [number, number][] {
  return [...text.matchAll(/(?<![\w+/-])(?<!==)[\w+/-]{32,}={0,2}(?![\w+/=-])/g)].map((found) => [found.index, found.index + found[0].length]);
}

describe("base64Runs", () => {
  it("finds runs of exactly 32 and longer, at the text's ends, padded, after one =, and not those glued to == or other base64", () => {
    const run = (length: number) => "QUJD".repeat(20).slice(0, length);
    const texts = [
      run(32),
      run(31),
      ` ${run(32)}==`,
      `${run(40)}===`,
      `=${run(40)}`,
      `==${run(40)}`,
      `KEY_B64=${run(40)}=\n`,
      `${run(40)}=${run(40)}`,
      `${run(40)}==${run(40)}`,
      `a.${run(33)}.b ${run(31)} ${run(64)}=\n`,
      `${"x".repeat(31)} ${run(32)}-${run(32)}`,
      `é${run(32)}é`,
      // Characters beyond Latin-1 whose low byte is a base64 character ("Ł" is U+0141) bound a run, and make none.
      `Ł${run(32)}Ł`,
      `${run(31)}Ł`,
      `${run(16)}ŁŁ${run(16)}`,
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

/** The reference layer: the lines holding a match of `pattern`, each match replaced by `decode(match)`. */
function expectedLayerText(text: string, pattern: RegExp, decode: (escape: string) => string): string {
  const lines = text.split(/(?<=\n)/);
  return lines.filter((line) => new RegExp(pattern.source).test(line)).map((line) => line.replace(pattern, decode)).join("");
}

const unescapeJson = (escape: string): string => JSON.parse(`"${escape}"`);
const unescapePercent = (escape: string): string => String.fromCharCode(Number.parseInt(escape.slice(1), 16));

/** Every decoded character maps back to the same character in the text, or to the escape it came from. */
function mapsBack(layer: Layer, text: string, marker: string): boolean {
  for (let i = 0; i < layer.text.length; i++) {
    const [start] = layer.outer(i, i + 1);
    if (layer.text[i] !== text[start] && text[start] !== marker) return false;
  }
  return true;
}

describe("JSON and URL layers", () => {
  it("decode the lines holding JSON escapes, as the reference regex finds them", () => {
    const pieces = ["\\n", "\\\\", "\\u0041", "\\u00zz", "\\u004z", "\\u004", "\\x", "\\", '\\"', '"', "a", "\n", " ", "é", "u0041"];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 25 }), (parts) => {
        const text = `${parts.join("")}\\n`; // one \n escape: the layer is made
        const [layer] = decodeLayers(text);
        expect(layer?.text).toBe(expectedLayerText(text, /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/g, unescapeJson));
        expect(layer && mapsBack(layer, text, "\\")).toBe(true);
      }),
      { numRuns: 2000, seed: 5 },
    );
  });

  it("decode the lines holding percent escapes, as the reference regex finds them", () => {
    const pieces = ["%41", "%2f", "%2F", "%zz", "%", "%4", "a", "4", "\n", " ", "é"];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 25 }), (parts) => {
        const text = `${parts.join("")}%2F`; // one escape of a printable character: the layer is made
        const [layer] = decodeLayers(text);
        expect(layer?.text).toBe(expectedLayerText(text, /%[0-9A-Fa-f]{2}/g, unescapePercent));
        expect(layer && mapsBack(layer, text, "%")).toBe(true);
      }),
      { numRuns: 2000, seed: 6 },
    );
  });
});

describe("base64 layers", () => {
  // Made up: a JSON setting encoded, then a stand-in word written over the encoding's first characters.
  const plain = `{"service":"keyscan-test","signing":"${"not a real value at all, ".repeat(6)}"}`;
  const encoded = Buffer.from(plain).toString("base64");

  it("decode a standalone run of printable text", () => {
    expect(decodeLayers(`TOKEN=${encoded}`).map((layer) => layer.text)).toContain(plain);
    // Overwriting its first characters leaves it printable enough to decode: the stand-in word decides.
    expect(decodeLayers(`TOKEN=QUJDRE${encoded.slice(6)}`)).toHaveLength(1);
  });

  it("leave a run a stand-in word was written into: it stands in for a value", () => {
    expect(decodeLayers(`TOKEN=DUMMYW${encoded.slice(6)}`)).toEqual([]);
    expect(decodeLayers(`TOKEN=${encoded.slice(0, 20)}Example${encoded.slice(27)}`)).toEqual([]);
  });
});
