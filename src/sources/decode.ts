// Bytes to text for scanning: UTF-8 (lossy, so one bad byte does not hide a file), UTF-16 with a
// byte-order mark, and binary detection (a NUL byte in the first 8 KiB, as git does).

const BINARY_SNIFF_BYTES = 8192;

const utf8 = new TextDecoder("utf-8", { fatal: false, ignoreBOM: false });
const utf16le = new TextDecoder("utf-16le", { fatal: false, ignoreBOM: false });
const utf16be = new TextDecoder("utf-16be", { fatal: false, ignoreBOM: false });

/** True when the bytes look binary: a NUL in the first 8 KiB. */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0);
}

/**
 * The text of a file's bytes, or undefined when it is binary. A BOM decides the encoding and is
 * dropped; UTF-16 is checked before the NUL test because its text is full of NUL bytes.
 */
export function decodeText(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return utf16le.decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return utf16be.decode(bytes);
  if (looksBinary(bytes)) return undefined;
  return utf8.decode(bytes);
}
