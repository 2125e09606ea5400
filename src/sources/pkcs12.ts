// PKCS#12 key stores (.p12, .pfx, Java's PKCS12 keystores) under a password everybody knows. A key store
// is binary, so no text rule sees the private key in it; but its MAC (RFC 7292) is keyed by the password,
// so checking the MAC with a known password tells, without decrypting anything, that anyone can open it.
// Google Cloud issues every service-account .p12 key under "notasecret"; tools export under the empty
// password; Java's keytool suggests "changeit". A store holding only certificates (a trust store) is no
// secret whatever its password: a finding needs a private key bag among the store's unencrypted contents.
// A key kept inside an encrypted content (rare: keys have their own encryption, the shrouded key bag) is not seen.
import { createHash, createHmac, hash, timingSafeEqual } from "node:crypto";
import { type Element, TAG, childrenOf, integerOf, octetsOf, oidOf, readElement } from "./der.js";
import { sha256Rounds } from "./sha256-rounds.js";

/** The passwords tried, in order: Google Cloud's for service-account keys, none, and Java's default (its cacerts'). */
const WELL_KNOWN_PASSWORDS = ["notasecret", "", "changeit"];

/**
 * The most MAC iterations a key store may ask for: each costs a hash per password tried, so a crafted
 * file asking for millions would stall the scan. Tools write 2,048 (OpenSSL) to 10,000 (Java's keytool).
 */
export const MAX_MAC_ITERATIONS = 20_000;

/** The MAC digests RFC 7292 and OpenSSL use, by their OIDs' encoded content: node's name and the hash's block size (v, in bytes). */
const DIGESTS = new Map<string, { name: string; blockSize: number }>([
  ["2b0e03021a", { name: "sha1", blockSize: 64 }],
  ["608648016503040201", { name: "sha256", blockSize: 64 }],
  ["608648016503040202", { name: "sha384", blockSize: 128 }],
  ["608648016503040203", { name: "sha512", blockSize: 128 }],
]);

/** The content type and bag types read, by their OIDs' encoded content (oidOf): PKCS#7 data, PKCS#12 bags. */
const OID = {
  data: "2a864886f70d010701",
  keyBag: "2a864886f70d010c0a0101",
  shroudedKeyBag: "2a864886f70d010c0a0102",
  safeContentsBag: "2a864886f70d010c0a0106",
} as const;

/**
 * True when the bytes start as a PKCS#12 file does, `SEQUENCE { INTEGER 3, …`: a test of a few bytes,
 * made of every binary file before anything costlier.
 */
export function looksLikePkcs12(bytes: Uint8Array): boolean {
  if (bytes[0] !== TAG.sequence || bytes.length < 5) return false;
  // After the tag, one length byte, or 0x8n and n more (0x80 alone: an indefinite length).
  const first = bytes[1] as number;
  const version = 2 + (first > 0x80 ? first & 0x7f : 0);
  return bytes[version] === TAG.integer && bytes[version + 1] === 1 && bytes[version + 2] === 3;
}

/** What a key store readable with a well-known password holds, for its finding. */
export interface OpenKeyStore {
  password: string;
  /** SHA-256 of the file's bytes (hex): names the file without revealing anything in it. */
  sha256: string;
}

/** The well-known password whose MAC the key store verifies with, when it also holds a private key; otherwise undefined. */
export function openKeyStore(bytes: Uint8Array): OpenKeyStore | undefined {
  const store = readPfx(bytes);
  if (!store || !holdsPrivateKey(store.authSafe)) return undefined;
  const password = WELL_KNOWN_PASSWORDS.find((candidate) => macVerifies(store, candidate));
  if (password === undefined) return undefined;
  return { password, sha256: createHash("sha256").update(bytes).digest("hex") };
}

/** A PFX's parts the MAC check needs: the authenticated content's octets and the MacData's fields. */
interface Pfx {
  authSafe: Uint8Array;
  digest: { name: string; blockSize: number };
  mac: Uint8Array;
  salt: Uint8Array;
  iterations: number;
}

/** PFX ::= SEQUENCE { version INTEGER (3), authSafe ContentInfo (data), macData MacData }; undefined otherwise. */
function readPfx(bytes: Uint8Array): Pfx | undefined {
  const pfx = readElement(bytes, 0);
  if (pfx?.tag !== TAG.sequence) return undefined;
  const [version, authSafeInfo, macData] = childrenOf(bytes, pfx) ?? [];
  if (!version || integerOf(bytes, version, 3) !== 3 || !authSafeInfo || macData?.tag !== TAG.sequence) return undefined;
  const authSafe = dataContent(bytes, authSafeInfo);
  // MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }
  const [digestInfo, saltElement, iterationsElement] = childrenOf(bytes, macData) ?? [];
  if (!authSafe || digestInfo?.tag !== TAG.sequence || !saltElement) return undefined;
  // DigestInfo ::= SEQUENCE { digestAlgorithm AlgorithmIdentifier, digest OCTET STRING }
  const [algorithm, macElement] = childrenOf(bytes, digestInfo) ?? [];
  const algorithmOid = algorithm?.tag === TAG.sequence ? oidOf(bytes, childrenOf(bytes, algorithm)?.[0]) : undefined;
  const digest = algorithmOid === undefined ? undefined : DIGESTS.get(algorithmOid);
  const mac = macElement && octetsOf(bytes, macElement);
  const salt = octetsOf(bytes, saltElement);
  const iterations = iterationsElement ? integerOf(bytes, iterationsElement, MAX_MAC_ITERATIONS) : 1;
  if (!digest || !mac || !salt || !iterations) return undefined;
  return { authSafe, digest, mac, salt, iterations };
}

