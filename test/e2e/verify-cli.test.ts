// End to end: the built CLI sends nothing anywhere without --verify, and with it asks only the endpoint set in
// the config named with --config sets in [verify.endpoints] (a stand-in on 127.0.0.1), then reports the verdict.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, cliEnv } from "../helpers/cli.js";
import { fakeCredential, type StandIn, standIns, startStandIn } from "../helpers/fake-providers.js";

const run = promisify(execFile);

/** Runs the CLI without blocking this process, which serves the stand-in. */
async function keyscan(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { cwd, env: cliEnv() });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

const live = fakeCredential("openai", 101);
let server: StandIn;
let dir: string;
let config: string;

beforeAll(async () => {
  server = await startStandIn(standIns.openai?.answer(live) ?? (() => ({})));
  dir = mkdtempSync(join(tmpdir(), "keyscan-verify-"));
  writeFileSync(join(dir, "settings.env"), `OPENAI_API_KEY=${live.secret}\n`);
  // Outside the scanned folder: a repository's own keyscan.toml may not choose endpoints.
  config = join(mkdtempSync(join(tmpdir(), "keyscan-verify-config-")), "keyscan.toml");
  writeFileSync(config, `[verify.endpoints]\nopenai = "${server.url}"\n`);
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(join(config, ".."), { recursive: true, force: true });
});

describe("keyscan scan --verify", () => {
  it("makes no request without --verify", async () => {
    const result = await keyscan(["scan", ".", "--format", "json", "--no-progress", "--config", config], dir);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { findings: Array<{ verification?: unknown }> };
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]?.verification).toBeUndefined();
    expect(server.requests).toHaveLength(0);
  });

  it("with --verify, asks the configured endpoint once and reports the owner", async () => {
    const result = await keyscan(["scan", ".", "--format", "json", "--no-progress", "--verify", "--config", config], dir);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { findings: Array<{ verification?: unknown }> };
    expect(report.findings[0]?.verification).toEqual({ status: "valid", identity: standIns.openai?.identity });
    expect(server.requests.map((r) => r.path)).toEqual(["/v1/me"]);
    expect(result.stdout + result.stderr).not.toContain(live.secret);
  });

  it("rejects a plain-http endpoint to another host, with exit code 2 and no request", async () => {
    const other = mkdtempSync(join(tmpdir(), "keyscan-verify-"));
    try {
      writeFileSync(join(other, "settings.env"), `OPENAI_API_KEY=${live.secret}\n`);
      writeFileSync(join(other, "keyscan.toml"), `[verify.endpoints]\nopenai = "http://gateway.example"\n`);
      const before = server.requests.length;
      const result = await keyscan(["scan", ".", "--verify", "--no-progress", "--config", "keyscan.toml"], other);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("must use https");
      expect(server.requests.length).toBe(before);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
