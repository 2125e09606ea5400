import { entropyToMnemonic } from "@scure/bip39";
import { wordlist } from "@scure/bip39/wordlists/english.js";
import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ALNUM, HEX, checksummedToken, discordBotToken, dockerAuth, jwt, opensshPrivateKey, pemPrivateKey, pgpPrivateKey, randomString, rng } from "../../../fixtures/fake-keys.js";
import { crc32, runValidator, validatorNames } from "../../../src/engine/validators.js";

describe("validators", () => {
  it("github-crc32 accepts a token with its checksum and rejects one with a changed character", () => {
    const token = checksummedToken(7, "ghp");
    expect(runValidator("github-crc32", token)).toBe(true);
    const flipped = `${token.slice(0, 10)}${token[10] === "A" ? "B" : "A"}${token.slice(11)}`;
    expect(runValidator("github-crc32", flipped)).toBe(false);
    expect(runValidator("npm-crc32", checksummedToken(8, "npm"))).toBe(true);
  });

  it("cloudflare-crc32 accepts 40 characters followed by their CRC32 in hex, and nothing else", () => {
    const body = "Z4rYcb6ocRdxsHGhdxvxPrsFfktIR3vqLcmwyFOL";
    const checksum = crc32(body).toString(16).padStart(8, "0");
    expect(runValidator("cloudflare-crc32", `cfk_${body}${checksum}`)).toBe(true);
    expect(runValidator("cloudflare-crc32", `cfat_${body.replace("Z", "Y")}${checksum}`)).toBe(false);
    expect(runValidator("cloudflare-crc32", `cfut_${body}${checksum}0`)).toBe(false);
  });

  it("discord-snowflake needs the token's first part to decode to a numeric user id", () => {
    const token = discordBotToken(4);
    expect(runValidator("discord-snowflake", token)).toBe(true);
    const [, timestamp, hmac] = token.split(".");
    const encode = (text: string) => Buffer.from(text).toString("base64").replace(/=+$/, "");
    expect(runValidator("discord-snowflake", `${encode("1a2b3c4d5e6f7a8b9c")}.${timestamp}.${hmac}`)).toBe(false);
    expect(runValidator("discord-snowflake", `${encode("012345678901234567")}.${timestamp}.${hmac}`)).toBe(false);
    expect(runValidator("discord-snowflake", `${encode("1234567890123456")}.${timestamp}.${hmac}`)).toBe(false);
  });

  it("base64-uuid needs the text to decode to a UUID's 8-4-4-4-12 hex digits", () => {
    const encode = (text: string) => Buffer.from(text).toString("base64");
    expect(runValidator("base64-uuid", encode("3f1c2a9e-7b4d-4e8a-9c21-5d6e7f809a1b"))).toBe(true);
    expect(runValidator("base64-uuid", encode("3f1c2a9e7b4d4e8a9c215d6e7f809a1b1234"))).toBe(false);
    expect(runValidator("base64-uuid", encode("zf1c2a9e-7b4d-4e8a-9c21-5d6e7f809a1b"))).toBe(false);
    expect(runValidator("base64-uuid", "hnv7vuvt7z3tgkvqnfv26klsjkhm9v2iizt19ivugfledosl")).toBe(false);
  });

  it("base64-ngc-key needs the text to decode to 26 letters and digits, `:` and a UUID", () => {
    const encode = (text: string) => Buffer.from(text).toString("base64");
    const id = randomString(rng(41), ALNUM, 26);
    const uuid = "3f1c2a9e-7b4d-4e8a-9c21-5d6e7f809a1b";
    expect(encode(`${id}:${uuid}`)).toHaveLength(84);
    expect(runValidator("base64-ngc-key", encode(`${id}:${uuid}`))).toBe(true);
    // One character short of the id, a `-` for the `:`, a UUID with a letter past f.
    expect(runValidator("base64-ngc-key", encode(`${id.slice(1)}:${uuid}`))).toBe(false);
    expect(runValidator("base64-ngc-key", encode(`${id}-${uuid}`))).toBe(false);
    expect(runValidator("base64-ngc-key", encode(`${id}:${uuid.replace("3f", "3g")}`))).toBe(false);
    // 84 random letters and digits decode to bytes.
    expect(runValidator("base64-ngc-key", randomString(rng(42), ALNUM, 84))).toBe(false);
  });

  it("jwt needs a JSON header with an algorithm, a JSON payload, and not documentation's sample", () => {
    expect(runValidator("jwt", jwt(3))).toBe(true);
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    expect(runValidator("jwt", `${b64({ alg: "none" })}.${b64({ sub: "42" })}.c2lnbmF0dXJlc2ln`)).toBe(false);
    expect(runValidator("jwt", `${b64({ alg: "HS256" })}.${b64({ sub: "1234567890", name: "John Doe" })}.c2lnbmF0dXJlc2ln`)).toBe(false);
    expect(runValidator("jwt", `${b64({ alg: "HS256" })}.bm90IGpzb24.c2lnbmF0dXJlc2ln`)).toBe(false);
  });

  it("pem-body checks the decoded body of PEM, OpenSSH and PGP keys, escaped or not", () => {
    const pem = pemPrivateKey(5);
    expect(runValidator("pem-body", pem)).toBe(true);
    expect(runValidator("pem-body", pem.replaceAll("\n", "\\n"))).toBe(true);
    expect(runValidator("pem-body", opensshPrivateKey(5))).toBe(true);
    expect(runValidator("pem-body", pgpPrivateKey(5))).toBe(true);
    expect(runValidator("pem-body", "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----")).toBe(false);
    const notDer = pem.replace(/\n[A-Za-z0-9+/]{4}/, "\nAAAA");
    expect(runValidator("pem-body", notDer)).toBe(false);
  });

  it("base64-pem and basic-auth decode what they check", () => {
    expect(runValidator("base64-pem", Buffer.from(pemPrivateKey(9)).toString("base64"))).toBe(true);
    expect(runValidator("base64-pem", Buffer.from("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----").toString("base64"))).toBe(false);
    expect(runValidator("basic-auth", dockerAuth(4))).toBe(true);
    expect(runValidator("basic-auth", Buffer.from("no-colon-here").toString("base64"))).toBe(false);
  });

  it("are all listed by name", () => {
    expect(validatorNames).toEqual(expect.arrayContaining(["github-crc32", "npm-crc32", "jwt", "pem-body", "base64-pem", "basic-auth"]));
  });
});

