// Scans on worker threads, so the main thread is left to list files and report.
//
// Three kinds of job: a chunk of text (staged changes, history blobs, standard input); a
// working-tree file, which the worker reads itself, so reading is spread over the threads too (a file
// whose content another file already had is not scanned again: content-index.ts, content-cache.ts);
// and a window of a big file's bytes (windowed.ts), moved to the worker rather than copied. All
// answer path-free matches: the main thread stamps and filters them (drain.ts).
//
// Small inputs (a pre-commit hook's handful of files) are scanned in the main thread: workers take
// a while to start. They start once the work seen passes `inlineBytes`, and the main thread goes on
// scanning until the first of them is ready. Readiness is a shared flag, not only a message: a source
// that reads synchronously never lets the event loop deliver one. A working-tree scan starts its
// workers ahead (`startNow`); then the main thread scans only a small folder's worth while they start.
// Jobs are batched (up to BATCH_WEIGHT, so big scans cost few messages), and a batch goes to the
// worker with the least work outstanding, if it has room. A batch that is not full is closed when
// the event loop turns, i.e. when the producer waits: for I/O, or for drain's bound on the work in flight.
// A window goes alone, to a worker with nothing outstanding, and nothing follows it there until it is
// answered: its bytes are gone from the main thread once sent, so it must never be among the work sent
// again when a worker is stopped (below).
//
// A time budget bounds each piece of work (a chunk, a file, a big file's window) from outside the thread
// that scans it: no regex can be interrupted from within, so a worker whose piece overruns the budget is
// terminated and replaced, the piece is reported as timed out, and the rest of its work is sent again.
// Main-thread scanning has no such bound, so it is kept to rule sets without custom patterns (`inline`).
import { createRequire } from "node:module";
import type { Worker } from "node:worker_threads";
import { emptyConfig, loadConfig } from "../config/load.js";
import { type ContentIndex, createContentIndex } from "./content-index.js";
import { UsageError } from "../errors.js";
import { type FileScan, type PackedScan, scanFile, unpackScan } from "./file-scan.js";
import { rulesSkippedAt } from "../engine/ruleset.js";
import { buildContext, type ScanContext } from "./pipeline.js";
import { scanContent } from "./scan-content.js";
import type { Scanner } from "./drain.js";
import { FILE_WEIGHT, INLINE_BYTES, jobWeight, type Match, type ScanJob, type WindowScan } from "../types.js";
import { scanWindow, type WindowScanner } from "./windowed.js";
import type { BatchRequest, WorkerReply, WorkerSetup } from "./worker.js";
import { Progress } from "./worker-progress.js";

export interface ScanPool extends Scanner, WindowScanner {
  close(): Promise<void>;
  /** The paths of the pieces of work stopped for overrunning the time budget, in the order they were stopped. */
  timedOut(): string[];
}

export interface ScanPoolOptions {
  /** Worker threads; 1 scans everything in the main thread. */
  threads: number;
  configFile?: string;
  entropy: boolean;
  /** Files larger than this are skipped as "large" (scanFile); no limit by default. */
  maxFileSize?: number;
  /** The main thread's rules, from the caller (called when first needed, as building them takes a while); built from configFile otherwise. */
  context?: () => ScanContext;
  /** Work seen (see jobWeight) before the workers start; the main thread scans until one is ready. 0: workers only, from the first job. */
  inlineBytes?: number;
  /**
   * Start the workers now rather than once `inlineBytes` are seen: for a working-tree scan, so they
   * start while git lists the files. The main thread still scans until one is ready, but no more than
   * AHEAD_INLINE_WEIGHT of work.
   */
  startNow?: boolean;
  /** The worker script; dist/worker.cjs by default. */
  workerUrl?: URL;
  /**
   * False: every job goes to a worker, even with `threads` 1 (then one worker), so the time budget
   * bounds all of it; for rule sets with custom patterns. True (the default): the main thread scans
   * small inputs itself (see `inlineBytes`).
   */
  inline?: boolean;
  /** Milliseconds a worker may spend on one piece of work (see the top of this file); default FILE_BUDGET_MS. */
  budgetMs?: number;
  /** Told of each piece stopped for overrunning the budget (its path). */
  onTimeout?: (path: string) => void;
}

