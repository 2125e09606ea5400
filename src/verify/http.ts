// The one way a verifier talks to a provider: fetch against the provider's base URL, with a timeout,
// one retry after a 429, and no redirects followed (a key must not be forwarded to another host).
// Errors become a VerifyFailure whose message is safe to show: it names the host, never the URL
// (Telegram carries the token in the path) nor the key.
import { setTimeout as sleep } from "node:timers/promises";

export interface HttpRequest {
  method?: "GET" | "POST";
  /** Appended to the base URL's path, e.g. "/v1/me". */
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
}

export interface Client {
  /** The full URL a request path goes to (AWS signs it). */
  url(path: string): URL;
  request(request: HttpRequest): Promise<HttpResponse>;
}

export interface ClientOptions {
  timeoutMs: number;
  /** Wait before the retry after a 429 that carries no Retry-After. */
  retryDelayMs: number;
  signal?: AbortSignal;
}

/** Why a check could not reach a verdict; the message is shown to the user as the `unknown` reason. */
export class VerifyFailure extends Error {
  override name = "VerifyFailure";
}

/** A provider's answer is a small JSON document; a longer body is cut off here rather than read into memory whole. */
export const MAX_RESPONSE_BYTES = 256 * 1024;

/** The response body as text, read chunk by chunk; a body over MAX_RESPONSE_BYTES is cancelled and the check fails. */
async function readCapped(response: Response, host: string): Promise<string> {
  if (!response.body) return "";
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > MAX_RESPONSE_BYTES) {
      await reader.cancel();
      throw new VerifyFailure(`${host} answered with more than ${MAX_RESPONSE_BYTES / 1024} KB; the answer was not read`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** A Retry-After longer than this is cut short: a scan should not stall on one provider. */
const MAX_RETRY_DELAY_MS = 10_000;
const USER_AGENT = "keyscan (secret-leak scanner; --verify)";

export function createClient(base: URL, options: ClientOptions): Client {
  const url = (path: string): URL => new URL(`${base.origin}${base.pathname.replace(/\/+$/, "")}${path}`);

  const once = async (request: HttpRequest): Promise<HttpResponse> => {
    const target = url(request.path);
    const signals = [AbortSignal.timeout(options.timeoutMs)];
    if (options.signal) signals.push(options.signal);
    try {
      const response = await fetch(target, {
        method: request.method ?? "GET",
        headers: { "user-agent": USER_AGENT, accept: "application/json", ...request.headers },
        body: request.body,
        redirect: "manual",
        signal: AbortSignal.any(signals),
      });
      const text = await readCapped(response, target.host);
      if (response.status >= 300 && response.status < 400) {
        throw new VerifyFailure(`${target.host} redirected to ${redirectHost(response, target)}; redirects are not followed`);
      }
      return { status: response.status, headers: response.headers, text };
    } catch (error) {
      throw options.signal?.aborted ? cancelled() : failure(error, target.host, options.timeoutMs);
    }
  };

  return {
    url,
    async request(request) {
      const first = await once(request);
      if (first.status !== 429) return first;
      try {
        await sleep(retryDelay(first.headers, options.retryDelayMs), undefined, { signal: options.signal });
      } catch {
        throw cancelled();
      }
      return once(request);
    },
  };
}

function retryDelay(headers: Headers, fallbackMs: number): number {
  const seconds = Number(headers.get("retry-after") ?? Number.NaN);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds * 1000, MAX_RETRY_DELAY_MS) : fallbackMs;
}

function redirectHost(response: Response, target: URL): string {
  try {
    return new URL(response.headers.get("location") ?? "", target).host;
  } catch {
    return "an unreadable location";
  }
}

const cancelled = (): VerifyFailure => new VerifyFailure("verification was cancelled");

/** A safe, one-line reason for whatever fetch threw. */
function failure(error: unknown, host: string, timeoutMs: number): VerifyFailure {
  if (error instanceof VerifyFailure) return error;
  if (error instanceof Error) {
    if (error.name === "TimeoutError") return new VerifyFailure(`no answer from ${host} within ${timeoutMs} ms`);
    const code = (error.cause as { code?: unknown } | undefined)?.code;
    if (typeof code === "string") return new VerifyFailure(`could not reach ${host} (${code})`);
  }
  return new VerifyFailure(`could not reach ${host}`);
}
