// End to end (built CLI, real files, stand-ins on 127.0.0.1): a scanned repository cannot choose where keys are
// sent, and nothing a verification endpoint answers can print the key, drive the terminal or fill memory.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CLI, cliEnv } from "../helpers/cli.js";
import { fakeCredential, type StandIn, standIns, startStandIn } from "../helpers/fake-providers.js";

const run = promisify(execFile);

async function keyscan(args: string[], cwd: string, env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { cwd, env: cliEnv(env), maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

const live = fakeCredential("openai", 171);
const password = "pw4Kq8Zr2Lm9"; // keyscan:allow (made up for this test)
const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "keyscan-e2e-verify-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

let trusted: StandIn;
let hostile: StandIn;
beforeAll(async () => {
  trusted = await startStandIn(standIns.openai?.answer(live) ?? (() => ({})));
  hostile = await startStandIn(() => ({ body: { email: "collector@evil.example" } }));
});
afterAll(async () => {
  await trusted.close();
  await hostile.close();
});

/** A scanned folder holding the key and a password, and a keyscan.toml that tries to send both to `hostile`. */
function hostileRepository(): string {
  const dir = tempDir();
  writeFileSync(join(dir, "settings.env"), `OPENAI_API_KEY=${live.secret}\nacme_pass=${password}\n`);
  writeFileSync(
    join(dir, "keyscan.toml"),
    [
      "[verify.endpoints]",
      `openai = "${hostile.url}"`,
      "[[rule]]",
      'id = "acme-pass"',
      'name = "Acme password"',
      'keywords = ["acme_pass"]',
      "pattern = '''acme_pass=([A-Za-z0-9]{8,})'''",
      'verify = "openai"',
      "",
    ].join("\n"),
  );
  return dir;
}

/** $XDG_CONFIG_HOME with the user's own keyscan/keyscan.toml sending openai checks to `url`. */
function userConfigHome(url: string): string {
  const home = tempDir();
  mkdirSync(join(home, "keyscan"));
  writeFileSync(join(home, "keyscan", "keyscan.toml"), `[verify.endpoints]\nopenai = "${url}"\n`);
  return home;
}

describe("a keyscan.toml inside the scanned repository", () => {
  it("cannot redirect verification nor add a verifier: both are refused with one warning", async () => {
    const dir = hostileRepository();
    const before = { hostile: hostile.requests.length, trusted: trusted.requests.length };
    const result = await keyscan(["scan", ".", "--verify", "--format", "json", "--no-progress"], dir, {
      XDG_CONFIG_HOME: userConfigHome(trusted.url),
    });
    expect(result.code).toBe(1);
    expect(hostile.requests.length).toBe(before.hostile);
    // The key went to the endpoint the user chose, once; the password went nowhere.
    const sent = trusted.requests.slice(before.trusted);
    expect(sent.map((request) => request.headers.authorization)).toEqual([`Bearer ${live.secret}`]);
    const warnings = result.stderr.trim().split("\n");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^keyscan: warning: .*keyscan\.toml is inside the scanned repository, so its \[verify\.endpoints\] \(openai\) and verify on rule acme-pass are ignored/);
    const report = JSON.parse(result.stdout) as { findings: Array<{ ruleId: string; verification?: { status: string } }> };
    expect(report.findings.find((finding) => finding.ruleId === "acme-pass")?.verification).toBeUndefined();
    expect(report.findings.find((finding) => finding.ruleId !== "acme-pass")?.verification?.status).toBe("valid");
  });

  it("is honoured whole when named with --config or KEYSCAN_CONFIG", async () => {
    const dir = hostileRepository();
    for (const how of [["--config", "keyscan.toml"], []] as const) {
      const before = hostile.requests.length;
      const env: Record<string, string> = how.length === 0 ? { KEYSCAN_CONFIG: join(dir, "keyscan.toml") } : {};
      const result = await keyscan(["scan", ".", "--verify", "--no-progress", ...how], dir, env);
      expect(result.code).toBe(1);
      expect(result.stderr).not.toContain("ignored");
      // The key and the password, each checked at the named config's endpoint.
      const sent = hostile.requests.slice(before).map((request) => request.headers.authorization).sort();
      expect(sent).toEqual([`Bearer ${live.secret}`, `Bearer ${password}`].sort());
    }
  });
});

describe("--only-verified", () => {
  it("reports the live key, and says how many findings it left out unchecked rather than reading as clean", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "settings.env"), `OPENAI_API_KEY=${live.secret}\n`);
    const reported = await keyscan(["scan", ".", "--only-verified", "--no-progress"], dir, { XDG_CONFIG_HOME: userConfigHome(trusted.url) });
    expect(reported.code).toBe(1);
    expect(reported.stderr).toBe("");
    // A provider that cannot be reached: a port on 127.0.0.1 that was listening a moment ago.
    const gone = createServer();
    await new Promise<void>((resolve) => gone.listen(0, "127.0.0.1", resolve));
    const { port } = gone.address() as AddressInfo;
    await new Promise<void>((resolve) => gone.close(() => resolve()));
    const unchecked = await keyscan(["scan", ".", "--only-verified", "--no-progress"], dir, { XDG_CONFIG_HOME: userConfigHome(`http://127.0.0.1:${port}`) });
    expect(unchecked.code).toBe(0);
    expect(unchecked.stderr).toMatch(/^keyscan: warning: 1 finding could not be checked \(.+\) and is left out by --only-verified; --verify reports it with the reason\n$/);
  });
});

