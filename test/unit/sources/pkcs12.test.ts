import { execFileSync } from "node:child_process";
import { createHash, createHmac } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { type Element, childrenOf, readElement } from "../../../src/sources/der.js";
import { decodeText, isBinary } from "../../../src/sources/decode.js";
import { MAX_MAC_ITERATIONS, looksLikePkcs12, openKeyStore } from "../../../src/sources/pkcs12.js";
import { keyStoreMaker, randomPassword } from "../../helpers/key-stores.js";

const maker = keyStoreMaker();
afterAll(() => maker.remove());
const { keyStore } = maker;
const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

// A DER writer for the few forms the tests rebuild a store in: definite and indefinite (BER) lengths.
function tlv(tag: number, ...parts: Uint8Array[]): Buffer {
  const content = Buffer.concat(parts);
  const length = content.length;
  const header = length < 0x80 ? [length] : length < 0x100 ? [0x81, length] : [0x82, length >> 8, length & 0xff];
  return Buffer.concat([Buffer.from([tag, ...header]), content]);
}
const indefinite = (tag: number, ...parts: Uint8Array[]): Buffer => Buffer.concat([Buffer.from([tag, 0x80]), ...parts, Buffer.from([0, 0])]);

/** The element `encoded` holds: throws when it is not one. */
function elementOf(encoded: Buffer): Element {
  const element = readElement(encoded, 0);
  if (!element) throw new Error("not DER");
  return element;
}

/** The elements inside the one `encoded` holds, each as its own whole encoding. */
function inside(encoded: Buffer): Buffer[] {
  const element = elementOf(encoded);
  let at = element.start;
  return (childrenOf(encoded, element) ?? []).map((child) => {
    const whole = encoded.subarray(at, child.next);
    at = child.next;
    return whole;
  });
}

/** A store's PFX fields, each whole, with the authenticated content's octets and the MacData's fields. */
function partsOf(store: Buffer): { version: Buffer; authSafe: Buffer; macData: Buffer; octets: Buffer; macParts: Buffer[] } {
  const [version, authSafe, macData] = inside(store) as [Buffer, Buffer, Buffer];
  const [, explicit] = inside(authSafe) as [Buffer, Buffer];
  const [octetString] = inside(explicit) as [Buffer];
  const { start, end } = elementOf(octetString);
  return { version, authSafe, macData, octets: octetString.subarray(start, end), macParts: inside(macData) };
}

const DATA_OID = Buffer.from("06092a864886f70d010701", "hex");

