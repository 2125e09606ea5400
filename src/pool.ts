// Scans chunks on worker threads, so the main thread is left to read files and report.
//
// Small inputs (a pre-commit hook's handful of files) are scanned in the main thread: a worker
// costs ~40 ms to start. Workers start only once the bytes seen pass `inlineBytes`.
// Chunks are batched: an idle worker gets what is waiting at once; while every worker is busy,
// chunks gather into batches of up to BATCH_BYTES, so big scans cost few messages.
import { Worker } from "node:worker_threads";
import { emptyConfig, loadConfig } from "./config.js";
import { UsageError } from "./errors.js";
import { buildContext, type ScanContext, scanAndFilter } from "./pipeline.js";
import type { Chunk, Finding } from "./types.js";
import type { BatchRequest, WorkerReply, WorkerSetup } from "./worker.js";

export interface ScanPool {
  scan(chunk: Chunk): Promise<Finding[]>;
  close(): Promise<void>;
}

export interface ScanPoolOptions {
  /** Worker threads; 1 scans everything in the main thread. */
  threads: number;
  configFile?: string;
  entropy: boolean;
  /** The main thread's rules when the caller has built them already; built from configFile otherwise. */
  context?: ScanContext;
  /** Bytes scanned in the main thread before the workers start (measured: see scripts/bench.ts). */
  inlineBytes?: number;
  /** The worker script; dist/worker.js by default. */
  workerUrl?: URL;
}

/** Below this many bytes the workers' start-up costs more than scanning in the main thread. */
export const INLINE_BYTES = 2 * 1024 * 1024;
const BATCH_BYTES = 1024 * 1024;
const BATCH_CHUNKS = 512;
/** Batches sent to one worker and not yet answered: two, so it never waits for the next one. */
const MAX_OUTSTANDING = 2;

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
  chunks: Chunk[];
  waiting: Pending[];
  bytes: number;
}

interface Thread {
  worker: Worker;
  /** Batches sent, by id, until answered. */
  outstanding: Map<number, Pending[]>;
}

export function createScanPool(options: ScanPoolOptions): ScanPool {
  let context = options.context;
  const inline = (chunk: Chunk): Finding[] => {
    context ??= buildContext(
      options.configFile ? loadConfig(options.configFile) : emptyConfig(),
      undefined,
      { entropy: options.entropy },
    );
    return scanAndFilter(chunk, context);
  };
  if (options.threads <= 1) {
    return { scan: async (chunk) => inline(chunk), close: async () => undefined };
  }

  const inlineBytes = options.inlineBytes ?? INLINE_BYTES;
  const setup: WorkerSetup = { entropy: options.entropy, ...(options.configFile ? { configFile: options.configFile } : {}) };
  const threads: Thread[] = [];
  const queue: Batch[] = [];
  let seenBytes = 0;
  let nextId = 0;
  let failure: Error | undefined;

  const fail = (error: Error): void => {
    failure ??= error;
    for (const batch of queue.splice(0)) for (const pending of batch.waiting) pending.reject(failure);
    for (const thread of threads) {
      for (const waiting of thread.outstanding.values()) for (const pending of waiting) pending.reject(failure);
      thread.outstanding.clear();
    }
  };

  const startWorkers = (): void => {
    const url = options.workerUrl ?? defaultWorkerUrl();
    for (let i = 0; i < options.threads; i++) {
      const thread: Thread = { worker: new Worker(url, { workerData: setup }), outstanding: new Map() };
      thread.worker.on("message", (reply: WorkerReply) => {
        if (reply.kind === "failed") {
          fail(reply.usage ? new UsageError(reply.message) : new Error(`scan worker failed: ${reply.message}`));
          return;
        }
        const waiting = thread.outstanding.get(reply.id) ?? [];
        thread.outstanding.delete(reply.id);
        waiting.forEach((pending, index) => pending.resolve(reply.findings[index] ?? []));
        dispatch();
      });
      thread.worker.on("error", (error) => fail(new Error(`scan worker failed: ${error.message}`)));
      thread.worker.on("exit", (code) => {
        if (thread.outstanding.size > 0) fail(new Error(`scan worker stopped (exit code ${code})`));
      });
      threads.push(thread);
    }
  };

  /** Hands waiting batches to the least busy workers that have room. */
  const dispatch = (): void => {
    while (queue.length > 0) {
      const thread = threads.reduce<Thread | undefined>(
        (best, candidate) =>
          candidate.outstanding.size < MAX_OUTSTANDING &&
          (!best || candidate.outstanding.size < best.outstanding.size)
            ? candidate
            : best,
        undefined,
      );
      const batch = thread ? queue.shift() : undefined;
      if (!thread || !batch) return;
      const id = nextId++;
      thread.outstanding.set(id, batch.waiting);
      thread.worker.postMessage({ id, chunks: batch.chunks } satisfies BatchRequest);
    }
  };

  const enqueue = (chunk: Chunk): Promise<Finding[]> =>
    new Promise((resolve, reject) => {
      const bytes = chunk.text.length;
      let batch = queue.at(-1);
      if (!batch || batch.bytes + bytes > BATCH_BYTES || batch.chunks.length >= BATCH_CHUNKS) {
        batch = { chunks: [], waiting: [], bytes: 0 };
        queue.push(batch);
      }
      batch.chunks.push(chunk);
      batch.waiting.push({ resolve, reject });
      batch.bytes += bytes;
      dispatch();
    });

  return {
    async scan(chunk) {
      if (failure) throw failure;
      if (threads.length === 0) {
        seenBytes += chunk.text.length;
        if (seenBytes <= inlineBytes) return inline(chunk);
        startWorkers();
      }
      return enqueue(chunk);
    },
    async close() {
      await Promise.all(threads.map((thread) => thread.worker.terminate()));
    },
  };
}
