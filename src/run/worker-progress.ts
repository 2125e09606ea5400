// Where a scan worker says what it is scanning, for the pool's time budget: apart from worker.ts, so
// that the pool (on the main thread) has it without loading the worker's module and node:worker_threads.

/**
 * Slots of WorkerSetup.progress, written by the worker and read by the pool's watchdog (pool.ts): the
 * batch and job being scanned, the file within a files job, and a count of pieces begun, which the
 * worker raises before each chunk, file or window it scans. A count that stops moving means a piece
 * has run too long.
 */
export const Progress = { batch: 0, job: 1, file: 2, pieces: 3, slots: 4 } as const;
