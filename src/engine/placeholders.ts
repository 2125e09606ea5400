// Values that have a credential's shape but not its substance: templates, documentation
// placeholders, masked and repetitive strings. Checked for every rule's secret.
import { groupEnd } from "./brackets.js";
import { isDrawnFromPrintable } from "./randomness.js";

// `$(` and `%(` count only as they open a substitution: `$(name` then a space, `)` or the end (a shell
// command, a Makefile variable), and Python's `%(name)`. The pairs alone turn up in generated keys:
// Django's alphabet holds `$`, `%`, `(` and `)`. `${` and `{{` are read by hasInterpolation.
const TEMPLATE_OR_PLACEHOLDER =
  /\$\([A-Za-z_][\w.-]*(?:[\s)]|$)|%\(\w+\)|\u2026|x{5,}|your[_-]?(?:api|access|secret|token|key|password)|(?:api|access|secret)[_-]?key[_-]?here|example|placeholder|dummy|\bfake|fake[_.-]|redacted|changeme|change[_-]me|replace[_-]?me|insert[_-]?(?:key|token|your)/i;

// Signs written in punctuation, `<…>`, `...`, `***` and `####`, mark a value a person left for
// another to fill in; a key drawn from letters, digits and punctuation alike holds them by chance
// (one WordPress salt in six holds a `<` before a `>`), and is judged without them.
const PUNCTUATION_SIGN = /<[^>]*>|\.\.\.|\*{3,}|#{4,}/;

/** A run of six characters each one code point above, or each one below, the last ("abcdef", "123456", "FEDCBA", "987654"). */
function hasSequence(text: string): boolean {
  let up = 1;
  let down = 1;
  for (let i = 1; i < text.length; i++) {
    const step = text.charCodeAt(i) - text.charCodeAt(i - 1);
    up = step === 1 ? up + 1 : 1;
    down = step === -1 ? down + 1 : 1;
    if (up >= 6 || down >= 6) return true;
  }
  return false;
}

/** Few distinct characters ("aaaaaaaa1111", "abababababab"): random keys of 12+ characters have many. */
function isRepetitive(text: string): boolean {
  return text.length >= 12 && new Set(text).size < 6;
}

// The longest unit a value typed by repeating it is looked for with (`abcd1234`, `Asdf1234`), how
// many copies of it make the repeat (two and a half: a copy may be cut short at the value's end), and
// how much of the value the repeats must cover (a head or a tail such as `--__` may lie outside them).
const MAX_REPEATED_UNIT = 16;
const MIN_COPIES = 2.5;
const MIN_REPEATED_SHARE = 3 / 4;
// How long a run of consecutive characters at every other place gives away `a1b2c3d4e5f6…`.
const INTERLEAVED_RUN = 6;
// How long a run of consecutive letters, or of digits, read alone gives away `ABCD1234EFGH5678…`,
// `abc123def456ghi789…` and the RFC 4122 sample UUID `123e4567-e89b-12d3-…`. Seven, not six: the
// letters of random hex are a to f, so "abcdef" turns up among them about once in a thousand keys;
// seven consecutive digits turn up in about one random 64-digit hex key in 30,000.
const STEPPED_RUN = 7;
// Only values of a key's length are judged as typed: a PEM body or a bundle of thousands of random
// characters holds seven consecutive digits by chance (one 4096-bit key in two thousand).
const MAX_TYPED_LENGTH = 128;

