// How random a string reads: measures the generic detector and the placeholder test share.

/** Shannon entropy of a string, in bits per character. */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const probability = count / text.length;
    entropy -= probability * Math.log2(probability);
  }
  return entropy;
}

/** How many different characters other than letters and digits the value holds. */
export function symbolKinds(value: string): number {
  return new Set(value.replace(/[A-Za-z0-9]/g, "")).size;
}

// A key drawn evenly from ~90 printable characters spreads over its alphabet: at 40 characters it
// reaches 5 bits per character, with 6 or more kinds of punctuation (WordPress's 64-character salts:
// 5.0 bits at the least of 10,000 drawn, 10 kinds or more in 99%). Regexes and templates repeat their
// few symbols (`(?=.*`, `{{ … }}`, ERB's `<%= ENV.fetch("…") { … } %>`) and stay under 5.
const DRAWN_MIN_LENGTH = 40;
const DRAWN_MIN_ENTROPY = 5.0;
const DRAWN_MIN_SYMBOL_KINDS = 6;

/** True when the value reads as drawn from letters, digits and punctuation alike (see DRAWN_MIN_ENTROPY). */
export function isDrawnFromPrintable(value: string): boolean {
  return value.length >= DRAWN_MIN_LENGTH && symbolKinds(value) >= DRAWN_MIN_SYMBOL_KINDS && shannonEntropy(value) >= DRAWN_MIN_ENTROPY;
}
