// Where a provider's check may be sent: its own API, or the override a user set in keyscan.toml
// [verify.endpoints] (a corporate gateway). A key travels over https, or plain http to this machine only.
import { UsageError, nearest } from "../errors.js";

/** Throws a UsageError for an override that names no provider, does not parse, or would send a key in clear. */
export function validateEndpoints(endpoints: Record<string, string>, providerNames: readonly string[]): void {
  for (const [name, value] of Object.entries(endpoints)) {
    const where = `[verify.endpoints] ${name} = "${value}"`;
    if (!providerNames.includes(name)) {
      const hint = nearest(name, providerNames);
      throw new UsageError(
        `keyscan.toml [verify.endpoints]: unknown provider "${name}"${hint ? ` (did you mean "${hint}"?)` : ""}; known: ${providerNames.join(", ")}.`,
      );
    }
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new UsageError(`keyscan.toml ${where} is not a URL.`);
    }
    if (url.username || url.password || url.search || url.hash) {
      throw new UsageError(`keyscan.toml ${where} must be a plain base URL, without user, query or fragment.`);
    }
    const clearToLoopback = url.protocol === "http:" && isLoopback(url.hostname);
    if (url.protocol !== "https:" && !clearToLoopback) {
      throw new UsageError(
        `keyscan.toml ${where} must use https (plain http is allowed only to a loopback address such as 127.0.0.1).`,
      );
    }
  }
}

/** The base URL to call for a provider: the override when there is one, else the provider's own. */
export function baseUrlFor(name: string, defaultBase: string, endpoints: Record<string, string>): URL {
  return new URL(endpoints[name] ?? defaultBase);
}

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}
