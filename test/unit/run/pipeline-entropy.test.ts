// --no-entropy turns off the generic detector, which has two judges: random values and chosen passwords.
import { describe, expect, it } from "vitest";
import { buildContext } from "../../../src/run/pipeline.js";

describe("buildContext with entropy off", () => {
  it("leaves out the password rule with the high-entropy one, and keeps the regex rules", () => {
    const ids = (entropy: boolean): string[] => buildContext(undefined, undefined, { entropy }).ruleset.rules.map((rule) => rule.id);
    expect(ids(true)).toEqual(expect.arrayContaining(["generic-high-entropy", "generic-password"]));
    expect(ids(false)).not.toContain("generic-password");
    expect(ids(false)).not.toContain("generic-high-entropy");
    expect(ids(false)).toContain("password-in-prose");
  });
});
