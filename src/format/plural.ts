/** "1 file", "2 files", "0 entries": a count with its noun, for every message that counts things. */
export function plural(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : pluralNoun}`;
}
