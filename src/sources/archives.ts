// Inside archives: zip (jar, war, ear, whl, nupkg, apk), tar, gzip and tar.gz, nested up to a depth.
// Streamed from their bytes as they are read (fflate for zip and gzip, tar-stream for tar), never
// expanded to disk; each entry becomes text to scan under the path `outer.zip!inner/path`. Entry names
// are only ever reported, never used to write anything, so `../../etc/passwd` inside an archive is a name.
// A zip bomb stops at the budget: total bytes expanded, expansion ratio and entry count.
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { Gunzip, Unzip, UnzipInflate, UnzipPassThrough, type UnzipFile } from "fflate";
import { extract as tarExtract } from "tar-stream";
import { openRegularFile } from "../fs/read-file.js";
import type { ReadItem, SourceItem } from "../types.js";
import { decodeText } from "./decode.js";
import { pathToOpen } from "./files.js";

export interface ArchiveLimits {
  /** Archives inside archives are opened to this depth (the outer archive is depth 1); 0 opens none. */
  maxDepth: number;
  /** A larger entry is reported as skipped (large), and its bytes are not kept. */
  maxEntryBytes: number;
  /** Bytes expanded from one outer archive, nested ones included, before the rest is left unread. */
  maxTotalBytes: number;
  /** Expanded bytes per compressed byte of the outer archive, checked once past maxEntryBytes. */
  maxRatio: number;
  /** Entries read from one outer archive, nested ones included. */
  maxEntries: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxDepth: 2,
  maxEntryBytes: 10 * 1024 * 1024,
  maxTotalBytes: 256 * 1024 * 1024,
  maxRatio: 200,
  maxEntries: 100_000,
};

/** Names scanned as archives: by ending, as the formats' own tools name them. */
const ARCHIVE_NAME = /\.(zip|jar|war|ear|aar|apk|whl|nupkg|egg|tar|tgz|gz|tar\.gz)$/i;

export function isArchiveName(path: string): boolean {
  return ARCHIVE_NAME.test(path);
}

/** What reading an archive gives: its entries as chunks or skipped items, and warnings naming the archive. */
export type ArchiveItem = ReadItem | { kind: "warning"; message: string };

class LimitReached extends Error {}

/** Counts what one outer archive has expanded so far, nested archives included. */
interface Budget {
  limits: ArchiveLimits;
  compressed: number;
  expanded: number;
  entries: number;
}

/**
 * The entries of the archive at `path`, whose bytes arrive as `source`. Each text entry is a chunk; binary
 * and large entries are skipped items; a corrupt, truncated or encrypted archive, or one that hits a
 * limit, ends with a warning naming it, after the entries read until then.
 */
export async function* archiveItems(
  path: string,
  source: AsyncIterable<Uint8Array>,
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): AsyncGenerator<ArchiveItem> {
  const budget: Budget = { limits, compressed: 0, expanded: 0, entries: 0 };
  const counted = async function* (): AsyncGenerator<Uint8Array> {
    for await (const bytes of source) {
      budget.compressed += bytes.length;
      yield bytes;
    }
  };
  yield* readArchive(path, counted(), 1, budget);
}

async function* readArchive(path: string, source: AsyncIterable<Uint8Array>, depth: number, budget: Budget): AsyncGenerator<ArchiveItem> {
  try {
    const { head, rest } = await peek(source);
    const kind = formatOf(head, path);
    if (kind === undefined) {
      yield { kind: "warning", message: `${path} is not a zip, tar or gzip archive; skipped` };
      return;
    }
    const entries = kind === "zip" ? zipEntries(rest) : kind === "tar" ? tarEntries(rest) : gzipEntries(path, rest);
    for await (const entry of entries) {
      const inner = kind === "gzip" && entry.name === "" ? path : `${path}!${entry.name}`;
      yield* entryItems(inner, entry, depth, budget);
    }
  } catch (error) {
    if (error instanceof LimitReached) yield { kind: "warning", message: `${path}: ${error.message}; the rest of the archive was not scanned` };
    else yield { kind: "warning", message: `cannot read archive ${path} (corrupt, truncated or encrypted: ${firstLine(error)}); the rest of it was not scanned` };
  }
}

/** One entry as it is being expanded: its name and its bytes, counted against the budget as they come. */
export interface Entry {
  name: string;
  bytes: AsyncIterable<Uint8Array>;
}

