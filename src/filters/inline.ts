// Suppression comments written in the scanned file itself. keyscan's own forms, plus the ones users of
// gitleaks, detect-secrets, secretlint and trufflehog already have in their code.
// Next-line forms come first: "keyscan:allow-next-line" must not be read as "keyscan:allow". A bare
// "secretlint-disable" (not -line, -next-line) opens a block that "secretlint-enable" closes; rule
// names after it are not read: the block suppresses every finding.
const MARKERS =
  /(keyscan:allow-next-line|secretlint-disable-next-line|pragma:\s*allowlist\s+nextline\s+secret)|(secretlint-disable(?![-\w]))|(secretlint-enable(?![-\w]))|keyscan:allow|gitleaks:allow|pragma:\s*allowlist\s+secret|secretlint-disable-line|trufflehog:ignore/gi;

/** 1-based lines on which findings are suppressed by a comment. Cheap when the text has no marker. */
export function inlineAllowedLines(text: string): Set<number> {
  const allowed = new Set<number>();
  MARKERS.lastIndex = 0;
  let line = 1;
  let counted = 0;
  const countLinesTo = (offset: number) => {
    // Count newlines incrementally: markers come in order.
    for (let at = text.indexOf("\n", counted); at !== -1 && at < offset; at = text.indexOf("\n", at + 1)) {
      line++;
      counted = at + 1;
    }
  };
  let blockFrom: number | undefined;
  const closeBlock = () => {
    for (let inBlock = blockFrom ?? line; inBlock <= line; inBlock++) allowed.add(inBlock);
    blockFrom = undefined;
  };
  for (let marker = MARKERS.exec(text); marker !== null; marker = MARKERS.exec(text)) {
    countLinesTo(marker.index);
    if (marker[2]) blockFrom ??= line;
    else if (marker[3]) {
      if (blockFrom !== undefined) closeBlock();
    } else allowed.add(marker[1] ? line + 1 : line);
  }
  if (blockFrom !== undefined) {
    // A block never closed runs to the end of the text.
    countLinesTo(text.length);
    closeBlock();
  }
  return allowed;
}
