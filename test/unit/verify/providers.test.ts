// Every provider --verify knows, checked against a local stand-in that answers as the provider does:
// a live key, a revoked one, a 429 then success, and a server error.
import { describe, expect, it } from "vitest";
import type { Finding } from "../../../src/types.js";
import { providerNames, verifyFindings } from "../../../src/verify/index.js";
import type { Credential } from "../../../src/verify/providers/common.js";
import {
  fakeCredential,
  rateLimitedOnce,
  type StandIn,
  standIns,
  useStandIns,
} from "../../helpers/fake-providers.js";

const serve = useStandIns();

function finding(provider: string, credential: Credential): Finding {
  return {
    ruleId: `${provider}-key`,
    ruleName: `${provider} key`,
    severity: "critical",
    path: "config.env",
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: credential.secret.length + 1,
    secret: credential.secret,
    match: credential.secret,
    fingerprint: "f",
    entropy: 4,
    ...(credential.companion ? { companion: credential.companion } : {}),
  };
}

/** Verifies one credential against a stand-in serving as `provider`'s endpoint. */
async function verifyOne(provider: string, credential: Credential, standIn: StandIn, retryDelayMs = 20) {
  const [result] = await verifyFindings([finding(provider, credential)], (ruleId) => ruleId.replace(/-key$/, ""), {
    endpoints: { [provider]: standIn.url },
    timeoutMs: 2000,
    retryDelayMs,
  });
  const verification = result?.verification;
  // Whatever the verdict, its text never quotes the key or its companion.
  const shown = JSON.stringify(verification);
  expect(shown).not.toContain(credential.secret);
  if (credential.companion) expect(shown).not.toContain(credential.companion);
  return verification;
}

it("has a stand-in for every provider, and a verifier for every name rules may use", () => {
  expect([...providerNames].sort()).toEqual(
    ["anthropic", "aws", "discord", "github", "gitlab", "huggingface", "npm", "openai", "sendgrid", "slack", "stripe", "telegram", "twilio"],
  );
  expect(Object.keys(standIns).sort()).toEqual([...providerNames].sort());
});

describe.each(providerNames.map((name) => [name]))("%s", (provider) => {
  const standIn = standIns[provider];
  if (!standIn) throw new Error(`no stand-in for ${provider}`);
  const live = fakeCredential(provider, 101);
  const revoked = fakeCredential(provider, 202);

  it("a live key is valid, with the identity the provider reveals", async () => {
    const server = await serve(standIn.answer(live));
    expect(await verifyOne(provider, live, server)).toEqual({ status: "valid", identity: standIn.identity });
    expect(server.requests.length).toBeGreaterThanOrEqual(1);
  });

  it("a revoked key is invalid", async () => {
    const server = await serve(standIn.answer(live));
    const verification = await verifyOne(provider, revoked, server);
    expect(verification?.status).toBe("invalid");
    expect(verification?.identity).toBeUndefined();
  });

  it("a 429 is retried once, after the back-off, then the answer counts", async () => {
    const server = await serve(rateLimitedOnce(standIn.answer(live)));
    expect(await verifyOne(provider, live, server, 150)).toEqual({ status: "valid", identity: standIn.identity });
    const [first, second] = server.requests;
    expect(second?.path).toBe(first?.path);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(140);
  });

  it("a server error makes the verdict unknown, with the reason", async () => {
    const server = await serve(() => ({ status: 500, body: { error: "internal" } }));
    expect(await verifyOne(provider, live, server)).toEqual({ status: "unknown", detail: expect.stringContaining("HTTP 500") });
  });
});

