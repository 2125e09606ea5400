// Suppression comments written in the scanned file itself. keyscan's own forms, plus the ones users of
// gitleaks, detect-secrets, secretlint and trufflehog already have in their code.
// Next-line forms come first: "keyscan:allow-next-line" must not be read as "keyscan:allow".
const MARKERS =
  /(keyscan:allow-next-line|secretlint-disable-next-line|pragma:\s*allowlist\s+nextline\s+secret)|keyscan:allow|gitleaks:allow|pragma:\s*allowlist\s+secret|secretlint-disable-line|trufflehog:ignore/gi;

/** 1-based lines on which findings are suppressed by a comment. Cheap when the text has no marker. */
export function inlineAllowedLines(text: string): Set<number> {
  const allowed = new Set<number>();
  MARKERS.lastIndex = 0;
  let line = 1;
  let counted = 0;
  for (let marker = MARKERS.exec(text); marker !== null; marker = MARKERS.exec(text)) {
    // Count newlines incrementally: markers come in order.
    for (let at = text.indexOf("\n", counted); at !== -1 && at < marker.index; at = text.indexOf("\n", at + 1)) {
      line++;
      counted = at + 1;
    }
    allowed.add(marker[1] ? line + 1 : line);
  }
  return allowed;
}
