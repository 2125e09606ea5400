// Scoring shared by `npm run eval` and `npm run holdout`: labelled secret lines against flagged
// lines, counted per family, and printed as a precision / recall / F1 table.

export interface Label {
  file: string;
  line: number;
  family: string;
}

/** A flagged line: `where` is "file:line", the same key the labels are looked up by. */
export interface Flagged {
  where: string;
  ruleId: string;
  /** Extra text for the false-alarm list (the negative's kind, the secret). */
  detail?: string;
}

interface Counts {
  tp: number;
  fn: number;
  fp: number;
}

export interface Score {
  families: Map<string, Counts>;
  misses: string[];
  falseAlarms: string[];
}

/**
 * A labelled line that is flagged is a true positive, one that is not a miss; a flagged line that is
 * not labelled is a false alarm, counted against the family of the rule that flagged it.
 */
export function score(
  positives: readonly Label[],
  flagged: readonly Flagged[],
  key: (file: string, line: number) => string,
  familyOfRule: (ruleId: string) => string,
): Score {
  const families = new Map<string, Counts>();
  const of = (family: string): Counts => {
    const entry = families.get(family) ?? { tp: 0, fn: 0, fp: 0 };
    families.set(family, entry);
    return entry;
  };
  const flaggedAt = new Map<string, Flagged>();
  for (const flag of flagged) if (!flaggedAt.has(flag.where)) flaggedAt.set(flag.where, flag);
  const labelled = new Set(positives.map((label) => key(label.file, label.line)));
  const misses: string[] = [];
  for (const label of positives) {
    const where = key(label.file, label.line);
    if (flaggedAt.has(where)) of(label.family).tp++;
    else {
      of(label.family).fn++;
      misses.push(`${where} (${label.family})`);
    }
  }
  const falseAlarms: string[] = [];
  for (const [where, flag] of flaggedAt) {
    if (labelled.has(where)) continue;
    of(familyOfRule(flag.ruleId)).fp++;
    falseAlarms.push(`${where} ${flag.ruleId}${flag.detail ? ` ${flag.detail}` : ""}`);
  }
  return { families, misses, falseAlarms };
}

const fixed = (value: number): string => (Number.isNaN(value) ? "  n/a" : value.toFixed(3));
const f1 = (p: number, r: number): number => (p + r === 0 ? 0 : (2 * p * r) / (p + r));

/** The per-family table with an OVERALL row. */
export function printScore({ families }: Score): void {
  const rows = [...families.entries()].sort(([a], [b]) => a.localeCompare(b));
  const total = rows.reduce((sum, [, c]) => ({ tp: sum.tp + c.tp, fn: sum.fn + c.fn, fp: sum.fp + c.fp }), { tp: 0, fn: 0, fp: 0 });
  console.log(`\n${"family".padEnd(18)} ${"TP".padStart(4)} ${"FN".padStart(4)} ${"FP".padStart(4)}  precision  recall     F1`);
  for (const [name, c] of [...rows, ["OVERALL", total] as const]) {
    const precision = c.tp / (c.tp + c.fp);
    const recall = c.tp / (c.tp + c.fn);
    console.log(
      `${name.padEnd(18)} ${String(c.tp).padStart(4)} ${String(c.fn).padStart(4)} ${String(c.fp).padStart(4)}  ${fixed(precision).padStart(9)}  ${fixed(recall).padStart(6)}  ${fixed(f1(precision, recall)).padStart(5)}`,
    );
  }
}
