// GitLab: /api/v4/user names the token's owner. For a self-hosted instance, set its URL in
// keyscan.toml [verify.endpoints] gitlab.
import { byStatus, parseJson, text, valid, type Provider } from "./common.js";

const NAME = "GitLab";

export const gitlab: Provider = {
  name: "gitlab",
  baseUrl: "https://gitlab.com",
  async check({ secret }, client) {
    const response = await client.request({ path: "/api/v4/user", headers: { "private-token": secret } });
    // A token without the read_user/api scope authenticates but may not read the profile.
    if (response.status === 403 && text(parseJson(response.text), "error") === "insufficient_scope") {
      return valid(undefined, "token may not read its user");
    }
    return byStatus(response, NAME, (body) => {
      const username = text(body, "username");
      const name = text(body, "name");
      return valid(username && name ? `${username} (${name})` : (username ?? name));
    });
  },
};
