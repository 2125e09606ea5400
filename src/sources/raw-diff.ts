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

/** True for an id made only of zeros: "no such file on this side". */
export function isNullId(id: string): boolean {
  return /^0+$/.test(id);
}
