// `keyscan image IMAGE.tar`: a container image saved by `docker save` (manifest.json) or as an OCI
// image layout (index.json, blobs/sha256/…), read layer by layer with no daemon. A file is reported as
// `layer <digest>:/path`. A file deleted or replaced by a later layer is still in the image — anyone who
// pulls it can read the layer — so such findings carry a note instead of being dropped.
import { createReadStream } from "node:fs";
import { posix } from "node:path";
import { UsageError } from "../errors.js";
import { openRegularFile } from "../fs/read-file.js";
import type { Finding, SourceItem } from "../types.js";
import { tarOrTgzEntries } from "./archives.js";
import { decodeText } from "./decode.js";

/** Manifests and indexes are small; larger entries are not read in the first pass. */
const MAX_METADATA_BYTES = 4 * 1024 * 1024;

/** One layer of the image, bottom first. */
export interface Layer {
  /** The entry of the image tarball that holds the layer. */
  entry: string;
  /** Its digest's hex, or the name docker save gave its folder. */
  digest: string;
}

/** What the layers say about paths, for the notes on findings: which later layer removed or replaced what. */
export interface ImageLayout {
  layers: Layer[];
  /** Per layer index: paths the layer deletes (whiteouts), folders it makes opaque, and files it writes. */
  deleted: Set<string>[];
  opaque: Set<string>[];
  written: Set<string>[];
}

/** Opens the image tarball with no symlink followed; the stream is read once per pass. */
function imageStream(file: string): AsyncIterable<Uint8Array> {
  let fd: number;
  try {
    fd = openRegularFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === "ENOTREG" ? `image: ${file} is not a regular file` : `image: cannot open ${file} (${code ?? "error"})`);
  }
  return createReadStream("", { fd }) as AsyncIterable<Uint8Array>;
}

/** The image's layers in order, from manifest.json (docker save) or index.json (OCI layout). */
export async function imageLayers(file: string): Promise<Layer[]> {
  const metadata = new Map<string, unknown>();
  try {
    for await (const entry of tarOrTgzEntries(imageStream(file))) {
      const name = normalise(entry.name);
      const parts: Uint8Array[] = [];
      let size = 0;
      for await (const bytes of entry.bytes) {
        size += bytes.length;
        if (size <= MAX_METADATA_BYTES) parts.push(bytes);
      }
      if (size > MAX_METADATA_BYTES || !/(^|\/)(manifest|index)\.json$|^blobs\/sha256\/[0-9a-f]{64}$/.test(name)) continue;
      try {
        metadata.set(name, JSON.parse(Buffer.concat(parts).toString("utf8")));
      } catch {
        // A layer blob small enough to read, or any other non-JSON entry: not metadata.
      }
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`image: ${file} is not an image tarball (${(error as Error).message.split("\n")[0]})`);
  }
  const layers = dockerSaveLayers(metadata.get("manifest.json")) ?? ociLayers(metadata);
  if (!layers) throw new UsageError(`image: ${file} has neither a docker save manifest.json nor an OCI index.json`);
  return layers;
}

function dockerSaveLayers(manifest: unknown): Layer[] | undefined {
  const first = Array.isArray(manifest) ? (manifest[0] as { Layers?: unknown }) : undefined;
  if (!first || !Array.isArray(first.Layers)) return undefined;
  return first.Layers.filter((entry): entry is string => typeof entry === "string").map((entry) => {
    const name = normalise(entry);
    const digest = /sha256\/([0-9a-f]{64})$/.exec(name)?.[1] ?? name.split("/")[0] ?? name;
    return { entry: name, digest };
  });
}

function ociLayers(metadata: Map<string, unknown>): Layer[] | undefined {
  const blob = (digest: unknown) => (typeof digest === "string" ? metadata.get(`blobs/sha256/${digest.replace(/^sha256:/, "")}`) : undefined);
  let node = metadata.get("index.json") as { manifests?: { digest?: unknown }[]; layers?: { digest?: unknown }[] } | undefined;
  // An index may point at another index (several platforms): follow the first manifest down to the layers.
  for (let hops = 0; node && !node.layers && hops < 4; hops++) node = blob(node.manifests?.[0]?.digest) as typeof node;
  if (!node?.layers) return undefined;
  return node.layers
    .map((layer) => (typeof layer.digest === "string" ? layer.digest.replace(/^sha256:/, "") : ""))
    .filter((digest) => /^[0-9a-f]{64}$/.test(digest))
    .map((digest) => ({ entry: `blobs/sha256/${digest}`, digest }));
}

