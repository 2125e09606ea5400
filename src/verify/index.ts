// --verify: asks each key's own provider whether it is live and whose it is.
// Each unique (provider, secret, companion) is checked once; at most a few checks per provider run at once.
// Keys go only to the provider's base URL or the keyscan.toml override, and appear in no message.
import { escapeRegex } from "../engine/prefilter.js";
import { neutralize } from "../report/common.js";
import type { Finding, Verification } from "../types.js";
import { baseUrlFor, validateEndpoints as validateAgainst } from "./endpoints.js";
import { type Client, createClient, VerifyFailure } from "./http.js";
import { limiter, type Limiter } from "./limit.js";
import type { Provider } from "./providers/common.js";
import { providers } from "./providers/index.js";

export interface VerifyOptions {
  /** Provider name -> base URL override from keyscan.toml [verify.endpoints]. */
  endpoints?: Record<string, string>;
  /** Per request; default 5000. */
  timeoutMs?: number;
  /** Checks in flight per provider; default 4. */
  perProviderConcurrency?: number;
  /** Wait before the one retry after a 429 without Retry-After; default 1000. */
  retryDelayMs?: number;
  signal?: AbortSignal;
}

export const providerNames: readonly string[] = [...providers.keys()];

/** Throws a UsageError for an override naming no known provider, or one that would send a key in clear. */
export function validateEndpoints(endpoints: Record<string, string>): void {
  validateAgainst(endpoints, providerNames);
}

/**
 * The findings, with `verification` set on those whose rule names a provider (`ruleProvider`).
 * Never throws for a network problem: that verdict is `unknown` with the reason.
 */
export async function verifyFindings(
  findings: Finding[],
  ruleProvider: (ruleId: string) => string | undefined,
  options: VerifyOptions = {},
): Promise<Finding[]> {
  const endpoints = options.endpoints ?? {};
  validateEndpoints(endpoints);
  const clientOptions = {
    timeoutMs: options.timeoutMs ?? 5000,
    retryDelayMs: options.retryDelayMs ?? 1000,
    signal: options.signal,
  };
  const perProvider = new Map<string, { limit: Limiter; client: Client }>();
  const forProvider = (provider: Provider): { limit: Limiter; client: Client } => {
    let own = perProvider.get(provider.name);
    if (!own) {
      own = {
        limit: limiter(options.perProviderConcurrency ?? 4),
        client: createClient(baseUrlFor(provider.name, provider.baseUrl, endpoints), clientOptions),
      };
      perProvider.set(provider.name, own);
    }
    return own;
  };
  const checks = new Map<string, Promise<Verification>>();

  const check = (provider: Provider, finding: Finding): Promise<Verification> => {
    // A pair is the same pair whichever of its two findings carries the verify field (AWS key id and secret).
    const key = JSON.stringify([provider.name, ...[finding.secret, finding.companion ?? ""].sort()]);
    let pending = checks.get(key);
    if (!pending) {
      const { limit, client } = forProvider(provider);
      const credential = { secret: finding.secret, companion: finding.companion };
      pending = limit(() => provider.check(credential, client))
        .catch(asUnknown)
        .then((verdict) => scrub(verdict, [finding.secret, finding.companion]));
      checks.set(key, pending);
    }
    return pending;
  };

  return Promise.all(
    findings.map(async (finding) => {
      const name = ruleProvider(finding.ruleId);
      if (name === undefined) return finding;
      const provider = providers.get(name);
      const verification = provider
        ? await check(provider, finding)
        : { status: "unknown" as const, detail: `no verifier for provider "${name}"` };
      return { ...finding, verification };
    }),
  );
}

function asUnknown(error: unknown): Verification {
  if (error instanceof VerifyFailure) return { status: "unknown", detail: error.message };
  // A bug in a verifier: say so without its message, which could quote what it was handed.
  return { status: "unknown", detail: `the verifier failed (${error instanceof Error ? error.name : "error"})` };
}

/** A verdict's identity or detail longer than this is cut: it is an owner's name or a reason, not a document. */
const MAX_VERDICT_TEXT = 200;

/**
 * No verdict text may quote the key, whatever a provider (or a stand-in for one) answered: each secret is
 * replaced as sent and in the simple transforms an endpoint could echo it in (reversed, base64, hex,
 * URL-encoded; any letter case), then control characters are escaped so the answer cannot drive a terminal.
 */
function scrub(verdict: Verification, secrets: Array<string | undefined>): Verification {
  const forms = secrets.flatMap((secret) => (secret ? echoForms(secret) : []));
  const echo = forms.length > 0 ? new RegExp(forms.map(escapeRegex).join("|"), "gi") : undefined;
  const clean = (text: string | undefined): string | undefined => {
    if (text === undefined) return undefined;
    const redacted = echo ? text.replace(echo, "[redacted]") : text;
    const short = redacted.length > MAX_VERDICT_TEXT ? `${redacted.slice(0, MAX_VERDICT_TEXT)}…` : redacted;
    return neutralize(short);
  };
  const identity = clean(verdict.identity);
  const detail = clean(verdict.detail);
  return { status: verdict.status, ...(identity ? { identity } : {}), ...(detail ? { detail } : {}) };
}

/** The secret, and the forms of it an endpoint could echo: reversed, base64 (with and without padding, URL-safe), hex, URL-encoded. Longest first, so the regex replaces a whole form rather than a part. */
function echoForms(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  const base64 = bytes.toString("base64");
  const forms = [
    secret,
    Array.from(secret).reverse().join(""),
    base64,
    base64.replace(/=+$/, ""),
    bytes.toString("base64url"),
    bytes.toString("hex"),
    encodeURIComponent(secret),
  ];
  return [...new Set(forms)].sort((a, b) => b.length - a.length);
}