async function* entryItems(path: string, entry: Entry, depth: number, budget: Budget): AsyncGenerator<ArchiveItem> {
  const { limits } = budget;
  if (++budget.entries > limits.maxEntries) throw new LimitReached(`more than ${limits.maxEntries} entries`);
  const nested = isArchiveName(entry.name) && depth < limits.maxDepth;
  // A nested archive is kept whole to be opened in turn (within the total budget); other entries up to the entry limit.
  const keepUpTo = nested ? limits.maxTotalBytes : limits.maxEntryBytes;
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const bytes of entry.bytes) {
    size += bytes.length;
    budget.expanded += bytes.length;
    if (budget.expanded > limits.maxTotalBytes) throw new LimitReached(`expanded past ${formatSize(limits.maxTotalBytes)}`);
    if (budget.expanded > limits.maxEntryBytes && budget.expanded > budget.compressed * limits.maxRatio) {
      throw new LimitReached(`expands more than ${limits.maxRatio} times its size (a zip bomb?)`);
    }
    if (size <= keepUpTo) parts.push(bytes);
  }
  if (size > keepUpTo) {
    yield { kind: "skipped", path, reason: "large" };
    return;
  }
  const content = Buffer.concat(parts);
  if (nested) {
    yield* readArchive(path, Readable.from([content]) as AsyncIterable<Uint8Array>, depth + 1, budget);
    return;
  }
  const text = decodeText(content);
  if (text === undefined) yield { kind: "skipped", path, reason: "binary" };
  else yield { kind: "chunk", chunk: { path, text }, bytes: content.length };
}

type Format = "zip" | "tar" | "gzip";

function formatOf(head: Uint8Array, path: string): Format | undefined {
  if (head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5) && (head[3] === 4 || head[3] === 6)) return "zip";
  if (head[0] === 0x1f && head[1] === 0x8b) return "gzip";
  if (Buffer.from(head.subarray(257, 262)).toString("latin1") === "ustar") return "tar";
  // An old (v7) tar has no magic: trust the name when the first header's checksum field is octal.
  if (/\.tar$/i.test(path) && /^[0-7 \0]{8}$/.test(Buffer.from(head.subarray(148, 156)).toString("latin1"))) return "tar";
  return undefined;
}

/** The first 512 bytes (enough for every format's magic), and the whole stream again. */
async function peek(source: AsyncIterable<Uint8Array>): Promise<{ head: Uint8Array; rest: AsyncIterable<Uint8Array> }> {
  const iterator = source[Symbol.asyncIterator]();
  const taken: Uint8Array[] = [];
  let length = 0;
  let done = false;
  while (length < 512 && !done) {
    const next = await iterator.next();
    if (next.done) done = true;
    else {
      taken.push(next.value);
      length += next.value.length;
    }
  }
  const rest = (async function* () {
    yield* taken;
    if (done) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  })();
  return { head: Buffer.concat(taken).subarray(0, 512), rest };
}

/**
 * A push-based decoder (fflate calls back synchronously as bytes are pushed) read as an async stream:
 * `feed` pushes each input chunk and hands back whatever the callbacks produced meanwhile.
 */
async function* pushed<T>(source: AsyncIterable<Uint8Array>, feed: (bytes: Uint8Array, final: boolean, out: T[]) => void): AsyncGenerator<T> {
  const out: T[] = [];
  for await (const bytes of inSmallPieces(source)) {
    feed(bytes, false, out);
    yield* out.splice(0);
  }
  feed(new Uint8Array(0), true, out);
  yield* out.splice(0);
}

/** Input cut into 16 KB pieces, so one push of a highly compressed stream expands to a bounded size (~16 MB). */
async function* inSmallPieces(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const piece = 16 * 1024;
  for await (const bytes of source) for (let start = 0; start < bytes.length; start += piece) yield bytes.subarray(start, start + piece);
}

/** How much of a zip's end is kept to read its central directory (the end record and, for most zips, the whole directory). */
const ZIP_TAIL_BYTES = 1024 * 1024;

/**
 * A zip's entries in file order; folders are passed over. Each entry's bytes arrive as the zip is read.
 * Ends by reading the central directory from the tail: a zip without one is truncated or not a zip, and
 * one with encrypted entries says so (their bytes cannot be read, so the keys in them cannot be found).
 */
async function* zipEntries(source: AsyncIterable<Uint8Array>): AsyncGenerator<Entry> {
  // Events in order: a new entry, a piece of the current entry, the end of an entry.
  type ZipEvent = { name: string } | { data: Uint8Array } | { end: true };
  let error: Error | undefined;
  const unzip = new Unzip();
  unzip.register(UnzipInflate);
  unzip.register(UnzipPassThrough);
  let out: ZipEvent[] = [];
  let tail: Uint8Array = new Uint8Array(0);
  let total = 0;
  unzip.onfile = (file: UnzipFile) => {
    if (file.name.endsWith("/")) return;
    out.push({ name: file.name });
    file.ondata = (failure, data, final) => {
      if (failure) error ??= failure;
      else {
        if (data.length > 0) out.push({ data });
        if (final) out.push({ end: true });
      }
    };
    // start() throws for a method fflate cannot expand (an AES-encrypted or LZMA entry).
    file.start();
  };
  const events = pushed<ZipEvent>(source, (bytes, final, sink) => {
    out = sink;
    total += bytes.length;
    const kept = Buffer.concat([tail, bytes]);
    tail = kept.subarray(Math.max(0, kept.length - ZIP_TAIL_BYTES));
    unzip.push(bytes, final);
    if (error) throw error;
    if (final) checkCentralDirectory(tail, total);
  });
  yield* groupEvents(events);
}

