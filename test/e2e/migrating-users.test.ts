// End to end through the built CLI: what a gitleaks or secretlint user expects to work. --redact,
// -v, KEYSCAN_CONFIG, path globs in .keyscanignore, secretlint-disable blocks, JUnit and CSV reports,
// and a gitleaks JSON report as --baseline.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openaiProjectKey } from "../../fixtures/fake-keys.js";
import { runCli } from "../helpers/cli.js";
import { tempRepo } from "../helpers/git-repo.js";
import { parseXml } from "../helpers/xml.js";

const made = tempRepo();
const elsewhere = mkdtempSync(join(tmpdir(), "keyscan-config-"));
afterAll(() => {
  made.remove();
  rmSync(elsewhere, { recursive: true, force: true });
});

const secret = openaiProjectKey(11);
made.write("app.env", `OPENAI_API_KEY=${secret}\n`);

function scan(args: string[], env: Record<string, string> = {}) {
  return runCli(["scan", "--no-progress", ...args], { cwd: made.dir, env });
}

const files = (stdout: string): string[] => (JSON.parse(stdout) as { findings: { file: string }[] }).findings.map((finding) => finding.file);

describe("options a gitleaks user types", () => {
  it("accepts --redact (the default), and --no-redact shows the secret", () => {
    const redacted = `${secret.slice(0, 4)}…(${secret.length} chars)`;
    for (const args of [[], ["--redact"]]) {
      const result = scan(["-f", "json", ...args]);
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stdout).findings[0].secret).toBe(redacted);
      expect(result.stdout).not.toContain(secret);
    }
    expect(JSON.parse(scan(["-f", "json", "--no-redact"]).stdout).findings[0].secret).toBe(secret);
  });

  it("-v says which config and root were used", () => {
    made.write("keyscan.toml", "disable = []\n");
    const result = scan(["-v", "-f", "json"]);
    expect(result.stderr).toContain(`keyscan: config: ${join(made.dir, "keyscan.toml")}\n`);
    expect(result.stderr).toContain(`keyscan: paths are relative to ${made.dir} (the repository's root)\n`);
    expect(scan(["-f", "json"]).stderr).toBe("");
    rmSync(join(made.dir, "keyscan.toml"));
  });

  it("reads the config named by KEYSCAN_CONFIG; --config wins over it; a missing one is a one-line error", () => {
    const config = join(elsewhere, "ci-keyscan.toml");
    writeFileSync(config, '[allow]\npaths = ["*.env"]\n');
    expect(scan(["-f", "json"], { KEYSCAN_CONFIG: config }).code).toBe(0);
    const empty = join(elsewhere, "empty.toml");
    writeFileSync(empty, "");
    expect(scan(["-f", "json", "--config", empty], { KEYSCAN_CONFIG: config }).code).toBe(1);
    const missing = scan([], { KEYSCAN_CONFIG: join(elsewhere, "nope.toml") });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`keyscan: KEYSCAN_CONFIG: ${join(elsewhere, "nope.toml")} does not exist\n`);
  });
});

