// Code, regexes and templates pair their brackets; values typed or drawn from punctuation close
// brackets they never opened.
import { describe, expect, it } from "vitest";
import { groupEnd, hasMismatchedBracket, withoutUnopenedClosers } from "../../../src/engine/brackets.js";
import { randomString, rng } from "../../../fixtures/fake-keys.js";

describe("hasMismatchedBracket", () => {
  it.each(["getenv(", "f(a[0], {b: 1})", "^(?=.*[A-Z]).{8,}$", "a->b", "(x) => y", "<T>", "plain"])("%s pairs its brackets (or has none)", (text) => {
    expect(hasMismatchedBracket(text)).toBe(false);
  });

  it.each(["a)b", "x]y[", "{(})", "k{7)m", ">q"])("%s closes a bracket out of turn", (text) => {
    expect(hasMismatchedBracket(text)).toBe(true);
  });

  it("is found wherever the stray bracket stands among random letters", () => {
    const random = rng(5);
    for (let i = 0; i < 200; i++) {
      const head = randomString(random, "abcdefghij", 1 + (i % 9));
      const tail = randomString(random, "klmnopqrst", 1 + (i % 7));
      expect(hasMismatchedBracket(`(${head})${tail}`)).toBe(false);
      expect(hasMismatchedBracket(`(${head}]${tail}`)).toBe(true);
    }
  });
});

describe("groupEnd", () => {
  it("tells a group closed, cut by the text's end, or closed out of turn", () => {
    expect(groupEnd("${a.b:-x} tail", 1, 200)).toBe("closed");
    expect(groupEnd("{{ x | f('y') }}", 0, 200)).toBe("closed");
    expect(groupEnd("${API_KEY", 1, 200)).toBe("open");
    expect(groupEnd("${e]no", 1, 200)).toBe("mismatched");
    expect(groupEnd("{{h}o)p", 0, 200)).toBe("mismatched");
  });

  it("reads no further than its limit", () => {
    expect(groupEnd(`{${"a".repeat(50)}}`, 0, 10)).toBe("open");
  });
});

describe("withoutUnopenedClosers", () => {
  it.each([
    ["userPassword})", "userPassword"],
    ["abc)", "abc"],
    ["m{{h}o)p${e]x}}", "m{{h}o)p${e]x}}"],
    ["getenv(abc)", "getenv(abc)"],
    ["a]b)", "a]b"],
    ["plain", "plain"],
    ["x->", "x->"],
  ])("%s ends as %s", (value, kept) => {
    expect(value.slice(0, withoutUnopenedClosers(value))).toBe(kept);
  });
});
