// The blob ids a history scan has counted, in 9 bytes a slot with at most half the slots taken: a
// history's hundreds of thousands of ids as strings in a Set took ~100 bytes each (rails: tens of MB,
// growing with the history). Only the first 64 bits of an id are kept, so two blobs sharing them would
// be counted once in the stats (for SHA-1 ids, among a million blobs the chance is about 1 in 30
// million); nothing else depends on it.

export interface BlobIdSet {
  /** Adds the id (40 or 64 hex digits); false when it was there already. */
  add(id: string): boolean;
}

export function createBlobIdSet(): BlobIdSet {
  // Open addressing: two 32-bit words an entry, and a byte saying the slot is taken.
  let words = new Uint32Array(2 * 1024);
  let taken = new Uint8Array(1024);
  let size = 0;
  const insert = (high: number, low: number): boolean => {
    const mask = taken.length - 1;
    for (let slot = (high ^ Math.imul(low, 0x9e3779b1)) & mask; ; slot = (slot + 1) & mask) {
      if (taken[slot] === 0) {
        taken[slot] = 1;
        words[2 * slot] = high;
        words[2 * slot + 1] = low;
        size++;
        return true;
      }
      if (words[2 * slot] === high && words[2 * slot + 1] === low) return false;
    }
  };
  return {
    add(id) {
      if (2 * (size + 1) > taken.length) {
        // Kept at most half full: grown to twice the slots, each entry put in again.
        const [oldWords, oldTaken] = [words, taken];
        words = new Uint32Array(oldWords.length * 2);
        taken = new Uint8Array(oldTaken.length * 2);
        size = 0;
        for (let slot = 0; slot < oldTaken.length; slot++) if (oldTaken[slot] === 1) insert(oldWords[2 * slot] as number, oldWords[2 * slot + 1] as number);
      }
      return insert(Number.parseInt(id.slice(0, 8), 16) >>> 0, Number.parseInt(id.slice(8, 16), 16) >>> 0);
    },
  };
}
