// Any config: unknown keys (with the nearest valid key), wrong types, invalid and runaway regexes —
// exit 2 with one sentence naming the file, the line where known, and the rule id.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function scanWithConfig(config: string): { code: number; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), "keyscan-config-"));
  dirs.push(dir);
  writeFileSync(join(dir, "keyscan.toml"), config);
  writeFileSync(join(dir, "a.txt"), "nothing\n");
  const result = runCli(["scan", "."], { cwd: dir });
  return { code: result.code, stderr: result.stderr.replace(`${dir}/`, "") };
}

const rule = (extra: string) => `[[rule]]\nid = "acme-token"\nname = "Acme token"\nkeywords = ["acme_"]\n${extra}`;

describe("a bad config", () => {
  it.each([
    ["an unknown top-level key, after a wrong type", 'allow = 3\ndissable = []\n', /^keyscan: keyscan\.toml:2: unknown key "dissable" \(did you mean "disable"\?\)$/],
    ["an unknown key in a table", "[allow]\nregexs = []\n", /^keyscan: keyscan\.toml:2: .*unknown key "regexs" \(did you mean "regexes"\?\)$/],
    ["a misspelt rule key, not reported as a missing one", rule('patern = "acme_[a-z]{20}"\n'), /^keyscan: keyscan\.toml: rule "acme-token": unknown key "patern" \(did you mean "pattern"\?\)$/],
    ["a wrong type", "disable = \"openai-project-key\"\n", /^keyscan: keyscan\.toml:1: disable: .*expected array/],
    ["a wrong type in a rule", rule('pattern = "acme_[a-z]{20}"\nseverity = 3\n'), /^keyscan: keyscan\.toml: rule "acme-token": severity: /],
    ["an invalid regex", rule('pattern = "acme_[a-z{20"\n'), /^keyscan: keyscan\.toml: rule "acme-token": invalid pattern: .*Unterminated character class/],
    ["a runaway regex", rule("pattern = '''acme_(\\w+\\s?)*$'''\n"), /^keyscan: keyscan\.toml: rule "acme-token": pattern can backtrack catastrophically at \(\\w\+\\s\?\)\*/],
    ["invalid TOML", "disable = [\n", /^keyscan: keyscan\.toml:\d+:\d+: invalid TOML: /],
  ])("%s: exit 2 and one sentence", (_, config, message) => {
    const { code, stderr } = scanWithConfig(config);
    expect(code).toBe(2);
    const lines = stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });
});