describe("wallet recovery phrases", () => {
  const entropy = (seed: number, bytes: number): Uint8Array => {
    const random = rng(seed);
    return Uint8Array.from({ length: bytes }, () => Math.floor(random() * 256));
  };

  it("take the standard's words with their checksum, at 12 and 24 words", () => {
    expect(runValidator("bip39-phrase", entropyToMnemonic(entropy(61, 16), wordlist))).toBe(true);
    expect(runValidator("bip39-phrase", entropyToMnemonic(entropy(62, 32), wordlist))).toBe(true);
  });

  it("refuse a phrase whose checksum fails, and published test phrases of few distinct words", () => {
    const words = entropyToMnemonic(entropy(61, 16), wordlist).split(" ");
    const others = wordlist.filter((word) => word !== words[11]);
    const failing = others.map((last) => [...words.slice(0, 11), last].join(" ")).filter((phrase) => !runValidator("bip39-phrase", phrase));
    // One last word in 16 completes any 11 into a valid phrase; the rest fail.
    expect(failing.length).toBeGreaterThan(others.length * 0.9);
    expect(runValidator("bip39-phrase", "test test test test test test test test test test test junk")).toBe(false);
    expect(runValidator("bip39-phrase", `${"abandon ".repeat(11)}about`)).toBe(false);
  });
});

