// The staged files read from one patch, `git diff --cached -U0 --full-index`: each file section gives
// the path (its "diff --git" header, or a moved file's "rename to" line), the staged blob's id and mode (its "index", "new file mode" or
// "new mode" line) and, with no context lines, the added lines (its hunk headers). One git process
// thus lists the files and their lines; the patch is read as it streams in, a pipe's worth at a time.

/** The lines a staged file adds (1-based, in its new version), or "all" when every line counts (see stagedFileBatches). */
export type AddedLines = Set<number> | "all";

/** One staged file, as its patch section describes it. */
export interface StagedFile {
  /** From the repository's top level, "/"-separated. */
  path: string;
  /** The staged blob's id; undefined when only the mode changed (git then prints no "index" line, and no line is added). */
  blob: string | undefined;
  /** The staged mode: "100644", "100755", "120000" (a symlink), "160000" (a submodule). */
  mode: string;
  lines: AddedLines;
}

/**
 * The staged changes of added, modified, type-changed and renamed files, as git stores them. A file
 * moved (`git mv`, a folder renamed) is compared with the file it was, whatever diff.renames says: only
 * the lines the move changes are new, so a move does not block a commit on a secret the repository
 * already held (and that a baseline lists under its old path).
 */
const DIFF_OPTIONS = [
  "--cached",
  "--find-renames",
  "--no-relative",
  "--no-ext-diff",
  "--no-textconv",
  "--submodule=short",
  "--ignore-submodules=none",
  "--diff-filter=AMTR",
];

/**
 * The options that make `git diff` print the patch this module reads: no context lines, whole blob
 * ids, and the "a/" and "b/" prefixes whatever the user's diff.noprefix or diff.mnemonicPrefix say.
 */
const PATCH_FORMAT = ["-U0", "--inter-hunk-context=0", "--full-index", "--no-color", "--src-prefix=a/", "--dst-prefix=b/"];

/** The git arguments of the staged changes' patch, limited to `pathspecs` (none: the whole index), run from the top level. */
export const stagedPatchArgs = (pathspecs: readonly string[]): string[] => ["diff", ...DIFF_OPTIONS, ...PATCH_FORMAT, "--", ...pathspecs];

/** A file adding more lines than this counts as all new: its line numbers are not kept (a 600 MB file has millions). */
const MAX_KEPT_LINES = 100_000;

const C_ESCAPES: Readonly<Record<string, string>> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", '"': '"', "\\": "\\" };

/** A name git quoted (a `"`, a `\` or a control character in it): its escapes undone, octal ones to the byte they stand for. */
function unquoteC(quoted: string): string {
  return quoted.slice(1, -1).replace(/\\([0-3][0-7]{2}|.)/g, (escape, code: string) => {
    if (code.length === 3) return String.fromCharCode(parseInt(code, 8));
    const plain = C_ESCAPES[code];
    if (plain === undefined) throw new Error(`unexpected escape in a git diff header: ${escape}`);
    return plain;
  });
}

/**
 * The path of a "diff --git a/NAME b/NAME" header (latin1: one character a byte), or undefined when
 * the two names differ (a rename: its "rename to" line names it). With the same name twice the header
 * splits at its middle space, even when NAME holds " b/"; git quotes both or neither.
 */
function headerPath(header: string): string | undefined {
  const names = header.slice("diff --git ".length);
  const half = (names.length - 1) / 2;
  const [source, destination] = [names.slice(0, half), names.slice(half + 1)];
  if (!Number.isInteger(half) || names[half] !== " ") return undefined;
  const quoted = source.startsWith('"') && source.endsWith('"') && destination.startsWith('"') && destination.endsWith('"');
  let [a, b] = [source, destination];
  try {
    if (quoted) [a, b] = [unquoteC(source), unquoteC(destination)];
  } catch {
    return undefined; // two different names cut in the wrong place: the "rename to" line names the file
  }
  return a.startsWith("a/") && `b/${a.slice(2)}` === b ? fromLatin1(a.slice(2)) : undefined;
}

