// Discord: /users/@me names the bot a token belongs to.
import { byStatus, text, unknown, valid, type Provider } from "./common.js";

export const discord: Provider = {
  name: "discord",
  baseUrl: "https://discord.com/api/v10",
  async check({ secret }, client) {
    if (secret.startsWith("https://")) return unknown("Discord webhook URLs are not verified");
    const response = await client.request({ path: "/users/@me", headers: { authorization: `Bot ${secret}` } });
    return byStatus(response, "Discord", (body) => {
      const username = text(body, "username");
      const id = text(body, "id");
      return valid(username && id ? `${username} (id ${id})` : (username ?? id));
    });
  },
};
