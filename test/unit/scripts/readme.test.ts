// The README's rules table is generated from rules/*.toml; it must not fall behind the rules.
import { execFileSync } from "node:child_process";
import { expect, it } from "vitest";

it("README's 'What keyscan detects' table matches rules/*.toml", () => {
  const tsx = new URL("../../../node_modules/.bin/tsx", import.meta.url).pathname;
  const script = new URL("../../../scripts/rules-table.ts", import.meta.url).pathname;
  // --check exits 1 (and execFileSync throws) when the table is out of date.
  expect(() => execFileSync(tsx, [script, "--check"], { stdio: "pipe" })).not.toThrow();
});
