// Local stand-ins for the providers --verify talks to: node:http servers on 127.0.0.1 that answer as each
// provider does (status, headers, body) for a live key and for any other key. No test reaches the internet.
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach } from "vitest";
import { ALNUM, BASE64, HEX, URLSAFE, checksummedToken, openaiProjectKey, randomString, rng } from "../../fixtures/fake-keys.js";
import type { Credential } from "../../src/verify/providers/common.js";
import { signV4 } from "../../src/verify/sigv4.js";

export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** When it arrived, ms since the stand-in started. */
  at: number;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
  /** Hold the answer this long (timeouts, concurrency). */
  delayMs?: number;
}

export type Answer = (request: SeenRequest) => Reply | Promise<Reply>;

export interface StandIn {
  url: string;
  requests: SeenRequest[];
  /** The most requests it was answering at one time. */
  maxInFlight(): number;
  close(): Promise<void>;
}

export async function startStandIn(answer: Answer): Promise<StandIn> {
  const requests: SeenRequest[] = [];
  const started = Date.now();
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const seen = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        at: Date.now() - started,
      };
      requests.push(seen);
      const reply = await answer(seen);
      if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
      const isText = typeof reply.body === "string";
      const body = reply.body === undefined ? "" : isText ? String(reply.body) : JSON.stringify(reply.body);
      res.writeHead(reply.status ?? 200, {
        "content-type": isText ? "text/xml" : "application/json",
        ...reply.headers,
      });
      res.end(body);
      inFlight--;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    maxInFlight: () => maxInFlight,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback URL where nothing listens: connecting is refused. */
export async function refusingUrl(): Promise<string> {
  const standIn = await startStandIn(() => ({}));
  await standIn.close();
  return standIn.url;
}

/** First answers 429 (with these headers), then as `answer` does. */
export function rateLimitedOnce(answer: Answer, headers: Record<string, string> = {}): Answer {
  let limited = false;
  return (request) => {
    if (limited) return answer(request);
    limited = true;
    return { status: 429, headers, body: { error: { message: "Rate limit reached", type: "requests" } } };
  };
}

const UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const DIGITS = "0123456789";

/** A fake credential in the provider's format, from a seed (never a real key). */
export function fakeCredential(provider: string, seed: number): Credential {
  const r = rng(seed);
  const s = (alphabet: string, length: number): string => randomString(r, alphabet, length);
  switch (provider) {
    case "openai":
      return { secret: openaiProjectKey(seed) };
    case "anthropic":
      return { secret: `sk-ant-api03-${s(URLSAFE, 93)}AA` };
    case "github":
      return { secret: checksummedToken(seed, "ghp") };
    case "gitlab":
      return { secret: `glpat-${s(URLSAFE, 20)}` };
    case "slack":
      return { secret: `xoxb-${s(DIGITS, 12)}-${s(DIGITS, 13)}-${s(ALNUM, 24)}` };
    case "stripe":
      return { secret: ["sk", "live", s(ALNUM, 99)].join("_") };
    case "aws":
      return { secret: s(BASE64, 40), companion: `AKIA${s(UPPER_DIGITS, 16)}` };
    case "huggingface":
      return { secret: `hf_${s(ALNUM, 34)}` };
    case "npm":
      return { secret: `npm_${s(ALNUM, 36)}` };
    case "sendgrid":
      return { secret: `SG.${s(URLSAFE, 22)}.${s(URLSAFE, 43)}` };
    case "telegram":
      return { secret: `${s(DIGITS, 10)}:AA${s(URLSAFE, 33)}` };
    case "discord":
      return { secret: `MT${s(ALNUM, 24)}.${s(URLSAFE, 6)}.${s(URLSAFE, 38)}` };
    case "twilio":
      return { secret: s(HEX, 32), companion: `AC${s(HEX, 32)}` };
    default:
      throw new Error(`no fake credential for ${provider}`);
  }
}

