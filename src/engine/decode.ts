// Encoded text that can hide a secret from the rules: JSON string escapes (notebooks, serialized
// config), URL encoding, and base64 blobs. Each decoder returns layers of decoded text that the
// engine scans again, each with a way back to the region of the outer text it came from.

export interface Layer {
  text: string;
  /** Maps a [start, end) range of the layer's text to a [start, end) range of the outer text. */
  outer: (start: number, end: number) => [number, number];
  /** Base64 layers hold no assignments worth the entropy detector's attention. */
  entropy: boolean;
}

// Printable characters a percent escape might hide inside a credential or URL.
const PERCENT_TRIGGER = /%(?:2[0-9A-Fa-f]|3[ABDFabdf]|40|5[BDbd]|7[BDbd])/y;
/**
 * Base64 (standard and URL-safe) characters: 1; the padding `=`: 2; anything else: 0. By every UTF-16
 * code unit, so that base64Runs' reads need no range test.
 */
const BASE64_CLASS = new Uint8Array(65536);
for (const char of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-") BASE64_CLASS[char.charCodeAt(0)] = 1;
BASE64_CLASS["=".charCodeAt(0)] = 2;
const MIN_BASE64_RUN = 32;

const JSON_SIMPLE: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

const isHexDigit = (code: number): boolean => (code >= 48 && code <= 57) || ((code | 32) >= 97 && (code | 32) <= 102);

/** An escape: the character every one starts with, and the length of the one at an offset holding it (0: none). */
interface EscapeSyntax {
  marker: string;
  lengthAt: (text: string, at: number) => number;
}

/** JSON string escapes: \" \\ \/ \b \f \n \r \t and \uXXXX. */
const JSON_ESCAPE: EscapeSyntax = {
  marker: "\\",
  lengthAt: (text, at) => {
    const kind = text[at + 1] ?? "";
    if (Object.hasOwn(JSON_SIMPLE, kind)) return 2;
    if (kind !== "u") return 0;
    for (let i = at + 2; i < at + 6; i++) if (!isHexDigit(text.charCodeAt(i))) return 0;
    return 6;
  },
};

/** URL encoding: %XX. */
const PERCENT: EscapeSyntax = {
  marker: "%",
  lengthAt: (text, at) => (isHexDigit(text.charCodeAt(at + 1)) && isHexDigit(text.charCodeAt(at + 2)) ? 3 : 0),
};

function unescapeJson(escape: string): string {
  const kind = escape[1] ?? "";
  return kind === "u" ? String.fromCharCode(Number.parseInt(escape.slice(2), 16)) : (JSON_SIMPLE[kind] ?? escape);
}

function unescapePercent(escape: string): string {
  return String.fromCharCode(Number.parseInt(escape.slice(1), 16));
}

/**
 * Replaces every escape by `decode(escape)` and keeps a table of segment starts, so that
 * an offset in the decoded text maps back to the outer text. Only the lines holding an escape are
 * kept: elsewhere the decoded text is the outer text, which the outer scan has seen already, and in
 * real code escapes sit on few lines. Cost is one pass plus one entry per escape and per run of lines kept.
 */
function substitute(text: string, syntax: EscapeSyntax, decode: (escape: string) => string): Layer {
  const decodedStarts: number[] = [];
  const outerStarts: number[] = [];
  let decoded = "";
  let last = 0; // outer text before this is in `decoded`, or left out
  let lineEnd = 0; // end of the last line kept (after its newline)
  // Escapes left to right, as a global regex finds them: indexOf finds candidates far faster.
  for (let at = text.indexOf(syntax.marker); at !== -1; ) {
    const length = syntax.lengthAt(text, at);
    if (length === 0) {
      at = text.indexOf(syntax.marker, at + 1);
      continue;
    }
    if (at >= lineEnd) {
      // A line with no escape before it: close the lines kept so far, keep from this line's start.
      decoded += text.slice(last, lineEnd);
      last = Math.max(lineEnd, text.lastIndexOf("\n", at) + 1);
      const newline = text.indexOf("\n", at);
      lineEnd = newline === -1 ? text.length : newline + 1;
      decodedStarts.push(decoded.length);
      outerStarts.push(last);
    }
    decoded += text.slice(last, at);
    // The escape itself: one segment whose characters all map to the escape's first character.
    decodedStarts.push(decoded.length);
    outerStarts.push(at);
    decoded += decode(text.slice(at, at + length));
    last = at + length;
    decodedStarts.push(decoded.length);
    outerStarts.push(last);
    at = text.indexOf(syntax.marker, last);
  }
  decoded += text.slice(last, lineEnd);
  const toOuter = (offset: number): number => {
    let low = 0;
    let high = decodedStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((decodedStarts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return (outerStarts[low] ?? 0) + (offset - (decodedStarts[low] ?? 0));
  };
  return { text: decoded, entropy: true, outer: (start, end) => [toOuter(start), toOuter(Math.max(start, end - 1)) + 1] };
}

const isPrintableByte = (byte: number): boolean =>
  (byte >= 0x20 && byte < 0x7f) || byte === 0x0a || byte === 0x0d || byte === 0x09;

/** Mostly printable text: a decoded blob worth scanning (binary, hashes and images are not). */
function isPrintable(bytes: Buffer): boolean {
  if (bytes.length < 16) return false;
  let printable = 0;
  for (const byte of bytes) {
    if (byte === 0) return false;
    if (isPrintableByte(byte)) printable++;
  }
  return printable / bytes.length > 0.95;
}

const base64Class = (text: string, at: number): number => BASE64_CLASS[text.charCodeAt(at)] ?? 0;

/**
 * Runs of 32+ base64 characters with up to two `=` of padding, standing alone (no base64 character
 * on either side, no `=` after, no `==` before): the spans of
 * /(?<![\w+/-])(?<!==)[\w+/-]{32,}={0,2}(?![\w+/=-])/g without `\w`'s non-ASCII. One `=` before a run
 * is an assignment (`PRIVATE_KEY_B64=LS0t…` in a .env file, `?data=…` in a URL), the commonest place
 * for an encoded secret; two are the padding of a blob the run is glued to. Any such run covers one position in every 32, so only those are looked at. Where one
 * is a base64 character, the run around it is long enough only if its first 32 characters all are:
 * they are checked from the 32nd back, and the first that is not one (in code, a word's end a few
 * characters on) is where the next run can start after. This reads a few characters a word instead
 * of whole words both ways.
 */
export function base64Runs(text: string): [number, number][] {
  const runs: [number, number][] = [];
  const length = text.length;
  let probe = MIN_BASE64_RUN - 1;
  while (probe < length) {
    if (base64Class(text, probe) !== 1) {
      probe += MIN_BASE64_RUN;
      continue;
    }
    let start = probe;
    while (start > 0 && base64Class(text, start - 1) === 1) start--;
    const last = start + MIN_BASE64_RUN - 1; // the run's 32nd character
    if (last >= length) break; // too short, and so is any run after it
    let gap = last;
    while (gap > probe && base64Class(text, gap) === 1) gap--;
    if (gap > probe) {
      probe = gap + MIN_BASE64_RUN; // a run after the gap has its 32nd character here or later
      continue;
    }
    let end = last + 1;
    while (end < length && base64Class(text, end) === 1) end++;
    const runEnd = end;
    while (end - runEnd < 2 && text.charCodeAt(end) === 61) end++; // "=" padding
    // The next run to find starts at `end` or later: its 32nd character is here or later.
    probe = end + MIN_BASE64_RUN - 1;
    if (start > 1 && base64Class(text, start - 1) === 2 && base64Class(text, start - 2) === 2) continue;
    if (end < length && base64Class(text, end) !== 0) continue;
    runs.push([start, end]);
  }
  return runs;
}

/** The 6-bit value of each base64 character (standard and URL-safe alphabets), by character code. */
const BASE64_VALUE = new Int8Array(128).fill(-1);
[..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"].forEach((char, value) => {
  BASE64_VALUE[char.charCodeAt(0)] = value;
});
BASE64_VALUE["-".charCodeAt(0)] = 62;
BASE64_VALUE["_".charCodeAt(0)] = 63;

/**
 * False as soon as the run's bytes hold a NUL or too many non-printable bytes for isPrintable to
 * pass: decodes in place, without allocating, so the many runs that are hashes, identifiers or
 * binary (most of them) cost a few characters each. True means "decode it and look properly".
 */
function mayBePrintable(text: string, start: number, end: number): boolean {
  const limit = Math.floor(((end - start) * 3) / 4) * 0.05; // isPrintable wants fewer unprintable bytes than this
  let unprintable = 0;
  let bits = 0;
  let pending = 0;
  for (let at = start; at < end; at++) {
    const value = BASE64_VALUE[text.charCodeAt(at)] ?? -1;
    if (value < 0) break; // "=" padding
    bits = ((bits << 6) | value) & 0xffffff;
    pending += 6;
    if (pending >= 8) {
      pending -= 8;
      const byte = (bits >> pending) & 0xff;
      if (byte === 0) return false;
      if (!isPrintableByte(byte) && ++unprintable >= limit) return false;
    }
  }
  return true;
}

// A stand-in word a person wrote into an encoded value to say it is no real one (`ops_DUMMY…`, a token
// whose first characters were overwritten): what the run decodes to is the stand-in's, not a secret.
// Random base64 holds one of these words (five letters or more, either case) about once in 30 million
// characters.
const STAND_IN_MARK = /dummy|example|placeholder|redacted|changeme/i;

function base64Layers(text: string): Layer[] {
  const layers: Layer[] = [];
  for (const span of base64Runs(text)) {
    if (!mayBePrintable(text, span[0], span[1])) continue;
    const run = text.slice(span[0], span[1]);
    if (STAND_IN_MARK.test(run)) continue;
    const bytes = Buffer.from(run, "base64");
    if (!isPrintable(bytes)) continue;
    layers.push({ text: bytes.toString("latin1"), entropy: false, outer: () => span });
  }
  return layers;
}

/** A JSON escape worth decoding: a backslash before `"`, `n` or `u`. indexOf finds candidates far faster than a regex scan. */
function hasJsonEscape(text: string): boolean {
  for (let at = text.indexOf("\\"); at !== -1; at = text.indexOf("\\", at + 1)) {
    const next = text.charCodeAt(at + 1);
    if (next === 34 || next === 110 || next === 117) return true; // " n u
  }
  return false;
}

/** A percent escape of a character PERCENT_TRIGGER names; candidates found by indexOf, checked by the sticky regex. */
function hasPercentEscape(text: string): boolean {
  for (let at = text.indexOf("%"); at !== -1; at = text.indexOf("%", at + 1)) {
    PERCENT_TRIGGER.lastIndex = at;
    if (PERCENT_TRIGGER.test(text)) return true;
  }
  return false;
}

/** The decoded views of `text` worth scanning again (none when nothing is encoded). */
export function decodeLayers(text: string): Layer[] {
  const layers: Layer[] = [];
  if (hasJsonEscape(text)) layers.push(substitute(text, JSON_ESCAPE, unescapeJson));
  if (hasPercentEscape(text)) layers.push(substitute(text, PERCENT, unescapePercent));
  layers.push(...base64Layers(text));
  return layers;
}

/** Composes a nested layer's mapping with its parent's, so findings always point into the outermost text. */
export function nest(parent: Layer, child: Layer): Layer {
  return {
    text: child.text,
    entropy: parent.entropy && child.entropy,
    outer: (start, end) => {
      const [innerStart, innerEnd] = child.outer(start, end);
      return parent.outer(innerStart, innerEnd);
    },
  };
}