/** A name read as latin1 (one character a byte), as the UTF-8 text its bytes are. */
const fromLatin1 = (name: string): string => Buffer.from(name, "latin1").toString("utf8");

/** A section being read: the file so far, and whether it is the deletion half of a type change (which git prints as two sections). */
interface Section {
  file: StagedFile;
  deleted: boolean;
  /** Its "diff --git" line, for the error when no name can be read from it. */
  header: string;
}

/**
 * The staged files of a patch printed with PATCH_FORMAT, in order, each with the 1-based line numbers
 * of its added lines in the new version, read from its hunk headers (`@@ -a,b +start,count @@`; with
 * no context lines a hunk's new lines are exactly those), or "all" when every line counts: git printed
 * no hunks because it judged the file binary, or the file adds more than MAX_KEPT_LINES lines. A type
 * change (a file made a symlink) is two sections, the old file's deletion and the new one's addition:
 * the deletion is left out. Lines are read as latin1, one character per byte, so splitting on "\n" is
 * exact whatever the encoding, and no header line is mistaken for a hunk's content (which starts with
 * "+", "-" or "\"). Yielded as the patch streams in: the files each buffer completes (a file is
 * complete when the next one starts), then the last.
 */
export async function* stagedFileBatches(patch: AsyncIterable<Buffer>): AsyncGenerator<StagedFile[]> {
  let completed: StagedFile[] = [];
  let current: Section | undefined;
  const finish = (): void => {
    if (!current || current.deleted) return;
    if (current.file.path === "") throw new Error(`unexpected git diff header: ${JSON.stringify(current.header)}`);
    completed.push(current.file);
  };
  const onLine = (text: string): void => {
    if (text.startsWith("diff --git ")) {
      finish();
      current = { file: { path: headerPath(text) ?? "", blob: undefined, mode: "", lines: new Set() }, deleted: false, header: text };
      return;
    }
    if (!current) return;
    const { file } = current;
    if (text.startsWith("rename to ")) {
      const name = text.slice("rename to ".length);
      file.path = fromLatin1(name.startsWith('"') ? unquoteC(name) : name);
      return;
    }
    if (text.startsWith("@@ ") && file.lines instanceof Set) {
      const header = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(text);
      if (!header) return;
      const start = Number(header[1]);
      const count = header[2] === undefined ? 1 : Number(header[2]);
      if (file.lines.size + count > MAX_KEPT_LINES) file.lines = "all";
      else for (let line = start; line < start + count; line++) file.lines.add(line);
    } else if (text.startsWith("index ")) {
      const index = /^index [0-9a-f]+\.\.([0-9a-f]+)(?: (\d+))?$/.exec(text);
      if (!index) throw new Error(`unexpected git diff index line: ${JSON.stringify(text)}`);
      file.blob = index[1];
      if (index[2] !== undefined) file.mode = index[2];
    } else if (text.startsWith("new file mode ") || text.startsWith("new mode ")) {
      file.mode = text.slice(text.lastIndexOf(" ") + 1);
    } else if (text.startsWith("deleted file mode ")) current.deleted = true;
    else if (text.startsWith("Binary files ") && file.lines instanceof Set && file.lines.size === 0) file.lines = "all";
  };
  let partial = "";
  for await (const data of patch) {
    const lines = (partial + data.toString("latin1")).split("\n");
    partial = lines.pop() ?? "";
    // A long unfinished line is a hunk's content (headers are short): keep its first byte only, not a string as long as the file.
    if (partial.length > 65_536) partial = partial.slice(0, 1);
    // Only headers matter: a hunk's content lines (most of a big patch) are passed over unparsed.
    for (const text of lines) if (HEADER_STARTS.has(text.charCodeAt(0))) onLine(text);
    if (completed.length > 0) {
      yield completed;
      completed = [];
    }
  }
  onLine(partial);
  finish();
  if (completed.length > 0) yield completed;
}

/** The first characters of the header lines read above ("diff", "@@", "index", "new", "rename", "Binary"); a hunk's content lines start otherwise. */
const HEADER_STARTS: ReadonlySet<number> = new Set([..."d@inrB"].map((character) => character.charCodeAt(0)));