const unauthorized = (body: unknown): Reply => ({ status: 401, body });

/**
 * Per provider: an Answer that treats `live` as a live key (200 with the provider's identity) and any other
 * key as the provider treats a revoked one. `identity` is what keyscan should make of the live answer.
 */
export const standIns: Record<string, { answer: (live: Credential) => Answer; identity: string }> = {
  openai: {
    identity: "dev@example.com (org: Acme Research)",
    answer: (live) => (req) => {
      if (req.headers.authorization !== `Bearer ${live.secret}`) {
        return unauthorized({ error: { message: "Incorrect API key provided.", code: "invalid_api_key" } });
      }
      if (req.path !== "/v1/me") return { status: 404 };
      return {
        headers: { "openai-organization": "acme-research" },
        body: { object: "user", id: "user-1", email: "dev@example.com", orgs: { data: [{ name: "org-1", title: "Acme Research" }] } },
      };
    },
  },
  anthropic: {
    identity: "org: 5a1f0e2c-0000-4000-8000-000000000001",
    answer: (live) => (req) => {
      if (req.headers["x-api-key"] !== live.secret || req.headers["anthropic-version"] === undefined) {
        return unauthorized({ type: "error", error: { type: "authentication_error", message: "invalid x-api-key" } });
      }
      return {
        headers: { "anthropic-organization-id": "5a1f0e2c-0000-4000-8000-000000000001" },
        body: { data: [{ type: "model", id: "claude-sonnet" }], has_more: true },
      };
    },
  },
  github: {
    identity: "octodev (scopes: repo, read:org)",
    answer: (live) => (req) => {
      if (req.headers.authorization !== `Bearer ${live.secret}` || !req.headers["user-agent"]) {
        return unauthorized({ message: "Bad credentials", documentation_url: "https://docs.github.com/rest" });
      }
      return { headers: { "x-oauth-scopes": "repo, read:org" }, body: { login: "octodev", id: 1, type: "User" } };
    },
  },
  gitlab: {
    identity: "gitdev (Git Developer)",
    answer: (live) => (req) =>
      req.headers["private-token"] === live.secret && req.path === "/api/v4/user"
        ? { body: { id: 7, username: "gitdev", name: "Git Developer", state: "active" } }
        : unauthorized({ message: "401 Unauthorized" }),
  },
  slack: {
    identity: "deploybot on Acme",
    answer: (live) => (req) =>
      req.method === "POST" && req.path === "/api/auth.test" && req.headers.authorization === `Bearer ${live.secret}`
        ? { body: { ok: true, url: "https://acme.slack.com/", team: "Acme", user: "deploybot", team_id: "T1", user_id: "U1" } }
        : // Slack answers 200 even for a dead token.
          { body: { ok: false, error: "invalid_auth" } },
  },
  stripe: {
    identity: "acct_1Acme (Acme Payments)",
    answer: (live) => (req) =>
      req.headers.authorization === `Bearer ${live.secret}`
        ? { body: { id: "acct_1Acme", object: "account", settings: { dashboard: { display_name: "Acme Payments" } } } }
        : // Stripe quotes part of the key in its message: keyscan must not pass it on.
          unauthorized({ error: { type: "invalid_request_error", message: `Invalid API Key provided: ${req.headers.authorization}` } }),
  },
  aws: {
    identity: "account 123456789012 (arn:aws:iam::123456789012:user/ci)",
    answer: (live) => (req) => {
      const verdict = checkSigV4(req, live);
      if (verdict !== "ok") {
        return {
          status: 403,
          body: `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${verdict}</Code><Message>denied</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`,
        };
      }
      return {
        body: `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::123456789012:user/ci</Arn>
    <UserId>AIDAEXAMPLEUSERID0001</UserId>
    <Account>123456789012</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>r-2</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>`,
      };
    },
  },
  huggingface: {
    identity: "hfdev (token: write)",
    answer: (live) => (req) =>
      req.headers.authorization === `Bearer ${live.secret}`
        ? { body: { type: "user", name: "hfdev", orgs: [], auth: { type: "access_token", accessToken: { displayName: "ci", role: "write" } } } }
        : unauthorized({ error: "Invalid credentials in Authorization header" }),
  },
  npm: {
    identity: "npmdev",
    answer: (live) => (req) =>
      req.headers.authorization === `Bearer ${live.secret}` ? { body: { username: "npmdev" } } : unauthorized({}),
  },
  sendgrid: {
    identity: "mailer (2 scopes)",
    answer: (live) => (req) => {
      if (req.headers.authorization !== `Bearer ${live.secret}`) {
        return unauthorized({ errors: [{ field: null, message: "authorization required" }] });
      }
      if (req.path === "/v3/user/username") return { body: { username: "mailer", user_id: 42 } };
      return { body: { scopes: ["mail.send", "user.username.read"] } };
    },
  },
  telegram: {
    identity: "@acme_alerts_bot (bot 5550001)",
    answer: (live) => (req) =>
      req.path === `/bot${live.secret}/getMe`
        ? { body: { ok: true, result: { id: 5550001, is_bot: true, first_name: "Alerts", username: "acme_alerts_bot" } } }
        : unauthorized({ ok: false, error_code: 401, description: "Unauthorized" }),
  },
  discord: {
    identity: "AcmeBot (id 80351110224678912)",
    answer: (live) => (req) =>
      req.headers.authorization === `Bot ${live.secret}` && req.path === "/users/@me"
        ? { body: { id: "80351110224678912", username: "AcmeBot", discriminator: "0", bot: true } }
        : unauthorized({ message: "401: Unauthorized", code: 0 }),
  },
  twilio: {
    identity: "Acme SMS",
    answer: (live) => (req) => {
      const expected = `Basic ${Buffer.from(`${live.companion}:${live.secret}`).toString("base64")}`;
      return req.headers.authorization === expected && req.path === `/2010-04-01/Accounts/${live.companion}.json`
        ? { body: { sid: live.companion, friendly_name: "Acme SMS", status: "active" } }
        : unauthorized({ code: 20003, message: "Authenticate", status: 401 });
    },
  },
};