/** The default time budget of one piece of work: far beyond any file the default rules scan (~50 ms for 10 MB). */
export const FILE_BUDGET_MS = 30_000;

/**
 * With the workers started ahead (startNow), the most work the main thread scans while they start: a
 * small folder's files, done before a worker would be ready. Beyond it the main thread would be
 * scanning the first files of a big scan, and scanning them cost it what each worker pays too before
 * it scans fast (compiling the rules those files run, V8 optimising the engine), on cores the workers
 * need: on a real 1,934-file folder, 16% more CPU time and 9% more wall time than leaving them to the workers.
 */
const AHEAD_INLINE_WEIGHT = 128 * FILE_WEIGHT;
const BATCH_WEIGHT = 256 * 1024;
const BATCH_JOBS = 256;
/**
 * A worker is sent more only while it has less than this outstanding; the rest waits in the queue
 * for whichever worker finishes first, since files differ widely in the time they take per byte.
 */
const MAX_OUTSTANDING_WEIGHT = 2 * 1024 * 1024;

/**
 * The size a worker's young generation (where V8 puts new objects) may grow to. A worker's objects
 * live for one file or one chunk, so a small one is enough: on the real tree's scan, 8 MB took the
 * same CPU time as V8's default and ~14 MB less peak RSS for the process.
 */
const WORKER_YOUNG_GENERATION_MB = 8;

/**
 * node:worker_threads, loaded when the first worker starts rather than imported: a scan that starts
 * none (a pre-commit hook's few files) then does not load it at start.
 */
function workerThreads(): typeof import("node:worker_threads") {
  return createRequire(import.meta.url)("node:worker_threads") as typeof import("node:worker_threads");
}

/**
 * The bundled CLI runs from dist/, beside dist/worker.cjs. Run from the TypeScript sources
 * (tests, tsx), the pool uses the built worker as well: `npm run build` first.
 */
function defaultWorkerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith(".ts") ? new URL("../../dist/worker.cjs", here) : new URL("./worker.cjs", here);
}

/** A chunk's matches, a file job's scans (packed when they come from a worker), or a window's scan. */
type JobResult = Match[] | PackedScan[] | FileScan[] | WindowScan;

interface Pending {
  resolve: (result: JobResult) => void;
  reject: (error: Error) => void;
}

interface Batch {
  jobs: ScanJob[];
  waiting: Pending[];
  weight: number;
  /** A window's batch: sent alone (see the top of this file). */
  alone?: boolean;
}

interface Thread {
  worker: Worker;
  /** WorkerSetup.ready. */
  ready: Int32Array;
  /** WorkerSetup.progress. */
  progress: Int32Array;
  /** Batches sent, by id, until answered (in the order sent). */
  outstanding: Map<number, Batch>;
  outstandingWeight: number;
  /** The watchdog's last reading of the progress count, and when it last moved (performance.now()). */
  pieces: number;
  movedAt: number;
}

const isReady = (thread: Thread): boolean => Atomics.load(thread.ready, 0) === 1;

