// A key found in a built bundle (minified JavaScript or CSS) is fixed in the source it was built from:
// when the bundle names a source map (`//# sourceMappingURL=…`, inline or a file) or one sits beside it
// (`app.js.map`), each finding also gets the original file, line and column, read through
// @jridgewell/trace-mapping. Maps are read from the scanned folder only, never fetched.
import { closeSync, existsSync, fstatSync, readSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { originalPositionFor, TraceMap } from "@jridgewell/trace-mapping";
import { openRegularFile, readSmallFile } from "../fs/read-file.js";
import type { Finding } from "../types.js";

const BUNDLE = /\.(m?js|cjs|css)$/i;
/** The sourceMappingURL comment is at the end: only the tail of a bundle is read to find it. */
const TAIL_BYTES = 4096;
/** Larger maps are not read. */
const MAX_MAP_BYTES = 64 * 1024 * 1024;

/**
 * The findings, those in bundles with a source map given `original` (path relative to `root`, as the
 * other paths are). `root` is the folder the findings' paths are relative to.
 */
export function mapToSources(findings: Finding[], root: string): Finding[] {
  const maps = new Map<string, { map: TraceMap; dir: string } | undefined>();
  return findings.map((finding) => {
    if (!BUNDLE.test(finding.path) || finding.path.includes("!")) return finding;
    const bundle = resolve(root, finding.path);
    if (!maps.has(bundle)) maps.set(bundle, loadMap(bundle));
    const loaded = maps.get(bundle);
    if (!loaded) return finding;
    const position = originalPositionFor(loaded.map, { line: finding.line, column: finding.column - 1 });
    if (position.source === null || position.line === null || position.column === null) return finding;
    const source = position.source.startsWith("file://") ? new URL(position.source).pathname : position.source;
    const absolute = isAbsolute(source) ? source : resolve(loaded.dir, source);
    const path = relative(root, absolute).split(sep).join("/");
    return { ...finding, original: { path, line: position.line, column: position.column + 1 } };
  });
}

/** The bundle's source map: inline (a data: URL), the file its comment names, or `<bundle>.map`. */
function loadMap(bundle: string): { map: TraceMap; dir: string } | undefined {
  const named = mapReference(bundle);
  try {
    if (named?.startsWith("data:")) {
      const [, meta, data] = /^data:([^,]*),(.*)$/s.exec(named) ?? [];
      if (data === undefined) return undefined;
      const json = meta?.endsWith(";base64") ? Buffer.from(data, "base64").toString("utf8") : decodeURIComponent(data);
      return { map: new TraceMap(json), dir: dirname(bundle) };
    }
    const file = named && !/^[a-z][\w+.-]*:/i.test(named) ? resolve(dirname(bundle), named) : `${bundle}.map`;
    if (!existsSync(file)) return undefined;
    const json = readRegularFile(file, MAX_MAP_BYTES);
    return json === undefined ? undefined : { map: new TraceMap(json), dir: dirname(file) };
  } catch {
    // A map that is not valid JSON or not a source map: the finding keeps only its bundle location.
    return undefined;
  }
}

/** The URL in the bundle's last sourceMappingURL comment, if any. */
function mapReference(bundle: string): string | undefined {
  const tail = readTail(bundle, TAIL_BYTES);
  if (tail === undefined) return undefined;
  const matches = [...tail.matchAll(/[#@] sourceMappingURL=([^\s*'"]+)/g)];
  return matches.at(-1)?.[1];
}

function readTail(file: string, bytes: number): string | undefined {
  let fd: number | undefined;
  try {
    fd = openRegularFile(file);
    const size = fstatSync(fd).size;
    const length = Math.min(bytes, size);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer.toString("utf8");
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A map file's text, or undefined when it is not a readable regular file under the limit. */
function readRegularFile(file: string, limit: number): string | undefined {
  try {
    return readSmallFile(file, "source map", { limit });
  } catch {
    return undefined;
  }
}
