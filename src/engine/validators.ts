// Offline checks a rule can name in `validate`: a secret that fails its format's checksum or
// structure is not reported. Each takes the secret (and the rule's whole match, for the checks that
// read what stands around it) and answers whether it is well-formed.
import { createPrivateKey, createPublicKey } from "node:crypto";
import { validateMnemonic } from "@scure/bip39";
import { wordlist as englishWords } from "@scure/bip39/wordlists/english.js";
import { looksLikeMachineToken, NAME_PIECES, VENDOR_PREFIX } from "./entropy.js";
import { isPlaceholderPassword } from "./placeholders.js";
import { namesStorageEmulator } from "./public-values.js";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Built on first use: every start of the CLI and of each worker would otherwise pay for it, and few scans check a CRC. */
let crc32Table: number[] | undefined;

function crc32Entries(): number[] {
  return (crc32Table ??= Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  }));
}

export function crc32(text: string): number {
  let crc = 0xffffffff;
  const table = crc32Entries();
  for (const byte of Buffer.from(text, "utf8")) crc = (table[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export function base62(value: number, width: number): string {
  let out = "";
  let rest = value;
  while (rest > 0) {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out.padStart(width, "0");
}

/**
 * GitHub's and npm's token format: prefix_, 30 random base62 characters, then the CRC32 of
 * those 30 characters in base62, 6 wide.
 */
function prefixedCrc32(secret: string): boolean {
  const body = secret.slice(secret.indexOf("_") + 1);
  if (body.length !== 36) return false;
  return base62(crc32(body.slice(0, 30)), 6) === body.slice(30);
}

/**
 * Cloudflare's scannable token format (cfat_, cfut_, cfk_): 40 random characters, then the CRC32 of
 * those 40 characters in lower-case hex, 8 wide.
 */
function cloudflareCrc32(secret: string): boolean {
  const body = secret.slice(secret.indexOf("_") + 1);
  if (body.length !== 48) return false;
  return crc32(body.slice(0, 40)).toString(16).padStart(8, "0") === body.slice(40);
}

/** Decodes standard or URL-safe base64 only when the text is entirely base64 (Buffer.from skips junk). */
export function strictBase64(text: string): Buffer | undefined {
  const clean = text.replace(/\s+/g, "");
  if (clean.length < 4 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(clean)) return undefined;
  return Buffer.from(clean, "base64");
}

function jsonObject(part: string): Record<string, unknown> | undefined {
  const bytes = strictBase64(part);
  if (!bytes) return undefined;
  try {
    const value: unknown = JSON.parse(bytes.toString("utf8"));
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The claims of documentation's sample tokens (jwt.io's "John Doe", subject 1234567890). */
function isSampleClaims(claims: Record<string, unknown>): boolean {
  return claims.sub === "1234567890" || /^(?:John|Jane) Doe$/.test(String(claims.name ?? ""));
}

/**
 * Claims of a token published on purpose: an anonymous role, as in Supabase's anon key, which its
 * documentation says is safe in a browser (row-level security decides what it may read), or the
 * `supabase-demo` issuer of the keys Supabase's CLI gives every local development stack, signed with
 * the default secret its documentation publishes (the same on every machine).
 */
function isPublicRoleClaims(claims: Record<string, unknown>): boolean {
  return claims.role === "anon" || claims.role === "anonymous" || claims.iss === "supabase-demo";
}

/**
 * A JWT: a JSON header naming a signing algorithm (not "none"), a JSON payload that is neither
 * documentation's sample nor a public role's, and a signature.
 */
function jwt(secret: string): boolean {
  const [header, payload, signature] = secret.split(".");
  if (!header || !payload || !signature) return false;
  const alg = jsonObject(header)?.alg;
  const claims = jsonObject(payload);
  return typeof alg === "string" && alg.toLowerCase() !== "none" && claims !== undefined && !isSampleClaims(claims) && !isPublicRoleClaims(claims);
}

const OPENSSH_MAGIC = "openssh-key-v1\0";

/**
 * The body of a PEM block decodes to a private key: DER (an ASN.1 SEQUENCE) or the openssh-key-v1
 * magic whatever the label says (keys are pasted under the wrong one), or an OpenPGP packet for PGP
 * blocks. The body may be escaped in a string (literal "\n", as in JSON) or split into string
 * literals joined in code (`"…" +` on each line). Placeholders ("...", "<key>") and truncated
 * bodies fail.
 */
function pemBody(secret: string): boolean {
  const lines = secret
    .replace(/\\r/g, "")
    .replace(/\\n/g, "\n")
    .split(/\r?\n/)
    .map((line) => line.trim().replace(/^["'`]|["'`]\s*[+,]?$/g, ""));
  const body = lines.filter(
    (line) => line !== "" && !line.startsWith("-----") && !line.includes(":") && !/^=[A-Za-z0-9+/]{4}$/.test(line),
  );
  const der = strictBase64(body.join(""));
  if (!der || der.length < 48) return false;
  if (secret.includes("PGP")) return ((der[0] ?? 0) & 0x80) !== 0;
  const openssh = der.subarray(0, OPENSSH_MAGIC.length).toString("binary") === OPENSSH_MAGIC;
  return secret.includes("OPENSSH") ? openssh : openssh || der[0] === 0x30;
}

/** Base64 of a PEM private key (kubeconfig client-key-data). */
function base64Pem(secret: string): boolean {
  const text = strictBase64(secret)?.toString("utf8") ?? "";
  const match = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+?-----END [A-Z ]*PRIVATE KEY-----/.exec(text);
  return match !== null && pemBody(match[0]);
}

/**
 * Base64 of printable `user:password` with both parts present (HTTP basic auth, docker auths), the
 * password not a documentation placeholder (`username:password`, `user:pass1`).
 */
function basicAuth(secret: string): boolean {
  const text = strictBase64(secret)?.toString("utf8") ?? "";
  const colon = text.indexOf(":");
  return colon > 0 && colon < text.length - 3 && /^[\x20-\x7e]+$/.test(text) && !isPlaceholderPassword(text.slice(colon + 1));
}

/**
 * A Discord bot token whose first part is what Discord puts there: the bot's user id, a snowflake
 * (a decimal number of 17 to 20 digits), in base64. Random text of the token's shape decodes to
 * bytes, not digits, which is what makes the token safe to report without a keyword near it.
 */
function discordSnowflake(secret: string): boolean {
  const userId = strictBase64(secret.slice(0, secret.indexOf(".")))?.toString("latin1") ?? "";
  return /^[1-9]\d{16,19}$/.test(userId);
}

/** A UUID's text: 8-4-4-4-12 hex digits. */
const UUID_TEXT = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const UUID_ONLY = new RegExp(`^${UUID_TEXT}$`, "i");
/** NGC's legacy key decoded: 26 letters and digits, `:` and a UUID's text. */
const NGC_KEY_TEXT = new RegExp(`^[A-Za-z0-9]{26}:${UUID_TEXT}$`, "i");

/**
 * Base64 of a UUID's text (`8-4-4-4-12` hex digits), as Clockify writes its API keys: random text of
 * the same 48 characters decodes to bytes, not to a UUID.
 */
function base64Uuid(secret: string): boolean {
  return UUID_ONLY.test(strictBase64(secret)?.toString("latin1") ?? "");
}

/**
 * NVIDIA NGC's legacy API key: base64 of 26 letters and digits, `:` and a UUID's text (84 characters,
 * no padding). Random text of the same length decodes to bytes, not to that structure.
 */
function base64NgcKey(secret: string): boolean {
  return NGC_KEY_TEXT.test(strictBase64(secret)?.toString("latin1") ?? "");
}

/**
 * A URL's password that repeats its user's name (`postgres://payload:payload@localhost`): the
 * default a development database is set up with, written as database images' own defaults are
 * (`postgres:postgres`, `guest:guest`), not a password anyone chose.
 */
function repeatsUserName(secret: string, match: string): boolean {
  return match.includes(`//${secret}:${secret}@`);
}

// A word in capitals, or words joined by `_`: how documentation names what goes in a place (`PASSWORD`, `API_KEY`).
const NAME_IN_CAPITALS = "[A-Z]+(?:_[A-Z]+)*";
const NAMED_LOGIN = new RegExp(`//${NAME_IN_CAPITALS}:(${NAME_IN_CAPITALS})@`);

/**
 * A URL whose user and password are both names in capitals (`https://USERNAME:PASSWORD@`,
 * `mailgun+https://KEY:DOMAIN@default`): documentation saying what goes in each place, not a login.
 */
function namesWhatGoesThere(secret: string, match: string): boolean {
  return NAMED_LOGIN.exec(match)?.[1] === secret;
}

// A wallet's recovery phrase (BIP-39): 12 to 24 words of the standard's English list whose last word carries a
// checksum of the rest, which words a person strings together fail 15 times in 16 (12 words) or more. A phrase of
// few distinct words is a published test phrase (Hardhat's and Foundry's `test test … junk`, the standard's
// `abandon … about` vectors), not a wallet's: a random phrase repeats a word rarely.
const MIN_DISTINCT_WORD_SHARE = 3 / 4;

function bip39Phrase(secret: string): boolean {
  const words = secret.trim().split(/\s+/);
  if (new Set(words).size < words.length * MIN_DISTINCT_WORD_SHARE) return false;
  return validateMnemonic(words.join(" "), englishWords);
}

const BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/** Bitcoin's base58 (Solana and NEAR write keys in it), or undefined for a character outside it. */
function base58(text: string): Buffer | undefined {
  const bytes: number[] = []; // little-endian
  for (const char of text) {
    let carry = BASE58.indexOf(char);
    if (carry < 0) return undefined;
    for (let i = 0; i < bytes.length; i++) {
      carry += (bytes[i] ?? 0) * 58;
      bytes[i] = carry & 0xff;
      carry >>= 8;
    }
    for (; carry > 0; carry >>= 8) bytes.push(carry & 0xff);
  }
  for (const char of text) {
    if (char !== "1") break;
    bytes.push(0); // each leading "1" is a leading zero byte
  }
  return Buffer.from(bytes.reverse());
}

// PKCS #8 wrapping of a raw Ed25519 private key (RFC 8410): what node's crypto takes to derive its public key.
const ED25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

/**
 * An Ed25519 key pair as Solana's CLI and web3.js keep it (and NEAR's `ed25519:` keys): 64 bytes, the
 * private seed then its public key, written as a JSON array of numbers or in base58. The second half
 * must be the public key the first half derives, which no array of 64 numbers or random text of that
 * length is by chance: the check that makes a bare array safe to report.
 */
function ed25519KeyPair(secret: string): boolean {
  const bytes = keyPairBytes(secret);
  if (bytes?.length !== 64) return false;
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, bytes.subarray(0, 32)]), format: "der", type: "pkcs8" });
  const publicKey = createPublicKey(privateKey).export({ format: "der", type: "spki" });
  return publicKey.subarray(-32).equals(bytes.subarray(32));
}

/** A key pair's bytes: a comma-separated list of numbers (each a byte), or base58 text. */
function keyPairBytes(secret: string): Buffer | undefined {
  if (!secret.includes(",")) return base58(secret);
  const numbers = secret.split(/\s*,\s*/).map(Number);
  return numbers.every((value) => value <= 255) ? Buffer.from(numbers) : undefined;
}

const validators: Record<string, (secret: string, match: string) => boolean> = {
  "ed25519-keypair": ed25519KeyPair,
  "bip39-phrase": bip39Phrase,
  "github-crc32": prefixedCrc32,
  "npm-crc32": prefixedCrc32,
  "cloudflare-crc32": cloudflareCrc32,
  jwt,
  "pem-body": pemBody,
  "base64-pem": base64Pem,
  "basic-auth": basicAuth,
  "discord-snowflake": discordSnowflake,
  "base64-uuid": base64Uuid,
  "base64-ngc-key": base64NgcKey,
  // A password (in a URL, an .npmrc) is a credential whatever its entropy, unless it is a placeholder.
  password: (secret, match) => !isPlaceholderPassword(secret) && !repeatsUserName(secret, match) && !namesWhatGoesThere(secret, match),
  // The Azure Storage emulator's account, whose published key is the same on every machine.
  "not-storage-emulator": (_secret, match) => !namesStorageEmulator(match),
  // A header's token is issued by a machine: random as the generic detector judges it, not words
  // (`Bearer base64orsomethingitreallydoesntmatter`, `auth-token-12345`, `fbk_validApiKeySecret123`),
  // nor a JWT's shape with words for its claims (`eyJhbGciOiJFZERTQSJ9.payload.signature`).
  token: (secret) => !isPlaceholderPassword(secret) && looksLikeMachineToken(secret) && !isSpelledInWords(secret) && !STAND_IN_JWT.test(secret),
};

// A JWT's header with a word where its claims go: a test's stand-in for a token. A signed token's
// claims are base64url of a JSON object too, and so open with `eyJ`.
const STAND_IN_JWT = /^eyJ[\w-]+\.[a-z]{2,20}\.[\w-]*$/;

// How many words of three letters or more, and how many digits at most, make a body words and a
// number (`validApiKeySecret123`, `orgLevelApiKey456`). A random body's humps are one or two letters.
const SPELLED_MIN_WORDS = 3;
const SPELLED_MAX_DIGITS = 4;

/** A token that is words in camel case and a short number, after a vendor's prefix or not. */
function isSpelledInWords(secret: string): boolean {
  // After a vendor's prefix (`fbk_`, `sk-`), the body of a token named in words.
  const body = secret.replace(VENDOR_PREFIX, "");
  // A camel-case body only: humps, runs of capitals and digits (NAME_PIECES), no separators.
  if (/[_$]/.test(body)) return false;
  const pieces = body.match(NAME_PIECES) ?? [];
  if (pieces.join("") !== body) return false;
  const words = pieces.filter((piece) => /^[A-Za-z]+$/.test(piece));
  const digits = pieces.filter((piece) => /^\d+$/.test(piece)).join("");
  return words.length >= SPELLED_MIN_WORDS && words.every((word) => word.length >= 3) && digits.length <= SPELLED_MAX_DIGITS;
}

export const validatorNames = Object.keys(validators);

export function runValidator(name: string, secret: string, match = secret): boolean {
  const validator = validators[name];
  return validator ? validator(secret, match) : true;
}
