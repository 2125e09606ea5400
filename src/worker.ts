// A scan worker: builds its own rules from the config file (compiled RegExps cannot cross threads),
// then answers each batch of chunks with the findings of each chunk, in order.
import { parentPort, workerData } from "node:worker_threads";
import { emptyConfig, loadConfig } from "./config.js";
import { UsageError } from "./errors.js";
import { buildContext, type ScanContext, scanAndFilter, scanText } from "./pipeline.js";
import { textChunk } from "./sources/decode.js";
import type { Chunk, Finding, RawChunk } from "./types.js";

export interface WorkerSetup {
  configFile?: string;
  entropy: boolean;
  /** scanAndFilter when true, scanText (no allow-list filters) for history; see ScanPoolOptions. */
  pathFilters: boolean;
  /** Set to 1 once the rules are built: the pool reads it without waiting for the event loop. */
  ready: Int32Array;
}

export interface BatchRequest {
  id: number;
  /** Raw chunks (working-tree files) are decoded here, off the main thread. */
  chunks: (Chunk | RawChunk)[];
}

export type WorkerReply =
  /** The rules are built: the pool may send batches (until then it scans in the main thread). */
  | { kind: "ready" }
  | { kind: "findings"; id: number; findings: Finding[][] }
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
    Atomics.store(setup.ready, 0, 1);
    port.postMessage({ kind: "ready" } satisfies WorkerReply);
    port.on("message", (request: BatchRequest) => {
      try {
        const scanOne = setup.pathFilters ? scanAndFilter : scanText;
        const findings = request.chunks.map((chunk) => scanOne(textChunk(chunk), ready));
        port.postMessage({ kind: "findings", id: request.id, findings } satisfies WorkerReply);
      } catch (error) {
        port.postMessage(failure(error));
      }
    });
  }
}
