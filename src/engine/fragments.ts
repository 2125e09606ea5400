// Named parts a rule pattern may use, written `(?&name)` (the subroutine call of PCRE, which a
// JavaScript regex refuses, so no valid pattern changes meaning). They are expanded when a rule is
// read, before anything else sees its pattern: a part many rules share is written and changed once.

/**
 * `(?&gap)`: what may stand between a provider's name (and its credential words) and the value.
 * - a label of up to three credential words after a space (`pandadoc private access key = …`);
 * - a declared type before the separator (`: String`, `: &'static str`);
 * - then either a short separator on the line (`=`, `: "`, `=> '`), or one line break after the name
 *   or its `:`/`=`, the value standing alone on the next line or under a key naming a credential
 *   (a YAML block `pandadoc:` then `api_key: …`);
 * - a string prefix (`b"`, `f'`) and a `value` wrapper (`{ value: "…" }`).
 * Bounded throughout, so the search costs a few characters past each keyword.
 */
const GAP =
  `(?:[ \\t](?:api|access|auth|bearer|client|key|personal|private|secret|token|password)[\\w.-]{0,12}){0,3}` +
  `(?:\\s*:?\\s*&?(?:'static\\s+)?[Ss]tr(?:ing)?\\b)?` +
  `(?:[^\\w\\n]{1,8}|["']?[ \\t]{0,4}(?:[:=][ \\t]{0,4})?\\r?\\n[ \\t]{0,24}(?:[\\w.-]{0,20}(?:key|token|secret|pass|auth)[\\w.-]{0,20}["']?[ \\t]{0,3}[:=][ \\t]{0,3})?["'\`]?)` +
  `(?:[bfr]["'])?(?:value[^\\w\\n]{1,3})?`;

const FRAGMENTS: Record<string, string> = { gap: GAP };

/** The pattern with each `(?&name)` replaced by its part; an unknown name is left for the regex compiler to refuse. */
export function expandFragments(pattern: string): string {
  return pattern.replace(/\(\?&(\w+)\)/g, (call, name: string) => FRAGMENTS[name] ?? call);
}
