// Scans chunks on worker threads, so the main thread is left to read files and report.
//
// Small inputs (a pre-commit hook's handful of files) are scanned in the main thread: workers take
// ~300 ms to load and build their rules here. They start once the bytes seen pass `inlineBytes`,
// and the main thread goes on scanning until the first of them is ready. Readiness is a shared flag,
// not only a message: a source that reads files synchronously never lets the event loop deliver one.
// Chunks are batched (up to BATCH_BYTES, so big scans cost few messages), and a batch goes to the
// worker with the fewest bytes outstanding, if it has room. A batch that is not full is closed when
// the event loop turns, i.e. when the producer waits: for I/O, or for drain's bound on the bytes in flight.
import { Worker } from "node:worker_threads";
import { emptyConfig, loadConfig } from "./config.js";
import { UsageError } from "./errors.js";
import { buildContext, type ScanContext, scanAndFilter, scanText } from "./pipeline.js";
import { textChunk } from "./sources/decode.js";
import { type Chunk, chunkLength, type Finding, type RawChunk } from "./types.js";
import type { BatchRequest, WorkerReply, WorkerSetup } from "./worker.js";

export interface ScanPool {
  /** A RawChunk's bytes are transferred to a worker (the caller must not use them after) or decoded here. */
  scan(chunk: Chunk | RawChunk): Promise<Finding[]>;
  close(): Promise<void>;
}

export interface ScanPoolOptions {
  /** Worker threads; 1 scans everything in the main thread. */
  threads: number;
  configFile?: string;
  entropy: boolean;
  /**
   * False for history: a blob is scanned once for all the paths it had, so the allow lists' path
   * filters are applied afterwards, per path. True (the default): scanAndFilter.
   */
  pathFilters?: boolean;
  /** The main thread's rules when the caller has built them already; built from configFile otherwise. */
  context?: ScanContext;
  /** Bytes seen before the workers start; the main thread scans until one is ready. 0: workers only, from the first chunk. */
  inlineBytes?: number;
  /** The worker script; dist/worker.js by default. */
  workerUrl?: URL;
}

/** About what the main thread scans while workers start (~300 ms at ~15–20 MB/s on real code). */
export const INLINE_BYTES = 4 * 1024 * 1024;
const BATCH_BYTES = 256 * 1024;
const BATCH_CHUNKS = 256;
/**
 * A worker is sent more only while it has less than this outstanding; the rest waits in the queue
 * for whichever worker finishes first, since files differ widely in the time they take per byte.
 */
const MAX_OUTSTANDING_BYTES = 2 * 1024 * 1024;

/**
 * The bundled CLI runs from dist/, beside dist/worker.js. Run from the TypeScript sources
 * (tests, tsx), the pool uses the built worker as well: `npm run build` first.
 */
function defaultWorkerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith(".ts") ? new URL("../dist/worker.js", here) : new URL("./worker.js", here);
}

interface Pending {
  resolve: (findings: Finding[]) => void;
  reject: (error: Error) => void;
}

interface Batch {
  chunks: (Chunk | RawChunk)[];
  waiting: Pending[];
  bytes: number;
}

interface Thread {
  worker: Worker;
  /** WorkerSetup.ready. */
  ready: Int32Array;
  /** Batches sent, by id, until answered, and their bytes. */
  outstanding: Map<number, { waiting: Pending[]; bytes: number }>;
  outstandingBytes: number;
}

const isReady = (thread: Thread): boolean => Atomics.load(thread.ready, 0) === 1;

/** The raw chunks' buffers that hold nothing else: moved to the worker rather than copied. */
function transferable(chunks: readonly (Chunk | RawChunk)[]): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [];
  for (const chunk of chunks) {
    if (!("raw" in chunk)) continue;
    const { buffer, byteOffset, byteLength } = chunk.raw;
    if (buffer instanceof ArrayBuffer && byteOffset === 0 && byteLength === buffer.byteLength) buffers.push(buffer);
  }
  return buffers;
}

