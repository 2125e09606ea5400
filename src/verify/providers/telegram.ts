// Telegram: getMe names the bot. The token travels in the path, so no message may echo the URL.
import { byStatus, invalid, text, valid, type Provider } from "./common.js";

const NAME = "Telegram";

export const telegram: Provider = {
  name: "telegram",
  baseUrl: "https://api.telegram.org",
  async check({ secret }, client) {
    const response = await client.request({ path: `/bot${secret}/getMe` });
    // Telegram answers a malformed token with 404 rather than 401.
    if (response.status === 404) return invalid(`${NAME} does not know the token (HTTP 404)`);
    return byStatus(response, NAME, (body) => {
      const username = text(body, "result", "username");
      const id = text(body, "result", "id");
      return valid(username ? `@${username}${id ? ` (bot ${id})` : ""}` : id);
    });
  },
};
