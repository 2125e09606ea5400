// One secret, one entry: the findings of a scan grouped by the secret they found (rule and value), so a
// key committed, copied to another file and edited five times is one thing to rotate, not seven rows.
// Pure: the state of each secret in HEAD (present or removed) comes from git, through sources/secret-life.ts.
import type { CommitInfo, Finding, Severity, Verification } from "../types.js";
import { severityOrder } from "./common.js";

/** Where a secret stands: still in the checked-out tree, only in history, or not known (no HEAD, not a history scan). */
export type SecretState = "present" | "removed" | "unknown";

/** A commit that changed a secret's life: the one that introduced it, or the one that removed it from HEAD. */
export type LifeEvent = Pick<CommitInfo, "sha" | "author" | "email" | "date">;

export interface SecretEntry {
  /** "S1", "S2", … in order of introduction: ids for people to talk about, carrying nothing of the secret. */
  id: string;
  ruleId: string;
  ruleName: string;
  severity: Severity;
  secret: string;
  /** Every place it was found (history: every commit and path that added it), oldest first. */
  locations: Finding[];
  state: SecretState;
  /** The oldest commit that added it (history scans only). */
  introduced?: LifeEvent;
  /** The commit after which HEAD no longer holds it, when git could tell. */
  removed?: LifeEvent;
  /** Present: HEAD's paths that hold it where its file was moved to, when none of the paths it was found at does. */
  movedTo?: string[];
  verification?: Verification;
}

/** What git says of one secret's life, by the secret's group key (see groupKey). */
export interface SecretLife {
  state: SecretState;
  removed?: LifeEvent;
  movedTo?: string[];
}

/** Findings of one secret share this key: the rule and the value, whatever the path or commit. */
export function groupKey(finding: Pick<Finding, "ruleId" | "secret">): string {
  return `${finding.ruleId}\u0000${finding.secret}`;
}

/**
 * Groups findings by secret. `lives` gives each group's state from git; without it, a working-tree or
 * staged scan's secrets are present by definition and a history scan's are unknown.
 */
export function groupSecrets(findings: readonly Finding[], lives?: ReadonlyMap<string, SecretLife>): SecretEntry[] {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    const key = groupKey(finding);
    const group = groups.get(key);
    if (group) group.push(finding);
    else groups.set(key, [finding]);
  }
  const entries = [...groups].map(([key, group]): Omit<SecretEntry, "id"> => {
    const locations = [...group].sort(byDateThenPlace);
    const first = locations[0] as Finding;
    const inHistory = locations.some((finding) => finding.commit !== undefined);
    const life = lives?.get(key) ?? { state: inHistory ? "unknown" : "present" };
    const verification = locations.find((finding) => finding.verification)?.verification;
    return {
      ruleId: first.ruleId,
      ruleName: first.ruleName,
      severity: first.severity,
      secret: first.secret,
      locations,
      state: life.state,
      ...(first.commit ? { introduced: lifeEvent(first.commit) } : {}),
      ...(life.removed ? { removed: life.removed } : {}),
      ...(life.movedTo ? { movedTo: life.movedTo } : {}),
      ...(verification ? { verification } : {}),
    };
  });
  entries.sort(
    (a, b) =>
      compare(a.introduced?.date ?? "", b.introduced?.date ?? "") ||
      severityOrder.indexOf(a.severity) - severityOrder.indexOf(b.severity) ||
      compare(a.ruleId, b.ruleId) ||
      compare(a.locations[0]?.path ?? "", b.locations[0]?.path ?? ""),
  );
  return entries.map((entry, index) => ({ id: `S${index + 1}`, ...entry }));
}

export function lifeEvent(commit: CommitInfo): LifeEvent {
  return { sha: commit.sha, author: commit.author, email: commit.email, date: commit.date };
}

function byDateThenPlace(a: Finding, b: Finding): number {
  return (
    compare(a.commit?.date ?? "", b.commit?.date ?? "") ||
    compare(a.path, b.path) ||
    a.line - b.line ||
    a.column - b.column ||
    // Two commits with one author date (a cherry-pick, a rebase): by sha, so the order does not depend on the walk's.
    compare(a.commit?.sha ?? "", b.commit?.sha ?? "")
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