export function createScanPool(options: ScanPoolOptions): ScanPool {
  const pathFilters = options.pathFilters ?? true;
  const scanOne = pathFilters ? scanAndFilter : scanText;
  let context = options.context;
  const inline = (chunk: Chunk | RawChunk): Finding[] => {
    context ??= buildContext(
      options.configFile ? loadConfig(options.configFile) : emptyConfig(),
      undefined,
      { entropy: options.entropy },
    );
    return scanOne(textChunk(chunk), context);
  };
  if (options.threads <= 1) {
    return { scan: async (chunk) => inline(chunk), close: async () => undefined };
  }

  const inlineBytes = options.inlineBytes ?? INLINE_BYTES;
  const threads: Thread[] = [];
  /** The batch being filled, then full batches waiting for a worker to be ready. */
  let open: Batch | undefined;
  const queue: Batch[] = [];
  let seenBytes = 0;
  let nextId = 0;
  let failure: Error | undefined;

  const fail = (error: Error): void => {
    failure ??= error;
    const unsent = open ? [...queue.splice(0), open] : queue.splice(0);
    open = undefined;
    for (const batch of unsent) for (const pending of batch.waiting) pending.reject(failure);
    for (const thread of threads) {
      for (const batch of thread.outstanding.values()) for (const pending of batch.waiting) pending.reject(failure);
      thread.outstanding.clear();
    }
  };

  const startWorkers = (): void => {
    const url = options.workerUrl ?? defaultWorkerUrl();
    for (let i = 0; i < options.threads; i++) {
      const ready = new Int32Array(new SharedArrayBuffer(4));
      const setup: WorkerSetup = {
        entropy: options.entropy,
        pathFilters,
        ready,
        ...(options.configFile ? { configFile: options.configFile } : {}),
      };
      const thread: Thread = {
        worker: new Worker(url, { workerData: setup }),
        ready,
        outstanding: new Map(),
        outstandingBytes: 0,
      };
      thread.worker.on("message", (reply: WorkerReply) => {
        if (reply.kind === "ready") {
          dispatch();
          return;
        }
        if (reply.kind === "failed") {
          fail(reply.usage ? new UsageError(reply.message) : new Error(`scan worker failed: ${reply.message}`));
          return;
        }
        const batch = thread.outstanding.get(reply.id);
        if (!batch) return;
        thread.outstanding.delete(reply.id);
        thread.outstandingBytes -= batch.bytes;
        batch.waiting.forEach((pending, index) => pending.resolve(reply.findings[index] ?? []));
        dispatch();
      });
      thread.worker.on("error", (error) => fail(new Error(`scan worker failed: ${error.message}`)));
      thread.worker.on("exit", (code) => {
        if (thread.outstanding.size > 0) fail(new Error(`scan worker stopped (exit code ${code})`));
      });
      threads.push(thread);
    }
  };

  /** Hands full batches to the ready worker with the fewest bytes outstanding, while one has room. */
  const dispatch = (): void => {
    while (queue.length > 0) {
      const thread = threads
        .filter((t) => isReady(t) && t.outstandingBytes < MAX_OUTSTANDING_BYTES)
        .reduce<Thread | undefined>((best, t) => (!best || t.outstandingBytes < best.outstandingBytes ? t : best), undefined);
      const batch = thread ? queue.shift() : undefined;
      if (!thread || !batch) return;
      const id = nextId++;
      thread.outstanding.set(id, { waiting: batch.waiting, bytes: batch.bytes });
      thread.outstandingBytes += batch.bytes;
      thread.worker.postMessage({ id, chunks: batch.chunks } satisfies BatchRequest, transferable(batch.chunks));
    }
  };

  const closeBatch = (): void => {
    if (open) queue.push(open);
    open = undefined;
    dispatch();
  };

  const enqueue = (chunk: Chunk | RawChunk): Promise<Finding[]> =>
    new Promise((resolve, reject) => {
      if (!open) {
        open = { chunks: [], waiting: [], bytes: 0 };
        setImmediate(closeBatch);
      }
      open.chunks.push(chunk);
      open.waiting.push({ resolve, reject });
      open.bytes += chunkLength(chunk);
      if (open.bytes >= BATCH_BYTES || open.chunks.length >= BATCH_CHUNKS) closeBatch();
    });

  return {
    async scan(chunk) {
      if (failure) throw failure;
      if (threads.length === 0) {
        seenBytes += chunkLength(chunk);
        if (seenBytes > inlineBytes) startWorkers();
      }
      if (inlineBytes > 0 && !threads.some(isReady)) return inline(chunk);
      return enqueue(chunk);
    },
    async close() {
      await Promise.all(threads.map((thread) => thread.worker.terminate()));
    },
  };
}
