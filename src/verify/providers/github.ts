// GitHub: /user names the token's owner; classic tokens list their scopes in `x-oauth-scopes`
// (fine-grained tokens send no such header).
import { byStatus, bearer, text, unknown, valid, type Provider } from "./common.js";

const NAME = "GitHub";

export const github: Provider = {
  name: "github",
  baseUrl: "https://api.github.com",
  async check({ secret }, client) {
    const response = await client.request({
      path: "/user",
      headers: { ...bearer(secret), accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28" },
    });
    // GitHub answers an exhausted rate limit with 403, not 429.
    if (response.status === 403 && response.headers.get("x-ratelimit-remaining") === "0") {
      return unknown(`${NAME} rate limit exhausted`);
    }
    return byStatus(response, NAME, (body) => {
      const login = text(body, "login");
      const scopes = response.headers.get("x-oauth-scopes");
      if (scopes === null) return valid(login);
      return valid(`${login ?? "unknown user"} (scopes: ${scopes.trim() === "" ? "none" : scopes})`);
    });
  },
};
