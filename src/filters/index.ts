// The suppressions, as one ordered list applied in one place (drain, for every source): a finding
// is reported only if no step drops it. Most local first:
//   1. inline     a suppression comment on the finding's line (keyscan:allow, gitleaks:allow, …)
//   2. allow      the config's [allow] list and the rule's own allow list (paths, regexes, stopwords)
//   3. not new    staged: touches no added line; history: the file's previous version had it already
//   4. ignore     .keyscanignore fingerprints and path globs, and .gitleaksignore entries
//   5. baseline   the --baseline file's fingerprints (or a gitleaks JSON report's findings)
import { type GitleaksReportEntry, gitleaksReported } from "../migrate/gitleaks.js";
import type { Finding, Match } from "../types.js";
import type { AllowFilter } from "./allow.js";
import { knownFingerprint } from "./baseline.js";
import { type IgnoreFiles, ignoredByFiles } from "./ignore-files.js";

/** What a step may need to know of where a finding was found, besides the finding itself. */
export interface Place {
  /** The lines the content's version adds (staged). */
  addedLines?: ReadonlySet<number>;
  /** The secrets of the versions it replaced (history: the parents' blobs at the same path), as `previousSecrets` gives them. */
  before?: PreviousSecrets;
}

export interface SuppressionStep {
  name: "inline" | "allow" | "not new" | "ignore files" | "baseline";
  drops: (finding: Finding, place: Place) => boolean;
}

export interface SuppressionOptions {
  allow?: AllowFilter;
  ignoreFiles?: IgnoreFiles;
  /** A keyscan baseline's fingerprints. */
  baseline?: ReadonlySet<string>;
  /** A gitleaks JSON report given as the baseline. */
  gitleaksReport?: readonly GitleaksReportEntry[];
  /** Told of each ignore or baseline entry that matched by a weak secret's old fingerprint (see knownFingerprint). */
  onLegacy?: (entry: string, finding: Finding) => void;
}

/** The steps in force, in their order; inline comments and "not new" always are. */
export function suppressionSteps(options: SuppressionOptions): SuppressionStep[] {
  const { allow, ignoreFiles, baseline, gitleaksReport, onLegacy } = options;
  const steps: (SuppressionStep | undefined)[] = [
    { name: "inline", drops: (finding) => finding.allowedInline === true },
    allow ? { name: "allow", drops: (finding) => allow.findingAllowed(finding) } : undefined,
    { name: "not new", drops: notNew },
    ignoreFiles ? { name: "ignore files", drops: (finding) => ignoredByFiles(finding, ignoreFiles, onLegacy) } : undefined,
    baseline && baseline.size > 0 ? { name: "baseline", drops: (finding) => knownFingerprint(baseline, finding, onLegacy) } : undefined,
    gitleaksReport ? { name: "baseline", drops: (finding) => gitleaksReported(finding, gitleaksReport) } : undefined,
  ];
  return steps.filter((step) => step !== undefined);
}

/** True when no step drops the finding. */
export function kept(steps: readonly SuppressionStep[], finding: Finding, place: Place = {}): boolean {
  return !steps.some((step) => step.drops(finding, place));
}

function notNew(finding: Finding, place: Place): boolean {
  const { addedLines, before } = place;
  if (addedLines) {
    let touches = false;
    for (let line = finding.line; line <= finding.endLine && !touches; line++) touches = addedLines.has(line);
    if (!touches) return true;
  }
  return before !== undefined && hadBefore(before, finding);
}

/** A previous version's matches, as rule and secret, looked up in a set: a file may hold thousands of them. */
export type PreviousSecrets = ReadonlySet<string>;

const secretKey = (match: Pick<Match, "ruleId" | "secret">): string => `${match.ruleId}\0${match.secret}`;

/** What the previous versions' matches had, for hadBefore. A match a comment suppressed there does not count: it was never reported. */
export function previousSecrets(matches: readonly Match[]): PreviousSecrets {
  return new Set(matches.filter((old) => !old.allowedInline).map(secretKey));
}

/** True when a previous version had this one's secret under the same rule. */
export function hadBefore(before: PreviousSecrets, found: Pick<Match, "ruleId" | "secret">): boolean {
  return before.has(secretKey(found));
}
