import { describe, expect, it } from "vitest";
import { openaiProjectKey } from "../../../fixtures/fake-keys.js";
import { emptyConfig } from "../../../src/config/load.js";
import { knownFingerprint, makeBaseline, parseIgnoreFile, serializeBaseline } from "../../../src/filters/baseline.js";
import { inlineAllowedLines } from "../../../src/filters/inline.js";
import { buildContext, scanAndFilter } from "../../../src/run/pipeline.js";

const key = openaiProjectKey(7);

describe("inline suppression", () => {
  it.each([
    ["keyscan:allow", 2],
    ["gitleaks:allow", 2],
    ["pragma: allowlist secret", 2],
    ["secretlint-disable-line", 2],
    ["trufflehog:ignore", 2],
    ["keyscan:allow-next-line", 3],
    ["secretlint-disable-next-line", 3],
    ["pragma: allowlist nextline secret", 3],
  ])("%s suppresses line %i", (marker, line) => {
    expect([...inlineAllowedLines(`a\nb // ${marker}\nc\n`)]).toEqual([line]);
  });

  it("suppresses the lines of a secretlint-disable … secretlint-enable block, or to the end without an enable", () => {
    const text = "a\n/* secretlint-disable */\nb\nc\n/* secretlint-enable */\nd\n// secretlint-disable @secretlint/secretlint-rule-preset-recommend\ne\nf";
    expect([...inlineAllowedLines(text)]).toEqual([2, 3, 4, 5, 7, 8, 9]);
    // -line and -next-line are not block markers.
    expect([...inlineAllowedLines("a // secretlint-disable-line\nb\nc")]).toEqual([1]);
  });

  it("drops a finding on a marked line and keeps one on an unmarked line", () => {
    const context = buildContext();
    const text = `one = "${key}" // keyscan:allow\ntwo = "${openaiProjectKey(8)}"\n`;
    const findings = scanAndFilter({ path: "a.js", text }, context);
    expect(findings.map((finding) => finding.line)).toEqual([2]);
  });

  it("reads the markers of a big file's later window on that window's own lines", () => {
    const context = buildContext();
    const text = `one = "${key}" // keyscan:allow\ntwo = "${openaiProjectKey(8)}"\n`;
    const window = { line: 500, column: 1, handOff: text.length };
    const findings = scanAndFilter({ path: "big.js", text, window }, context);
    expect(findings.map((finding) => finding.line)).toEqual([501]);
  });
});

describe("allow list", () => {
  it("drops findings by path glob, regex and stopword", () => {
    const text = `k = "${key}"\n`;
    const byPath = buildContext({ ...emptyConfig(), allow: { paths: ["docs/**"], regexes: [], stopwords: [] } });
    expect(scanAndFilter({ path: "docs/a.md", text }, byPath)).toHaveLength(0);
    expect(scanAndFilter({ path: "src/a.md", text }, byPath)).toHaveLength(1);
    const byRegex = buildContext({ ...emptyConfig(), allow: { paths: [], regexes: [key.slice(0, 20)], stopwords: [] } });
    expect(scanAndFilter({ path: "a", text }, byRegex)).toHaveLength(0);
    const byStopword = buildContext({ ...emptyConfig(), allow: { paths: [], regexes: [], stopwords: [key.slice(10, 18)] } });
    expect(scanAndFilter({ path: "a", text }, byStopword)).toHaveLength(0);
  });
});

describe("baseline and ignore file", () => {
  const context = buildContext();
  const findings = scanAndFilter({ path: "a.env", text: `A=${key}\nB=${openaiProjectKey(9)}\n` }, context);

  it("holds fingerprints, never secrets or line numbers, sorted", () => {
    const text = serializeBaseline(makeBaseline([...findings].reverse()));
    expect(text).not.toContain(key);
    expect(text).not.toMatch(/"line"/);
    expect(serializeBaseline(makeBaseline(findings))).toBe(text);
  });

  it("suppresses the same secret after it moves to another line", () => {
    const moved = scanAndFilter({ path: "a.env", text: `\n\n\nA=${key}\n` }, context);
    const known = new Set(makeBaseline(findings).findings.map((entry) => entry.fingerprint));
    expect(moved[0]?.line).toBe(4);
    expect(moved.filter((finding) => !knownFingerprint(known, finding))).toHaveLength(0);
  });

  it("reads .keyscanignore with comments: fingerprints, and any other line as a path glob", () => {
    const list = parseIgnoreFile("# header\nabc123  # why\n\n  def456\nfixtures/**\n./cafe\n");
    expect([...list.fingerprints]).toEqual(["abc123", "def456"]);
    expect(list.paths).toEqual(["fixtures/**", "cafe"]);
  });
});
