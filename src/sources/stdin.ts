// Standard input ("-"): read as it arrives and decoded like a file, in windows once it is longer than
// one (windows.ts), so input of any size is scanned in bounded memory. Its path is "-".
import type { SourceItem } from "../types.js";
import { streamWindows } from "./windows.js";

export async function* stdinItems(stream: AsyncIterable<Buffer | string> = process.stdin): AsyncGenerator<SourceItem> {
  yield* streamWindows(asBytes(stream), "-");
}

async function* asBytes(stream: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  for await (const data of stream) yield typeof data === "string" ? Buffer.from(data) : data;
}
