// Stripe: /v1/account names the account a key belongs to. A restricted key that may not read
// the account gets 403, which still proves it live.
import { bearer, byStatus, text, valid, type Provider } from "./common.js";

const NAME = "Stripe";

export const stripe: Provider = {
  name: "stripe",
  baseUrl: "https://api.stripe.com",
  async check({ secret }, client) {
    const response = await client.request({ path: "/v1/account", headers: bearer(secret) });
    if (response.status === 403) return valid(undefined, "restricted key: may not read the account");
    return byStatus(response, NAME, (body) => {
      const id = text(body, "id");
      const name =
        text(body, "settings", "dashboard", "display_name") ?? text(body, "business_profile", "name") ?? text(body, "email");
      return valid(id && name ? `${id} (${name})` : (id ?? name));
    });
  },
};
