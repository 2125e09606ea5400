// Named parts a rule pattern may use, written `(?&name)` (the subroutine call of PCRE, which a
// JavaScript regex refuses, so no valid pattern changes meaning). They are expanded when a rule is
// read, before anything else sees its pattern: a part many rules share is written and changed once.

// The pieces the parts are made of.
/** A declared type before the separator: `: String`, `: &'static str`. */
const DECLARED_TYPE = `(?:\\s*:?\\s*&?(?:'static\\s+)?[Ss]tr(?:ing)?\\b)?`;
/** A short separator on the name's line: `=`, `: "`, `=> '`. */
const SEPARATOR = `[^\\w\\n]{1,8}`;
/** A string's prefix: `b"`, `f'`. */
const STRING_PREFIX = `(?:[bfr]["'])?`;
/** Up to three credential words after a space: `pandadoc private access key = …`. */
const LABEL = `(?:[ \\t](?:api|access|auth|bearer|client|key|personal|private|secret|token|password)[\\w.-]{0,12}){0,3}`;
/**
 * One line break after the name or its `:`/`=`, the value standing alone on the next line or under a
 * key naming a credential (a YAML block `pandadoc:` then `api_key: …`).
 */
const NEXT_LINE = `["']?[ \\t]{0,4}(?:[:=][ \\t]{0,4})?\\r?\\n[ \\t]{0,24}(?:[\\w.-]{0,20}(?:key|token|secret|pass|auth)[\\w.-]{0,20}["']?[ \\t]{0,3}[:=][ \\t]{0,3})?["'\`]?`;
/**
 * Words that may stand between a provider's name and the credential word a rule wants after it, in prose:
 * `Foursquare client secret`, `Zoom API secret`, `Agora app certificate`.
 */
const QUALIFIER = `(?:api|access|account|admin|app|application|auth|bot|client|developer|master|oauth|partner|personal|private|project|secret|server|service|user)`;
/** A `value` wrapper: `{ value: "…" }`. */
const VALUE_WRAPPER = `(?:value[^\\w\\n]{1,3})?`;

/**
 * The parts, each bounded throughout, so a search costs a few characters past each keyword:
 * - `(?&gap)`: what may stand between a provider's name and its value: a label, a declared type, then a
 *   separator on the line or one line break, a string prefix and a `value` wrapper;
 * - `(?&sep)`: the same on one line, without a label, for the rules whose name part already ends in a
 *   credential word (`aws…secret`, `heroku…key`);
 * - `(?&apart)`: the credential word a rule wants after a provider's name standing as a word of its own,
 *   as notes, READMEs and comments write it (`Foursquare client secret: …`): blanks and up to two
 *   qualifying words. A rule writes it as the other way to reach its word, `name(?:[\w.-]{0,20}|(?&apart))key`,
 *   so the name alone (`zoom …`, `swell …`) still never matches.
 */
const FRAGMENTS: Record<string, string> = {
  gap: `${LABEL}${DECLARED_TYPE}(?:${SEPARATOR}|${NEXT_LINE})${STRING_PREFIX}${VALUE_WRAPPER}`,
  sep: `${DECLARED_TYPE}${SEPARATOR}${STRING_PREFIX}`,
  // Two nested optional words rather than {0,2}, which the backtracking check (regex-guard.ts) reads as ambiguous.
  apart: `[ \\t]{1,4}(?:${QUALIFIER}[ \\t]{1,4}(?:${QUALIFIER}[ \\t]{1,4})?)?`,
};

/** The pattern with each `(?&name)` replaced by its part; an unknown name is left for the regex compiler to refuse. */
export function expandFragments(pattern: string): string {
  return pattern.replace(/\(\?&(\w+)\)/g, (call, name: string) => FRAGMENTS[name] ?? call);
}

/**
 * The pattern with each part's text written as its call again: the inverse of expandFragments, for the
 * build to store a deferred rule's pattern short (a part's text is ~400 characters, shared by hundreds of
 * rules). Exact: expanding the result gives the pattern back, whatever else it holds.
 */
export function collapseFragments(pattern: string): string {
  let collapsed = pattern;
  for (const [name, text] of Object.entries(FRAGMENTS)) collapsed = collapsed.split(text).join(`(?&${name})`);
  return collapsed;
}
