// Secrets assigned to a variable a bundler ships to the browser: marked, one severity up, with the tool named.
import { describe, expect, it } from "vitest";
import { markBrowserExposure } from "../../../src/engine/exposure.js";
import type { Match } from "../../../src/types.js";

/** A match of "abcdefg" on line 2, column 12 of the texts below. */
function match(severity: Match["severity"]): Match {
  return {
    ruleId: "r",
    ruleName: "R",
    severity,
    start: 21,
    end: 28,
    line: 2,
    column: 12,
    endLine: 2,
    endColumn: 19,
    secret: "abcdefg",
    match: "abcdefg",
    entropy: 3,
  };
}

describe("markBrowserExposure", () => {
  it("marks a value assigned to a public-prefix name and raises its severity one step", () => {
    const text = "# comment\nGATSBY_KEY=abcdefg\n";
    const marked = markBrowserExposure([match("low"), match("medium"), match("high"), match("critical")], text);
    expect(marked.map((each) => each.severity)).toEqual(["medium", "high", "critical", "critical"]);
    expect(marked.every((each) => each.exposure === "browser")).toBe(true);
    expect(marked[0]?.notes).toEqual(["Gatsby inlines every GATSBY_ variable (here GATSBY_KEY) into the JavaScript it builds"]);
  });

  it("leaves a name whose public word is not its prefix", () => {
    const [unmarked] = markBrowserExposure([match("low")], "# comment\nSTRIPE_PUBLIC_X=abcdefg\n");
    expect(unmarked?.exposure).toBeUndefined();
    expect(unmarked?.severity).toBe("low");
  });
});
