// Planning the edits of one file: check it is still what was scanned, find each secret's literal,
// name its variable, rewrite, and check the result still parses. Nothing is written here.
import { isUtf8 } from "node:buffer";
import { lstatSync, readFileSync } from "node:fs";
import { decodeLayers } from "../engine/decode.js";
import { isWideText, looksBinary } from "../sources/decode.js";
import type { Finding } from "../types.js";
import { claimEnvName, type EnvNames, preferredEnvName } from "./env-names.js";
import { applyEdits, type Edit, type Language, languageOf, locate } from "./languages.js";
import { checkParses, type ParseVerdict } from "./parse-check.js";

export interface FilePlan {
  path: string;
  abs: string;
  /** The text read when planning; the file is written only if it still holds exactly this. */
  original: string;
  /** The text after the edits (equal to `original` when there is nothing to rewrite). */
  updated: string;
  mode: number;
  /** Secrets rewritten into reads of `name`. */
  fixed: { finding: Finding; name: string }[];
  /** Secrets left for the user, each with what to do. */
  manual: { finding: Finding; reason: string }[];
  /** Why the file cannot be touched at all (bad input): reported with exit code 2. */
  problem?: string;
  parse?: ParseVerdict;
}

const BINARY_FILE =
  "the file itself is the secret (a key store): revoke its key, delete the file from the repository (from history too: git filter-repo --invert-paths --path FILE), and load it from outside the repository";

const UTF8_BOM = "\uFEFF";

const WIDE_TEXT = "the file is UTF-16 or UTF-32 text, which keyscan fix does not rewrite: replace the value by a read of an environment variable by hand";

const NOT_UTF8 = "the file is not valid UTF-8 (Latin-1?), and rewriting it would change its other bytes: replace the value by a read of an environment variable by hand";

/** The generic detector finds the same string a provider's rule does: the provider's finding names it better. */
const GENERIC_RULE = "generic-high-entropy";

/**
 * Plans the fixes of `findings` (all in the file `path`, at `abs`); `taken` maps the variables
 * named so far (and those in .env) to their values, and gains the new ones.
 */
export function planFile(path: string, abs: string, findings: readonly Finding[], taken: EnvNames): FilePlan {
  const plan: FilePlan = { path, abs, original: "", updated: "", mode: 0o644, fixed: [], manual: [] };
  const problem = unwritable(abs);
  if (problem) return { ...plan, problem: `${path} ${problem}` };
  const bytes = readFileSync(abs);
  // A binary file's finding is of the file itself (a key store under a well-known password): no text to rewrite.
  if (isWideText(bytes)) return { ...plan, manual: findings.map((finding) => ({ finding, reason: WIDE_TEXT })) };
  if (looksBinary(bytes)) return { ...plan, manual: findings.map((finding) => ({ finding, reason: BINARY_FILE })) };
  // Decoded, its bytes that are not UTF-8 would be written back as U+FFFD: every other line must keep its bytes.
  if (!isUtf8(bytes)) return { ...plan, manual: findings.map((finding) => ({ finding, reason: NOT_UTF8 })) };
  plan.original = bytes.toString("utf8");
  plan.updated = plan.original;
  plan.mode = lstatSync(abs).mode & 0o7777;
  // The scan's columns are those of the text after a byte-order mark (sources/decode.ts): the edits are
  // planned on that text, and the mark is kept in front of the result.
  const bom = plan.original.startsWith(UTF8_BOM) ? UTF8_BOM : "";
  const text = plan.original.slice(bom.length);

  const lines = text.split("\n");
  const lineOffsets = offsetsOf(lines);
  const located = distinctSpots(findings);
  const encoded = new Set<Finding>();
  for (const finding of located) {
    if (finding.endLine !== finding.line) continue;
    const held = lines[finding.line - 1]?.slice(finding.column - 1, finding.endColumn - 1) ?? "";
    if (held === finding.secret) continue;
    if (held !== "" && holdsEncoded(held, finding.secret)) encoded.add(finding);
    else return { ...plan, problem: `${path} changed since the scan (line ${finding.line} no longer holds the secret there): scan again, then fix` };
  }

  const language = languageOf(path);
  const edits: Edit[] = [];
  for (const finding of located) {
    const spot = finding.endLine !== finding.line
      ? { kind: "manual" as const, reason: "a multi-line secret (a PEM key?) in a file: move it to a file outside the repository and read that file's path from the environment" }
      : encoded.has(finding)
        ? { kind: "manual" as const, reason: "stored encoded (base64, percent or JSON escapes): replace the encoded value by hand (a Kubernetes Secret: create it from the environment, e.g. kubectl create secret generic --from-env-file=.env)" }
      : typeof language === "string"
        ? locate(language, text, lines, finding.line - 1, lineOffsets[finding.line - 1] ?? 0, finding.column - 1, finding.endColumn - 1)
        : { kind: "manual" as const, reason: language.manual };
    if (spot.kind === "manual") {
      plan.manual.push({ finding, reason: spot.reason });
      continue;
    }
    const name = claimEnvName(preferredEnvName(finding.ruleId, spot.assignedTo), finding.secret, taken);
    const own = spot.edits(name);
    if (own.some((edit) => edit.end > edit.start && edits.some((other) => overlaps(edit, other)))) {
      plan.manual.push({ finding, reason: "shares its string with another secret: split the string by hand" });
      continue;
    }
    // Insertions (an import, an ARG line) that an earlier secret already made are not repeated.
    edits.push(...own.filter((edit) => !edits.some((other) => other.start === edit.start && other.end === edit.end && other.text === edit.text)));
    plan.fixed.push({ finding, name });
  }
  if (plan.fixed.length === 0 || typeof language !== "string") return plan;

  const updated = applyEdits(text, edits);
  const parse = checkParses(language as Language, path, updated);
  if (parse.ok === false) {
    // A rewrite that breaks the file is not applied: its secrets go back to the user.
    const reason = `the rewrite would not parse (${parse.checker}: ${parse.error}): replace it by hand`;
    return { ...plan, fixed: [], manual: [...plan.manual, ...plan.fixed.map(({ finding }) => ({ finding, reason }))], parse };
  }
  return { ...plan, updated: bom + updated, parse };
}

