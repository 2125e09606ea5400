import { describe, expect, it } from "vitest";
import { redactSecret } from "../../../src/report/redact.js";
import { humanDuration, renderText } from "../../../src/report/text.js";
import { formatBytes } from "../../../src/format/size.js";
import { emptyStats, type Finding } from "../../../src/types.js";
import { input, keys, sampleFindings, scan } from "./fixtures.js";

const ESC = "\x1b";
const SGR = /\x1b\[[0-9;]*m/g;

describe("renderText", () => {
  const out = renderText(input(sampleFindings()));

  it("groups findings by file, files sorted, each finding with path:line:col", () => {
    const lines = out.split("\n");
    expect(lines.filter((line) => line === "app/main.py")).toHaveLength(1);
    expect(lines.filter((line) => line === "src/config.ts")).toHaveLength(1);
    expect(lines.indexOf("app/main.py")).toBeLessThan(lines.indexOf("src/config.ts"));
    const locations = lines.filter((line) => /^ {2}\S+:\d+:\d+ /.test(line)).map((line) => line.trim().split(" ")[0]);
    expect(locations).toEqual(["app/main.py:1:19", "app/main.py:2:7", "src/config.ts:2:21", "src/config.ts:3:19"]);
    // Each finding sits under its own file's heading.
    expect(lines.indexOf("  src/config.ts:2:21  CRITICAL  OpenAI project API key [openai-project-key]")).toBeGreaterThan(
      lines.indexOf("src/config.ts"),
    );
  });

  it("shows rule, severity, redacted secret, remediation and fingerprint", () => {
    const [project] = sampleFindings().filter((f) => f.ruleId === "openai-project-key");
    expect(out).toContain("CRITICAL  OpenAI project API key [openai-project-key]");
    expect(out).toContain(`secret      ${redactSecret(keys.project)}`);
    expect(out).toContain("fix         Revoke it under the project's API keys");
    expect(out).toContain(`fingerprint ${project?.fingerprint}`);
    expect(out).toContain(`match       password = "${redactSecret(keys.password)}"`);
    expect(out).toContain("MEDIUM  Password in assignment [test-password]");
    expect(out).toContain("LOW  Short PIN [test-pin]");
  });

  it("ends with a summary of files, bytes, skipped files, time and findings", () => {
    expect(out.trimEnd().split("\n").at(-1)).toBe(
      "Scanned 12 files (5.3 MB) in 1.23 s; skipped 3 (2 binary, 1 large). 4 findings (2 critical, 1 medium, 1 low).",
    );
  });

  it("says so when nothing was found", () => {
    const stats = { ...emptyStats(), files: 1, bytes: 10, unreadable: 1, skippedOther: 2, durationMs: 7.4 };
    expect(renderText(input([], { stats }))).toBe(
      "No secrets found.\nScanned 1 file (10 B) in 7 ms; skipped 3 (1 unreadable, 2 symlinks or submodules). 0 findings.\n",
    );
  });

  it("in history mode, gives one entry a secret with the commit that introduced it, and counts secrets", () => {
    const commit = { sha: "0123456789abcdef0123456789abcdef01234567", author: "Ada Lovelace", email: "ada@example.com", date: "2024-05-01T10:00:00Z" };
    const findings = scan({ path: "old.env", text: `KEY=${keys.legacy}\n`, commit });
    const stats = { ...emptyStats(), files: 3, bytes: 2048, commits: 40, blobs: 12, durationMs: 90 };
    const text = renderText(input(findings, { mode: "history", stats }));
    expect(text).toContain("introduced  2024-05-01 by Ada Lovelace <ada@example.com> in 0123456789ab");
    expect(text).toContain("found in    old.env:1:5 (0123456789ab)");
    expect(text).toContain("Scanned 3 files (2.0 KB), 40 commits, 12 blobs in 90 ms. 1 secret (1 critical) in 1 location.");
  });

  it("marks verified keys live, revoked or unknown, with the identity", () => {
    const [first, second, third] = sampleFindings();
    if (!first || !second || !third) throw new Error("fixture changed");
    const text = renderText(
      input([
        { ...first, verification: { status: "valid", identity: "org-acme" } },
        { ...second, verification: { status: "invalid" } },
        { ...third, verification: { status: "unknown", detail: "timeout" } },
      ]),
    );
    expect(text).toContain("verified    ✔ live — org-acme");
    expect(text).toContain("verified    ✘ revoked or invalid\n");
    expect(text).toContain("verified    ? unknown — timeout");
  });

  it("uses colour only when asked", () => {
    expect(out).not.toContain(ESC);
    const coloured = renderText(input(sampleFindings(), { color: true }));
    expect(coloured).toContain(`${ESC}[31m`);
    expect(coloured.replace(SGR, "")).toBe(out);
  });

  it("neutralises control characters and escape sequences in file names, matches and commit data", () => {
    const hostilePath = "evil\x1b]0;pwned\x07\x1b[2J\u202e.ts\nfake.ts:1:1";
    const findings: Finding[] = scan({
      path: hostilePath,
      text: `password = "\x1b[31mred\x9bhidden"\n`,
      commit: { sha: "a".repeat(40), author: "Mallory\x1b[8m", email: "m@x\r", date: "2024-01-01" },
    });
    expect(findings).toHaveLength(1);
    for (const color of [false, true]) {
      for (const mode of ["scan", "history"] as const) {
        const text = renderText(input(findings, { color, redact: false, mode }));
        // With colour on, the only escapes left are the report's own SGR colour codes.
        const bare = text.replace(SGR, "");
        expect(bare).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]/);
        expect(bare).toContain("evil\\x1b]0;pwned\\x07\\x1b[2J\\u202e.ts\\nfake.ts:1:1:1:13");
        expect(bare).toContain('\\x1b[31mred\\x9bhidden"');
        expect(bare).toContain("by Mallory\\x1b[8m <m@x\\r>");
      }
    }
  });

  it("closes a staged report with findings by saying the commit is blocked and the three ways out", () => {
    const staged = renderText(input(sampleFindings(), { mode: "staged" }));
    const tail = staged.slice(staged.indexOf("Commit blocked"));
    expect(tail).toMatch(/^Commit blocked: 4 secrets were found in the staged changes\./);
    expect(tail).toContain("`git add`");
    expect(tail).toContain("`keyscan:allow`");
    expect(tail).toContain("`git commit --no-verify`");
    expect(out).not.toContain("Commit blocked");
    expect(renderText(input([], { mode: "staged" }))).not.toContain("Commit blocked");
  });
});

describe("human units", () => {
  it("formats bytes and durations", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1023)).toBe("1023 B");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(3 * 1024 ** 3)).toBe("3.0 GB");
    expect(humanDuration(999)).toBe("999 ms");
    expect(humanDuration(61_500)).toBe("61.50 s");
  });
});
