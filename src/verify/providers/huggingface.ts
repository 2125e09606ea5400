// Hugging Face: whoami-v2 names the token's user or organization and the token's role.
import { bearer, byStatus, text, valid, type Provider } from "./common.js";

export const huggingface: Provider = {
  name: "huggingface",
  baseUrl: "https://huggingface.co",
  async check({ secret }, client) {
    const response = await client.request({ path: "/api/whoami-v2", headers: bearer(secret) });
    return byStatus(response, "Hugging Face", (body) => {
      const name = text(body, "name");
      const role = text(body, "auth", "accessToken", "role");
      return valid(name && role ? `${name} (token: ${role})` : name);
    });
  },
};
