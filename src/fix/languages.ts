// Per-language rewriting: how a file of each kind reads an environment variable, and how the literal
// holding a secret on one line becomes that read. Only one line is looked at (the secret's), with a
// small lexer that knows the language's quotes and comments; the whole file is parsed afterwards
// (parse-check.ts), and a rewrite that breaks it is not applied.

export type Language = "javascript" | "typescript" | "python" | "go" | "ruby" | "java" | "php" | "shell" | "dockerfile" | "yaml" | "npmrc" | "properties";

/** A replacement in a file's text: characters [start, end) become `text`. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Where a secret sits on its line, and how to replace it once its variable is named. */
export type Spot =
  | { kind: "rewrite"; assignedTo: string | undefined; edits: (name: string) => Edit[] }
  | { kind: "manual"; reason: string };

/** The language a file is rewritten as, by its name; for kinds no rewrite is safe in, what to do by hand. */
export function languageOf(path: string): Language | { manual: string } {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const extension = name.includes(".") ? name.slice(name.lastIndexOf(".") + 1).toLowerCase() : "";
  if (/^Dockerfile(\..+)?$|\.dockerfile$/i.test(name) || /^Containerfile$/i.test(name)) return "dockerfile";
  if (name === ".npmrc") return "npmrc";
  if (/^\.env(\..+)?$/.test(name)) {
    return { manual: "an env file already: keep it out of git (list it in .gitignore) rather than rewriting it" };
  }
  const byExtension: Record<string, Language> = {
    js: "javascript", mjs: "javascript", cjs: "javascript", jsx: "javascript",
    ts: "typescript", mts: "typescript", cts: "typescript", tsx: "typescript",
    py: "python", go: "go", rb: "ruby", java: "java", php: "php",
    sh: "shell", bash: "shell", zsh: "shell", ksh: "shell",
    yml: "yaml", yaml: "yaml",
  };
  const language = byExtension[extension];
  if (language) return language;
  // Spring Boot resolves ${NAME} in its application and bootstrap properties from the environment.
  if (/^(?:application|bootstrap)(?:-[\w-]+)?\.properties$/.test(name)) return "properties";
  const byHand = MANUAL_STEPS[extension];
  if (byHand) return { manual: byHand };
  return { manual: `no rewrite for ${extension ? `.${extension}` : "this kind of"} file: replace the value with a read of the variable by hand` };
}

/** What to do by hand in kinds of file that cannot read the environment themselves. */
const MANUAL_STEPS: Readonly<Record<string, string>> = {
  json: "JSON cannot read the environment: move the value out of this file and have the code that loads it read the variable",
  jsonc: "JSON cannot read the environment: move the value out of this file and have the code that loads it read the variable",
  ipynb: "a notebook: read the variable in the cell (os.environ[...]), then clear the cell's output and save, since outputs keep old values",
  md: "documentation: replace the key with a placeholder such as <your-key>",
  tf: 'Terraform: declare `variable "name" { sensitive = true }`, use var.name here, and set TF_VAR_name in the environment',
  tfvars: "Terraform: delete the value here and set TF_VAR_name in the environment instead",
  toml: "TOML cannot read the environment: move the value out of this file and have the code that loads it read the variable",
  xml: "XML cannot read the environment: move the value out of this file (for .NET, an environment variable overrides appSettings)",
  config: "XML cannot read the environment: move the value out of this file (for .NET, an environment variable overrides appSettings)",
};

/** Languages where a secret lives in a string literal that an expression replaces. */
interface CodeLanguage {
  quotes: string;
  /** Comment starts on a line (block comments across lines are not followed). */
  comments: readonly string[];
  /** The string-joining operator, to keep the text around the secret in a literal. */
  join: string;
  read(name: string, text: string): string;
  /** Why a literal on this line cannot become a run-time read, if it cannot. */
  refuse?(lines: readonly string[], lineIndex: number): string | undefined;
}

