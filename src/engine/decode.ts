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

const JSON_ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/g;
const JSON_ESCAPE_TRIGGER = /\\["nu]/;
const PERCENT = /%[0-9A-Fa-f]{2}/g;
// Printable characters a percent escape might hide inside a credential or URL.
const PERCENT_TRIGGER = /%(?:2[0-9A-Fa-f]|3[ABDFabdf]|40|5[BDbd]|7[BDbd])/;
const BASE64_RUN = /(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/_-]{32,}={0,2}(?![A-Za-z0-9+/=_-])/g;

const JSON_SIMPLE: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

function unescapeJson(escape: string): string {
  const kind = escape[1] ?? "";
  return kind === "u" ? String.fromCharCode(Number.parseInt(escape.slice(2), 16)) : (JSON_SIMPLE[kind] ?? escape);
}

function unescapePercent(escape: string): string {
  return String.fromCharCode(Number.parseInt(escape.slice(1), 16));
}

/**
 * Replaces every match of `pattern` by `decode(match)` and keeps a table of segment starts, so that
 * an offset in the decoded text maps back to the outer text. Cost is one pass plus one entry per escape.
 */
function substitute(text: string, pattern: RegExp, decode: (escape: string) => string): Layer {
  const decodedStarts: number[] = [0];
  const outerStarts: number[] = [0];
  let decoded = "";
  let last = 0;
  pattern.lastIndex = 0;
  for (let found = pattern.exec(text); found !== null; found = pattern.exec(text)) {
    decoded += text.slice(last, found.index);
    // The escape itself: one segment whose characters all map to the escape's first character.
    decodedStarts.push(decoded.length);
    outerStarts.push(found.index);
    decoded += decode(found[0]);
    last = found.index + found[0].length;
    decodedStarts.push(decoded.length);
    outerStarts.push(last);
  }
  decoded += text.slice(last);
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

/** Mostly printable text: a decoded blob worth scanning (binary, hashes and images are not). */
function isPrintable(bytes: Buffer): boolean {
  if (bytes.length < 16) return false;
  let printable = 0;
  for (const byte of bytes) {
    if (byte === 0) return false;
    if ((byte >= 0x20 && byte < 0x7f) || byte === 0x0a || byte === 0x0d || byte === 0x09) printable++;
  }
  return printable / bytes.length > 0.95;
}

function base64Layers(text: string): Layer[] {
  const layers: Layer[] = [];
  BASE64_RUN.lastIndex = 0;
  for (let found = BASE64_RUN.exec(text); found !== null; found = BASE64_RUN.exec(text)) {
    const bytes = Buffer.from(found[0], "base64");
    if (!isPrintable(bytes)) continue;
    const span: [number, number] = [found.index, found.index + found[0].length];
    layers.push({ text: bytes.toString("latin1"), entropy: false, outer: () => span });
  }
  return layers;
}

/** The decoded views of `text` worth scanning again (none when nothing is encoded). */
export function decodeLayers(text: string): Layer[] {
  const layers: Layer[] = [];
  if (JSON_ESCAPE_TRIGGER.test(text)) layers.push(substitute(text, JSON_ESCAPE, unescapeJson));
  if (PERCENT_TRIGGER.test(text)) layers.push(substitute(text, PERCENT, unescapePercent));
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