/** Why a file cannot be rewritten in place, or undefined when it can. */
function unwritable(abs: string): string | undefined {
  let stat: ReturnType<typeof lstatSync>;
  try {
    stat = lstatSync(abs);
  } catch {
    return "no longer exists: scan again, then fix";
  }
  if (stat.isSymbolicLink()) return "is a symlink: keyscan fix rewrites regular files only; fix the file it points to";
  if (!stat.isFile()) return "is not a regular file";
  // The mode, not access(): a root user may write anything, but a file made read-only is one its owner means to keep.
  if ((stat.mode & 0o200) === 0) return "is read-only: make it writable (chmod u+w) to let keyscan fix it, or fix it by hand";
  return undefined;
}

/** True when `held` is the secret encoded: one of the scan's own decoding layers (or a layer of one) holds it. */
function holdsEncoded(held: string, secret: string): boolean {
  return decodeLayers(held).some((layer) => layer.text.includes(secret) || decodeLayers(layer.text).some((inner) => inner.text.includes(secret)));
}

function offsetsOf(lines: readonly string[]): number[] {
  const offsets: number[] = [];
  let offset = 0;
  for (const line of lines) {
    offsets.push(offset);
    offset += line.length + 1;
  }
  return offsets;
}

/**
 * One finding per place, in file order: where the generic detector found a string that a provider's
 * rule also found (same or overlapping place), the provider's finding is kept: it names the variable.
 */
function distinctSpots(findings: readonly Finding[]): Finding[] {
  const specific = findings.filter((finding) => finding.ruleId !== GENERIC_RULE);
  const generic = findings.filter(
    (finding) => finding.ruleId === GENERIC_RULE && !specific.some((other) => other.line === finding.line && other.column < finding.endColumn && finding.column < other.endColumn),
  );
  const byPlace = new Map<string, Finding>();
  for (const finding of [...specific, ...generic]) byPlace.set(`${finding.line}:${finding.column}:${finding.endColumn}`, finding);
  return [...byPlace.values()].sort((a, b) => a.line - b.line || a.column - b.column);
}

function overlaps(a: Edit, b: Edit): boolean {
  return a.start < b.end && b.start < a.end;
}
