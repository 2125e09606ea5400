// Does a rewritten file still parse? JavaScript and TypeScript with a bundled parser (@babel/parser,
// the same on every machine), YAML with the bundled `yaml`; the others with the language's own tool
// when the machine has it (python3, bash, gofmt, ruby, php), fed on standard input so nothing is
// written; each only parses or compiles, none runs the code. A language with no checker here is
// reported as unchecked, never as passing.
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { parse as parseJavaScript, type ParserPlugin } from "@babel/parser";
import { parseAllDocuments } from "yaml";
import type { Language } from "./languages.js";

export type ParseVerdict = { ok: true; checker: string } | { ok: false; checker: string; error: string } | { ok: "unchecked"; why: string };

/** A language's own checker, reading the program on standard input; exit status 0 means it parses. */
const TOOLS: Partial<Record<Language, { command: string; args: string[] }>> = {
  // compile(), as py_compile does: it also catches what parsing alone lets through (a misplaced __future__ import).
  // -I: isolated, so neither the repository's folder nor PYTHON* variables can bring in code.
  python: { command: "python3", args: ["-I", "-c", "import sys; compile(sys.stdin.buffer.read(), '<keyscan fix>', 'exec')"] },
  shell: { command: "bash", args: ["-n"] },
  go: { command: "gofmt", args: ["-e"] },
  ruby: { command: "ruby", args: ["-c"] },
  php: { command: "php", args: ["-l"] },
};

export function checkParses(language: Language, path: string, text: string): ParseVerdict {
  if (language === "javascript" || language === "typescript") return checkJavaScript(path, text);
  if (language === "yaml") {
    const errors = parseAllDocuments(text).flatMap((document) => ("errors" in document ? document.errors : []));
    return errors.length === 0 ? { ok: true, checker: "yaml" } : { ok: false, checker: "yaml", error: firstLine(errors[0]?.message) };
  }
  const tool = TOOLS[language];
  if (!tool) return { ok: "unchecked", why: `no parser for ${language} in keyscan` };
  // Run from the temporary folder, not the repository: a checked repository configures nothing here.
  const result = spawnSync(tool.command, tool.args, { cwd: tmpdir(), input: text, encoding: "utf8", timeout: 20_000 });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT") {
    return { ok: "unchecked", why: `${tool.command} is not installed here` };
  }
  if (result.status === 0) return { ok: true, checker: tool.command };
  return { ok: false, checker: tool.command, error: firstLine(result.stderr || result.error?.message) };
}

function checkJavaScript(path: string, text: string): ParseVerdict {
  const plugins: ParserPlugin[] = /\.[cm]?tsx?$/.test(path) ? ["typescript"] : [];
  if (/\.(?:jsx|tsx|js|mjs|cjs)$/.test(path)) plugins.push("jsx");
  try {
    parseJavaScript(text, { sourceType: "unambiguous", plugins, errorRecovery: false, allowReturnOutsideFunction: true });
    return { ok: true, checker: "@babel/parser" };
  } catch (error) {
    return { ok: false, checker: "@babel/parser", error: firstLine((error as Error).message) };
  }
}

function firstLine(text: string | undefined): string {
  return (text ?? "").trim().split("\n")[0] ?? "";
}
