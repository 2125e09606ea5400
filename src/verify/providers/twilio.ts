// Twilio: an auth token is checked with its account SID (the companion finding) by reading the account.
import { basic, byStatus, text, unknown, valid, type Provider } from "./common.js";

const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;

export const twilio: Provider = {
  name: "twilio",
  baseUrl: "https://api.twilio.com",
  async check({ secret, companion }, client) {
    // Either finding of the pair may carry the verify field: tell the SID from the token by shape.
    const sid = [secret, companion].find((value) => value !== undefined && ACCOUNT_SID.test(value));
    const token = sid === secret ? companion : secret;
    if (!sid || !token) return unknown("a Twilio auth token is verified only with its account SID found nearby");
    const response = await client.request({ path: `/2010-04-01/Accounts/${sid}.json`, headers: basic(sid, token) });
    return byStatus(response, "Twilio", (body) => {
      const name = text(body, "friendly_name");
      const status = text(body, "status");
      // The SID is left out: it is the companion finding, and keyscan never prints a companion.
      return valid(name, status && status !== "active" ? `account ${status}` : undefined);
    });
  },
};
