import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import picomatch from "picomatch";
import { describe, expect, it, vi } from "vitest";
import { ALNUM, HEX, openaiProjectKey, prefixedToken } from "../../../fixtures/fake-keys.js";
import { parseConfig } from "../../../src/config/load.js";
import { compilePattern } from "../../../src/engine/rules.js";
import { UsageError } from "../../../src/errors.js";
import { runMigrateGitleaks } from "../../../src/migrate/command.js";
import { convertGitleaksConfig, literalPrefix } from "../../../src/migrate/gitleaks.js";
import { gitleaksIgnored, parseGitleaksIgnore } from "../../../src/filters/ignore-files.js";
import { translateGoRegex } from "../../../src/migrate/go-regex.js";
import { pathRegexToGlobs } from "../../../src/migrate/path-globs.js";
import { buildContext, scanAndFilter } from "../../../src/run/pipeline.js";
import type { Finding } from "../../../src/types.js";

const fixture = (name: string): string => readFileSync(`fixtures/gitleaks/${name}`, "utf8");

/** The regex keyscan compiles for a translated pattern. */
function compiled(pattern: string): RegExp {
  return compilePattern(pattern, (what) => {
    throw new Error(what);
  });
}

function translated(source: string): RegExp {
  const result = translateGoRegex(source);
  if (!result.ok) throw new Error(result.reason);
  return new RegExp(compiled(result.pattern).source, compiled(result.pattern).flags.replace("g", ""));
}

