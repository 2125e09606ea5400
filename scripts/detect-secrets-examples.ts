// Yelp/detect-secrets' labelled examples, read at run time from a snapshot (nothing of theirs is
// committed here). Its own tests label them in two ways, and only what they label is scored:
// 1. tests/plugins/*_test.py: `parametrize("payload, should_flag", [(line, True|False), ...])`
//    per detector (a single-parameter list is lines that must each be flagged), and the keyword
//    detector's `*_TEST_CASES` lists of (line, expected secret or None), each for a file type.
// 2. test_data/: files whose findings its tests check under its default settings.
// The family of an example is the detector's test file (aws_key, slack, keyword, ...).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { moduleConstants, parametrizeCalls, type PyValue, tokenize } from "./python-literals.js";

export interface LabelledExample {
  file: string;
  /** The example as keyscan reads it (a binary file's decoded text: sources/decode.ts). */
  text: string;
  /** The file's own bytes, when they are not its text (a key store): what a peer scanner is given. */
  bytes?: Uint8Array;
  family: string;
  positive: boolean;
  /** Lines holding a labelled secret (1-based); undefined when the whole example is one. */
  lines?: number[];
  /** Labelled secrets reported over several lines (a whole file, a key block): a finding on any of them counts for its first line. */
  spans?: { from: number; to: number }[];
  /** Lines to leave unscored (labelled under settings keyscan has no counterpart for, or whose secret is a placeholder). */
  unscored?: number[];
}

/**
 * Detectors whose findings are not credentials by keyscan's definition: public IP addresses.
 * Their cases are left out (counted in `skipped`), as secretlint's file-policy rules are.
 */
const NOT_CREDENTIALS = new Set(["ip_public"]);

/**
 * The file type each keyword list is checked as in test_keyword (the first of its extensions):
 * the detector reads `password = x` differently in a .conf file and in Python.
 */
function keywordCases(cases: PyValue, family: string, secrets: Set<string>): LabelledExample[] {
  // parse_test_cases([(extension, CASES), ...]) in the parametrize call.
  if (cases.kind !== "call" || cases.args[0]?.kind !== "seq") return [];
  const examples: LabelledExample[] = [];
  const seen = new Set<unknown>();
  for (const pair of cases.args[0].items) {
    if (pair.kind !== "seq" || pair.items[1]?.kind !== "seq") continue;
    const [extension, list] = pair.items as [PyValue, PyValue & { kind: "seq" }];
    if (seen.has(list)) continue;
    seen.add(list);
    const suffix = extension.kind === "str" ? extension.value : "txt";
    list.items.forEach((item, index) => {
      if (item.kind !== "seq" || item.items[0]?.kind !== "str") return;
      const expected = item.items[1];
      if (expected?.kind !== "str" && expected?.kind !== "none") return;
      examples.push({ file: `detect-secrets/${family}/${suffix}-${index}.${suffix}`, text: item.items[0].value, family, positive: expected.kind === "str" });
      if (expected.kind === "str") secrets.add(expected.value);
    });
  }
  return examples;
}

/**
 * The cases of one detector's test file; `unreadable` counts those the literal reader could not evaluate.
 * The keyword detector's cases name the secret they expect; it is added to `secrets`.
 */
function pluginTestExamples(path: string, family: string, secrets: Set<string>): { examples: LabelledExample[]; unreadable: number } {
  const tokens = tokenize(readFileSync(path, "utf8"));
  const env = moduleConstants(tokens);
  const examples: LabelledExample[] = [];
  let unreadable = 0;
  for (const call of parametrizeCalls(tokens, env)) {
    if (call.names.join(",") === "file_extension,line,expected_secret") {
      examples.push(...keywordCases(call.cases, family, secrets));
      continue;
    }
    const flagged = call.names.length === 2 && call.names[1] === "should_flag";
    const mustFlag = call.names.length === 1 && ["line", "payload", "file_content"].includes(call.names[0]!);
    if ((!flagged && !mustFlag) || call.cases.kind !== "seq") continue;
    call.cases.items.forEach((item, index) => {
      const [text, label] = flagged ? (item.kind === "seq" ? item.items : []) : [item, { kind: "bool", value: true } as PyValue];
      if (text?.kind !== "str" || label?.kind !== "bool") {
        unreadable++;
        return;
      }
      examples.push({ file: `detect-secrets/${family}/line${call.line}-${index}.txt`, text: text.value, family, positive: label.value });
    });
  }
  return { examples, unreadable };
}