describe("PKCS#12 key stores under a well-known password", () => {
  it("opens a store holding a private key under notasecret, whatever the MAC's digest", () => {
    for (const macAlgorithm of ["sha1", "sha256", "sha384", "sha512"] as const) {
      const store = keyStore({ password: "notasecret", macAlgorithm });
      expect(looksLikePkcs12(store)).toBe(true);
      expect(openKeyStore(store)).toEqual({ password: "notasecret", sha256: sha256(store) });
    }
  });

  it("opens one under the empty password and one under changeit", () => {
    expect(openKeyStore(keyStore({ password: "" }))?.password).toBe("");
    expect(openKeyStore(keyStore({ password: "changeit" }))?.password).toBe("changeit");
  });

  it("opens one whose MAC key was derived from no password bytes at all, the other way tools write an empty password", () => {
    // openssl's pkcs12 writes the empty password as a lone two-byte terminator; OpenSSL's PKCS12KDF, given no
    // bytes, derives the MAC key of a store written with no password (what `openssl pkcs12` tries first).
    const rounds = 2048;
    const { version, authSafe, octets, macParts } = partsOf(keyStore({ password: "", iterations: rounds }));
    const [digestInfo, salt, iterations] = macParts as [Buffer, Buffer, Buffer];
    const { start, end } = elementOf(salt);
    const options = ["digest:SHA256", "hexpass:", `hexsalt:${salt.subarray(start, end).toString("hex")}`, `iter:${rounds}`, "id:3"];
    const derived = execFileSync("openssl", ["kdf", "-keylen", "32", ...options.flatMap((option) => ["-kdfopt", option]), "PKCS12KDF"], { encoding: "utf8" });
    const key = Buffer.from(derived.replaceAll(/[^0-9A-F]/g, ""), "hex");
    const mac = createHmac("sha256", key).update(octets).digest();
    const [algorithm, written] = inside(digestInfo) as [Buffer, Buffer];
    expect(written.subarray(2).equals(mac)).toBe(false); // the store as openssl wrote it uses the other encoding
    const store = tlv(0x30, version, authSafe, tlv(0x30, tlv(0x30, algorithm, tlv(0x04, mac)), salt, iterations));
    expect(openKeyStore(store)?.password).toBe("");
  });

  it("does not open one under another password", () => {
    const store = keyStore({ password: randomPassword() });
    expect(looksLikePkcs12(store)).toBe(true);
    expect(openKeyStore(store)).toBeUndefined();
  });

  it("does not report a store of certificates only (a trust store), whatever its password", () => {
    expect(openKeyStore(keyStore({ password: "changeit", certificatesOnly: true }))).toBeUndefined();
    expect(openKeyStore(keyStore({ password: "notasecret", certificatesOnly: true }))).toBeUndefined();
  });

  it("needs a MAC to check the password against", () => {
    expect(openKeyStore(keyStore({ password: "notasecret", noMac: true }))).toBeUndefined();
  });

  it("reads a store written with BER's indefinite lengths and an OCTET STRING in pieces, as NSS writes them", () => {
    const store = keyStore({ password: "notasecret" });
    const { version, macData, octets } = partsOf(store);
    const half = Math.floor(octets.length / 2);
    const pieces = indefinite(0x24, tlv(0x04, octets.subarray(0, half)), tlv(0x04, octets.subarray(half)));
    const ber = indefinite(0x30, version, indefinite(0x30, DATA_OID, indefinite(0xa0, pieces)), macData);
    expect(looksLikePkcs12(ber)).toBe(true);
    expect(openKeyStore(ber)?.password).toBe("notasecret");
  });

  it("takes up to MAX_MAC_ITERATIONS rounds, and refuses more at once, without hashing", () => {
    expect(openKeyStore(keyStore({ password: "notasecret", iterations: MAX_MAC_ITERATIONS }))?.password).toBe("notasecret");
    expect(openKeyStore(keyStore({ password: "notasecret", iterations: MAX_MAC_ITERATIONS + 1 }))).toBeUndefined();
    // 2^31 - 1 rounds would take the scan an hour a password: refused before the first.
    const { version, authSafe, macParts } = partsOf(keyStore({ password: "notasecret" }));
    const [digestInfo, salt] = macParts as [Buffer, Buffer];
    const crafted = tlv(0x30, version, authSafe, tlv(0x30, digestInfo, salt, tlv(0x02, Buffer.from([0x7f, 0xff, 0xff, 0xff]))));
    const started = performance.now();
    expect(openKeyStore(crafted)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(100);
  });

  it("bounds the work on a store under an unknown password at the most rounds it takes", () => {
    const store = keyStore({ password: randomPassword(), iterations: MAX_MAC_ITERATIONS });
    const started = performance.now();
    expect(openKeyStore(store)).toBeUndefined();
    // Four derivations of 20,000 rounds: well under a second even on a loaded machine.
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("reads garbage, empty and truncated input as no key store, without throwing", () => {
    const store = keyStore({ password: "notasecret" });
    for (let length = 0; length < store.length; length += 7) expect(openKeyStore(store.subarray(0, length))).toBeUndefined();
    let state = 11;
    const random = (length: number): Buffer => Buffer.from(Array.from({ length }, () => (state = (state * 1103515245 + 12345) & 0x7fffffff) & 0xff));
    for (let i = 0; i < 200; i++) {
      // The first bytes a PKCS#12 file has, then random bytes: past the byte test, into the reader.
      const shaped = Buffer.concat([Buffer.from([0x30, 0x82, 0x09, 0x00, 0x02, 0x01, 0x03]), random(20 + i * 13)]);
      expect(openKeyStore(shaped)).toBeUndefined();
      expect(openKeyStore(random(i * 17))).toBeUndefined();
    }
  });

  it("is read by decodeText as one line, the file's SHA-256 first, and not as binary", () => {
    const store = keyStore({ password: "notasecret" });
    expect(isBinary(store)).toBe(false);
    expect(decodeText(store)).toBe(
      `${sha256(store)} is the SHA-256 of a PKCS#12 key store holding a private key, its MAC verified with the well-known password "notasecret"`,
    );
    expect(decodeText(keyStore({ password: randomPassword() }))).toBeUndefined();
  });
});