describe("ed25519-keypair", () => {
  // A key pair made here, written as Solana's CLI writes it: the 32-byte seed, then the public key.
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const seed = privateKey.export({ format: "der", type: "pkcs8" }).subarray(-32);
  const pair = Buffer.concat([seed, publicKey.export({ format: "der", type: "spki" }).subarray(-32)]);
  const BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  const toBase58 = (bytes: Buffer): string => {
    let value = BigInt(`0x${bytes.toString("hex")}`);
    let text = "";
    for (; value > 0n; value /= 58n) text = BASE58[Number(value % 58n)] + text;
    return text;
  };

  it("takes the seed and the public key it derives, as numbers or in base58", () => {
    expect(runValidator("ed25519-keypair", [...pair].join(","))).toBe(true);
    expect(runValidator("ed25519-keypair", [...pair].join(", "))).toBe(true);
    expect(runValidator("ed25519-keypair", toBase58(pair))).toBe(true);
  });

  it("refuses 64 bytes whose second half is not the seed's public key, and numbers that are not bytes", () => {
    const other = Buffer.from(pair);
    other[63] = (other[63] ?? 0) ^ 1;
    expect(runValidator("ed25519-keypair", [...other].join(","))).toBe(false);
    expect(runValidator("ed25519-keypair", toBase58(other))).toBe(false);
    expect(runValidator("ed25519-keypair", Array.from({ length: 64 }, (_, index) => (index * 37) % 256).join(","))).toBe(false);
    expect(runValidator("ed25519-keypair", [...pair.subarray(0, 63), 300].join(","))).toBe(false);
  });
});

describe("password", () => {
  it("passes passwords a person or a generator chose, whatever their entropy, plain words too", () => {
    for (const password of ["7f3a9c1e", "_aJQ9c3HWzmRR4knBNyx", "m0n1t0r!ng", "WinterIsHere2", "passW0rd123", "mySecret789", "p%40ss9Word", "tangerine", "Ocelot", "blue_heron", "BlueHeron", "Tokenizer9x"]) {
      expect(runValidator("password", password), password).toBe(true);
    }
  });
  it("rejects placeholders: word lists, templates and variables, names, prose, few characters", () => {
    for (const password of ["password-1", "{PASS}", "%s", "$DB_PASS", "%DB_PASSWORD%", "#{db_password}", "SECRET_KEY", "apiSecret", "1111", "pa%24%24word", "REPLACE_WITH_PASSWORD", "secretpassword", "_password%40123", "?collection=a", "private-reg-token", "MYTOKEN0", "smtp_user", "dev-admin", "mongodb", "null", "foo", "one+two%3F", "value with spaces", "foobared", "hunter2", "/run/secrets/db_password", "~/.pgpass", "authToken", "ApiKey", "UserId", "Token", "changeit", "tiger", "B:C:D", "x-y-z"]) {
      expect(runValidator("password", password), password).toBe(false);
    }
  });
});

describe("header tokens and URL passwords: what stands around the secret", () => {
  it("a header's token is a machine's: random, not words or a counting stand-in", () => {
    expect(runValidator("token", randomString(rng(51), ALNUM, 24))).toBe(true);
    expect(runValidator("token", randomString(rng(52), HEX, 32))).toBe(true);
    // A vendor's prefix before hex digits, judged by the digits.
    expect(runValidator("token", `sk-${randomString(rng(53), HEX, 32)}`)).toBe(true);
    expect(runValidator("token", "sk-deadbeefdeadbeefdeadbeefdeadbeef")).toBe(false);
    expect(runValidator("token", "base64orsomethingitreallydoesntmatter")).toBe(false);
    expect(runValidator("token", "auth-token-12345")).toBe(false);
  });

  it("a URL's password that repeats its user's name is a development default", () => {
    expect(runValidator("password", "payload", "postgres://payload:payload@localhost:5433/payload")).toBe(false);
    const chosen = randomString(rng(53), ALNUM, 12);
    expect(runValidator("password", chosen, `postgres://payload:${chosen}@localhost:5433/payload`)).toBe(true);
  });

  it("a URL whose user and password are both names in capitals says what goes there", () => {
    expect(runValidator("password", "DOMAIN", "mailgun+https://KEY:DOMAIN@default")).toBe(false);
    expect(runValidator("password", "SMTP_PASSWORD", "smtp://SMTP_USER:SMTP_PASSWORD@mail")).toBe(false);
    // A user in lower case, or a password holding a digit or lower case, is a login (host joined at run time).
    const host = "git.internal.example.net";
    expect(runValidator("password", "DOMAIN", `https://deploy:DOMAIN@${host}`)).toBe(true);
    expect(runValidator("password", "KQ7DOMAIN", `https://KEY:KQ7DOMAIN@${host}`)).toBe(true);
  });
});
