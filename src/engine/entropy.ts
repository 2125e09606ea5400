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

export type Charset = "hex" | "base64";

/** The narrowest charset a value fits, or undefined when it has other characters. */
export function classifyCharset(value: string): Charset | undefined {
  if (/^[0-9a-fA-F]+$/.test(value)) return "hex";
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) return "base64";
  return undefined;
}

/**
 * Below this estimated strength (length × Shannon entropy per character) a secret could be found by guessing:
 * a password, a short token. The estimate undercounts a random string (a 20-character random password scores
 * about 82), so the bar sits high; a provider's API key (40 characters and up) clears it by far.
 */
const GUESSABLE_BITS = 128;

/** True when a secret is short or repetitive enough to be guessed from a hash, a prefix or a length. */
export function isGuessable(secret: string): boolean {
  return secret.length * shannonEntropy(secret) < GUESSABLE_BITS;
}