/** ContentInfo ::= SEQUENCE { contentType OID (data), content [0] EXPLICIT OCTET STRING }: the octets, or undefined for another type. */
function dataContent(bytes: Uint8Array, contentInfo: Element): Uint8Array | undefined {
  if (contentInfo.tag !== TAG.sequence) return undefined;
  const [type, explicit] = childrenOf(bytes, contentInfo) ?? [];
  if (oidOf(bytes, type) !== OID.data || explicit?.tag !== TAG.explicit0) return undefined;
  const octets = childrenOf(bytes, explicit)?.[0];
  return octets && octetsOf(bytes, octets);
}

/**
 * True when the AuthenticatedSafe (a SEQUENCE of ContentInfo) holds a key bag or a shrouded key bag in
 * one of its unencrypted (data) contents, directly or in a nested SafeContents bag.
 */
function holdsPrivateKey(authSafe: Uint8Array): boolean {
  const sequence = readElement(authSafe, 0);
  if (sequence?.tag !== TAG.sequence) return false;
  return (childrenOf(authSafe, sequence) ?? []).some((contentInfo) => {
    const safeContents = dataContent(authSafe, contentInfo);
    return safeContents !== undefined && holdsKeyBag(safeContents, readElement(safeContents, 0), 0);
  });
}

/** Bags nested in bags beyond this are not looked into (no tool nests them at all). */
const MAX_BAG_NESTING = 4;

/** SafeContents ::= SEQUENCE OF SafeBag, SafeBag ::= SEQUENCE { bagId OID, bagValue [0] EXPLICIT …, … }. */
function holdsKeyBag(bytes: Uint8Array, safeContents: Element | undefined, nesting: number): boolean {
  if (safeContents?.tag !== TAG.sequence || nesting > MAX_BAG_NESTING) return false;
  return (childrenOf(bytes, safeContents) ?? []).some((bag) => {
    const [bagIdElement, value] = bag.tag === TAG.sequence ? (childrenOf(bytes, bag) ?? []) : [];
    const bagId = oidOf(bytes, bagIdElement);
    if (bagId === OID.keyBag || bagId === OID.shroudedKeyBag) return true;
    if (bagId !== OID.safeContentsBag || value?.tag !== TAG.explicit0) return false;
    return holdsKeyBag(bytes, childrenOf(bytes, value)?.[0], nesting + 1);
  });
}

/**
 * True when the MAC verifies with the password. The empty password is tried in both encodings tools
 * use: the BMPString's two-byte terminator alone, and no bytes at all.
 */
function macVerifies(store: Pfx, password: string): boolean {
  const encodings = password === "" ? [bmpPassword(""), new Uint8Array(0)] : [bmpPassword(password)];
  return encodings.some((encoded) => {
    const key = deriveMacKey(store, encoded);
    const mac = createHmac(store.digest.name, key).update(store.authSafe).digest();
    return mac.length === store.mac.length && timingSafeEqual(mac, store.mac);
  });
}

/** A password as RFC 7292 appendix B.1 feeds it to the key derivation: UTF-16 big-endian with a two-byte zero terminator. */
function bmpPassword(password: string): Uint8Array {
  const encoded = new Uint8Array(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) {
    encoded[i * 2] = password.charCodeAt(i) >> 8;
    encoded[i * 2 + 1] = password.charCodeAt(i) & 0xff;
  }
  return encoded;
}

/** The diversifier ID of RFC 7292 appendix B.3 that makes a derived key a MAC key. */
const MAC_KEY_ID = 3;

/**
 * The MAC key (RFC 7292 appendix B.2, ID 3), as long as the digest's output. The general derivation
 * repeats its last steps for keys longer than one digest; a MAC key never is, so one round is all of it:
 * hash D || S || P `iterations` times, where D is the block size's worth of the ID byte, and S and P are
 * the salt and password each repeated to a whole number of blocks.
 */
function deriveMacKey(store: Pfx, password: Uint8Array): Buffer {
  const { blockSize, name } = store.digest;
  const diversifier = new Uint8Array(blockSize).fill(MAC_KEY_ID);
  let hashed: Buffer = createHash(name).update(diversifier).update(fillBlocks(store.salt, blockSize)).update(fillBlocks(password, blockSize)).digest();
  if (name === "sha256") return sha256Rounds(hashed, store.iterations - 1);
  for (let round = 1; round < store.iterations; round++) hashed = digest(name, hashed);
  return hashed;
}

/**
 * One digest: node's one-call crypto.hash where it has it (Node 20.12 and later), about twice as fast as
 * a Hash object, which counts over a key store's thousands of rounds. SHA-256's rounds, what OpenSSL 3
 * and Java's keytool (10,000 of them) write, run in WebAssembly instead (sha256-rounds.ts).
 */
const digest: (name: string, data: Uint8Array) => Buffer =
  typeof hash === "function" ? (name, data) => hash(name, data, "buffer") : (name, data) => createHash(name).update(data).digest();

/** The bytes repeated to fill the smallest whole number of blocks that holds them (none for no bytes). */
function fillBlocks(bytes: Uint8Array, blockSize: number): Uint8Array {
  const filled = new Uint8Array(Math.ceil(bytes.length / blockSize) * blockSize);
  for (let i = 0; i < filled.length; i++) filled[i] = bytes[i % bytes.length] as number;
  return filled;
}
