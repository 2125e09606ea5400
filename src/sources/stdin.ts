// Standard input ("-"): read as it arrives and cut into windows (windows.ts), so input of any size is
// scanned in bounded memory. Its path is "-". Input of up to INLINE_BYTES is decoded here and scanned
// as texts, which the scan's main thread takes while its workers would still be starting (a hook's or
// an editor's few lines need none); longer input goes on as a big file's windows of bytes, which the
// workers decode and scan side by side (run/windowed.ts), so no thread holds more than a few windows.
import { INLINE_BYTES, type SourceItem, type WindowBuffer, type WindowPiece } from "../types.js";
import { decodedWindows, streamByteWindows } from "./windows.js";

export async function* stdinItems(stream: AsyncIterable<Buffer | string> = process.stdin): AsyncGenerator<SourceItem> {
  // The windows read before the input's size is known go into buffers of their own; the rest into the
  // buffers the windows' scan hands out (scanWindows), once it asks for them.
  let buffer: WindowBuffer = (length) => new Uint8Array(length);
  const pieces = streamByteWindows(asBytes(stream), "-", undefined, (length) => buffer(length));
  const held: WindowPiece[] = [];
  let heldBytes = 0;
  for (;;) {
    const next = await pieces.next();
    if (next.done) break;
    held.push(next.value);
    if (next.value.kind !== "window" || next.value.window.last) break;
    heldBytes += next.value.window.owned;
    if (heldBytes > INLINE_BYTES) {
      const windows = async function* (given: WindowBuffer): AsyncGenerator<WindowPiece> {
        buffer = given;
        yield* held.splice(0);
        yield* pieces;
      };
      yield { kind: "windows", path: "-", windows };
      return;
    }
  }
  yield* decodedWindows(held, "-");
}

async function* asBytes(stream: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  for await (const data of stream) yield typeof data === "string" ? Buffer.from(data) : data;
}
