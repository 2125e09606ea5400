import { UsageError } from "../errors.js";

const UNITS: Record<string, number> = { "": 1, b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3 };

/** "10MB", "500k", "1048576" → bytes; a size under one byte is refused, as it would skip every file and report nothing. */
export function parseSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const factor = match ? UNITS[(match[2] ?? "").toLowerCase()] : undefined;
  if (!match || factor === undefined) {
    throw new UsageError(`--max-file-size: "${text}" is not a size (examples: 500KB, 10MB, 1048576)`);
  }
  const bytes = Math.floor(Number(match[1]) * factor);
  if (bytes < 1) throw new UsageError(`--max-file-size: "${text}" would skip every file, so nothing would be scanned; give a size such as 10MB`);
  return bytes;
}

/** 1536 → "1.5 KB": for summaries and the progress bar. */
export function formatBytes(bytes: number): string {
  const units = ["KB", "MB", "GB", "TB"];
  if (bytes < 1024) return `${bytes} B`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