const CODE: Partial<Record<Language, CodeLanguage>> = {
  javascript: { quotes: "\"'`", comments: ["//"], join: "+", read: readJavaScript },
  typescript: { quotes: "\"'`", comments: ["//"], join: "+", read: readJavaScript },
  python: { quotes: "\"'", comments: ["#"], join: "+", read: (name) => `os.environ["${name}"]` },
  go: { quotes: "\"`", comments: ["//"], join: "+", read: (name) => `os.Getenv("${name}")`, refuse: goConstant },
  ruby: { quotes: "\"'", comments: ["#"], join: "+", read: (name) => `ENV["${name}"]` },
  java: { quotes: "\"'", comments: ["//"], join: "+", read: (name) => `System.getenv("${name}")` },
  php: { quotes: "\"'", comments: ["//", "#"], join: ".", read: (name) => `getenv('${name}')` },
};

/** `import.meta.env.X` in a file that already reads its environment that way (Vite and friends), else `process.env.X`. */
function readJavaScript(name: string, text: string): string {
  return text.includes("import.meta.env") ? `import.meta.env.${name}` : `process.env.${name}`;
}

/** Go: os.Getenv is not a constant, so a secret in a `const` cannot be rewritten without changing the declaration. */
function goConstant(lines: readonly string[], lineIndex: number): string | undefined {
  const message = "a Go const cannot hold os.Getenv(…): make it a var, then run keyscan fix again";
  if (/^\s*const\b/.test(lines[lineIndex] ?? "")) return message;
  for (let i = lineIndex - 1; i >= 0; i--) {
    const line = lines[i] ?? "";
    if (/^\s*const\s*\(/.test(line)) return message;
    if (/^\s*\)/.test(line) || /^\s*(var|func|type)\b/.test(line)) return undefined;
  }
  return undefined;
}

/** What the line lexer found at a position: code, a comment, or inside a string opened by `quote` at `start`. */
type LexState = { in: "code" } | { in: "comment" } | { in: "string"; quote: string; start: number };

/**
 * Lexes `line` up to `index`. Backslash escapes count in every quote, except single quotes in
 * `shellLike` files (shell, YAML), where `#` also starts a comment only at a word's start (in
 * Python, Ruby and PHP it does anywhere outside a string).
 */
function lexTo(line: string, index: number, quotes: string, comments: readonly string[], shellLike = false): LexState {
  let state: LexState = { in: "code" };
  for (let i = 0; i < index; i++) {
    const char = line[i] ?? "";
    if (state.in === "comment") return state;
    if (state.in === "string") {
      if (char === "\\" && !(shellLike && state.quote === "'")) i++;
      else if (char === state.quote) state = { in: "code" };
      continue;
    }
    if (quotes.includes(char)) state = { in: "string", quote: char, start: i };
    else if (comments.some((start) => line.startsWith(start, i) && (start !== "#" || !shellLike || i === 0 || /\s/.test(line[i - 1] ?? "")))) {
      state = { in: "comment" };
    }
  }
  return state;
}

/** Where the string opened at `from` (inside it, after the secret) closes: the index of its closing quote, or -1. */
function closingQuote(line: string, from: number, quote: string, escapes: boolean): number {
  for (let i = from; i < line.length; i++) {
    if (escapes && line[i] === "\\") i++;
    else if (line[i] === quote) return i;
  }
  return -1;
}

/** The name a value is assigned to just before `index` (`apiKey = "`, `API_KEY: `, `"token": "`), if any. */
function assignedName(before: string, previousLine = ""): string | undefined {
  const name = ASSIGNED.exec(before)?.[1];
  if (name === "value") return NAMED_PAIR.exec(before)?.[1] ?? NAMED_PAIR.exec(previousLine)?.[1] ?? name;
  if (name !== undefined) return name;
  return WRAPPED.test(before) ? ENDS_WITH_ASSIGNMENT.exec(previousLine)?.[1] : undefined;
}

