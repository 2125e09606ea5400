// npm: the registry's whoami names the token's user.
import { bearer, byStatus, text, valid, type Provider } from "./common.js";

export const npm: Provider = {
  name: "npm",
  baseUrl: "https://registry.npmjs.org",
  async check({ secret }, client) {
    const response = await client.request({ path: "/-/whoami", headers: bearer(secret) });
    return byStatus(response, "npm", (body) => valid(text(body, "username")));
  },
};
