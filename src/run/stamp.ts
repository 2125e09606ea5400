// The one step that places a match: a path-free match from the engine, and one place its content
// was found, make a finding. A content found at several places (a blob's paths in history, copies of
// a file in the working tree) is scanned once and stamped once a place.
import type { Finding, Match, Provenance } from "../types.js";
import { fingerprint } from "./fingerprint.js";

/** `print`: the match's fingerprint at this place, when the thread that scanned it worked it out already. */
export function stamp(match: Match, provenance: Provenance, print = fingerprint(match.ruleId, provenance.path, match.secret)): Finding {
  const { start: _start, end: _end, ...found } = match;
  return {
    ...found,
    path: provenance.path,
    fingerprint: print,
    ...(provenance.commit ? { commit: provenance.commit } : {}),
  };
}
