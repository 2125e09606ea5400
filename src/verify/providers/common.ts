// What every provider verifier is, and the small helpers they share to read answers and state verdicts.
import type { Verification } from "../../types.js";
import type { Client, HttpResponse } from "../http.js";

/** The secret found, and the companion rule's secret for pairs (AWS key id, Twilio account SID). */
export interface Credential {
  secret: string;
  companion?: string;
}

export interface Provider {
  /** The name rules use in their `verify` field and keyscan.toml in [verify.endpoints]. */
  name: string;
  /** The provider's own API; [verify.endpoints] may replace it. */
  baseUrl: string;
  check(credential: Credential, client: Client): Promise<Verification>;
}

export const valid = (identity?: string, detail?: string): Verification => ({
  status: "valid",
  ...(identity ? { identity } : {}),
  ...(detail ? { detail } : {}),
});
export const invalid = (detail: string): Verification => ({ status: "invalid", detail });
export const unknown = (detail: string): Verification => ({ status: "unknown", detail });

/** The verdict for an answer the verifier did not expect: the key may or may not be live. */
export function unexpected(response: HttpResponse, provider: string): Verification {
  if (response.status === 429) return unknown(`${provider} is still rate-limiting after one retry`);
  return unknown(`${provider} answered HTTP ${response.status}`);
}

/** The common shape: 2xx is live (identity from the answer), 401 is revoked or never valid, anything else unknown. */
export function byStatus(
  response: HttpResponse,
  provider: string,
  onLive: (body: unknown) => Verification,
): Verification {
  if (response.status >= 200 && response.status < 300) return onLive(parseJson(response.text));
  if (response.status === 401) return invalid(`${provider} rejected the key (HTTP 401)`);
  return unexpected(response, provider);
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The string at a path in parsed JSON, or undefined: `text(body, "user", "name")`. */
export function text(value: unknown, ...path: string[]): string | undefined {
  const found = at(value, path);
  if (typeof found === "string" && found !== "") return found;
  if (typeof found === "number") return String(found);
  return undefined;
}

/** The array at a path in parsed JSON, or an empty one. */
export function list(value: unknown, ...path: string[]): unknown[] {
  const found = at(value, path);
  return Array.isArray(found) ? found : [];
}

function at(value: unknown, path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
export const basic = (user: string, password: string): Record<string, string> => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`,
});
