import { describe, expect, it } from "vitest";
import { ALNUM, randomString, rng } from "../../../fixtures/fake-keys.js";
import { classifyCharset, shannonEntropy } from "../../../src/engine/entropy.js";
import { looksLikePlaceholder } from "../../../src/engine/placeholders.js";

describe("entropy", () => {
  it("is zero for one repeated character and log2(n) for n distinct ones", () => {
    expect(shannonEntropy("aaaaaaaa")).toBe(0);
    expect(shannonEntropy("abcd")).toBe(2);
    expect(shannonEntropy("")).toBe(0);
  });

  it("classifies hex before base64, and rejects other characters", () => {
    expect(classifyCharset("deadbeef01")).toBe("hex");
    expect(classifyCharset("AbC+/9_-==")).toBe("base64");
    expect(classifyCharset("has space")).toBeUndefined();
  });
});

describe("placeholders", () => {
  it.each([
    "${OPENAI_API_KEY}",
    "{{ .Values.token }}",
    "<your-api-key>",
    "sk-proj-xxxxxxxxxxxx",
    "your-api-key-here",
    "sk-...",
    "AKIAIOSFODNN7EXAMPLE",
    "aaaaaaaaaaaaaaaa1111",
    "abcdefghij",
    "****************",
  ])("%s is a placeholder", (value) => {
    expect(looksLikePlaceholder(value)).toBe(true);
  });

  it("random keys are not placeholders", () => {
    for (let seed = 0; seed < 200; seed++) expect(looksLikePlaceholder(randomString(rng(seed), ALNUM, 40))).toBe(false);
  });
});
