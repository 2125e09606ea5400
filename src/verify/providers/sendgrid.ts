// SendGrid: every key may list its own scopes; the username is read only when the key may read it.
import type { Client } from "../http.js";
import { VerifyFailure } from "../http.js";
import { bearer, byStatus, list, parseJson, text, valid, type Provider } from "./common.js";

export const sendgrid: Provider = {
  name: "sendgrid",
  baseUrl: "https://api.sendgrid.com",
  async check({ secret }, client) {
    const headers = bearer(secret);
    const response = await client.request({ path: "/v3/scopes", headers });
    if (response.status !== 200) return byStatus(response, "SendGrid", () => valid());
    const scopes = list(parseJson(response.text), "scopes");
    const username = scopes.includes("user.username.read") ? await readUsername(client, headers) : undefined;
    return valid(username ? `${username} (${scopes.length} scopes)` : `${scopes.length} scopes`);
  },
};

/** The account's username, or undefined: the key is already known live, so a failure here changes nothing. */
async function readUsername(client: Client, headers: Record<string, string>): Promise<string | undefined> {
  try {
    const response = await client.request({ path: "/v3/user/username", headers });
    return response.status === 200 ? text(parseJson(response.text), "username") : undefined;
  } catch (error) {
    if (error instanceof VerifyFailure) return undefined;
    throw error;
  }
}
