// The working tree as the scan sees it, in one thread: listed (workingTreeFiles), then each file read
// (readFileItems) and decoded, as a scan worker does.
import { textChunk } from "../../src/sources/decode.js";
import { readFileItems, type WorkingTreeOptions, workingTreeFiles } from "../../src/sources/files.js";
import type { Chunk, ReadItem } from "../../src/types.js";

export async function* readWorkingTree(options: WorkingTreeOptions & { maxFileSize: number }): AsyncGenerator<ReadItem<Chunk>> {
  for await (const item of workingTreeFiles(options)) {
    if (item.kind !== "file") {
      if (item.kind === "skipped") yield item;
      continue;
    }
    for (const read of readFileItems(item.file, options.maxFileSize)) {
      yield read.kind === "chunk" ? { ...read, chunk: textChunk(read.chunk) } : read;
    }
  }
}
