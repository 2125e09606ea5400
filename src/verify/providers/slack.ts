// Slack: auth.test names the team and user of a token. Slack answers HTTP 200 either way;
// the verdict is in the body's `ok` and `error`.
import { bearer, invalid, parseJson, text, unexpected, unknown, valid, type Provider } from "./common.js";

const NAME = "Slack";
/** auth.test errors that mean the token is dead, not that Slack could not say. */
const DEAD = new Set(["invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "no_permission"]);

export const slack: Provider = {
  name: "slack",
  baseUrl: "https://slack.com",
  async check({ secret }, client) {
    // The only live check of a webhook URL would post a message to the channel.
    if (secret.startsWith("https://")) return unknown("Slack webhook URLs are not verified (the check would post a message)");
    const response = await client.request({
      method: "POST",
      path: "/api/auth.test",
      headers: { ...bearer(secret), "content-type": "application/x-www-form-urlencoded" },
      body: "",
    });
    if (response.status !== 200) return unexpected(response, NAME);
    const body = parseJson(response.text);
    const ok = typeof body === "object" && body !== null && (body as { ok?: unknown }).ok === true;
    if (ok) {
      const user = text(body, "user");
      const team = text(body, "team");
      return valid(user && team ? `${user} on ${team}` : (team ?? user));
    }
    const error = text(body, "error") ?? "no reason given";
    return DEAD.has(error) ? invalid(`${NAME} rejected the token (${error})`) : unknown(`${NAME} answered ${error}`);
  },
};