/**
 * test_data/ files and the labels detect-secrets' tests give them under its default settings:
 * each_secret.py names each value by what it is (red_herring, id, base64_secret, ...);
 * files/file_with_secrets.py blocks a commit and file_with_no_secrets.py does not
 * (tests/pre_commit_hook_test.py); config.env and config.md hold a secret somewhere
 * (tests/core/secrets_collection_test.py, asserted per file); only_comments.yaml none.
 * Lines marked `pragma: allowlist secret` (detect-secrets' own suppression comment) are not scored.
 * config.ini and config.yaml are left out: their tests lower the entropy limits to 3.0.
 */
function testDataExamples(root: string): LabelledExample[] {
  const read = (path: string): string | undefined => (existsSync(join(root, path)) ? readFileSync(join(root, path), "utf8") : undefined);
  const examples: LabelledExample[] = [];
  const add = (path: string, positive: boolean, lines?: number[]): void => {
    const text = read(path);
    if (text === undefined) return;
    const unscored = text.split("\n").flatMap((line, index) => (/pragma: allowlist secret/.test(line) ? [index + 1] : []));
    examples.push({ file: `detect-secrets/${path}`, text, family: "test_data", positive, lines, unscored });
  };
  const eachSecret = read("test_data/each_secret.py");
  if (eachSecret !== undefined) {
    // A line is labelled by its variable's name: `*_secret*`, `*_key`, `basic_auth` hold secrets.
    const lines = eachSecret.split("\n").flatMap((line, index) => (/^(?:\w*secret\w*|\w*_key|basic_auth)\s*=/.test(line) ? [index + 1] : []));
    add("test_data/each_secret.py", true, lines);
  }
  add("test_data/files/file_with_secrets.py", true, [3]);
  add("test_data/files/file_with_no_secrets.py", false);
  add("test_data/config.env", true);
  add("test_data/config.md", true);
  add("test_data/only_comments.yaml", false);
  return examples;
}

/**
 * The secret-length values of a positive case with no expected secret named: its tokens between
 * quotes, spaces and assignment marks of 16+ characters with a digit.
 */
function positiveValues(text: string): string[] {
  return text.split(/[\s"'`=,;()<>]+/).filter((token) => token.length >= 16 && /[0-9]/.test(token));
}

/**
 * Whether `secret` occurs in `text` as a whole token: a negative case that runs a token on past
 * its end (`…_long_`, `…--__extra`) tests the detector's length bound, and stays a negative.
 */
function holdsWhole(text: string, secret: string): boolean {
  // A token may end in base64's `=` padding; it may follow an assignment's `=`.
  for (let at = text.indexOf(secret); at !== -1; at = text.indexOf(secret, at + 1)) {
    if (!/[\w+/-]/.test(text[at - 1] ?? " ") && !/[\w+/=-]/.test(text[at + secret.length] ?? " ")) return true;
  }
  return false;
}

/**
 * The labelled examples; `unreadable` counts cases the literal reader could not evaluate, `skipped`
 * the public-IP detector's, and `positiveValueNegatives` the negative cases that hold, word for
 * word, a positive case or its secret: another detector's positive (a GitHub token among the GitLab
 * detector's negatives), or the same secret in a syntax the detector's own parser does not read (an
 * `_authToken=` line without the registry's `//host/:` before it; the keyword detector's secret in
 * single quotes in an Objective-C file, which its C grammar wants in double quotes). A negative case
 * says its detector must not match there, not that the text holds no secret, so it is not scored as a
 * negative (as the rule-file sets do: peers.ts).
 */
export function detectSecretsExamples(root: string): { examples: LabelledExample[]; unreadable: number; skipped: number; positiveValueNegatives: number } {
  const cases: LabelledExample[] = [];
  const secrets = new Set<string>();
  let unreadable = 0;
  let skipped = 0;
  const plugins = join(root, "tests", "plugins");
  for (const name of readdirSync(plugins).filter((file) => file.endsWith("_test.py")).sort()) {
    const family = name.replace(/_test\.py$/, "");
    const read = pluginTestExamples(join(plugins, name), family, secrets);
    if (NOT_CREDENTIALS.has(family)) skipped += read.examples.length;
    else {
      cases.push(...read.examples);
      unreadable += read.unreadable;
    }
  }
  const positives = cases.filter((example) => example.positive);
  const positiveTexts = new Set(positives.map((example) => example.text.trim()));
  for (const example of positives) for (const value of positiveValues(example.text)) secrets.add(value);
  const holdsPositive = (text: string): boolean => positiveTexts.has(text.trim()) || [...secrets].some((secret) => holdsWhole(text, secret));
  const scored = cases.filter((example) => example.positive || !holdsPositive(example.text));
  return { examples: [...scored, ...testDataExamples(root)], unreadable, skipped, positiveValueNegatives: cases.length - scored.length };
}