/** Throws when the zip has no end-of-central-directory record, or lists encrypted entries. */
function checkCentralDirectory(tail: Uint8Array, total: number): void {
  const bytes = Buffer.from(tail.buffer, tail.byteOffset, tail.length);
  const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0 || end + 22 > bytes.length) throw new Error("no end of central directory: the zip is truncated");
  const size = bytes.readUInt32LE(end + 12);
  const offset = bytes.readUInt32LE(end + 16);
  let at = offset - (total - bytes.length);
  // A directory that begins before the kept tail (a zip of very many entries) is not checked for encryption.
  if (at < 0 || offset === 0xffffffff) return;
  let encrypted = 0;
  for (const stop = Math.min(at + size, end); at + 46 <= stop && bytes.readUInt32LE(at) === 0x02014b50; ) {
    if (bytes.readUInt16LE(at + 8) & 1) encrypted++;
    at += 46 + bytes.readUInt16LE(at + 28) + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
  }
  if (encrypted > 0) throw new Error(`${encrypted} encrypted entr${encrypted === 1 ? "y" : "ies"} cannot be read`);
}

/** Turns a stream of entry-start / data / entry-end events into entries whose bytes are read in turn. */
async function* groupEvents(events: AsyncGenerator<{ name: string } | { data: Uint8Array } | { end: true }>): AsyncGenerator<Entry> {
  let next = await events.next();
  while (!next.done) {
    const event = next.value;
    if (!("name" in event)) {
      next = await events.next();
      continue;
    }
    let finished = false;
    const bytes = async function* (): AsyncGenerator<Uint8Array> {
      for (next = await events.next(); !next.done; next = await events.next()) {
        const part = next.value;
        if ("data" in part) yield part.data;
        else {
          if ("end" in part) next = await events.next();
          break;
        }
      }
      finished = true;
    };
    yield { name: event.name, bytes: bytes() };
    // The consumer reads every entry whole (entryItems), so `next` now stands after this entry.
    if (!finished) throw new Error("an archive entry was not read to its end");
  }
}

/** A gzip stream: a tar inside (.tgz, .tar.gz) is opened as tar; anything else is one entry named "". */
async function* gzipEntries(path: string, source: AsyncIterable<Uint8Array>): AsyncGenerator<Entry> {
  const gunzip = new Gunzip();
  let sink: Uint8Array[] = [];
  gunzip.ondata = (data) => void sink.push(data);
  const expanded = pushed<Uint8Array>(source, (bytes, final, out) => {
    sink = out;
    gunzip.push(bytes, final);
  });
  const { head, rest } = await peek(expanded);
  if (formatOf(head, path.replace(/\.(tgz|gz)$/i, ".tar")) === "tar") {
    yield* tarEntries(rest);
    return;
  }
  yield { name: "", bytes: rest };
}

/** A tar, or a gzipped tar (an image layer), as its regular files in order. */
export async function* tarOrTgzEntries(source: AsyncIterable<Uint8Array>): AsyncGenerator<Entry> {
  const { head, rest } = await peek(source);
  yield* head[0] === 0x1f && head[1] === 0x8b ? gzipEntries("layer.tar.gz", rest) : tarEntries(rest);
}

/** A tar's regular files in order (links, folders and devices are passed over). */
async function* tarEntries(source: AsyncIterable<Uint8Array>): AsyncGenerator<Entry> {
  const extract = tarExtract();
  Readable.from(source, { objectMode: false }).on("error", (error) => extract.destroy(error)).pipe(extract);
  for await (const entry of extract) {
    if (entry.header.type === "file" || entry.header.type === "contiguous-file") {
      yield { name: entry.header.name, bytes: entry as AsyncIterable<Uint8Array> };
    }
    else entry.resume();
  }
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${bytes} bytes`;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
}

/**
 * A source with every archive file opened: working-tree files whose names say archive are read here,
 * streamed from disk (symlinks not followed), and replaced by their entries; everything else passes
 * through. Warnings (a corrupt archive, a limit hit) go to `onWarning`.
 */
export async function* expandArchives(
  items: AsyncIterable<SourceItem>,
  limits: ArchiveLimits,
  onWarning: (message: string) => void,
): AsyncGenerator<SourceItem> {
  for await (const item of items) {
    if (item.kind !== "file" || limits.maxDepth === 0 || item.file.problem || !isArchiveName(item.file.path)) {
      yield item;
      continue;
    }
    let fd: number;
    try {
      fd = openRegularFile(pathToOpen(item.file));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      yield { kind: "skipped", path: item.file.path, reason: "unreadable", detail: code === "ENOTREG" ? "not a regular file" : (code ?? "") };
      continue;
    }
    const stream = createReadStream("", { fd });
    for await (const found of archiveItems(item.file.path, stream as AsyncIterable<Uint8Array>, limits)) {
      if (found.kind === "warning") onWarning(found.message);
      else yield found;
    }
  }
}
