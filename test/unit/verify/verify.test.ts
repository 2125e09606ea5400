// verifyFindings as a whole: dedup, the per-provider cap, retry limits, timeouts, refused connections,
// redirects, endpoint overrides checked before any request, and keys kept out of every message.
import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/errors.js";
import type { Finding } from "../../../src/types.js";
import { validateEndpoints, verifyFindings, type VerifyOptions } from "../../../src/verify/index.js";
import { type Answer, fakeCredential, refusingUrl, type StandIn, standIns, useStandIns } from "../../helpers/fake-providers.js";

const serve = useStandIns();

function finding(ruleId: string, secret: string, extra: Partial<Finding> = {}): Finding {
  return {
    ruleId,
    ruleName: ruleId,
    severity: "critical",
    path: "app.py",
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: secret.length + 1,
    secret,
    match: secret,
    fingerprint: `fp-${ruleId}-${secret.slice(-6)}`,
    entropy: 4,
    ...extra,
  };
}

/** Rules named "<provider>-…" verify with that provider; "generic-…" rules have no live check. */
const ruleProvider = (ruleId: string): string | undefined => (ruleId.startsWith("generic") ? undefined : ruleId.split("-")[0]);
const openaiKey = (seed: number): string => fakeCredential("openai", seed).secret;
const liveOpenAI = (): Answer => () => ({ body: { email: "dev@example.com" } });

function options(server: StandIn | string, more: Partial<VerifyOptions> = {}): VerifyOptions {
  const url = typeof server === "string" ? server : server.url;
  return { endpoints: { openai: url }, timeoutMs: 2000, retryDelayMs: 20, ...more };
}