export function createScanPool(options: ScanPoolOptions): ScanPool {
  const maxFileSize = options.maxFileSize ?? Number.POSITIVE_INFINITY;
  // Created on first use (4 MB of shared memory): staged and history scans never need it.
  let contentIndex: ContentIndex | undefined;
  const sharedContents = (): ContentIndex => (contentIndex ??= createContentIndex());
  let context: ScanContext | undefined;
  const mainContext = (): ScanContext =>
    (context ??=
      options.context?.() ??
      buildContext(options.configFile ? loadConfig(options.configFile) : emptyConfig(), undefined, { entropy: options.entropy }));
  const inline = (job: ScanJob): JobResult => {
    if ("chunk" in job) return scanContent(job.chunk, mainContext().ruleset);
    if ("window" in job) return scanWindow(job.window, mainContext().ruleset);
    const fileOptions = { maxFileSize, index: sharedContents() };
    return job.files.map((file) => scanFile(file, mainContext(), fileOptions));
  };

  const inlineBytes =
    options.inline === false ? 0 : options.threads <= 1 ? Number.POSITIVE_INFINITY : (options.inlineBytes ?? INLINE_BYTES);
  const startedAhead = options.startNow === true && options.threads > 1;
  const budgetMs = options.budgetMs ?? FILE_BUDGET_MS;
  const timedOut: string[] = [];
  let watchdog: NodeJS.Timeout | undefined;
  const threads: Thread[] = [];
  /** The batch being filled, then full batches waiting for a worker to be ready. */
  let open: Batch | undefined;
  const queue: Batch[] = [];
  let seenWeight = 0;
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

  const startWorker = (): void => {
    const ready = new Int32Array(new SharedArrayBuffer(4));
    const progress = new Int32Array(new SharedArrayBuffer(Progress.slots * 4));
    const setup: WorkerSetup = {
      entropy: options.entropy,
      maxFileSize,
      contentIndex: sharedContents(),
      ready,
      progress,
      ...(options.configFile ? { configFile: options.configFile } : {}),
    };
    const thread: Thread = {
      worker: new (workerThreads().Worker)(options.workerUrl ?? defaultWorkerUrl(), {
        workerData: setup,
        resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
      }),
      ready,
      progress,
      outstanding: new Map(),
      outstandingWeight: 0,
      pieces: 0,
      movedAt: performance.now(),
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
      thread.outstandingWeight -= batch.weight;
      batch.waiting.forEach((pending, index) => pending.resolve(reply.results[index] ?? []));
      dispatch();
    });
    thread.worker.on("error", (error) => fail(new Error(`scan worker failed: ${error.message}`)));
    thread.worker.on("exit", (code) => {
      if (thread.outstanding.size > 0) fail(new Error(`scan worker stopped (exit code ${code})`));
    });
    threads.push(thread);
  };

  const startWorkers = (): void => {
    for (let i = 0; i < options.threads; i++) startWorker();
    // Checks often enough to stop an overrun within about a quarter of the budget; unref'd, so it never keeps keyscan alive.
    watchdog = setInterval(checkBudgets, Math.max(10, Math.min(1000, budgetMs / 4)));
    watchdog.unref();
  };

  /** Stops every worker whose progress count has not moved for longer than the budget while it has work. */
  const checkBudgets = (): void => {
    const now = performance.now();
    for (const thread of [...threads]) {
      const pieces = Atomics.load(thread.progress, Progress.pieces);
      if (pieces !== thread.pieces || thread.outstanding.size === 0) {
        thread.pieces = pieces;
        thread.movedAt = now;
      } else if (now - thread.movedAt > budgetMs) stopOverrun(thread);
    }
  };

  /**
   * Terminates a worker stuck on one piece of work and starts another in its place. The stuck piece is
   * answered as timed out (a chunk with no findings, a file as skipped "timed-out", a window as timed out); everything else
   * the worker held, answered or not, is queued again (files as a rescan: see ScanJob).
   */
  const stopOverrun = (thread: Thread): void => {
    const stuck = {
      batch: Atomics.load(thread.progress, Progress.batch),
      job: Atomics.load(thread.progress, Progress.job),
      file: Atomics.load(thread.progress, Progress.file),
    };
    const held = [...thread.outstanding.entries()];
    thread.outstanding.clear(); // its "exit" is expected now: no failure
    threads.splice(threads.indexOf(thread), 1);
    void thread.worker.terminate();
    const again: Batch = { jobs: [], waiting: [], weight: 0 };
    const requeue = (job: ScanJob, pending: Pending): void => {
      again.jobs.push("files" in job ? { files: job.files, rescan: true } : job);
      again.waiting.push(pending);
      again.weight += jobWeight(job);
    };
    for (const [id, batch] of held) {
      batch.jobs.forEach((job, index) => {
        const pending = batch.waiting[index];
        if (!pending) return;
        // A window is the stuck piece whenever its worker is stopped (it went alone: see the top of this file).
        if ("window" in job) {
          timedOut.push(job.window.path);
          options.onTimeout?.(job.window.path);
          return pending.resolve({ timedOut: true });
        }
        if (id !== stuck.batch || index !== stuck.job) return requeue(job, pending);
        if ("chunk" in job) {
          timedOut.push(job.chunk.path);
          options.onTimeout?.(job.chunk.path);
          return pending.resolve([]);
        }
        const file = job.files[stuck.file];
        if (!file) return requeue(job, pending);
        timedOut.push(file.path);
        options.onTimeout?.(file.path);
        const others = job.files.filter((_, at) => at !== stuck.file);
        if (others.length === 0) return pending.resolve([{ kind: "skipped", path: file.path, reason: "timed-out" }]);
        // The others are scanned again as one job; the stuck file's place in the answer says "timed out".
        requeue({ files: others }, {
          resolve: (scans) => {
            const results = [...(scans as PackedScan[])];
            results.splice(stuck.file, 0, { kind: "skipped", path: file.path, reason: "timed-out" });
            pending.resolve(results);
          },
          reject: pending.reject,
        });
      });
    }
    if (again.jobs.length > 0) queue.unshift(again);
    startWorker();
  };

  /** Whether a worker may be sent `batch` now: it is ready and has room (a window's batch: it is idle; see the top of this file). */
  const hasRoom = (thread: Thread, batch: Batch): boolean => {
    if (!isReady(thread)) return false;
    if (batch.alone) return thread.outstanding.size === 0;
    for (const held of thread.outstanding.values()) if (held.alone) return false;
    return thread.outstandingWeight < MAX_OUTSTANDING_WEIGHT;
  };

  /** Hands full batches, in order, to the worker with room that has the least work outstanding, while one has room. */
  const dispatch = (): void => {
    while (queue.length > 0) {
      const next = queue[0] as Batch;
      const thread = threads
        .filter((t) => hasRoom(t, next))
        .reduce<Thread | undefined>((best, t) => (!best || t.outstandingWeight < best.outstandingWeight ? t : best), undefined);
      const batch = thread ? queue.shift() : undefined;
      if (!thread || !batch) return;
      const id = nextId++;
      // An idle worker's budget starts with this batch, not when it last finished one.
      if (thread.outstanding.size === 0) thread.movedAt = performance.now();
      thread.outstanding.set(id, batch);
      thread.outstandingWeight += batch.weight;
      // A window's bytes are moved, not copied: the main thread keeps nothing of them.
      const moved = batch.jobs.flatMap((job) => ("window" in job ? [job.window.bytes.buffer as ArrayBuffer] : []));
      thread.worker.postMessage({ id, jobs: batch.jobs } satisfies BatchRequest, moved);
    }
  };

  const closeBatch = (): void => {
    if (open) queue.push(open);
    open = undefined;
    dispatch();
  };

  const enqueue = (job: ScanJob): Promise<JobResult> =>
    new Promise((resolve, reject) => {
      if ("window" in job) {
        closeBatch();
        queue.push({ jobs: [job], waiting: [{ resolve, reject }], weight: jobWeight(job), alone: true });
        dispatch();
        return;
      }
      if (!open) {
        open = { jobs: [], waiting: [], weight: 0 };
        setImmediate(closeBatch);
      }
      open.jobs.push(job);
      open.waiting.push({ resolve, reject });
      open.weight += jobWeight(job);
      if (open.weight >= BATCH_WEIGHT || open.jobs.length >= BATCH_JOBS) closeBatch();
    });

  /** On a worker once one is ready; in the main thread before that, or when there are to be no workers. */
  const run = async (job: ScanJob): Promise<JobResult> => {
    if (failure) throw failure;
    // A big file's windows wait for the workers rather than being scanned here: scanning one leaves tens
    // of megabytes of garbage (its text, the engine's copies of it) in the main thread's heap, which
    // allocates too little afterwards to have it collected.
    const toWorkers = "window" in job && inlineBytes !== Number.POSITIVE_INFINITY;
    seenWeight += jobWeight(job);
    if (threads.length === 0 && (seenWeight > inlineBytes || toWorkers)) startWorkers();
    const pastAheadLimit = startedAhead && seenWeight > AHEAD_INLINE_WEIGHT;
    if (inlineBytes > 0 && !toWorkers && !pastAheadLimit && !threads.some(isReady)) return inline(job);
    return enqueue(job);
  };

  if (startedAhead) startWorkers();
  return {
    scan: async (chunk) => (await run({ chunk })) as Match[],
    scanWindow: async (window) => (await run({ window })) as WindowScan,
    async scanFiles(files) {
      const scans = (await run({ files })) as PackedScan[];
      return files.map((_, index) => unpackScan(scans[index]));
    },
    rulesSkippedAt: (path) => rulesSkippedAt(mainContext().ruleset, path),
    async close() {
      clearInterval(watchdog);
      await Promise.all(threads.map((thread) => thread.worker.terminate()));
    },
    timedOut: () => [...timedOut],
  };
}
