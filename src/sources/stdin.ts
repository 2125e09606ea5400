// Standard input ("-"): all of it, as one chunk with the path "-", decoded like a file.
import type { SourceItem } from "../types.js";
import { decodeText } from "./decode.js";

export async function* stdinItems(stream: AsyncIterable<Buffer | string> = process.stdin): AsyncGenerator<SourceItem> {
  const parts: Buffer[] = [];
  for await (const data of stream) parts.push(typeof data === "string" ? Buffer.from(data) : data);
  const bytes = Buffer.concat(parts);
  const text = decodeText(bytes);
  if (text === undefined) yield { kind: "skipped", path: "-", reason: "binary" };
  else yield { kind: "chunk", chunk: { path: "-", text }, bytes: bytes.length };
}
