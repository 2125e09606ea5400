// A one-line progress bar on stderr for long scans: items done (of total when known), bytes, rate, ETA.
// Drawn only on a terminal, at most ~10 times a second, and not before a scan has run for a moment,
// so a pre-commit hook never flickers. The line is cleared when the scan ends.
import { plural } from "../format/plural.js";
import { formatBytes } from "../format/size.js";

export interface Progress {
  /** True when a bar may be drawn (enabled, on a terminal): worth counting a total for. */
  readonly visible: boolean;
  /** `bytes` more scanned, and `count` more items done (files, or history's commits). */
  tick(bytes: number, count?: number): void;
  /** The number of items, once known (history: git's count of the commits to walk). */
  setTotal(total: number): void;
  /** Clears the line; further ticks draw nothing. */
  done(): void;
}

/** The part of a stream the bar needs; process.stderr in the CLI, a fake in tests. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface ProgressOptions {
  /** False with --no-progress or --quiet; the bar also stays off when the stream is not a terminal. */
  enabled: boolean;
  /** What is counted, singular: "file" or "commit". */
  noun: string;
  total?: number;
  stream?: ProgressStream;
  /** Milliseconds; injectable for tests. */
  now?: () => number;
}

const REDRAW_MS = 100;
/** Scans shorter than this never show a bar. */
const FIRST_DRAW_MS = 300;
const CLEAR_LINE = "\r\x1b[K";

export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  if (!options.enabled || !stream.isTTY) return { visible: false, tick() {}, setTotal() {}, done() {} };

  const started = now();
  let lastDraw = started + FIRST_DRAW_MS - REDRAW_MS;
  let total = options.total;
  let count = 0;
  let bytes = 0;
  let drawn = false;
  let finished = false;

  const draw = (at: number): void => {
    const line = formatProgress({ noun: options.noun, count, total, bytes, elapsedMs: at - started });
    // A terminal of unknown size (a pty no one sized) reports 0 columns: assume 80.
    const width = (stream.columns || 80) - 1;
    stream.write(`${CLEAR_LINE}${line.slice(0, width)}`);
    drawn = true;
    lastDraw = at;
  };

  return {
    visible: true,
    tick(moreBytes, moreCount = 1) {
      if (finished) return;
      bytes += moreBytes;
      count += moreCount;
      const at = now();
      if (at - lastDraw >= REDRAW_MS) draw(at);
    },
    setTotal(value) {
      total = value;
    },
    done() {
      if (finished) return;
      finished = true;
      if (drawn) stream.write(CLEAR_LINE);
    },
  };
}

export interface ProgressState {
  noun: string;
  count: number;
  total?: number;
  bytes: number;
  elapsedMs: number;
}

/** e.g. "scanning 1200/5000 commits  48.0 MB  96.0 MB/s  ETA 3s" (no ETA while the total is unknown). */
export function formatProgress(state: ProgressState): string {
  const seconds = state.elapsedMs / 1000;
  const rate = seconds > 0 ? state.bytes / seconds : 0;
  const counted = state.total !== undefined ? `${state.count}/${plural(state.total, state.noun)}` : plural(state.count, state.noun);
  const parts = [`scanning ${counted}`, formatBytes(state.bytes), `${formatBytes(rate)}/s`];
  if (state.total !== undefined && state.count > 0 && seconds > 0) {
    const remaining = Math.max(0, state.total - state.count) / (state.count / seconds);
    parts.push(`ETA ${formatDuration(remaining)}`);
  }
  return parts.join("  ");
}

function formatDuration(seconds: number): string {
  const whole = Math.ceil(seconds);
  if (whole < 60) return `${whole}s`;
  const minutes = Math.floor(whole / 60);
  return `${minutes}m${String(whole % 60).padStart(2, "0")}s`;
}
