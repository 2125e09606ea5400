// Discord: /users/@me names the bot a token belongs to. A webhook URL is read with GET, which posts
// nothing and names the webhook; it is sent to the Discord base URL (or its override), not to the URL found.
import { byStatus, invalid, text, valid, type Provider } from "./common.js";

const NAME = "Discord";
const WEBHOOK = /\/api(?:\/v\d+)?(\/webhooks\/\d+\/[\w-]+)$/;

export const discord: Provider = {
  name: "discord",
  baseUrl: "https://discord.com/api/v10",
  async check({ secret }, client) {
    const webhook = WEBHOOK.exec(secret)?.[1];
    if (webhook) {
      const response = await client.request({ path: webhook });
      // A deleted webhook, or a wrong token for it, is "Unknown Webhook" (404).
      if (response.status === 404) return invalid(`${NAME} does not know the webhook (HTTP 404)`);
      return byStatus(response, NAME, (body) => {
        const name = text(body, "name");
        const channel = text(body, "channel_id");
        return valid(name && channel ? `webhook ${name} (channel ${channel})` : name, "webhook");
      });
    }
    const response = await client.request({ path: "/users/@me", headers: { authorization: `Bot ${secret}` } });
    return byStatus(response, NAME, (body) => {
      const username = text(body, "username");
      const id = text(body, "id");
      return valid(username && id ? `${username} (id ${id})` : (username ?? id));
    });
  },
};
