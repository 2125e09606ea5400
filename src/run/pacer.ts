// Lets scans through in the order they ask, SLICE_BYTES' worth per event-loop turn. History is
// mostly scanned in the main thread, and while it scans nobody reads git's output: cat-file fills
// its pipe and stops. The turns between slices are where its output is read, so it keeps decoding
// ahead instead of taking turns with the scan.

/** Bytes scanned between two event-loop turns (about a millisecond of scanning). */
const SLICE_BYTES = 64 * 1024;

export interface ScanPacer {
  /** Resolves when the caller may scan `bytes`. */
  turn(bytes: number): Promise<void>;
}

export function createScanPacer(): ScanPacer {
  const waiting: { bytes: number; go: () => void }[] = [];
  /** Lets the next slice's scans go (they run once this returns, before the next turn), and schedules the one after. */
  const release = (): void => {
    let budget = SLICE_BYTES;
    while (budget > 0) {
      const next = waiting.shift();
      if (!next) return;
      budget -= next.bytes;
      next.go();
    }
    if (waiting.length > 0) setImmediate(release);
  };
  return {
    turn: (bytes) =>
      new Promise((go) => {
        if (waiting.length === 0) setImmediate(release);
        waiting.push({ bytes, go });
      }),
  };
}