describe("what a verification endpoint answers", () => {
  it("is printed with the key redacted in every echoed form, and escaped", async () => {
    const key = live.secret;
    const echoes = {
      reversed: Array.from(key).reverse().join(""),
      base64: Buffer.from(key).toString("base64"),
      hex: Buffer.from(key).toString("hex").toUpperCase(),
      url: encodeURIComponent(key),
    };
    const echoing = await startStandIn(() => ({
      body: {
        email: `\u001b]0;owned\u0007\u001b[2J${echoes.reversed}`,
        orgs: { data: [{ title: key }, { title: echoes.base64 }, { title: echoes.hex }, { title: echoes.url }] },
      },
    }));
    try {
      const dir = tempDir();
      writeFileSync(join(dir, "settings.env"), `OPENAI_API_KEY=${key}\n`);
      const home = userConfigHome(echoing.url);
      for (const format of ["text", "json", "sarif"]) {
        const result = await keyscan(["scan", ".", "--verify", "--no-progress", "--format", format], dir, { XDG_CONFIG_HOME: home });
        expect(result.code).toBe(1);
        const out = result.stdout + result.stderr;
        expect(out).toContain("[redacted]");
        for (const echo of [key, ...Object.values(echoes)]) expect(out).not.toContain(echo);
        expect(out).not.toMatch(/[\u0007\u001b]/);
      }
    } finally {
      await echoing.close();
    }
  });

  it("takes a timeout in any fraction of a second, and refuses one past a day (Node's timers threw a RangeError)", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "settings.env"), `OPENAI_API_KEY=${live.secret}\n`);
    const env = { XDG_CONFIG_HOME: userConfigHome(trusted.url) };
    const fraction = await keyscan(["scan", ".", "--verify", "--verify-timeout", "2.0005", "--format", "json", "--no-progress"], dir, env);
    const report = JSON.parse(fraction.stdout) as { findings: Array<{ verification?: { status: string } }> };
    expect(report.findings[0]?.verification?.status).toBe("valid");
    for (const [option, value] of [["--verify-timeout", "1e9"], ["--file-timeout", "86401"]]) {
      const result = await keyscan(["scan", ".", "--verify", option as string, value as string], dir, env);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(`keyscan: ${option}: "${value}" is not a number of seconds greater than 0 and at most 86400 (a day)\n`);
    }
  });

  it("is read up to a cap: an endless body gives the verdict unknown, not a process holding a gigabyte", async () => {
    let sentBytes = 0;
    const chunk = Buffer.alloc(1024 * 1024, "a");
    const endless = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      // Up to 1 GB, written as fast as the client reads; stops when keyscan hangs up.
      const pump = (): void => {
        while (sentBytes < 1024 ** 3 && !response.destroyed) {
          sentBytes += chunk.length;
          if (!response.write(chunk)) return void response.once("drain", pump);
        }
        response.end();
      };
      pump();
    });
    await new Promise<void>((resolve) => endless.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(endless.address() as AddressInfo).port}`;
      const dir = tempDir();
      writeFileSync(join(dir, "settings.env"), `OPENAI_API_KEY=${live.secret}\n`);
      const result = await keyscan(["scan", ".", "--verify", "--verify-timeout", "60", "--format", "json", "--no-progress"], dir, {
        XDG_CONFIG_HOME: userConfigHome(url),
      });
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout) as { findings: Array<{ verification?: { status: string; detail?: string } }> };
      expect(report.findings[0]?.verification?.status).toBe("unknown");
      expect(report.findings[0]?.verification?.detail).toMatch(/answered with more than 256 KB/);
      expect(sentBytes).toBeLessThan(1024 ** 3);
    } finally {
      endless.closeAllConnections();
      await new Promise<void>((resolve) => endless.close(() => resolve()));
    }
  });
});
