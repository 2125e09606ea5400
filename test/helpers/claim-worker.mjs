// A second thread for the content index's tests: claims the content it is given, and posts what the
// claim answered. It says "claiming" first, so the test knows it is about to wait. Plain JavaScript,
// loading the TypeScript source through tsx, as a worker thread does not inherit vitest's loader.
import { parentPort, workerData } from "node:worker_threads";
import { tsImport } from "tsx/esm/api";

const { claimContent } = await tsImport("../../src/run/content-index.ts", import.meta.url);
parentPort.postMessage("claiming");
parentPort.postMessage(claimContent(workerData.index, workerData.id).kind);