describe("suppressions a gitleaks or secretlint user has", () => {
  it("takes path globs in .keyscanignore beside fingerprints", () => {
    made.write("generated/one/client.js", `const key = "${openaiProjectKey(12)}";\n`);
    made.write("src/real.js", `const key = "${openaiProjectKey(13)}";\n`);
    made.write(".keyscanignore", "# generated code is rebuilt from the API description\ngenerated/**\n");
    expect(files(scan(["-f", "json"]).stdout)).toEqual(["app.env", "src/real.js"]);
    rmSync(join(made.dir, ".keyscanignore"));
  });

  it("honours secretlint-disable … secretlint-enable blocks", () => {
    const inside = openaiProjectKey(14);
    const after = openaiProjectKey(15);
    made.write("block.js", `/* secretlint-disable */\nconst a = "${inside}";\n/* secretlint-enable */\nconst b = "${after}";\n`);
    const found = JSON.parse(scan(["block.js", "-f", "json"]).stdout).findings as { line: number }[];
    expect(found.map((finding) => finding.line)).toEqual([4]);
    rmSync(join(made.dir, "block.js"));
  });

  it("takes a gitleaks JSON report as --baseline: same file and secret, or a mapped rule on the same line", () => {
    made.write("b.js", `\nconst key = "${openaiProjectKey(16)}";\n`);
    made.write("c.js", `const key = "${openaiProjectKey(17)}";\n`);
    const report = [
      // gitleaks report written without --redact: the secret itself matches, wherever the line.
      { Description: "OpenAI API Key", File: "app.env", RuleID: "openai-api-key", StartLine: 9, Secret: secret, Fingerprint: "app.env:openai-api-key:9" },
      // written with --redact: gitleaks' rule maps to keyscan's, on the same line.
      { Description: "OpenAI API Key", File: "b.js", RuleID: "openai-api-key", StartLine: 2, Secret: "REDACTED", Commit: "" },
      // same rule, another line: not the same finding.
      { Description: "OpenAI API Key", File: "c.js", RuleID: "openai-api-key", StartLine: 5, Secret: "REDACTED" },
    ];
    const baseline = join(elsewhere, "gitleaks-report.json");
    writeFileSync(baseline, JSON.stringify(report, null, 2));
    expect(files(scan([".", "-f", "json", "--baseline", baseline]).stdout)).toEqual(["c.js", "generated/one/client.js", "src/real.js"]);
    writeFileSync(baseline, JSON.stringify([{ File: "a.js" }]));
    const bad = scan(["--baseline", baseline]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(`keyscan: ${baseline} is not a gitleaks JSON report (each finding needs File, RuleID and StartLine)\n`);
    for (const file of ["b.js", "c.js"]) rmSync(join(made.dir, file));
  });
});

describe("--format junit and csv", () => {
  it("writes JUnit XML: a failed test case a finding, redacted even with --no-redact, names escaped", () => {
    const odd = 'odd <&"> name.env';
    made.write(odd, `OPENAI_API_KEY=${openaiProjectKey(18)}\n`);
    const result = scan(["app.env", odd, "-f", "junit", "--no-redact"]);
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain(secret);
    const suites = parseXml(result.stdout);
    expect(suites.name).toBe("testsuites");
    expect(suites.attributes).toMatchObject({ name: "keyscan", tests: "2", failures: "2" });
    const [suite] = suites.children;
    expect(suite?.name).toBe("testsuite");
    expect(suite?.attributes).toMatchObject({ name: "keyscan scan", tests: "2", failures: "2", errors: "0" });
    const cases = suite?.children ?? [];
    expect(cases.map((entry) => [entry.name, entry.attributes.file, entry.attributes.line])).toEqual([
      ["testcase", "app.env", "1"],
      ["testcase", odd, "1"],
    ]);
    const failure = cases[0]?.children[0];
    expect(failure?.name).toBe("failure");
    expect(failure?.attributes.type).toBe("openai-project-key");
    expect(failure?.attributes.message).toContain(`${secret.slice(0, 4)}…(${secret.length} chars)`);
    expect(failure?.text).toContain("app.env:1:16  CRITICAL  OpenAI project API key [openai-project-key]");
    rmSync(join(made.dir, odd));
  });

  it("writes a passing JUnit test case when nothing is found", () => {
    made.write("clean.txt", "nothing here\n");
    const result = scan(["clean.txt", "-f", "junit"]);
    expect(result.code).toBe(0);
    const suite = parseXml(result.stdout).children[0];
    expect(suite?.attributes).toMatchObject({ tests: "1", failures: "0" });
    expect(suite?.children.map((entry) => [entry.name, entry.children.length])).toEqual([["testcase", 0]]);
  });

  it("writes CSV: a header, one quoted-where-needed row a finding, redacted unless --no-redact, no formulas", () => {
    const odd = '=HYPERLINK("x"),b.env';
    made.write(odd, `OPENAI_API_KEY=${openaiProjectKey(19)}\n`);
    const result = scan(["app.env", odd, "-f", "csv"]);
    expect(result.code).toBe(1);
    const lines = result.stdout.split("\r\n");
    expect(lines[0]).toBe("ruleId,ruleName,severity,file,line,column,endLine,endColumn,secret,fingerprint,entropy,commit,author,email,date,verification");
    // Sorted by file: "=…" before "app.env".
    expect(lines[1]?.startsWith(`openai-project-key,OpenAI project API key,critical,"'=HYPERLINK(""x""),b.env",1,`)).toBe(true);
    expect(lines[2]).toMatch(
      new RegExp(`^openai-project-key,OpenAI project API key,critical,app\\.env,1,16,1,${16 + secret.length},sk-p…\\(${secret.length} chars\\),[0-9a-f]{20},[0-9.]+,,,,,$`),
    );
    expect(lines.slice(3)).toEqual([""]);
    expect(scan(["app.env", "-f", "csv", "--no-redact"]).stdout).toContain(`,${secret},`);
    rmSync(join(made.dir, odd));
  });
});
