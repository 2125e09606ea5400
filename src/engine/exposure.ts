// Secrets a bundler will ship to every visitor: frameworks inline environment variables whose names
// start with a public prefix into the client-side JavaScript they build. A key assigned to such a name —
// in a .env file, a config's `define`/`env` block, or as the default of an `import.meta.env`/`process.env`
// read — is public the moment the site deploys, even when the .env file itself is never committed.
import type { Match, Severity } from "../types.js";

/** The public prefixes, and the tool that inlines variables carrying them (from each framework's documentation). */
const PUBLIC_PREFIXES: readonly [prefix: string, framework: string][] = [
  ["VITE_", "Vite"],
  ["NEXT_PUBLIC_", "Next.js"],
  ["REACT_APP_", "Create React App"],
  ["VUE_APP_", "Vue CLI"],
  ["EXPO_PUBLIC_", "Expo"],
  ["NUXT_PUBLIC_", "Nuxt"],
  ["GATSBY_", "Gatsby"],
  ["STORYBOOK_", "Storybook"],
  ["PUBLIC_", "SvelteKit and Astro"],
];

/**
 * The text just before a secret, when it assigns the secret to a public name: `VITE_KEY=`, `"NEXT_PUBLIC_KEY": "`,
 * `'import.meta.env.VITE_KEY': JSON.stringify("`, `process.env.REACT_APP_KEY ?? '`. Anchored at the end and
 * run on a bounded slice, so it costs a few steps per finding whatever the line.
 */
const PUBLIC_ASSIGNMENT = new RegExp(
  String.raw`(?:^|[^\w$])(?:import\.meta\.env\.|process\.env\.)?((?:${PUBLIC_PREFIXES.map(([prefix]) => prefix).join("|")})\w*)` +
    String.raw`["'\x60\]]?\s*(?:=|:|\?\?|\|\|)\s*(?:JSON\.stringify\(\s*)?["'\x60]*$`,
);

/** How far before the secret the assignment may start. */
const LOOK_BEHIND = 160;

const RAISED: Record<Severity, Severity> = { low: "medium", medium: "high", high: "critical", critical: "critical" };

/**
 * Marks the matches whose secret is assigned to a public name: exposure "browser", severity one step up,
 * a note naming the tool. Lines and columns are the matches' own, in `text`.
 */
export function markBrowserExposure(matches: Match[], text: string): Match[] {
  let lineStarts: number[] | undefined;
  return matches.map((match) => {
    lineStarts ??= startsOfLines(text);
    const lineStart = lineStarts[match.line - 1];
    if (lineStart === undefined) return match;
    const at = lineStart + match.column - 1;
    const before = text.slice(Math.max(lineStart, at - LOOK_BEHIND), at);
    const name = PUBLIC_ASSIGNMENT.exec(before)?.[1];
    if (!name) return match;
    const [prefix, framework] = PUBLIC_PREFIXES.find(([candidate]) => name.startsWith(candidate)) ?? ["", ""];
    return {
      ...match,
      exposure: "browser",
      severity: RAISED[match.severity],
      notes: [...(match.notes ?? []), `${framework} inlines every ${prefix} variable (here ${name}) into the JavaScript it builds`],
    };
  });
}

function startsOfLines(text: string): number[] {
  const starts = [0];
  for (let index = text.indexOf("\n"); index !== -1; index = text.indexOf("\n", index + 1)) starts.push(index + 1);
  return starts;
}