/** The longest stretch of `text` that repeats itself `unit` characters on, unit included. */
function periodicStretch(text: string, unit: number): number {
  let longest = 0;
  let run = 0;
  for (let i = unit; i < text.length; i++) {
    run = text.charCodeAt(i) === text.charCodeAt(i - unit) ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return longest === 0 ? 0 : longest + unit;
}

/** A run of STEPPED_RUN letters, or digits, each one after the last (9 then 0), the other characters skipped. */
function hasSteppedRun(lower: string): boolean {
  let letterRun = 0;
  let lastLetter = -2;
  let digitRun = 0;
  let lastDigit = -2;
  for (let i = 0; i < lower.length; i++) {
    const code = lower.charCodeAt(i);
    if (code >= 97 && code <= 122) {
      letterRun = code === lastLetter + 1 ? letterRun + 1 : 1;
      lastLetter = code;
      if (letterRun >= STEPPED_RUN) return true;
    } else if (code >= 48 && code <= 57) {
      const digit = code - 48;
      digitRun = lastDigit >= 0 && digit === (lastDigit + 1) % 10 ? digitRun + 1 : 1;
      lastDigit = digit;
      if (digitRun >= STEPPED_RUN) return true;
    }
  }
  return false;
}

// How many pairs of adjacent letters must switch case, all of them, for a value to be typed in alternating
// case (`aLpHaNuM3R1c`): each pair of a random key's mixed-case letters switches half the time, so all of
// 16 switch in one key of 65,000 that has so many pairs, and fewer in keys that have more. Alternating
// case alone is also how a person types a key meant to pass for random (`RtYv7BnMq2Ws…`), which is still
// a key to report; made-up text dressed as one spells out what it stands for (ALTERNATING_NAMES_ITSELF).
const MIN_ALTERNATING_PAIRS = 16;
const ALTERNATING_NAMES_ITSELF = /secret|passw|token/;

/** Every two letters side by side differ in case, over MIN_ALTERNATING_PAIRS pairs or more (`SeCrEt+aLpHa`). */
function alternatesCase(text: string): boolean {
  let pairs = 0;
  for (let i = 1; i < text.length; i++) {
    const previous = text.charCodeAt(i - 1);
    const code = text.charCodeAt(i);
    const previousUpper = previous >= 65 && previous <= 90;
    const upper = code >= 65 && code <= 90;
    if (!(previousUpper || (previous >= 97 && previous <= 122)) || !(upper || (code >= 97 && code <= 122))) continue;
    if (previousUpper === upper) return false;
    pairs++;
  }
  return pairs >= MIN_ALTERNATING_PAIRS;
}

/**
 * Typed by a person rather than made by a generator: a unit repeated (MIN_COPIES) whatever
 * the case (`abcd1234abcd1234ABCD1234…`, `kd8j` then `2h4jf9s8mf6l4k9j` nearly thrice), two runs of
 * consecutive characters interleaved (`a1b2c3d4e5f6…`, `1a2b3c…`), the letters or digits read
 * alone counting up (`ABCD1234EFGH5678…`), or words typed in alternating case that spell out what
 * they stand for (`AmAz0n+SeCrEt…`, made-up text dressed as a key). Random strings of key length
 * have none of these. The work is bounded by MAX_TYPED_LENGTH times MAX_REPEATED_UNIT.
 */
export function isTypedPattern(text: string): boolean {
  if (text.length > MAX_TYPED_LENGTH) return false;
  const lower = text.toLowerCase();
  if (alternatesCase(text) && ALTERNATING_NAMES_ITSELF.test(lower)) return true;
  for (let unit = 1; unit <= MAX_REPEATED_UNIT && unit * MIN_COPIES <= lower.length; unit++) {
    const stretch = periodicStretch(lower, unit);
    if (stretch >= unit * MIN_COPIES && stretch >= lower.length * MIN_REPEATED_SHARE) return true;
  }
  for (const offset of [0, 1]) {
    let run = 1;
    for (let i = offset + 2; i < lower.length; i += 2) {
      run = lower.charCodeAt(i) === lower.charCodeAt(i - 2) + 1 ? run + 1 : 1;
      if (run >= INTERLEAVED_RUN) return true;
    }
  }
  return hasSteppedRun(lower);
}

// How far an interpolation's expression is read: longer ones (a template's whole pipeline) count as
// templates unread, and the work per opening brace stays bounded.
const MAX_INTERPOLATION = 200;
// What may stand between an interpolation's braces and the name it reads: spaces, a third brace
// (`${{ secrets.X }}`, `{{{raw}}}`), the sigils of shell (`${!ref}`, `${#list}`), Go templates
// (`{{ .Values.x }}`, `{{- $x }}`), Handlebars (`{{#each}}`, `{{> partial}}`, `{{@index}}`), and
// the quote or bracket of a literal or group piped on (`{{'LOGIN.PASSWORD'|translate}}`, `${(a)}`).
const BEFORE_INTERPOLATED_NAME = /[\s{!#.>&^/~*@$'"([-]/;
const DEFAULT_AFTER_NAME = /^[A-Za-z_][\w.-]*:-?/;

/**
 * A template's interpolation: `${…}` or `{{…}}` around an expression, which starts with a
 * name (after the sigils above) and pairs its brackets (`${a.b:-x}`, `{{ x | f('y') }}`,
 * `${this.relative(file)}`), or is cut by the value's end (a bare value stops at `}`: `${API_KEY`).
 * Braces around anything else are punctuation (`m{{h}o)p${e]n…`, a key drawn from symbols).
 */
function hasInterpolation(text: string): boolean {
  for (let brace = text.indexOf("{"); brace !== -1; brace = text.indexOf("{", brace + 1)) {
    const before = text[brace - 1];
    if (before !== "$" && text[brace + 1] !== "{") continue;
    let nameAt = brace + 1;
    while (nameAt < text.length && BEFORE_INTERPOLATED_NAME.test(text[nameAt] ?? "")) nameAt++;
    if (nameAt < text.length && !/\w/.test(text[nameAt] ?? "")) continue;
    // A name and its default (`${DB_PASSWORD:-…}`, Spring's `${db.password:…}`): the default is text to
    // the first `}`, its brackets anyone's.
    if (before === "$" && DEFAULT_AFTER_NAME.test(text.slice(brace + 1, brace + 1 + MAX_INTERPOLATION))) return true;
    if (groupEnd(text, brace, MAX_INTERPOLATION) !== "mismatched") return true;
  }
  return false;
}

export function looksLikePlaceholder(secret: string): boolean {
  return TEMPLATE_OR_PLACEHOLDER.test(secret) || (PUNCTUATION_SIGN.test(secret) && !isDrawnFromPrintable(secret)) || hasInterpolation(secret) || hasSequence(secret) || isRepetitive(secret) || isTypedPattern(secret);
}

// The rows of a keyboard, each in key order: what a hand runs along when it types a stand-in.
const KEYBOARD_ROWS = ["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"];
// The shortest run along a row that counts as part of a walk (`asdf`, `1234`).
const MIN_WALK_RUN = 4;

/**
 * A keyboard walk: runs of 4 or more keys along a row, one after another, and nothing else
 * (`qwerty`, `asdf1234`, `asdfqwer1234asdf`, `12341234`): typed as a stand-in for a password.
 */
export function isKeyboardWalk(text: string): boolean {
  const lower = text.toLowerCase();
  let run = 1;
  for (let i = 1; i <= lower.length; i++) {
    const previous = lower[i - 1] ?? "";
    const row = KEYBOARD_ROWS.find((keys) => keys.includes(previous));
    if (i < lower.length && row !== undefined && row[row.indexOf(previous) + 1] === lower[i]) {
      run++;
      continue;
    }
    if (run < MIN_WALK_RUN) return false;
    run = 1;
  }
  return lower.length >= MIN_WALK_RUN;
}

/** Each run of letters and each run of digits counts up or down by one and is 3 long or more: `abcd1234`, `xyz-789`. */
function isCountingRuns(text: string): boolean {
  const runs = text.split(/[-_.]/).flatMap((piece) => piece.match(/[a-z]+|[A-Z]+|\d+|[^a-zA-Z\d]+/g) ?? []);
  return runs.length > 0 && runs.every((run) => run.length >= 3 && countsByOne(run));
}

function countsByOne(run: string): boolean {
  const step = run.charCodeAt(1) - run.charCodeAt(0);
  if (step !== 1 && step !== -1) return false;
  for (let i = 2; i < run.length; i++) if (run.charCodeAt(i) - run.charCodeAt(i - 1) !== step) return false;
  return true;
}

// The stand-ins a test or a document spells with punctuation in or around them: a URL parser's test puts a
// character that must be encoded into `foo:bar` (`bar%2F`, `bar=bar`, `b=ar`), and a test user's password
// swaps a symbol for a letter of the word it stands for (`pa$s`, `s$cr$t`), as `pa$$word` does.
const PUNCTUATED_STAND_INS = ["password", "passwd", "pass", "pwd", "secret", "foo", "bar", "baz", "qux", "test", "user", "admin", "root", "guest", "demo", "example", "sample", "dummy", "changeme"];
// Longer values are not judged, so the work per value stays bounded.
const MAX_PUNCTUATED_LENGTH = 32;
const isAsciiPunctuation = (char: string): boolean => /^[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]$/.test(char);

/**
 * Where `word` can end when it is spelled from `from` on: each of its letters written, or a punctuation
 * character in its place, with punctuation put in between its letters, and at least half its letters
 * written as they are (`b=ar` and `pa$s` spell bar and pass; `$$$` spells nothing).
 */
function spellingEnds(text: string, from: number, word: string): number[] {
  // written[j][k]: most letters written as they are with word[0..j) spelled by text[from..k); -1 unreachable.
  const span = text.length - from;
  const written = Array.from({ length: word.length + 1 }, () => new Array<number>(span + 1).fill(-1));
  (written[0] as number[])[0] = 0;
  for (let j = 0; j <= word.length; j++) {
    const row = written[j] as number[];
    for (let k = 0; k <= span; k++) {
      const count = row[k] ?? -1;
      if (count < 0 || k === span) continue;
      const char = text[from + k] ?? "";
      if (isAsciiPunctuation(char) && j > 0 && j < word.length) row[k + 1] = Math.max(row[k + 1] ?? -1, count);
      if (j < word.length && (char === word[j] || isAsciiPunctuation(char))) {
        const next = written[j + 1] as number[];
        next[k + 1] = Math.max(next[k + 1] ?? -1, count + (char === word[j] ? 1 : 0));
      }
    }
  }
  const last = written[word.length] as number[];
  const ends: number[] = [];
  for (let k = 1; k <= span; k++) if ((last[k] ?? -1) * 2 >= word.length) ends.push(from + k);
  return ends;
}

/**
 * Stand-in words with punctuation in, between or around them and no digit (`bar%bar`, `bar/`, `b=ar`,
 * `pa$s`, `s$cr$t`): a URL parser's test input or a test user's stand-in, not a password anyone chose. With
 * a digit it is read as chosen (`p4ss!`), as `passW0rd123` is; so it is with letters no stand-in spells (`nota%hex`).
 */
function isPunctuatedStandIn(password: string): boolean {
  if (password.length > MAX_PUNCTUATED_LENGTH || !/^[\x21-\x7e]+$/.test(password) || /\d/.test(password) || !/[a-z]/i.test(password) || /^[a-z]+$/i.test(password)) return false;
  const text = password.toLowerCase();
  const reached = new Array<boolean>(text.length + 1).fill(false);
  reached[0] = true;
  for (let at = 0; at < text.length; at++) {
    if (!reached[at]) continue;
    const char = text[at] ?? "";
    const punctuation = isAsciiPunctuation(char);
    if (punctuation) reached[at + 1] = true;
    for (const word of PUNCTUATED_STAND_INS) {
      // A word starts with its first letter or with punctuation in its place.
      if (!punctuation && word[0] !== char) continue;
      for (const end of spellingEnds(text, at, word)) reached[end] = true;
    }
  }
  return reached[text.length] === true;
}

// A URN (RFC 8141: `urn:`, a namespace, a colon) names where the password is kept, as a path does
// (`urn:k8s:secret:oidc:redisPass`, a Kubernetes secret's key): a reference, not the password.
const URN = /^urn:[a-z0-9][a-z0-9-]{0,31}:\S/i;

// Words of one case between separators (`private-reg-token`, `SECRET_KEY`, `foo:bar`), with one digit at
// most after them, or with digits after them that count (`admin123`, `auth-token-12345`); and words
// joined in camel case as code names things (`authToken`, `ApiKey`, `UserId`; a capitalised `Token`),
// with one digit at most (`mySecret789` is a password someone chose).
const ONE_CASE_WORDS = "(?:[a-z]+(?:[-_.:][a-z]+)*|[A-Z]+(?:[-_.:][A-Z]+)*)";
const CAMEL_CASE_WORDS = "(?:[A-Za-z][a-z]*(?:[A-Z][a-z]+)+|[A-Z][a-z]+)";
const STAND_IN_WORDS = new RegExp(`^(?:${ONE_CASE_WORDS}|${CAMEL_CASE_WORDS})\\d?$`);
const STAND_IN_WORDS_COUNTING = new RegExp(`^${ONE_CASE_WORDS}[-_.]?(\\d{3,})$`);

// Single letters or digits between separators (`B:C:D`, `x-y-z`): a test's stand-in for parts, as `A:B` is.
const SINGLE_CHARACTERS_APART = /^[a-z\d](?:[-_.:/][a-z\d]){2,}$/i;

/** Words a placeholder password is made of: it names what goes there, or it is a stock stand-in. */
const STAND_IN_WORD = /pass|pwd|secret|token|key|cred|auth|user|admin|login|root|guest|example|sample|test|demo|dummy|default|changeme|foo|bar|baz|qux/i;

/**
 * A password that documentation and tests write for "a password here", as a URL, a connection
 * string, a command's password option or an .npmrc carries it (URL-encoded): a word list (`password`,
 * `pass1`, `changeme`, `foo`, `null`, documentation's stock `foobared` and `hunter2`, the names
 * database images take as default passwords, `postgres`, `mongodb`, Java's keystores' default `changeit`
 * and the `tiger` of Oracle's sample `scott/tiger`), words between spaces (or a form's
 * `+`) without a digit (`one+two?`: prose), a keyboard walk (`qwerty`, `asdf1234`), runs that count
 * (`abcd1234`) or stand-in words before digits that count (`admin123`, `auth-token-12345`), a template,
 * variable, path or URN (`{PASS}`, `%s`, `$DB_PASS`, `%DB_PASSWORD%`, `#{pwd}`, a query `?collection=a`,
 * `/run/secrets/db`, `urn:k8s:secret:db:pass`), words of one case or in camel case that name
 * a credential or stand in for one (`SECRET_KEY`, `private-reg-token`, `MYTOKEN0`, `smtp_user`, `authToken`,
 * `ApiKey`), single characters between separators (`B:C:D`), fewer
 * than 4 distinct characters (`1111`), stand-in words spelled with punctuation and no digit (`bar%bar`,
 * `pa$s`, `s$cr$t`: isPunctuatedStandIn), the word "password" (`_password@123`), or, without a digit,
 * spelling out "password" or "secret" (`pa$$word`, `apiSecret`). Anything else is a password someone
 * chose, whatever its entropy: `passW0rd123`, `mySecret789`, and plain words such as `tangerine`,
 * which people pick as readily as `Tangerine!7`; where the password stands (a URL, a `-p` option)
 * says it is one.
 */
export function isPlaceholderPassword(password: string): boolean {
  let text = password;
  try {
    text = decodeURIComponent(password);
  } catch {
    // Not valid URL encoding (`nota%hex`): judged as written.
  }
  return (
    /^(?:password|passw(?:or)?d|pass|pwd|secret|changeme|changeit|tiger|example|test|user|admin|root|guest|demo|sample|default|anonymous|foo|bar|baz|qux|null|nil|none|undefined|true|false|postgres|mysql|mariadb|mongo(?:db)?|redis|rabbitmq|oracle|foobared|hunter)[-_]?\d*$/i.test(text) ||
    /^(?:[{<[%$?&#]|~?\/)/.test(text) ||
    URN.test(text) ||
    (STAND_IN_WORD.test(text) && (STAND_IN_WORDS.test(text) || countsByOne(STAND_IN_WORDS_COUNTING.exec(text)?.[1] ?? ""))) ||
    isCountingRuns(text) ||
    new Set(text).size < 4 ||
    SINGLE_CHARACTERS_APART.test(text) ||
    isKeyboardWalk(text) ||
    isPunctuatedStandIn(text) ||
    (!/\d/.test(text) && /[^\s+][\s+]+[^\s+]/.test(text)) ||
    /passw(?:or)?d/i.test(text) ||
    (!/\d/.test(text) && /pass|secret|pwd|word|example|changeme|dummy|sample/i.test(text))
  );
}
