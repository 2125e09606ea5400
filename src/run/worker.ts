// A scan worker: builds its own rules from the config file (compiled RegExps cannot cross threads),
// then answers each batch of jobs with each job's result, in order: a chunk's path-free matches, what
// came of a working-tree file it read itself (file-scan.ts), or a big file's window scanned (windowed.ts).
import { parentPort, workerData } from "node:worker_threads";
import { emptyConfig, loadConfig } from "../config/load.js";
import type { ContentIndex } from "./content-index.js";
import { UsageError } from "../errors.js";
import { type PackedScan, packScan, scanFile } from "./file-scan.js";
import { buildContext, type ScanContext } from "./pipeline.js";
import { scanContent } from "./scan-content.js";
import type { Match, ScanJob, WindowScan } from "../types.js";
import { scanWindow } from "./windowed.js";
import { Progress } from "./worker-progress.js";

export interface WorkerSetup {
  configFile?: string;
  entropy: boolean;
  maxFileSize: number;
  /** Shared with the pool and the other workers. */
  contentIndex: ContentIndex;
  /** Set to 1 once the rules are built: the pool reads it without waiting for the event loop. */
  ready: Int32Array;
  /** What the worker is scanning, for the pool's time budget: see Progress. */
  progress: Int32Array;
}

export interface BatchRequest {
  id: number;
  jobs: ScanJob[];
}

export type WorkerReply =
  /** The rules are built: the pool may send batches (until then it scans in the main thread). */
  | { kind: "ready" }
  | { kind: "results"; id: number; results: (Match[] | PackedScan[] | WindowScan)[] }
  /** The rules could not be built, or a batch threw: the pool fails with this message. */
  | { kind: "failed"; message: string; usage: boolean };

function failure(error: unknown): WorkerReply {
  return {
    kind: "failed",
    message: error instanceof Error ? error.message : String(error),
    usage: error instanceof UsageError,
  };
}

const port = parentPort;
if (port) {
  const setup = workerData as WorkerSetup;
  let context: ScanContext | undefined;
  try {
    const config = setup.configFile ? loadConfig(setup.configFile) : emptyConfig();
    context = buildContext(config, undefined, { entropy: setup.entropy });
  } catch (error) {
    port.postMessage(failure(error));
  }
  const ready = context;
  if (ready) {
    const progress = setup.progress;
    const nextPiece = (): void => void Atomics.add(progress, Progress.pieces, 1);
    const fileOptions = { maxFileSize: setup.maxFileSize, index: setup.contentIndex, onPiece: nextPiece };
    const rescanOptions = { ...fileOptions, rescan: true };
    const run = (job: ScanJob, jobIndex: number): Match[] | PackedScan[] | WindowScan => {
      Atomics.store(progress, Progress.job, jobIndex);
      if ("chunk" in job) {
        nextPiece();
        return scanContent(job.chunk, ready.ruleset);
      }
      if ("window" in job) {
        nextPiece();
        return scanWindow(job.window, ready.ruleset);
      }
      return job.files.map((file, fileIndex) => {
        Atomics.store(progress, Progress.file, fileIndex);
        nextPiece();
        return packScan(scanFile(file, ready, job.rescan ? rescanOptions : fileOptions));
      });
    };
    Atomics.store(setup.ready, 0, 1);
    port.postMessage({ kind: "ready" } satisfies WorkerReply);
    port.on("message", (request: BatchRequest) => {
      Atomics.store(progress, Progress.batch, request.id);
      try {
        const results = request.jobs.map(run);
        // A window's bytes go back as they came, moved (see windowed.ts).
        const moved = results.flatMap((result) => ("bytes" in result ? [result.bytes.buffer as ArrayBuffer] : []));
        port.postMessage({ kind: "results", id: request.id, results } satisfies WorkerReply, moved);
      } catch (error) {
        port.postMessage(failure(error));
      }
    });
  }
}
