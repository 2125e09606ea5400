// A reader of ASN.1 elements in DER, and of the few BER forms key stores are written in (NSS's pk12util
// writes indefinite lengths and OCTET STRINGs cut into pieces). It reads untrusted bytes: every length is
// checked against the bytes there are, nesting is bounded, and a malformed element reads as undefined.

/** One element: its tag byte, and where its content lies in the bytes it was read from. */
export interface Element {
  tag: number;
  /** The content's first byte and the byte after it (before an indefinite length's end-of-contents marker). */
  start: number;
  end: number;
  /** The byte after the whole element (its end-of-contents marker included). */
  next: number;
}

export const TAG = {
  integer: 0x02,
  octetString: 0x04,
  oid: 0x06,
  sequence: 0x30,
  set: 0x31,
  /** [0] EXPLICIT, as ContentInfo's content and SafeBag's value are tagged. */
  explicit0: 0xa0,
} as const;

/** A constructed OCTET STRING (BER): its content is the concatenation of the OCTET STRINGs inside. */
const CONSTRUCTED_OCTET_STRING = 0x24;

/** Deeper nesting than any key store has; it bounds the reader's recursion on crafted input. */
const MAX_DEPTH = 32;

/** The element that starts at `at` and ends by `limit`, or undefined when the bytes there are not one. */
export function readElement(bytes: Uint8Array, at: number, limit: number = bytes.length, depth = 0): Element | undefined {
  if (depth > MAX_DEPTH || at + 2 > limit) return undefined;
  const tag = bytes[at] as number;
  // High tag numbers (low five bits all set) are not used by the structures read here.
  if ((tag & 0x1f) === 0x1f) return undefined;
  const first = bytes[at + 1] as number;
  const start = at + 2 + (first & 0x80 ? first & 0x7f : 0);
  if (first === 0x80) return (tag & 0x20) !== 0 ? readIndefinite(bytes, tag, start, limit, depth) : undefined;
  if (first < 0x80) return within({ tag, start, end: start + first, next: start + first }, limit);
  // Long form: 1 to 4 length bytes (a key store is far below 4 GB).
  const count = first & 0x7f;
  if (count > 4 || start > limit) return undefined;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + (bytes[at + 2 + i] as number);
  return within({ tag, start, end: start + length, next: start + length }, limit);
}

const within = (element: Element, limit: number): Element | undefined => (element.next <= limit ? element : undefined);

/** A constructed element of indefinite length (BER): its elements up to the end-of-contents marker (two zero bytes). */
function readIndefinite(bytes: Uint8Array, tag: number, start: number, limit: number, depth: number): Element | undefined {
  let at = start;
  while (at + 2 <= limit) {
    if (bytes[at] === 0 && bytes[at + 1] === 0) return { tag, start, end: at, next: at + 2 };
    const child = readElement(bytes, at, limit, depth + 1);
    if (!child) return undefined;
    at = child.next;
  }
  return undefined;
}

/** The elements inside a constructed element, or undefined when one of them is malformed. */
export function childrenOf(bytes: Uint8Array, parent: Element, depth = 0): Element[] | undefined {
  const children: Element[] = [];
  for (let at = parent.start; at < parent.end; ) {
    const child = readElement(bytes, at, parent.end, depth + 1);
    if (!child) return undefined;
    children.push(child);
    at = child.next;
  }
  return children;
}

/** The octets an OCTET STRING holds, whether written whole (DER) or in pieces (BER); undefined when it is not one. */
export function octetsOf(bytes: Uint8Array, element: Element, depth = 0): Uint8Array | undefined {
  if (element.tag === TAG.octetString) return bytes.subarray(element.start, element.end);
  if (element.tag !== CONSTRUCTED_OCTET_STRING || depth > MAX_DEPTH) return undefined;
  const pieces: Uint8Array[] = [];
  for (const piece of childrenOf(bytes, element, depth) ?? []) {
    const octets = octetsOf(bytes, piece, depth + 1);
    if (!octets) return undefined;
    pieces.push(octets);
  }
  return Buffer.concat(pieces);
}

/** A non-negative INTEGER's value, or undefined when it is not one or exceeds `max`. */
export function integerOf(bytes: Uint8Array, element: Element, max: number): number | undefined {
  if (element.tag !== TAG.integer || element.end === element.start || ((bytes[element.start] as number) & 0x80) !== 0) return undefined;
  let value = 0;
  for (let at = element.start; at < element.end; at++) {
    value = value * 256 + (bytes[at] as number);
    if (value > max) return undefined;
  }
  return value;
}

/** An OBJECT IDENTIFIER's encoded content in hex (1.2.840.113549.1.7.1 is "2a864886f70d010701"), or undefined when the element is not one. */
export function oidOf(bytes: Uint8Array, element: Element | undefined): string | undefined {
  return element?.tag === TAG.oid ? Buffer.from(bytes.buffer, bytes.byteOffset + element.start, element.end - element.start).toString("hex") : undefined;
}
