// OpenAI: /v1/me names the user and organizations; keys that may not read it (project and service-account
// keys) fall back to /v1/models, whose `openai-organization` header names the organization.
// Admin keys can call neither; they list the organization's admin keys instead.
import type { Verification } from "../../types.js";
import type { HttpResponse } from "../http.js";
import { bearer, invalid, list, parseJson, text, unexpected, valid, type Provider } from "./common.js";

const NAME = "OpenAI";

export const openai: Provider = {
  name: "openai",
  baseUrl: "https://api.openai.com",
  async check({ secret }, client) {
    const headers = bearer(secret);
    if (secret.startsWith("sk-admin-")) {
      const response = await client.request({ path: "/v1/organization/admin_api_keys?limit=1", headers });
      return fromModelsOrAdmin(response, "admin key");
    }
    const me = await client.request({ path: "/v1/me", headers });
    if (me.status === 200) return valid(meIdentity(parseJson(me.text), me));
    if (me.status === 401) return invalid(`${NAME} rejected the key (HTTP 401)`);
    return fromModelsOrAdmin(await client.request({ path: "/v1/models", headers }));
  },
};

function fromModelsOrAdmin(response: HttpResponse, kind?: string): Verification {
  const org = response.headers.get("openai-organization") ?? undefined;
  const identity = org ? `org: ${org}` : undefined;
  if (response.status === 200) return valid(identity, kind);
  if (response.status === 401) return invalid(`${NAME} rejected the key (HTTP 401)`);
  const code = text(parseJson(response.text), "error", "code");
  // A live key whose organization has run out of credit still authenticates.
  if (response.status === 429 && code === "insufficient_quota") return valid(identity, "no quota left");
  // A restricted project key authenticates but may not list models.
  const message = text(parseJson(response.text), "error", "message") ?? "";
  if (response.status === 403 && message.includes("Missing scopes")) return valid(identity, "restricted key");
  return unexpected(response, NAME);
}

function meIdentity(body: unknown, response: HttpResponse): string | undefined {
  const who = text(body, "email") ?? text(body, "name") ?? text(body, "id");
  const orgs = list(body, "orgs", "data")
    .map((org) => text(org, "title") ?? text(org, "name"))
    .filter((name): name is string => name !== undefined);
  const header = response.headers.get("openai-organization");
  if (orgs.length === 0 && header) orgs.push(header);
  if (!who) return orgs.length > 0 ? `org: ${orgs.join(", ")}` : undefined;
  return orgs.length > 0 ? `${who} (org: ${orgs.join(", ")})` : who;
}
