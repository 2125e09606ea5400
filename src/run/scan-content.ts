// One content scanned, on whichever thread has its text: the engine's matches, with the rules that
// skip the content's path left out, placed in the file (a big file's window is shifted), and those
// covered by a suppression comment marked, since only here is the text at hand (the filters drop them);
// so are those a bundler would ship to the browser (engine/exposure.ts).
import { markBrowserExposure } from "../engine/exposure.js";
import { configFileKind, type ConfigFileKind } from "../engine/config-files.js";
import { findMatches } from "../engine/scan.js";
import { type Ruleset, rulesSkippedAt } from "../engine/ruleset.js";
import { inlineAllowedLines } from "../filters/inline.js";
import type { Chunk, Match } from "../types.js";

/**
 * `skip` (rulesSkippedAt) and `configFile` (configFileKind) for the chunk's path, when the caller has them
 * already (a file's content id needs them too).
 */
export function scanContent(
  chunk: Pick<Chunk, "path" | "text" | "window">,
  ruleset: Ruleset,
  skip: readonly string[] = rulesSkippedAt(ruleset, chunk.path),
  configFile: ConfigFileKind = configFileKind(chunk.path),
): Match[] {
  const found = findMatches(chunk.text, ruleset, {
    ...(skip.length > 0 ? { skip: new Set(skip) } : {}),
    ...(configFile ? { configFile } : {}),
  });
  if (found.length === 0) return found;
  const window = chunk.window;
  const allowed = inlineAllowedLines(chunk.text);
  const exposed = markBrowserExposure(found, chunk.text);
  const marked = allowed.size === 0 ? exposed : exposed.map((match) => (coversAny(allowed, match) ? { ...match, allowedInline: true as const } : match));
  return window ? marked.filter((match) => match.start < window.handOff).map((match) => inWindow(match, window)) : marked;
}

function coversAny(lines: ReadonlySet<number>, match: Match): boolean {
  for (let line = match.line; line <= match.endLine; line++) if (lines.has(line)) return true;
  return false;
}

/** A match in a window's text (see Chunk.window) as a match in its file, the window starting at `window`'s line and column. */
export function inWindow(match: Match, window: Pick<NonNullable<Chunk["window"]>, "line" | "column">): Match {
  return {
    ...match,
    line: match.line + window.line - 1,
    column: match.line === 1 ? match.column + window.column - 1 : match.column,
    endLine: match.endLine + window.line - 1,
    endColumn: match.endLine === 1 ? match.endColumn + window.column - 1 : match.endColumn,
  };
}
