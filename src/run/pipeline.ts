// Wires rules, engine and per-chunk filters together, and drains a source into findings and stats.
import { type Config, emptyConfig } from "../config/load.js";
import { compileAllow, compileRules, parseRuleFiles, type RuleSource } from "../engine/rules.js";
import type { RuleDef } from "../engine/schema.js";
import { createRuleset, type Ruleset, scanChunk } from "../engine/scan.js";
import { nearest, UsageError } from "../errors.js";
import { type AllowFilter, createAllowFilter } from "../filters/allow.js";
import { dropInlineAllowed } from "../filters/inline.js";
import { readDefaultRuleSources } from "../config/default-rules.js";
import { type Chunk, emptyStats, FILE_WEIGHT, type FileOutcome, type FileRef, type Finding, type RuleMeta, type ScanStats, type SkippedItem, type SourceItem } from "../types.js";

export interface ScanContext {
  ruleset: Ruleset;
  allow: AllowFilter;
}

/** Default rules plus the config's custom rules, less the disabled ones (and the entropy detector with `entropy: false`), compiled. */
export function buildContext(
  config: Config = emptyConfig(),
  sources: RuleSource[] = readDefaultRuleSources(),
  options: { entropy: boolean } = { entropy: true },
): ScanContext {
  const defs: { def: RuleDef; source: string }[] = [
    ...parseRuleFiles(sources),
    ...config.rules.map((def) => ({ def, source: config.file ?? "config" })),
  ];
  const known = defs.map(({ def }) => def.id);
  for (const id of config.disable) {
    if (!known.includes(id)) {
      const hint = nearest(id, known);
      throw new UsageError(
        `${config.file ?? "config"}: disable: unknown rule "${id}"${hint ? ` (did you mean "${hint}"?)` : ""}`,
      );
    }
  }
  const disabled = new Set(config.disable);
  const rules = compileRules(
    defs.filter(({ def }) => !disabled.has(def.id) && (options.entropy || def.kind !== "entropy")),
  );
  const globalAllow = compileAllow(config.allow, (what) => {
    throw new UsageError(`${config.file ?? "config"}: allow: ${what}`);
  });
  return { ruleset: createRuleset(rules), allow: createAllowFilter(globalAllow, rules) };
}

/**
 * The engine, then the filter that needs the chunk's text (inline comments). Path-independent, so
 * history can scan a blob once and stamp its findings with every path the blob had.
 */
export function scanText(chunk: Chunk, context: ScanContext): Finding[] {
  const findings = scanChunk(chunk, context.ruleset);
  return findings.length === 0 ? findings : dropInlineAllowed(findings, chunk.text);
}

/** scanText, then the allow lists (paths, regexes, stopwords). */
export function scanAndFilter(chunk: Chunk, context: ScanContext): Finding[] {
  return scanText(chunk, context).filter((finding) => !context.allow.findingAllowed(finding));
}

export function ruleMetas(context: ScanContext): RuleMeta[] {
  return context.ruleset.rules
    .filter((rule) => rule.report)
    .map((rule) => ({
      id: rule.id,
      name: rule.name,
      severity: rule.severity,
      remediation: rule.remediation,
      description: rule.def.description,
      tags: rule.def.tags,
    }));
}

export interface Drained {
  findings: Finding[];
  stats: ScanStats;
}

/**
 * Work handed to the scanner and not yet done (see jobWeight) before drain stops reading: enough to keep two workers busy.
 * Measured on the bench tree with two workers: 32 MB cost 90 MB more peak RSS than 8 MB, and 8 MB about
 * 75 MB more than 2 MB (texts waiting for a worker outlive a young-generation GC), for no speed.
 */
const MAX_IN_FLIGHT = 2 * 1024 * 1024;

/** Where drain sends work: a scan pool. */
export interface Scanner {
  scan(chunk: Chunk): Promise<Finding[]>;
  scanFiles(files: FileRef[]): Promise<FileOutcome[]>;
}

/** Working-tree files handed over as one job: one message and one promise for all of them, not one a file. */
const FILES_PER_JOB = 256;

/**
 * Reads every item of a source, scans the chunks and files and counts what was skipped.
 * The scanner may work elsewhere (a worker pool); items are scanned as they arrive.
 */
export async function drain(items: AsyncIterable<SourceItem>, scanner: Scanner, onWarning: (message: string) => void): Promise<Drained> {
  const stats = emptyStats();
  // Findings are gathered as each scan answers (reporters sort them), so nothing else of a scan is kept.
  const findings: Finding[] = [];
  let failure: { error: unknown } | undefined;
  let inFlight = 0;
  let wake: (() => void) | undefined;
  const settled = (): Promise<void> => new Promise((resolve) => (wake = resolve));
  const track = (result: Promise<Finding[]>, weight: number): void => {
    inFlight += weight;
    result
      .then(
        (found) => void findings.push(...found),
        (error: unknown) => void (failure ??= { error }),
      )
      .finally(() => {
        inFlight -= weight;
        wake?.();
      });
  };
  const submodules: string[] = [];
  const countSkipped = (item: SkippedItem): void => {
    if (item.reason === "binary") stats.skippedBinary++;
    else if (item.reason === "large") stats.skippedLarge++;
    else if (item.reason === "unreadable") {
      stats.unreadable++;
      onWarning(`cannot read ${item.path}${item.detail ? ` (${item.detail})` : ""}; skipped`);
    } else {
      stats.skippedOther++;
      if (item.reason === "allowed-path") stats.skippedAllowed = (stats.skippedAllowed ?? 0) + 1;
      if (item.reason === "submodule") submodules.push(item.path);
    }
  };
  const countChunk = (bytes: number, window?: Chunk["window"]): void => {
    if (!window || (window.line === 1 && window.column === 1)) stats.files++; // a big file's later windows are the same file
    stats.bytes += bytes;
  };
  let files: FileRef[] = [];
  const sendFiles = (): void => {
    if (files.length === 0) return;
    const job = scanner.scanFiles(files).then((outcomes) =>
      outcomes.flatMap((outcome) => {
        if (outcome.kind === "skipped") countSkipped(outcome);
        if (outcome.kind !== "scanned") return [];
        countChunk(outcome.bytes);
        return outcome.findings;
      }),
    );
    track(job, files.length * FILE_WEIGHT);
    files = [];
  };
  for await (const item of items) {
    if (item.kind === "skipped") countSkipped(item);
    else if (item.kind === "chunk") {
      countChunk(item.bytes, item.chunk.window);
      track(scanner.scan(item.chunk), item.bytes);
    } else {
      files.push(item.file);
      if (files.length >= FILES_PER_JOB) sendFiles();
    }
    // Backpressure: while too much work waits to be done (on workers), read no further.
    while (inFlight > MAX_IN_FLIGHT && !failure) await settled();
    if (failure) throw failure.error;
  }
  sendFiles();
  while (inFlight > 0) await settled();
  if (failure) throw failure.error;
  // Said once, not once a submodule: a repository may have hundreds.
  if (submodules.length > 0) {
    const more = submodules.length > 1 ? ` and ${submodules.length - 1} more` : "";
    onWarning(`submodules are not scanned: ${submodules[0]}${more} (scan each from its own folder)`);
  }
  return { findings, stats };
}