describe("provider specifics", () => {
  it("OpenAI: a key that may not read /v1/me falls back to /v1/models and names the organization from its header", async () => {
    const key = fakeCredential("openai", 5);
    const server = await serve((req) => {
      if (req.path === "/v1/me") return { status: 403, body: { error: { message: "forbidden for project keys" } } };
      return { headers: { "openai-organization": "org-acme" }, body: { object: "list", data: [] } };
    });
    expect(await verifyOne("openai", key, server)).toEqual({ status: "valid", identity: "org: org-acme" });
    expect(server.requests.map((req) => req.path)).toEqual(["/v1/me", "/v1/models"]);
  });

  it("OpenAI: an admin key is checked against the admin keys list", async () => {
    const key = { secret: fakeCredential("openai", 6).secret.replace(/^sk-proj-/, "sk-admin-") };
    const server = await serve((req) =>
      req.path.startsWith("/v1/organization/admin_api_keys") && req.headers.authorization === `Bearer ${key.secret}`
        ? { headers: { "openai-organization": "org-acme" }, body: { object: "list", data: [] } }
        : { status: 401, body: {} },
    );
    expect(await verifyOne("openai", key, server)).toEqual({ status: "valid", identity: "org: org-acme", detail: "admin key" });
    expect(server.requests).toHaveLength(1);
  });

  it("OpenAI: a key whose organization ran out of credit is still live", async () => {
    const server = await serve((req) =>
      req.path === "/v1/me"
        ? { status: 403, body: {} }
        : { status: 429, body: { error: { code: "insufficient_quota", message: "You exceeded your current quota" } } },
    );
    expect(await verifyOne("openai", fakeCredential("openai", 7), server, 1)).toEqual({
      status: "valid",
      detail: "no quota left",
    });
  });

  it("Slack: a revoked token is told apart from other errors, though Slack answers 200 to both", async () => {
    const server = await serve(() => ({ body: { ok: false, error: "ratelimited" } }));
    expect(await verifyOne("slack", fakeCredential("slack", 3), server)).toEqual({
      status: "unknown",
      detail: "Slack answered ratelimited",
    });
  });

  it("Slack: a webhook URL is not verified, since the only check would post a message", async () => {
    const server = await serve(() => ({ body: { ok: true } }));
    const verification = await verifyOne("slack", { secret: "https://hooks.slack.com/services/T000/B000/XXXX" }, server);
    expect(verification?.status).toBe("unknown");
    expect(server.requests).toHaveLength(0);
  });

  it("Stripe: a restricted key that may not read the account is still live", async () => {
    const server = await serve(() => ({ status: 403, body: { error: { type: "invalid_request_error" } } }));
    expect((await verifyOne("stripe", fakeCredential("stripe", 3), server))?.status).toBe("valid");
  });

  it("AWS: the right key id with the wrong secret fails the signature check", async () => {
    const live = fakeCredential("aws", 101);
    const server = await serve(standIns.aws?.answer(live) ?? (() => ({})));
    const wrongSecret = { secret: fakeCredential("aws", 9).secret, companion: live.companion };
    expect(await verifyOne("aws", wrongSecret, server)).toEqual({
      status: "invalid",
      detail: "AWS rejected the key pair (SignatureDoesNotMatch)",
    });
  });

  it("AWS: the pair is recognised whichever finding carries the verify field", async () => {
    const live = fakeCredential("aws", 101);
    const server = await serve(standIns.aws?.answer(live) ?? (() => ({})));
    const swapped = { secret: live.companion ?? "", companion: live.secret };
    expect((await verifyOne("aws", swapped, server))?.status).toBe("valid");
  });

  it("AWS and Twilio: a secret without its companion is unknown, and nothing is sent", async () => {
    const server = await serve(() => ({ status: 200 }));
    for (const provider of ["aws", "twilio"]) {
      const verification = await verifyOne(provider, { secret: fakeCredential(provider, 4).secret }, server);
      expect(verification?.status).toBe("unknown");
      expect(verification?.detail).toMatch(/found nearby/);
    }
    const keyIdAlone = await verifyOne("aws", { secret: fakeCredential("aws", 4).companion ?? "" }, server);
    expect(keyIdAlone).toEqual({
      status: "unknown",
      detail: "an AWS access key id is verified only with its secret access key found nearby",
    });
    expect(server.requests).toHaveLength(0);
  });

  it("GitHub: an exhausted rate limit (403) is unknown, not invalid", async () => {
    const server = await serve(() => ({ status: 403, headers: { "x-ratelimit-remaining": "0" }, body: {} }));
    expect(await verifyOne("github", fakeCredential("github", 3), server)).toEqual({
      status: "unknown",
      detail: "GitHub rate limit exhausted",
    });
  });

  it("Discord: a webhook URL is read with GET at the Discord endpoint, never at the URL's own host", async () => {
    const id = "112233445566778899";
    const token = fakeCredential("discord", 8).secret.replace(/\./g, "_");
    const server = await serve((req) =>
      req.method === "GET" && req.path === `/webhooks/${id}/${token}`
        ? { body: { type: 1, id, name: "deploys", channel_id: "99887766", token } }
        : { status: 404, body: { message: "Unknown Webhook", code: 10015 } },
    );
    const url = `https://discord.com/api/webhooks/${id}/${token}`;
    expect(await verifyOne("discord", { secret: url }, server)).toEqual({
      status: "valid",
      identity: "webhook deploys (channel 99887766)",
      detail: "webhook",
    });
    const deleted = await verifyOne("discord", { secret: url.replace(id, "100000000000000000") }, server);
    expect(deleted?.status).toBe("invalid");
    expect(server.requests).toHaveLength(2);
  });

  it("Telegram: an unknown token (404) is invalid", async () => {
    const server = await serve(() => ({ status: 404, body: { ok: false, error_code: 404, description: "Not Found" } }));
    expect((await verifyOne("telegram", fakeCredential("telegram", 3), server))?.status).toBe("invalid");
  });
});
