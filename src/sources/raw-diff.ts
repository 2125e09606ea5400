// git's "raw" diff format with -z and no renames: a meta field, then the path, each NUL-terminated.
// Meta is ":<src mode> <dst mode> <src id> <dst id> <status>"; a merge's combined diff (-c) has one
// colon, mode and id per parent: "::<mode1> <mode2> <dst mode> <id1> <id2> <dst id> <statuses>".

export interface RawEntry {
  /** Blob ids of the file in the parent(s); all zeros where it did not exist. */
  srcs: string[];
  srcModes: string[];
  dst: string;
  dstMode: string;
  status: string;
  path: string;
}

export const REGULAR_FILE_MODES: ReadonlySet<string> = new Set(["100644", "100755"]);

/** The meta field's parts, or undefined when the field is not raw meta. */
export function parseRawMeta(meta: string): Omit<RawEntry, "path"> | undefined {
  const parents = /^:+/.exec(meta)?.[0].length ?? 0;
  if (parents === 0) return undefined;
  const parts = meta.slice(parents).split(" ");
  if (parts.length !== 2 * (parents + 1) + 1) return undefined;
  const modes = parts.slice(0, parents + 1);
  const ids = parts.slice(parents + 1, 2 * (parents + 1));
  return {
    srcModes: modes.slice(0, parents),
    dstMode: modes[parents] ?? "",
    srcs: ids.slice(0, parents),
    dst: ids[parents] ?? "",
    status: parts[2 * (parents + 1)] ?? "",
  };
}

/**
 * Entries from the fields of `git diff --raw -z` (meta, path, meta, path, ...) as they stream in, one
 * batch for each batch of fields (nulFieldBatches): an entry's meta may end one batch, its path start the next.
 */
export async function* rawEntryBatches(fieldBatches: AsyncIterable<readonly string[]>): AsyncGenerator<RawEntry[]> {
  let meta: Omit<RawEntry, "path"> | undefined;
  for await (const fields of fieldBatches) {
    const entries: RawEntry[] = [];
    for (const field of fields) {
      if (meta) {
        entries.push({ ...meta, path: field });
        meta = undefined;
        continue;
      }
      meta = parseRawMeta(field);
      if (!meta) throw new Error(`unexpected git diff --raw output: ${JSON.stringify(field)}`);
    }
    if (entries.length > 0) yield entries;
  }
}

/** True for an id made only of zeros: "no such file on this side". */
export function isNullId(id: string): boolean {
  return /^0+$/.test(id);
}
