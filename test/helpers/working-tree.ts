// The working tree as the scan sees it, in one thread: listed (workingTreeFiles), then each file read
// (readWholeFile, or in windows: fileByteWindows, decoded here) and decoded, as the scan's threads do.
import { textChunk } from "../../src/sources/decode.js";
import { readWholeFile, type WorkingTreeOptions, workingTreeFiles } from "../../src/sources/files.js";
import { decodedWindows, fileByteWindows } from "../../src/sources/windows.js";
import type { Chunk, ReadItem } from "../../src/types.js";

export async function* readWorkingTree(options: WorkingTreeOptions & { maxFileSize: number }): AsyncGenerator<ReadItem<Chunk>> {
  for await (const item of workingTreeFiles(options)) {
    if (item.kind !== "file") {
      if (item.kind === "skipped") yield item;
      continue;
    }
    const read = readWholeFile(item.file, options.maxFileSize);
    if (read === "windows") yield* decodedWindows(fileByteWindows(item.file.abs, item.file.path), item.file.path);
    else if (read) yield read.kind === "chunk" ? { ...read, chunk: textChunk(read.chunk) } : read;
  }
}