/**
 * What STS would say of a signed request: "ok", or the error code it answers with. The signature is recomputed
 * here from the request as received, with the secret the stand-in knows for the key id.
 */
function checkSigV4(req: SeenRequest, live: Credential): string {
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
    String(req.headers.authorization ?? ""),
  );
  if (!match) return "IncompleteSignature";
  const [, keyId, , region, service, signedHeaders] = match;
  if (!keyId || keyId !== live.companion) return "InvalidClientTokenId";
  const amzDate = String(req.headers["x-amz-date"] ?? "");
  const date = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const headers: Record<string, string> = {};
  for (const name of (signedHeaders ?? "").split(";")) {
    if (name !== "host" && name !== "x-amz-date") headers[name] = String(req.headers[name] ?? "");
  }
  const recomputed = signV4(
    { method: req.method, url: new URL(req.path, `http://${req.headers.host}`), headers, body: req.body },
    { accessKeyId: keyId, secretAccessKey: live.secret },
    { region: region ?? "", service: service ?? "", date },
  );
  if (recomputed.authorization !== req.headers.authorization) return "SignatureDoesNotMatch";
  if (req.body !== "Action=GetCallerIdentity&Version=2011-06-15" || service !== "sts" || region !== "us-east-1") {
    return "InvalidAction";
  }
  return "ok";
}

/** For a test file: starts stand-ins that are closed after the test that started them. */
export function useStandIns(): (answer: Answer) => Promise<StandIn> {
  const running: StandIn[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((standIn) => standIn.close()));
  });
  return async (answer) => {
    const standIn = await startStandIn(answer);
    running.push(standIn);
    return standIn;
  };
}