describe("translateGoRegex", () => {
  it("keeps a leading (?i) for keyscan and leaves plain patterns alone", () => {
    expect(translateGoRegex("(?i)\\b(dor_v1_[a-f0-9]{64})")).toEqual({ ok: true, pattern: "(?i)\\b(dor_v1_[a-f0-9]{64})", groups: 1 });
    expect(translateGoRegex("ghp_[0-9a-zA-Z]{36}")).toMatchObject({ ok: true, pattern: "ghp_[0-9a-zA-Z]{36}" });
  });

  it("spells out a case-insensitive part that starts mid-pattern", () => {
    const regex = translated("\\b(LTAI(?i)[a-z0-9]{4})\\b");
    expect(regex.test("LTAIabCD")).toBe(true);
    expect(regex.test("ltaiabcd")).toBe(false); // the prefix stays case-sensitive
  });

  it("keeps a case-sensitive (?-i:...) part inside a case-insensitive pattern", () => {
    const regex = translated("(?i)etsy_(?-i:AK)[a-f]{2}");
    expect(regex.test("ETSY_AKfF")).toBe(true);
    expect(regex.test("etsy_akff")).toBe(false);
  });

  it("carries \\z and \\A exactly: end and start of the text, not of a line", () => {
    const end = translated("tok_[a-z]{3}\\z");
    expect(end.test("x tok_abc")).toBe(true);
    expect(end.test("x tok_abc\n")).toBe(false);
    const start = translated("\\Atok");
    expect(start.test("tok")).toBe(true);
    expect(start.test("a\ntok")).toBe(false);
  });

  it("carries (?m) anchors and (?s) dots as lookarounds and [\\s\\S]", () => {
    const multiline = translated("(?m)^secret=([a-z]+)$");
    expect(multiline.exec("a\nsecret=abc\nb")?.[1]).toBe("abc");
    expect(translated("^secret=([a-z]+)$").test("a\nsecret=abc\nb")).toBe(false);
    expect(translated("(?s)BEGIN.{3}END").test("BEGIN\n\n\nEND")).toBe(true);
    expect(translated("BEGIN.{3}END").test("BEGIN\n\n\nEND")).toBe(false);
    expect(translated("a.b").test("a\rb")).toBe(true); // Go's dot takes \r; JavaScript's does not
  });

  it("expands POSIX classes, \\Q...\\E and Go's narrower \\s", () => {
    expect(translated("^[[:alpha:]]+[[:digit:]]$").test("abC1")).toBe(true);
    expect(translated("^[[:alpha:]]+$").test("ab1")).toBe(false);
    expect(translated("^\\Qa.b\\E+$").test("a.bbb")).toBe(true);
    expect(translated("^\\Qa.b\\E$").test("axb")).toBe(false);
    expect(translated("^a\\sb$").test("a\u00a0b")).toBe(false);
    expect(translated("^a\\sb$").test("a\tb")).toBe(true);
  });

  it("swaps greediness under (?U) and renames (?P<name>", () => {
    expect(translated("(?U)a(b+)")).toBeDefined();
    expect(translated("(?U)a(b+)").exec("abbb")?.[1]).toBe("b");
    expect(translated("(?P<tok>x+)").exec("xx")?.groups?.tok).toBe("xx");
  });

  it.each([
    ["tok_\\p{L}{10}", /Unicode class/],
    ["a(?=b)", /lookaround/],
    ["(?>ab)", /atomic/],
    ["a*+", /possessive/],
    ["(a)\\1", /backreference/],
    ["[[:^alpha:]]", /negated POSIX/],
  ])("refuses %s with a reason", (source, reason) => {
    const result = translateGoRegex(source);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it("counts capturing groups", () => {
    expect(translateGoRegex("(a)(?:b)(?P<c>c)")).toMatchObject({ groups: 2 });
  });
});

describe("pathRegexToGlobs", () => {
  const shapes = [
    "gitleaks\\.toml",
    "(?:^|/)node_modules(?:/.*)?$",
    "\\.gem$",
    "^docs/",
    "/test/",
    "(?:^|/)vendor/modules\\.txt$",
    "(?:^|/)(?:yarn\\.lock|package-lock\\.json)$",
    "(?i)\\.(?:png|jpg)$",
    "^a/b$",
  ];
  const segment = fc.constantFrom("a", "b", "docs", "test", "node_modules", "vendor", "modules.txt", "x.gem", "y.PNG", "gitleaks.toml", "yarn.lock", ".git");
  const paths = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join("/"));

  it.each(shapes)("%s converts to globs matching exactly the same paths", (source) => {
    const globs = pathRegexToGlobs(source);
    expect(globs).toBeDefined();
    const matches = picomatch(globs ?? [], { dot: true });
    const regex = translated(source);
    fc.assert(fc.property(paths, (path) => matches(path) === regex.test(path)), { numRuns: 400 });
  });

  it("refuses shapes a glob cannot say exactly", () => {
    expect(pathRegexToGlobs("(?i)\\.(?:png|jpe?g)$")).toBeUndefined();
    expect(pathRegexToGlobs("^src/.*\\.go$")).toBeUndefined();
    expect(pathRegexToGlobs("[a-z]+\\.ini")).toBeUndefined();
  });
});

describe("literalPrefix", () => {
  it.each([
    ["\\bghp_[0-9a-z]{36}", "ghp_"],
    ["(?i)\\b(dor_v1_[a-f0-9]{64})", "dor_v1_"],
    ["ACMEDB-(?i)[a-z0-9]{24}", "ACMEDB-"],
    ["abcd?e", "abc"],
    ["(sk|rk)_live", ""],
    ["sk_live|rk_live", ""],
  ])("%s gives %j", (source, prefix) => {
    expect(literalPrefix(source)).toBe(prefix);
  });
});

describe("convertGitleaksConfig", () => {
  const result = convertGitleaksConfig(fixture("custom.gitleaks.toml"), ".gitleaks.toml");

  it("produces a keyscan.toml that loads and compiles", () => {
    const config = parseConfig(result.toml, "keyscan.toml");
    expect(() => buildContext(config)).not.toThrow();
    expect(config.rules.map((rule) => rule.id)).toEqual(["acme-service-token", "acme-db-password", "acme-legacy-key", "acme-ini-secret"]);
    expect(config.disable).toContain("openai-project-key");
    expect(config.disable).toContain("generic-high-entropy");
    expect(config.allow.paths).toEqual(["**/node_modules", "**/node_modules/**", "**/{package-lock.json,yarn.lock}"]);
    expect(config.allow.stopwords).toEqual(["dummy"]);
  });

  it("warns, naming the rule, for everything not carried over exactly", () => {
    const expected = [
      /rule "acme-keystore-file": matches file paths only/,
      /rule "acme-unicode-name": regex cannot be carried over exactly \(Unicode class/,
      /rule "acme-ini-secret": its path condition/,
      /rule "Acme_DB_Password": no keywords; derived "acmedb-"/,
      /rule "acme-legacy-key" allowlist 1: regexes with regexTarget = "line" skipped/,
      /global allowlist 1: 1 commit not carried over/,
      /global allowlist 1: path regex "\(\?i\)\\\\.\(\?:png\|jpe\?g\)\$" has no exact glob/,
      /disabledRules: "adafruit-api-key" has no keyscan equivalent/,
    ];
    for (const pattern of expected) expect(result.warnings.some((warning) => pattern.test(warning)), String(pattern)).toBe(true);
    expect(result.warnings).toHaveLength(expected.length + 1); // + the rename of Acme_DB_Password
    for (const warning of result.warnings) expect(result.toml).toContain(`#  - ${warning}`);
  });

  it("the converted rules fire on generated samples, and their allow lists hold", () => {
    const context = buildContext(parseConfig(result.toml, "keyscan.toml"));
    const token = prefixedToken(11, "acme_live_", ALNUM, 32);
    const found = scanAndFilter({ path: "src/app.ts", text: `const t = "${token}";\n` }, context);
    expect(found.map((finding) => [finding.ruleId, finding.secret])).toEqual([["acme-service-token", token]]);
    expect(scanAndFilter({ path: "docs/setup/app.ts", text: `const t = "${token}";\n` }, context)).toEqual([]);
    expect(scanAndFilter({ path: "src/x.ts", text: `t = "acme_live_EXAMPLE${"a".repeat(25)}"\n` }, context)).toEqual([]);

    const legacy = `AK${prefixedToken(12, "", HEX, 30)}`;
    const legacyFound = scanAndFilter({ path: "a.env", text: `ACME_KEY=${legacy}\n` }, context);
    expect(legacyFound.map((finding) => finding.secret)).toEqual([legacy]);
    expect(scanAndFilter({ path: "a.env", text: `acme_key=${legacy.toLowerCase()}\n` }, context)).toEqual([]);

    const ini = prefixedToken(13, "", ALNUM, 24);
    const iniFound = scanAndFilter({ path: "acme.ini", text: `[main]\nsecret = ${ini}\nother = 1\n` }, context);
    expect(iniFound.map((finding) => [finding.ruleId, finding.line])).toEqual([["acme-ini-secret", 2]]);
  });

  it("disabling gitleaks' openai-api-key turns off keyscan's OpenAI rules", () => {
    const context = buildContext(parseConfig(result.toml, "keyscan.toml"));
    expect(scanAndFilter({ path: "a.py", text: `KEY="${openaiProjectKey(3)}"\n` }, context)).toEqual([]);
  });

  it("converts [[allowlists]] with targetRules, required rules, and skips AND conditions", () => {
    const v825 = convertGitleaksConfig(fixture("allowlists-v8.25.gitleaks.toml"), ".gitleaks.toml");
    const config = parseConfig(v825.toml, "keyscan.toml");
    const context = buildContext(config);
    const webhook = config.rules.find((rule) => rule.id === "billing-webhook-secret");
    expect(webhook?.allow?.paths).toEqual(["test/fixtures/*", "test/fixtures/*/**"]);
    const apiKey = config.rules.find((rule) => rule.id === "billing-api-key");
    expect(apiKey?.kind === "regex" && apiKey.requires).toEqual({ rule: "billing-webhook-secret", within: 3 });
    expect(v825.warnings.some((warning) => /global allowlist 2: condition = "AND"/.test(warning))).toBe(true);
    expect(v825.warnings.some((warning) => /did not extend gitleaks' default rules/.test(warning))).toBe(true);

    const key = prefixedToken(21, "bill_sk_live_", HEX, 48);
    const secret = prefixedToken(22, "whsec_bill_", ALNUM, 40);
    const alone = scanAndFilter({ path: "src/a.ts", text: `k = "${key}"\n` }, context);
    expect(alone.filter((finding) => finding.ruleId === "billing-api-key")).toEqual([]);
    const paired = scanAndFilter({ path: "src/a.ts", text: `k = "${key}"\ns = "${secret}"\n` }, context);
    expect(paired.map((finding) => finding.ruleId).sort()).toEqual(["billing-api-key", "billing-webhook-secret"]);
  });

  it("names the file in one sentence for invalid input", () => {
    expect(() => convertGitleaksConfig("[[rules]\n", "my.toml")).toThrow(UsageError);
    expect(() => convertGitleaksConfig("[[rules]\n", "my.toml")).toThrow(/^my\.toml:\d+:\d+: invalid TOML/);
    expect(() => convertGitleaksConfig("rules = 3\n", "my.toml")).toThrow(/^my\.toml: not a gitleaks config/);
  });
});

describe(".gitleaksignore", () => {
  const sha = "4e2bb0c8c0c4f2e2e6b6e1ff4ff6d1f03a79a8c1";
  const entries = parseGitleaksIgnore(
    `# reviewed 2024-05\n\n${sha}:config/dev:app.env:openai-api-key:3\nsrc/a.ts:acme-service-token:12\nnot a fingerprint\n`,
  );

  it("parses both fingerprint forms, paths with ':' included", () => {
    expect(entries).toEqual([
      { commit: sha, path: "config/dev:app.env", ruleId: "openai-api-key", line: 3 },
      { path: "src/a.ts", ruleId: "acme-service-token", line: 12 },
    ]);
  });

  const finding = (over: Partial<Finding>): Finding => ({
    ruleId: "acme-service-token",
    ruleName: "x",
    severity: "high",
    path: "src/a.ts",
    line: 12,
    column: 1,
    endLine: 12,
    endColumn: 5,
    secret: "s",
    match: "s",
    fingerprint: "f",
    entropy: 1,
    ...over,
  });

  it("matches on path, line, rule (directly or through the rule map) and commit when given", () => {
    expect(gitleaksIgnored(finding({}), entries)).toBe(true);
    expect(gitleaksIgnored(finding({ line: 13 }), entries)).toBe(false);
    expect(gitleaksIgnored(finding({ path: "src/b.ts" }), entries)).toBe(false);
    expect(gitleaksIgnored(finding({ ruleId: "other" }), entries)).toBe(false);
    const commit = { sha, author: "a", email: "e", date: "2024-01-01T00:00:00Z" };
    const openai = { ruleId: "openai-project-key", path: "config/dev:app.env", line: 3 };
    expect(gitleaksIgnored(finding({ ...openai, commit }), entries)).toBe(true);
    expect(gitleaksIgnored(finding({ ...openai, commit: { ...commit, sha: "0".repeat(40) } }), entries)).toBe(false);
    expect(gitleaksIgnored(finding(openai), entries)).toBe(false);
  });
});

describe("runMigrateGitleaks", () => {
  function run(args: string[], cwd: string): { code: number; stderr: string } {
    const writes: string[] = [];
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      writes.push(String(chunk));
      return true;
    });
    try {
      return { code: runMigrateGitleaks(args, cwd), stderr: writes.join("") };
    } finally {
      spy.mockRestore();
    }
  }

  it("writes keyscan.toml, then keyscan.toml.new beside an existing one, and exits 2 on a missing file", () => {
    const dir = mkdtempSync(join(tmpdir(), "keyscan-migrate-"));
    try {
      writeFileSync(join(dir, ".gitleaks.toml"), fixture("custom.gitleaks.toml"));
      const first = run([], dir);
      expect(first.code).toBe(0);
      expect(first.stderr).toMatch(/^warning: rule "Acme_DB_Password"/m);
      expect(first.stderr).toMatch(/wrote keyscan\.toml with 9 warnings to review\n$/);
      const written = readFileSync(join(dir, "keyscan.toml"), "utf8");
      expect(() => buildContext(parseConfig(written, "keyscan.toml"))).not.toThrow();

      writeFileSync(join(dir, "keyscan.toml"), "# mine\n");
      const second = run([".gitleaks.toml"], dir);
      expect(second.code).toBe(0);
      expect(readFileSync(join(dir, "keyscan.toml"), "utf8")).toBe("# mine\n");
      expect(readFileSync(join(dir, "keyscan.toml.new"), "utf8")).toBe(written);
      expect(second.stderr).toContain("wrote keyscan.toml.new (keyscan.toml exists and was kept; merge by hand)");

      expect(run(["nope.toml"], dir)).toEqual({ code: 2, stderr: "keyscan: cannot read gitleaks config nope.toml: no such file\n" });
      writeFileSync(join(dir, "bad.toml"), "[[rules]\n");
      const bad = run(["bad.toml"], dir);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/^keyscan: bad\.toml:\d+:\d+: invalid TOML: .*\n$/);
      expect(run(["a", "b"], dir).code).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
