// Anthropic: listing models proves a key live and the answer names its organization in a header;
// admin keys may read the organization itself.
import { byStatus, text, valid, type Provider } from "./common.js";

const NAME = "Anthropic";

export const anthropic: Provider = {
  name: "anthropic",
  baseUrl: "https://api.anthropic.com",
  async check({ secret }, client) {
    const headers = { "x-api-key": secret, "anthropic-version": "2023-06-01" };
    if (secret.startsWith("sk-ant-admin")) {
      const response = await client.request({ path: "/v1/organizations/me", headers });
      return byStatus(response, NAME, (body) => {
        const org = text(body, "name") ?? text(body, "id");
        return valid(org ? `org: ${org}` : undefined, "admin key");
      });
    }
    const response = await client.request({ path: "/v1/models?limit=1", headers });
    return byStatus(response, NAME, () => {
      const org = response.headers.get("anthropic-organization-id");
      return valid(org ? `org: ${org}` : undefined);
    });
  },
};
