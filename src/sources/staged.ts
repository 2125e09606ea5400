// What is staged for commit: the index's content (not the working tree's, which may differ) of each
// added, modified or type-changed file, with the line numbers the commit adds or changes.
//
// Paths come from `diff --raw -z` (never quoted); the patch (`-U0`) is used only for its hunks, matched
// to the raw entries by position: both list the same files in the same order, one "diff --git" each.
import { UsageError } from "../errors.js";
import type { SourceItem } from "../types.js";
import { CatFile } from "./cat-file.js";
import { mapOrdered } from "./concurrency.js";
import { decodeText } from "./decode.js";
import { git, repoRoot, splitNul } from "./git.js";
import { parseRawEntries, type RawEntry } from "./raw-diff.js";

const READ_CONCURRENCY = 16;

/** The same file selection for both diff calls, so their entries line up. */
const DIFF_OPTIONS = [
  "--cached",
  "--no-renames",
  "--no-relative",
  "--no-ext-diff",
  "--no-textconv",
  "--submodule=short",
  "--ignore-submodules=none",
  "--diff-filter=AMT",
];

export interface StagedOptions {
  cwd: string;
  maxFileSize: number;
}

export async function* stagedItems(options: StagedOptions): AsyncGenerator<SourceItem> {
  const root = await repoRoot(options.cwd);
  if (!root) throw new UsageError(`staged needs a git repository: ${options.cwd} is not one`);
  const raw = await git(["diff", ...DIFF_OPTIONS, "--raw", "-z", "--no-abbrev"], { cwd: root });
  const entries = parseRawEntries(splitNul(raw));
  if (entries.length === 0) return;
  const patch = await git(["diff", ...DIFF_OPTIONS, "-U0", "--inter-hunk-context=0", "--no-color"], { cwd: root });
  const added = addedLines(patch);
  if (added.length !== entries.length) {
    throw new Error(`git diff listed ${entries.length} staged files but its patch has ${added.length}`);
  }

  const catFile = new CatFile(root);
  try {
    const work = entries.map((entry, index) => ({ entry, lines: added[index] }));
    for await (const item of mapOrdered(work, READ_CONCURRENCY, ({ entry, lines }) =>
      readStaged(catFile, entry, lines, options.maxFileSize),
    )) {
      if (item) yield item;
    }
  } finally {
    catFile.close();
  }
}

/** One staged file's index content, or why it was skipped; undefined when no line of it can report. */
async function readStaged(
  catFile: CatFile,
  entry: RawEntry,
  lines: Set<number> | "binary" | undefined,
  maxFileSize: number,
): Promise<SourceItem | undefined> {
  const path = entry.path;
  if (entry.dstMode === "120000") return { kind: "skipped", path, reason: "symlink" };
  if (entry.dstMode === "160000") return { kind: "skipped", path, reason: "submodule" };
  if (lines === undefined || (lines !== "binary" && lines.size === 0)) return undefined; // only deletions or a mode change
  const blob = await catFile.read(entry.dst, maxFileSize);
  if (blob.size > maxFileSize) return { kind: "skipped", path, reason: "large", detail: `${blob.size} bytes` };
  if (!blob.content) return { kind: "skipped", path, reason: "unreadable", detail: `blob ${entry.dst} is missing` };
  const text = decodeText(blob.content);
  if (text === undefined) return { kind: "skipped", path, reason: "binary" };
  // git gives no hunks for what it thinks binary (UTF-16 text has NUL bytes): then every line counts.
  const chunk = lines === "binary" ? { path, text } : { path, text, lines };
  return { kind: "chunk", chunk, bytes: blob.content.length };
}

/**
 * For each file section of a `-U0` patch, in order: the 1-based line numbers of its added lines
 * in the new version, or "binary" when git printed no hunks because it judged the file binary.
 * Only lines inside a hunk are content (each starts with '+', '-', ' ' or '\'), so header lines
 * such as "+++ b/name" are never mistaken for added lines.
 */
export function addedLines(patch: Buffer): (Set<number> | "binary")[] {
  const files: (Set<number> | "binary")[] = [];
  let current: Set<number> | undefined;
  let inHunk = false;
  let line = 0;
  // latin1 keeps one character per byte, so splitting on "\n" is exact whatever the encoding.
  for (const text of patch.toString("latin1").split("\n")) {
    if (text.startsWith("diff --git ")) {
      current = new Set();
      files.push(current);
      inHunk = false;
    } else if (text.startsWith("@@ ")) {
      const header = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(text);
      inHunk = header !== null;
      line = Number(header?.[1] ?? 0);
    } else if (inHunk && text.startsWith("+")) {
      current?.add(line++);
    } else if (inHunk && text.startsWith(" ")) {
      line++;
    } else if (!inHunk && text.startsWith("Binary files ") && current?.size === 0) {
      files[files.length - 1] = "binary";
    }
  }
  return files;
}