/**
 * The image's files layer by layer, each text file a chunk named `layer <digest>:/path`; `layout` is
 * filled in as the layers are read, for the notes (layerNotes) once the findings are in.
 */
export async function* imageItems(file: string, layers: Layer[], maxFileSize: number, layout: ImageLayout): AsyncGenerator<SourceItem> {
  const index = new Map(layers.map((layer, position) => [layer.entry, position]));
  layout.layers = layers;
  for (const list of [layout.deleted, layout.opaque, layout.written]) list.push(...layers.map(() => new Set<string>()));
  for await (const entry of tarOrTgzEntries(imageStream(file))) {
    const position = index.get(normalise(entry.name));
    if (position === undefined) {
      for await (const _ of entry.bytes); // not a layer: drained unread
      continue;
    }
    const layer = layers[position] as Layer;
    for await (const inner of tarOrTgzEntries(entry.bytes)) {
      const path = `/${normalise(inner.name)}`;
      const base = posix.basename(path);
      if (base === ".wh..wh..opq") layout.opaque[position]?.add(posix.dirname(path));
      else if (base.startsWith(".wh.")) layout.deleted[position]?.add(posix.join(posix.dirname(path), base.slice(4)));
      else layout.written[position]?.add(path);
      const parts: Uint8Array[] = [];
      let size = 0;
      for await (const bytes of inner.bytes) {
        size += bytes.length;
        if (size <= maxFileSize) parts.push(bytes);
      }
      const reported = `layer ${layer.digest.slice(0, 12)}:${path}`;
      if (base.startsWith(".wh.")) continue;
      if (size > maxFileSize) {
        yield { kind: "skipped", path: reported, reason: "large" };
        continue;
      }
      const content = Buffer.concat(parts);
      const text = decodeText(content);
      if (text === undefined) yield { kind: "skipped", path: reported, reason: "binary" };
      else yield { kind: "chunk", chunk: { path: reported, text }, bytes: content.length };
    }
  }
}

export function emptyLayout(): ImageLayout {
  return { layers: [], deleted: [], opaque: [], written: [] };
}

/** Findings in a file that a later layer deletes or replaces get a note: the secret is still in the image. */
export function layerNotes(findings: Finding[], layout: ImageLayout): Finding[] {
  const positions = new Map(layout.layers.map((layer, position) => [layer.digest.slice(0, 12), position]));
  return findings.map((finding) => {
    const [, digest, path] = /^layer ([^:]+):(\/.*)$/.exec(finding.path) ?? [];
    const position = digest === undefined ? undefined : positions.get(digest);
    if (position === undefined || path === undefined) return finding;
    for (let later = position + 1; later < layout.layers.length; later++) {
      const gone = layout.deleted[later]?.has(path) || ancestors(path).some((dir) => layout.deleted[later]?.has(dir) || layout.opaque[later]?.has(dir));
      const replaced = layout.written[later]?.has(path);
      if (gone || replaced) {
        const what = gone ? "deleted" : "replaced";
        const note = `${what} by a later layer (${layout.layers[later]?.digest.slice(0, 12)}), but still in the image: anyone who pulls it can read this layer`;
        return { ...finding, notes: [...(finding.notes ?? []), note] };
      }
    }
    return finding;
  });
}

function ancestors(path: string): string[] {
  const out: string[] = [];
  for (let dir = posix.dirname(path); dir !== "/" && dir !== "."; dir = posix.dirname(dir)) out.push(dir);
  return out;
}

/** Tar names as written (`./etc/app.env`, `etc/app.env`) in one form: no leading `./` or `/`. */
function normalise(name: string): string {
  return name.replace(/^(\.\/|\/)+/, "");
}
