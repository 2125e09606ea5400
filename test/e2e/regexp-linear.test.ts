// The CLI switches on V8's fallback to its linear-time regex engine at start-up (src/start/regexp-flags.ts),
// in every supported Node version: a pattern that backtracks catastrophically then returns at once.
// A preloaded probe runs such a pattern after the CLI has run; without the flag it would take minutes.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CLI, cliEnv } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "keyscan-linear-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Runs when the CLI's process exits, so the pattern is compiled under whatever flags the CLI set.
const probe = join(dir, "probe.cjs");
writeFileSync(
  probe,
  `process.on("exit", () => {
  const started = Date.now();
  const matched = new RegExp("^(a+)+$").test("a".repeat(32) + "!");
  process.stderr.write("probe " + matched + " " + (Date.now() - started) + " ms\\n");
});
`,
);

/** This Node, and Node 22 and 24 where npm has them cached (npx --offline fetches nothing). */
function nodeBinaries(): string[] {
  const found = [process.execPath];
  for (const version of ["22", "24"]) {
    try {
      const path = execFileSync("npx", ["--offline", "--yes", `node@${version}`, "-p", "process.execPath"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
      if (path && !found.includes(path)) found.push(path);
    } catch {
      // not in npm's cache on this machine: this Node alone is checked
    }
  }
  return found;
}

describe("V8's linear-time fallback", () => {
  for (const node of nodeBinaries()) {
    const version = execFileSync(node, ["--version"], { encoding: "utf8" }).trim();
    it(`is on in the CLI under Node ${version}: a catastrophic pattern returns within 10 s`, () => {
      const result = spawnSync(node, ["--require", probe, CLI, "rules", "--json"], {
        cwd: dir,
        env: cliEnv(),
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(result.status, result.stderr).toBe(0);
      const [, matched, ms] = /probe (\w+) (\d+) ms/.exec(result.stderr) ?? [];
      expect(matched).toBe("false");
      expect(Number(ms)).toBeLessThan(10_000);
    });
  }
});