describe("verifyFindings", () => {
  it("checks each unique secret once and shares the verdict", async () => {
    const server = await serve(liveOpenAI());
    const key = openaiKey(1);
    const findings = [
      finding("openai-project-key", key, { path: "a.env" }),
      finding("openai-project-key", key, { path: "b.env" }),
      finding("openai-project-key", key, { path: "c.env", line: 9 }),
    ];
    const verified = await verifyFindings(findings, ruleProvider, options(server));
    expect(server.requests).toHaveLength(1);
    expect(verified.map((f) => [f.path, f.verification])).toEqual(
      ["a.env", "b.env", "c.env"].map((path) => [path, { status: "valid", identity: "dev@example.com" }]),
    );
  });

  it("checks a pair again when the companion differs", async () => {
    const live = fakeCredential("aws", 101);
    const server = await serve(standIns.aws?.answer(live) ?? (() => ({})));
    const other = fakeCredential("aws", 102).companion;
    const verified = await verifyFindings(
      [
        finding("aws-secret-key", live.secret, { companion: live.companion }),
        finding("aws-secret-key", live.secret, { companion: other }),
      ],
      ruleProvider,
      { endpoints: { aws: server.url }, timeoutMs: 2000 },
    );
    expect(server.requests).toHaveLength(2);
    expect(verified.map((f) => f.verification?.status)).toEqual(["valid", "invalid"]);
  });

  it("checks a pair once whichever of its findings carries the verify field", async () => {
    const live = fakeCredential("aws", 101);
    const server = await serve(standIns.aws?.answer(live) ?? (() => ({})));
    const verified = await verifyFindings(
      [
        finding("aws-secret-access-key", live.secret, { companion: live.companion }),
        finding("aws-access-key-id", live.companion ?? "", { companion: live.secret }),
      ],
      ruleProvider,
      { endpoints: { aws: server.url }, timeoutMs: 2000 },
    );
    expect(server.requests).toHaveLength(1);
    expect(verified.map((f) => f.verification?.status)).toEqual(["valid", "valid"]);
  });

  it("keeps at most 4 checks in flight per provider, and uses all 4", async () => {
    const server = await serve(() => ({ delayMs: 80, body: { email: "dev@example.com" } }));
    const findings = Array.from({ length: 10 }, (_, i) => finding("openai-project-key", openaiKey(100 + i)));
    const verified = await verifyFindings(findings, ruleProvider, options(server));
    expect(server.requests).toHaveLength(10);
    expect(server.maxInFlight()).toBe(4);
    expect(verified.every((f) => f.verification?.status === "valid")).toBe(true);
  });

  it("takes the cap from perProviderConcurrency, and applies it per provider", async () => {
    // Neither stand-in answers until both have been asked: if the providers ran one after the other, the
    // first one's checks would wait out the timeout and come back unknown.
    const markAsked: { openai?: () => void; github?: () => void } = {};
    const asked = {
      openai: new Promise<void>((resolve) => (markAsked.openai = resolve)),
      github: new Promise<void>((resolve) => (markAsked.github = resolve)),
    };
    const bothAsked = Promise.all([asked.openai, asked.github]);
    const holdUntilBothAsked =
      (provider: "openai" | "github"): Answer =>
      async () => {
        markAsked[provider]?.();
        await bothAsked;
        return { delayMs: 60, body: { email: "dev@example.com", login: "octodev" } };
      };
    const openai = await serve(holdUntilBothAsked("openai"));
    const github = await serve(holdUntilBothAsked("github"));
    const findings = [
      ...Array.from({ length: 5 }, (_, i) => finding("openai-project-key", openaiKey(200 + i))),
      ...Array.from({ length: 5 }, (_, i) => finding("github-pat", fakeCredential("github", 300 + i).secret)),
    ];
    const verified = await verifyFindings(findings, ruleProvider, {
      endpoints: { openai: openai.url, github: github.url },
      perProviderConcurrency: 2,
      timeoutMs: 5000,
    });
    expect([openai.maxInFlight(), github.maxInFlight()]).toEqual([2, 2]);
    expect(verified.map((f) => f.verification?.status)).toEqual(Array(10).fill("valid"));
  });

  it("retries a 429 only once", async () => {
    const server = await serve(() => ({ status: 429, body: {} }));
    const [result] = await verifyFindings([finding("openai-project-key", openaiKey(2))], ruleProvider, options(server));
    expect(result?.verification).toEqual({ status: "unknown", detail: "OpenAI is still rate-limiting after one retry" });
    // /v1/me twice (429, retry), then /v1/models twice.
    expect(server.requests.map((r) => r.path)).toEqual(["/v1/me", "/v1/me", "/v1/models", "/v1/models"]);
  });

  it("waits as long as Retry-After says before the retry", async () => {
    let calls = 0;
    const server = await serve(() =>
      ++calls === 1 ? { status: 429, headers: { "retry-after": "1" }, body: {} } : { body: { email: "dev@example.com" } },
    );
    const [result] = await verifyFindings([finding("openai-project-key", openaiKey(3))], ruleProvider, options(server));
    expect(result?.verification?.status).toBe("valid");
    expect((server.requests[1]?.at ?? 0) - (server.requests[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it("gives up after the timeout: unknown, with the reason, and the scan goes on", async () => {
    const server = await serve(() => ({ delayMs: 3000, body: {} }));
    const started = Date.now();
    const [result] = await verifyFindings(
      [finding("openai-project-key", openaiKey(4))],
      ruleProvider,
      options(server, { timeoutMs: 200 }),
    );
    expect(Date.now() - started).toBeLessThan(2000);
    expect(result?.verification).toEqual({ status: "unknown", detail: `no answer from ${new URL(server.url).host} within 200 ms` });
  });

  it("a refused connection is unknown, with the reason", async () => {
    const url = await refusingUrl();
    const [result] = await verifyFindings([finding("openai-project-key", openaiKey(5))], ruleProvider, options(url));
    expect(result?.verification).toEqual({ status: "unknown", detail: `could not reach ${new URL(url).host} (ECONNREFUSED)` });
  });

  it("does not follow a redirect: the key must not reach another host", async () => {
    const elsewhere = await serve(liveOpenAI());
    const server = await serve(() => ({ status: 302, headers: { location: `${elsewhere.url}/v1/me` } }));
    const [result] = await verifyFindings([finding("openai-project-key", openaiKey(6))], ruleProvider, options(server));
    expect(result?.verification?.status).toBe("unknown");
    expect(result?.verification?.detail).toMatch(/redirects are not followed/);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it("an aborted signal makes pending checks unknown", async () => {
    const server = await serve(() => ({ delayMs: 3000, body: {} }));
    const [result] = await verifyFindings(
      [finding("openai-project-key", openaiKey(7))],
      ruleProvider,
      options(server, { signal: AbortSignal.timeout(100) }),
    );
    expect(result?.verification).toEqual({ status: "unknown", detail: "verification was cancelled" });
  });

  it("leaves findings of rules without a provider untouched, and sends nothing for them", async () => {
    const server = await serve(liveOpenAI());
    const generic = finding("generic-api-key", "aVeryRandomLookingValue123"); // keyscan:allow (made up: a value no provider verifies)
    const verified = await verifyFindings([generic], ruleProvider, options(server));
    expect(verified).toEqual([generic]);
    expect("verification" in (verified[0] ?? {})).toBe(false);
    expect(server.requests).toHaveLength(0);
  });

  it("keeps the findings' order and marks a provider it has no verifier for", async () => {
    const server = await serve(liveOpenAI());
    const verified = await verifyFindings(
      [finding("generic-x", "a"), finding("openai-project-key", openaiKey(8)), finding("mystery-key", "b")],
      ruleProvider,
      options(server),
    );
    expect(verified.map((f) => f.verification)).toEqual([
      undefined,
      { status: "valid", identity: "dev@example.com" },
      { status: "unknown", detail: 'no verifier for provider "mystery"' },
    ]);
  });

  it("never puts the key in a verdict, even when the provider echoes it", async () => {
    const key = openaiKey(9);
    const server = await serve((req) => ({
      body: { email: `owner of ${String(req.headers.authorization)}` },
    }));
    const [result] = await verifyFindings([finding("openai-project-key", key)], ruleProvider, options(server));
    expect(result?.verification?.status).toBe("valid");
    expect(JSON.stringify(result?.verification)).not.toContain(key);
  });

  it("keeps a Telegram token, which travels in the path, out of a failure's reason", async () => {
    const token = fakeCredential("telegram", 1).secret;
    const url = await refusingUrl();
    const [result] = await verifyFindings([finding("telegram-bot-token", token)], ruleProvider, {
      endpoints: { telegram: url },
    });
    expect(result?.verification?.status).toBe("unknown");
    expect(JSON.stringify(result?.verification)).not.toContain(token);
    expect(JSON.stringify(result?.verification)).not.toContain(token.split(":")[1]);
  });
});

describe("endpoint overrides", () => {
  it("accepts https anywhere and plain http to loopback only", () => {
    expect(() =>
      validateEndpoints({
        openai: "https://gateway.example/openai",
        github: "http://127.0.0.1:8080",
        gitlab: "http://localhost:3000",
        slack: "http://[::1]:9000",
      }),
    ).not.toThrow();
  });

  it("rejects plain http to another host before any request is made", async () => {
    const server = await serve(liveOpenAI());
    const findings = [finding("github-pat", fakeCredential("github", 1).secret)];
    await expect(
      verifyFindings(findings, ruleProvider, { endpoints: { github: server.url, openai: "http://gateway.example" } }),
    ).rejects.toThrow(UsageError);
    await expect(
      verifyFindings(findings, ruleProvider, { endpoints: { github: server.url, openai: "http://gateway.example" } }),
    ).rejects.toThrow('keyscan.toml [verify.endpoints] openai = "http://gateway.example" must use https');
    expect(server.requests).toHaveLength(0);
  });

  it.each([
    [{ opneai: "https://gateway.example" }, 'unknown provider "opneai" (did you mean "openai"?)'],
    [{ openai: "gateway.example" }, "is not a URL"],
    [{ openai: "ftp://127.0.0.1" }, "must use https"],
    [{ openai: "http://10.0.0.1" }, "must use https"],
    [{ openai: "https://user:pw@gateway.example" }, "without user, query or fragment"],
  ])("rejects %j", (endpoints, message) => {
    expect(() => validateEndpoints(endpoints)).toThrow(UsageError);
    expect(() => validateEndpoints(endpoints)).toThrow(message);
  });

  it("sends to the override's path prefix, for gateways that route by path", async () => {
    const server = await serve(liveOpenAI());
    await verifyFindings([finding("openai-project-key", openaiKey(10))], ruleProvider, {
      endpoints: { openai: `${server.url}/proxy/openai/` },
    });
    expect(server.requests.map((r) => r.path)).toEqual(["/proxy/openai/v1/me"]);
  });
});
