// Offline checks a rule can name in `validate`: a secret that fails its format's checksum or
// structure is not reported. Each takes the secret and answers whether it is well-formed.

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

const CRC32_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (const byte of Buffer.from(text, "utf8")) crc = (CRC32_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
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

const validators: Record<string, (secret: string) => boolean> = {
  "github-crc32": prefixedCrc32,
  "npm-crc32": prefixedCrc32,
};

export const validatorNames = Object.keys(validators);

export function runValidator(name: string, secret: string): boolean {
  const validator = validators[name];
  return validator ? validator(secret) : true;
}
