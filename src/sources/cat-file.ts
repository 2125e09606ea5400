// Reads objects by id through one long-lived `git cat-file --batch` process: requests are written
// to its stdin and answers parsed from its stdout in order, so many reads cost one process.
import type { ChildProcess } from "node:child_process";
import { UsageError } from "../errors.js";
import type { WindowBuffer, WindowPiece } from "../types.js";
import { gitStream, spawnGit } from "./git.js";
import { streamByteWindows } from "./windows.js";

export interface ObjectContent {
  oid: string;
  /** Size in bytes from the object header; -1 when the object is missing. */
  size: number;
  /** The bytes; undefined when missing or larger than the limit asked for (those bytes are discarded unread). */
  content?: Buffer;
}

interface Request {
  oid: string;
  maxSize: number;
  resolve: (result: ObjectContent) => void;
  reject: (error: Error) => void;
}

/** The answer being read: its size, whether to keep its bytes, and how many bytes (content + LF) are left. */
interface Body {
  size: number;
  keep: boolean;
  parts: Buffer[];
  remaining: number;
}

/** The parts as one buffer; a single part (most blobs: they arrive within one read) is not copied. */
const joined = (parts: Buffer[]): Buffer => (parts.length === 1 && parts[0] ? parts[0] : Buffer.concat(parts));

/**
 * cat-file's pack windows: the safe settings' 128 MB of pack mapped at most, but 8 MB at a time rather
 * than 32. A history's reads jump all over the pack (each old version is rebuilt from deltas stored
 * near the newest), so with four 32 MB windows cat-file spent its time unmapping and mapping them
 * again: replaying rails' history's 279,000 reads took 8.2 s (2.3 s of it in the system) against 6.5 s
 * (0.8 s) with 8 MB windows, for 11 MB more resident pack pages. `git log` is faster with them too,
 * but holds 24 MB more: it keeps the safe settings.
 */
const PACK_WINDOWS = ["core.packedGitWindowSize=8m"];

export class CatFile {
  private readonly child: ChildProcess;
  private readonly queue: Request[] = [];
  private header: Buffer[] = [];
  private body: Body | undefined;
  private failure: Error | undefined;
  private stderr = "";
  /** Ids asked for since the last write: written together when the event loop turns, as one write a blob id costs a system call each. */
  private unwritten = "";

  constructor(cwd: string) {
    this.child = spawnGit(["cat-file", "--batch"], { cwd, stdin: true, config: PACK_WINDOWS });
    this.child.stdout?.on("data", (data: Buffer) => this.consume(data));
    this.child.stderr?.on("data", (data: Buffer) => {
      this.stderr += data.toString("utf8");
    });
    this.child.stdin?.on("error", () => undefined); // reported through "close" below
    this.child.on("error", (error) => this.fail(error));
    this.child.on("close", (code) => {
      const reason = this.stderr.trim().split("\n")[0] || `exit code ${code}`;
      this.fail(new UsageError(`git cat-file stopped unexpectedly: ${reason}`));
    });
  }

  /** The object's bytes, or only its size when it is larger than maxSize. */
  read(oid: string, maxSize = Number.POSITIVE_INFINITY): Promise<ObjectContent> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.queue.push({ oid, maxSize, resolve, reject });
      if (this.unwritten === "") setImmediate(() => this.flush());
      this.unwritten += `${oid}\n`;
    });
  }

  private flush(): void {
    if (!this.failure) this.child.stdin?.write(this.unwritten);
    this.unwritten = "";
  }

  close(): void {
    this.failure ??= new Error("git cat-file was closed");
    this.child.stdin?.end();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const request of this.queue.splice(0)) request.reject(this.failure);
  }

  private consume(data: Buffer): void {
    let at = 0;
    while (at < data.length) {
      const request = this.queue[0];
      if (!request) return; // git never answers unasked
      if (!this.body) {
        const end = data.indexOf(10, at);
        if (end === -1) {
          this.header.push(data.subarray(at));
          return;
        }
        // Read as latin1: only the header's spaces and ASCII size matter (a UTF-8 name asked for keeps its
        // field count), and a header within one read is not copied.
        const header = this.header.length === 0 ? data.toString("latin1", at, end) : Buffer.concat([...this.header, data.subarray(at, end)]).toString("latin1");
        this.header = [];
        at = end + 1;
        this.startAnswer(request, header);
        continue;
      }
      const body = this.body;
      const take = Math.min(body.remaining, data.length - at);
      if (body.keep) body.parts.push(data.subarray(at, at + take));
      body.remaining -= take;
      at += take;
      if (body.remaining === 0) {
        this.body = undefined;
        this.queue.shift();
        request.resolve({
          oid: request.oid,
          size: body.size,
          ...(body.keep ? { content: joined(body.parts).subarray(0, body.size) } : {}),
        });
      }
    }
  }

  /** Header: "<oid> <type> <size>", or "<name> missing" with no body. */
  private startAnswer(request: Request, header: string): void {
    const fields = header.split(" ");
    const size = Number(fields[2]);
    if (fields.length !== 3 || !Number.isInteger(size)) {
      this.queue.shift();
      request.resolve({ oid: request.oid, size: -1 });
      return;
    }
    this.body = { size, keep: size <= request.maxSize, parts: [], remaining: size + 1 };
  }
}

/**
 * A blob too big to hold at once, streamed from its own `git cat-file blob` and cut into windows of
 * bytes as it arrives (windows.ts), each read into a buffer from `buffer`, for the scan's threads to
 * decode and scan: git is read only as fast as the windows are scanned, so memory stays flat.
 */
export function blobByteWindows(cwd: string, oid: string, path: string, buffer: WindowBuffer): AsyncGenerator<WindowPiece> {
  return streamByteWindows(gitStream(["cat-file", "blob", oid], { cwd }), path, undefined, buffer);
}