// `NAME = "…"`, `name: …`, `"name": "…"`, a shell's or compose file's `${NAME:-…}`: the name before the value.
const NAME_AND_OPERATOR = String.raw`([A-Za-z_][\w-]*)["']?\]?\s*(?::=|:-|=>|=|:)\s*`;
const ASSIGNED = new RegExp(`${NAME_AND_OPERATOR}["'\`]?$`);
// A name/value pair, whose `value` is the named one's: a Kubernetes env entry (`- name: API_TOKEN` then
// `value: …`), a JSON object's members on one line or two (`{"name": "API_TOKEN", "value": …}`, Postman's `key`).
const NAMED_PAIR = /\b(?:name|key)["']?\s*:\s*["']?([A-Za-z_][\w.-]*)["']?\s*,?\s*(?:["']?value["']?\s*:\s*["']?)?$/;
// A literal alone on its line (with black's opening parenthesis) that a formatter wrapped after its name, which
// ends the line before: prettier's `const apiToken =`, black's `API_TOKEN = (`.
const WRAPPED = /^\s*\(?\s*[bfruBFRU]{0,2}["'`]?$/;
const ENDS_WITH_ASSIGNMENT = new RegExp(String.raw`${NAME_AND_OPERATOR}\(?\s*$`);

/** Secrets on lines this long are in minified or generated code: a rewrite there could not be reviewed. */
const MINIFIED_LINE = 1000;

/**
 * How to rewrite the secret at [start, end) of line `lineIndex` (0-based; offsets within the line)
 * of a file of `language` whose whole text is `text`; `lineOffset` is where that line starts in it.
 */
export function locate(language: Language, text: string, lines: readonly string[], lineIndex: number, lineOffset: number, start: number, end: number): Spot {
  const line = lines[lineIndex] ?? "";
  if (line.length > MINIFIED_LINE) return { kind: "manual", reason: "a minified or generated line: fix the source it was built from" };
  const code = CODE[language];
  if (code) return locateInCode(code, language, text, lines, lineIndex, lineOffset, start, end);
  const previousLine = lines[lineIndex - 1];
  if (language === "yaml") return locateInYaml(text, line, previousLine, lineOffset, start, end);
  if (language === "npmrc" || language === "properties") {
    // Their comments are whole lines; `#`, `;` or `!` later on a line is part of a value.
    if (/^\s*[#;!]/.test(line)) return { kind: "manual", reason: "in a comment: delete it from the comment" };
    return locateInterpolated(line, previousLine, lineOffset, start, end, (name) => `\${${name}}`, []);
  }
  return locateInShell(language, lines, lineIndex, lineOffset, start, end);
}

function locateInCode(code: CodeLanguage, language: Language, text: string, lines: readonly string[], lineIndex: number, lineOffset: number, start: number, end: number): Spot {
  const line = lines[lineIndex] ?? "";
  const refused = code.refuse?.(lines, lineIndex);
  if (refused) return { kind: "manual", reason: refused };
  const state = lexTo(line, start, code.quotes, code.comments);
  if (state.in === "comment") return { kind: "manual", reason: "in a comment: delete it from the comment" };
  if (state.in === "code") return { kind: "manual", reason: "not inside a one-line string literal: replace it by hand" };
  const { quote, start: open } = state;
  const close = closingQuote(line, end, quote, true);
  if (close < 0 || line.slice(start, end).includes(quote)) return { kind: "manual", reason: "a string that goes on past this line: replace it by hand" };
  if (language === "python" && line.slice(open - 2, open) === quote.repeat(2)) {
    return { kind: "manual", reason: "in a triple-quoted string: replace it by hand" };
  }
  // Python string prefixes (r"", f"", b""): they belong to the literal, and bytes cannot hold a str.
  let literalStart = open;
  if (language === "python") {
    const prefix = /(?<![\w])[rRbBfFuU]{1,2}$/.exec(line.slice(0, open))?.[0] ?? "";
    if (/[bB]/.test(prefix)) return { kind: "manual", reason: "a bytes literal: read the variable and encode it by hand" };
    literalStart = open - prefix.length;
  }
  const letters = line.slice(literalStart, open);
  const before = line.slice(open + 1, start);
  const after = line.slice(end, close);
  const assignedTo = assignedName(line.slice(0, literalStart), lines[lineIndex - 1]);
  const edits = (name: string): Edit[] => {
    const read = code.read(name, text);
    // A template literal takes the read where the secret was.
    if (quote === "`" && (language === "javascript" || language === "typescript") && (before || after)) {
      return [{ start: lineOffset + start, end: lineOffset + end, text: `\${${read}}` }];
    }
    const parts = [before && `${letters}${quote}${before}${quote}`, read, after && `${letters}${quote}${after}${quote}`].filter(Boolean);
    const replacement = parts.length === 1 ? read : `(${parts.join(` ${code.join} `)})`;
    return [{ start: lineOffset + literalStart, end: lineOffset + close + 1, text: replacement }, ...importEdits(language, text)];
  };
  return { kind: "rewrite", assignedTo, edits };
}

/**
 * importEdits' last answer: every secret of a file asks about the same text, and a file of thousands
 * of secrets (a fixture of tokens) had its imports searched for once each.
 */
let lastImports: { language: Language; text: string; edits: Edit[] } | undefined;

/** The import a read needs: Python's `import os`, Go's "os"; none when the file has it (an empty list). */
function importEdits(language: Language, text: string): Edit[] {
  if (lastImports?.language !== language || lastImports.text !== text) lastImports = { language, text, edits: findImportEdits(language, text) };
  return lastImports.edits;
}

function findImportEdits(language: Language, text: string): Edit[] {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  // Only a top-level `import os` counts: one inside a function or a block does not bind it here, and
  // a second `import os` is harmless where a missing one is a NameError.
  if (language === "python" && !/^import\s+(?:[\w.]+\s*,\s*)*os\b(?!\.)/m.test(text)) {
    return [{ ...insertAt(pythonImportLine(text)), text: `import os${eol}` }];
  }
  if (language === "go" && !/^\s*(?:import\s+)?"os"\s*$/m.test(text)) {
    const block = /^import\s*\(\s*\n/m.exec(text);
    if (block) return [{ ...insertAt(block.index + block[0].length), text: `\t"os"${eol}` }];
    const pkg = /^package\s+\w+.*\n/m.exec(text);
    const at = pkg ? pkg.index + pkg[0].length : 0;
    return [{ ...insertAt(at), text: `import "os"${eol}` }];
  }
  return [];
}

function insertAt(offset: number): { start: number; end: number } {
  return { start: offset, end: offset };
}

/**
 * Where `import os` goes: before the first top-level import, else after the shebang and comments,
 * the module docstring and any `from __future__` imports (which must stay first).
 */
function pythonImportLine(text: string): number {
  const firstImport = /^(?:import\s|from\s+(?!__future__\b))/m.exec(text);
  if (firstImport) return firstImport.index;
  const header = /^(?:#.*\n|\s*\n)*(?:[rRuU]?("""|''')[\s\S]*?\1[^\n]*\n)?(?:#.*\n|\s*\n|from\s+__future__\s+import[^\n]*\n)*/.exec(text);
  return header ? header[0].length : 0;
}

/**
 * Shell and Dockerfile: `"${NAME}"` for an unquoted value, `${NAME}` inside double quotes; a
 * single-quoted string is closed and reopened around it. A Dockerfile gets `ARG NAME` before the
 * line, so `docker build --build-arg NAME` (or a --secret mount, better) provides the value.
 */
function locateInShell(language: Language, lines: readonly string[], lineIndex: number, lineOffset: number, start: number, end: number): Spot {
  const line = lines[lineIndex] ?? "";
  if (language === "dockerfile" && /^\s*(?:RUN|CMD|ENTRYPOINT|SHELL)\s*\[/i.test(line)) {
    return { kind: "manual", reason: "an exec-form (JSON array) instruction does not expand variables: use the shell form or a --secret mount" };
  }
  const state = lexTo(line, start, "\"'", ["#"], true);
  if (state.in === "comment") return { kind: "manual", reason: "in a comment: delete it from the comment" };
  const assignedTo = assignedName(line.slice(0, state.in === "string" ? state.start : start), lines[lineIndex - 1]);
  const dockerArg = language === "dockerfile" ? /^(\s*)ARG\s+([A-Za-z_]\w*)=/i.exec(line) : null;
  const edits = (name: string): Edit[] => {
    // `ARG NAME=secret` keeps its ARG without the default.
    if (dockerArg && dockerArg[2] === name && line.slice(end).trim() === "" && state.in === "code") {
      return [{ start: lineOffset, end: lineOffset + end, text: `${dockerArg[1]}ARG ${name}` }];
    }
    let edit: Edit;
    if (state.in === "code") edit = { start: lineOffset + start, end: lineOffset + end, text: `"\${${name}}"` };
    else if (state.quote === '"') edit = { start: lineOffset + start, end: lineOffset + end, text: `\${${name}}` };
    else {
      const close = closingQuote(line, end, "'", false);
      const whole = state.start === start - 1 && close === end;
      edit = whole
        ? { start: lineOffset + start - 1, end: lineOffset + end + 1, text: `"\${${name}}"` }
        : { start: lineOffset + start, end: lineOffset + end, text: `'"\${${name}}"'` };
    }
    const declared = lines.slice(0, lineIndex).some((earlier) => new RegExp(`^\\s*ARG\\s+${name}\\b`, "i").test(earlier));
    if (language !== "dockerfile" || declared) return [edit];
    const indent = /^\s*/.exec(line)?.[0] ?? "";
    const eol = line.endsWith("\r") ? "\r\n" : "\n";
    return [{ ...insertAt(lineOffset), text: `${indent}ARG ${name}${eol}` }, edit];
  };
  return { kind: "rewrite", assignedTo, edits };
}

/**
 * YAML: `${NAME}`, which docker compose (and most tools that template YAML) replace from the
 * environment; a GitHub Actions workflow reads a repository secret, `${{ secrets.NAME }}`, instead.
 */
function locateInYaml(text: string, line: string, previousLine: string | undefined, lineOffset: number, start: number, end: number): Spot {
  const workflow = /^\s*(?:on|jobs)\s*:/m.test(text) && /^\s*runs-on\s*:/m.test(text);
  return locateInterpolated(line, previousLine, lineOffset, start, end, (name) => (workflow ? `\${{ secrets.${name} }}` : `\${${name}}`), ["#"]);
}

/** Files whose values take `${NAME}` in place, quoted or not (YAML, .npmrc). */
function locateInterpolated(
  line: string,
  previousLine: string | undefined,
  lineOffset: number,
  start: number,
  end: number,
  reference: (name: string) => string,
  comments: readonly string[],
): Spot {
  const state = lexTo(line, start, "\"'", comments, true);
  if (state.in === "comment") return { kind: "manual", reason: "in a comment: delete it from the comment" };
  const assignedTo = assignedName(line.slice(0, state.in === "string" ? state.start : start), previousLine);
  // The default of an interpolation of the same name (`${API_TOKEN:-…}`) goes with its default: `${API_TOKEN}`.
  const defaultOf = INTERPOLATION_DEFAULT.exec(line.slice(0, start));
  return {
    kind: "rewrite",
    assignedTo,
    edits: (name) =>
      defaultOf?.[1] === name && line[end] === "}"
        ? [{ start: lineOffset + defaultOf.index, end: lineOffset + end + 1, text: reference(name) }]
        : [{ start: lineOffset + start, end: lineOffset + end, text: reference(name) }],
  };
}

// `${NAME:-` (a shell's and compose's default) or `${NAME:` (Spring's) right before a value.
const INTERPOLATION_DEFAULT = /\$\{([A-Za-z_][\w-]*):-?$/;

/** Applies edits that do not overlap (the caller drops overlapping ones) to `text`. */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  // Last first, as one at a time would apply them (an insertion before a replacement at the same
  // offset stays before it), then the text is put together once: a file's thousands of edits do not
  // copy it thousands of times.
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  const pieces: string[] = [];
  let end = text.length;
  for (const edit of sorted) {
    pieces.push(text.slice(Math.min(edit.end, end), end), edit.text);
    end = Math.min(edit.start, end);
  }
  pieces.push(text.slice(0, end));
  return pieces.reverse().join("");
}
