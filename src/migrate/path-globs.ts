// gitleaks allow-list paths are Go regexes tested anywhere in the path; keyscan's are picomatch globs
// (with `dot: true`) matched against the whole path. The common shapes convert exactly:
//   ^docs/       anchored start            (?:^|/)vendor/   start of any segment   \.pem   anywhere
//   \.lock$      anchored end              (?:/.*)?$        the name or anything under it
// with a middle made of literal characters and `(?:a|b)` alternations of literals (braces in a glob).
// A leading `(?i)` spells out both cases ([aA]). Anything else is refused, and the caller warns.

type Start = "anchored" | "segment" | "anywhere";

const PREFIX: Record<Start, string> = { anchored: "", segment: "**/", anywhere: "**/*" };
const GLOB_SPECIAL = new Set([..."*?[]{}()!+@\\,"]);

/** Globs matching exactly the paths the Go regex matches, or undefined when it is not a simple shape. */
export function pathRegexToGlobs(source: string): string[] | undefined {
  let rest = source;
  const fold = rest.startsWith("(?i)");
  if (fold) rest = rest.slice(4);

  let start: Start = "anywhere";
  if (rest.startsWith("^")) {
    start = "anchored";
    rest = rest.slice(1);
  } else if (rest.startsWith("(?:^|/)")) {
    start = "segment";
    rest = rest.slice("(?:^|/)".length);
  }

  // Unanchored at the end, the literal may stop inside a segment: that segment ends here or later.
  let ends = ["*", "*/**"];
  if (rest.endsWith("(?:/.*)?$")) {
    ends = ["", "/**"];
    rest = rest.slice(0, -"(?:/.*)?$".length);
  } else if (rest.endsWith("$") && !rest.endsWith("\\$")) {
    ends = [""];
    rest = rest.slice(0, -1);
  }

  const middle = literalGlob(rest, fold);
  if (middle === undefined || middle === "") return undefined;
  return ends.map((end) => `${PREFIX[start]}${middle}${end}`);
}

/** The regex body as a glob when it is literal characters and `(?:a|b)` groups of literals. */
function literalGlob(body: string, fold: boolean): string | undefined {
  let out = "";
  let pos = 0;
  while (pos < body.length) {
    if (body.startsWith("(?:", pos)) {
      const close = body.indexOf(")", pos);
      if (close === -1 || body[close + 1] === "?" || body[close + 1] === "*" || body[close + 1] === "+") return undefined;
      const alternatives = body.slice(pos + 3, close).split("|").map((alternative) => literalGlob(alternative, fold));
      if (alternatives.some((alternative) => alternative === undefined || alternative === "" || alternative.includes("{"))) {
        return undefined;
      }
      out += `{${alternatives.join(",")}}`;
      pos = close + 1;
      continue;
    }
    let char = body[pos] ?? "";
    if (char === "\\") {
      char = body[pos + 1] ?? "";
      if (!/[!-/:-@[-`{-~]/.test(char)) return undefined; // \d, \w, \b...: not literal
      pos += 2;
    } else {
      if (/[.^$*+?()[\]{}|]/.test(char)) return undefined;
      pos++;
    }
    const lower = char.toLowerCase();
    const upper = char.toUpperCase();
    if (fold && lower !== upper) out += `[${lower}${upper}]`;
    else out += GLOB_SPECIAL.has(char) ? `\\${char}` : char;
  }
  return out;
}
