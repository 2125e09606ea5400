// The generic detector's second judge, for its password rules (`kind = "password"`): a literal that a
// person chose as a password, assigned to or compared with a name that says it holds one. Such
// passwords (`Heron#2231`, `plum-tart42`) have too little entropy for the random-value judge in
// entropy.ts: the name is the evidence, and the value need only not be a placeholder, a word or code.
import {
  type Assignment,
  assignments,
  classifyCharset,
  isHashOrEncodedText,
  isPasswordDigest,
  isPathOrCode,
  lineLongerThan,
  MAX_ASSIGNMENT_LINE,
  nameWords,
  NOT_SECRET_WORD,
  PASSWORD_WORD,
} from "./entropy.js";
import { hasMismatchedBracket } from "./brackets.js";
import { isConfigValue } from "./config-files.js";
import { isPlaceholderPassword, looksLikePlaceholder } from "./placeholders.js";
import { shannonEntropy } from "./randomness.js";
import { COCOA_KEY_LABEL, type CompiledEntropyRule, FALLBACK_METHODS, isAllowedSecret, YAML_BLOCK_SCALAR } from "./rules.js";
import type { RawMatch, Run } from "./scan.js";

// `pass` names a password after another word (`db_pass`, `smtpPass`, `VM_PASS`), or alone in capitals,
// as environment variables and constants are written (`PASS=…`, `PASS = '…'` beside `USERNAME`);
// alone in lower case it names a compiler's, a renderer's or a test run's pass as often (`pass = "shadow"`),
// unless a user's key comes just before it: nodemailer's `auth: { user: "…", pass: "…" }`, a config
// file's `user: ops` then `pass: …` (USER_KEY_BEFORE, on the name's line or the one before).
const SHORT_PASSWORD_WORD = "pass";
const USER_KEY_BEFORE = /\b(?:user(?:name)?|login)["']?[ \t]*(?:=>|[:=])[^\n]{0,120}(?:\n[^\n]{0,120})?$/i;

// Compared with a literal, a `secret` is checked against a hard-coded value (`if creds.Secret !=
// "open-sesame"`): code that holds the secret it accepts. Assigned, a `secret` with a value that does
// not look random is as often a secret's name or kind (`secret = "db-creds"`), so only comparisons count.
const COMPARED_SECRET_WORD = "secret";

// Words of a password's name that say the value is deliberately not the password: what a test
// types to see a login fail or a strength check refuse (`wrong_password`, `weakPassword`). A verb
// before the password word names an option or an action on it (Ansible's `update_password:
// always`, `show_password`, `prompt_password`, `save_password`), as a switch's words do
// (`no_password`, `has_password`); a confirmation repeats the password named elsewhere, or differs
// from it on purpose in a test. (`set` and `with` are not among them: `setPassword("…")` sets one.)
const NOT_THE_PASSWORD_WORD =
  /^(?:wrong|invalid|bad|incorrect|weak|short|long|empty|blank|unknown|nonexistent|insecure|forbidden|common|breached|leaked|compromised|other|another|update|change|reset|forgot|show|hide|toggle|require|required|expire|prompt|ask|check|verify|validate|confirm|confirmation|repeat|retype|save|remember|enter|use|uses|need|needs|no|has|is|without)$/;

// Names written in one case glue a password word to what it opens: PostgreSQL's `PGPASSWORD`,
// `DBPASSWORD`, `rootpassword`. The word before it is read as a word of its own, so `pg` qualifies
// the password as `db` does in `DB_PASSWORD`, and `resetpassword` or `nopassword` name an action or a
// switch as `reset_password` and `no_password` do (NOT_THE_PASSWORD_WORD).
const GLUED_PASSWORD_WORD = /^([a-z]{2,12}?)(password|passwd|passphrase)$/;

function splitGluedPasswordWord(words: readonly string[]): readonly string[] {
  const glued = GLUED_PASSWORD_WORD.exec(words.at(-1) ?? "");
  return glued ? [...words.slice(0, -1), glued[1] ?? "", glued[2] ?? ""] : words;
}

/**
 * What the name's words say about its value: "password" when the last word is a password word
 * (`dbPassword`, `SMTP_PASS`, `PASS` written in capitals or `pass` just after a user's key,
 * `besideUser`; not `passwordPattern`), "compared secret"
 * when it is `secret` (which counts only in a comparison), undefined otherwise, and undefined too
 * when another word says the value is no credential (`password_hash`, `sample_password`) or not the
 * password (`wrong_password`).
 */
export function passwordName(written: readonly string[], inCapitals = false, besideUser = false): "password" | "compared secret" | undefined {
  const words = splitGluedPasswordWord(written);
  const last = words.at(-1) ?? "";
  const kind =
    PASSWORD_WORD.test(last) || (last === SHORT_PASSWORD_WORD && (words.length > 1 || inCapitals || besideUser))
      ? "password"
      : last === COMPARED_SECRET_WORD
        ? "compared secret"
        : undefined;
  if (!kind || words.some((word) => NOT_SECRET_WORD.test(word) || NOT_THE_PASSWORD_WORD.test(word))) return undefined;
  return kind;
}

// A password's characters: printable ASCII, and symbols beyond it (`¿`, `¨`, `€`, `§`, which keyboards
// type as they type `!`), but no letter or mark of another script (a label's: `Contraseña`), space
// or control character. Printable ASCII alone is tested first: the Unicode classes cost a millisecond to
// compile, which a pre-commit hook would pay for values that are nearly always ASCII.
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;
const PASSWORD_CHARACTERS = /^(?:[\x21-\x7e]|(?![\p{L}\p{M}\p{Z}\p{C}])[^\x00-\x7f])+$/u;

/**
 * A value a person could have chosen as a password: printable ASCII or symbols without spaces (a literal in
 * another script or a capitalised word is a label: `"password": "Contraseña"`, `"Kennwort"`), not a
 * placeholder, stand-in or value typed as a pattern (isPlaceholderPassword, looksLikePlaceholder:
 * `abcd1234abcd1234…`), not a hash (crypt(3), a digest's worth of hex), and not code, a path, a
 * URL, an e-mail address, an option (`--status`), a constant's or a property's name
 * (`NO_LOG_PARAMETER`, `spring.datasource.password`) or a format string (`%s`, `{0}`).
 */
export function isChosenPassword(value: string, words: readonly string[], configValue = false): boolean {
  if (!(PRINTABLE_ASCII.test(value) || PASSWORD_CHARACTERS.test(value)) || /^[A-Z][a-z]+$/.test(value) || value.startsWith("-")) return false;
  // A constant's name (`NOT_LOGGING_PARAMETER`, `AZURE_SUBSCRIPTION_ID`): a mask or a variable's name.
  if (CONSTANT_NAME.test(value)) return false;
  if (isPlaceholderPassword(value) || looksLikePlaceholder(value)) return false;
  if (isHashOrEncodedText(value) || isPasswordDigest(words, value, classifyCharset(value))) return false;
  // An e-mail address, or its user and `@` alone, is anonymous FTP's password by convention.
  if (isPathOrCode(value, configValue) || value.includes("://") || /^[\w.+-]+@(?:[\w-]+\.[\w.-]+)?$/.test(value)) return false;
  // Punctuation first or last is a quote read out of step (`"Password:",next:"…"` gives `,next:`).
  if (/^[,;:]|[,;:]$/.test(value)) return false;
  // Names between bars: a validation rule's list (Laravel's `required|confirmed|min:8`), or options.
  if (/^[a-z_]+(?::[^|]*)?(?:\|[a-z_]+(?::[^|]*)?)+$/i.test(value)) return false;
  // Digits between separators: a date, a time, a version or a phone number.
  if (/^\d+(?:[-/:.]\d+)+$/.test(value)) return false;
  // A property's dotted name, and a format string's placeholders.
  return !/^[a-z][\w-]*(?:\.[a-z][\w-]*)+$/i.test(value) && !/%[-#+ 0-9.]*[sdvfxqi]|\{\d*\}/.test(value);
}

/**
 * A value written without quotes is a password only where it cannot be code: it holds a character no
 * identifier or expression of names has (`Wint3r!24`, not `open_sesame`, `form.password`,
 * `getenv(`, `Caster::class`, `$this->pw` or a word before punctuation: `String?`, `algorithm:`),
 * does not start as a YAML tag, alias or anchor or a Ruby symbol does (`!vault`, `*pw`,
 * `:password`), and is all that is left on its line but for a `;`, a `,` or a comment (`password = a + b`
 * is an expression), or is glued to a shell's `=`. An XML element's text is literal, as a config file's
 * value is.
 * A config file's bare value (`configValue`) is literal text, not code: a word of letters and digits
 * there (`password = Summer2024x`) is as much a value as a quoted one, and brackets are characters;
 * it is judged by isConfigValue.
 */
function isBarePassword(value: string, text: string, { start, nameEnd, valueStart, valueEnd, restStart, configValue }: Assignment): boolean {
  if (/^[!*&@:=]/.test(value)) return false;
  const found = { start, nameEnd, valueStart, valueEnd, configValue };
  if (isEnvironmentPrefix(text, found)) return true;
  if (configValue) return isConfigValue(value, text, restStart);
  // An XML element's text (`<password>…</password>`, Maven's settings.xml) is literal text, as a config
  // file's value is, not code: its tags delimit it, and letters and digits alone count.
  if (isElementText(text, valueStart, valueEnd)) return isConfigValue(value, text, undefined);
  if (isOptionWord(text, found) || isAmongKeyValueWords(text, found)) return true;
  if (/^[\w.$]+[|:;,.?]*$/.test(value)) return false;
  // A name with `!` after it: GraphQL's non-null type (`password: String!`), TypeScript's non-null assertion.
  // Brackets are code's (a call, an index, a block) unless one closes out of turn, as no code's does:
  // then they are the punctuation of a value typed as it is (`m{{h}o)p${e]…`).
  if ((/[([{]/.test(value) && !hasMismatchedBracket(value)) || /::|->/.test(value) || /^[\w.$]+!$/.test(value)) return false;
  // A shell's `NAME=value` glued to its `=`, as an environment prefix or an option takes it
  // (`PGPASSWORD=… psql`, `wget --password=… URL`): the command goes on after it.
  if (text[valueStart - 1] === "=" && /[\w-]/.test(text[valueStart - 2] ?? "") && /^[ \t]/.test(text.slice(valueEnd, valueEnd + 1))) return true;
  const lineEnd = text.indexOf("\n", valueEnd);
  const rest = text.slice(restStart ?? valueEnd, lineEnd === -1 ? text.length : lineEnd);
  return /^[ \t\r]*[;,]?[ \t\r]*(?:(?:#|\/\/).*)?$/.test(rest);
}

/** The value is all the text of an XML element: a start tag before it and an end tag after it, blanks aside. */
function isElementText(text: string, valueStart: number, valueEnd: number): boolean {
  return /^\s*<\//.test(text.slice(valueEnd, valueEnd + 64)) && />\s*$/.test(text.slice(Math.max(0, valueStart - 64), valueStart));
}

/** Where a bare value sits: its name's and its own bounds, and whether a config file's line holds it. */
type Placed = Pick<Assignment, "start" | "nameEnd" | "valueStart" | "valueEnd" | "configValue">;

/** The value is glued to its name's `=` (`NAME=value`), as a command line's words are. */
const gluedToEquals = (text: string, { nameEnd, valueStart }: Placed): boolean => valueStart === nameEnd + 1 && text[nameEnd] === "=";

/** What follows the value ends a command's word: a space, a quote, or the text's end. */
const endsWord = (text: string, { valueEnd }: Placed): boolean => /^(?:[\s"'`]|$)/.test(text.slice(valueEnd, valueEnd + 1));

/** The text of `at`'s line before it, at most `limit` characters. */
function lineBefore(text: string, at: number, limit: number): string {
  return text.slice(Math.max(text.lastIndexOf("\n", at - 1) + 1, at - limit), at);
}

/** A command-line option ending in the password's name: a JVM property's `-D…`, a long option's `--…`. */
const OPTION_NAME = /(?:^|[\s"'=])(?:-D|--)[\w.-]*$/;

/**
 * A value glued to a command-line option's `=` (`-Djavax.net.ssl.keyStorePassword=…`, `--db-password=…`),
 * ending where the command's word does: a word the command is given, literal text in any file that
 * holds a command line (a CI step, a Dockerfile's RUN, a JVM's options string), not code.
 */
function isOptionWord(text: string, found: Placed): boolean {
  const option = lineBefore(text, found.start, 200) + text.slice(found.start, found.nameEnd);
  return gluedToEquals(text, found) && endsWord(text, found) && OPTION_NAME.test(option);
}

/** What may stand before a command's environment variable: the line's start (a YAML list's `- `), a quote, a shell operator, `env`, `cross-env`, or another variable. */
const BEFORE_ENVIRONMENT_PREFIX = /(?:^[ \t]*(?:-[ \t]+)?|["'`(;|&][ \t]*|\b(?:cross-env|env)[ \t]+|[A-Z][A-Z0-9_]*=[^\s"'`]*[ \t]+)$/;

/**
 * An environment variable given to a command on its line, its value glued to its `=` and the command
 * after it (`DB_PASSWORD=… node server.js` in a package.json script, a CI step's `- DB_PASSWORD=… npm
 * test`, `cross-env SMTP_PASSWORD=… node`): a shell word, literal text in any file. The name is an
 * environment variable's, in capitals; no language's code writes `NAME=word word`. In a config file only
 * a YAML list item is a command so (an .env file's `NAME=a b` is one value, its words and all).
 */
function isEnvironmentPrefix(text: string, found: Placed): boolean {
  if (!gluedToEquals(text, found) || !/^[A-Z][A-Z0-9_]*$/.test(text.slice(found.start, found.nameEnd))) return false;
  if (!/^[ \t]+[\w./~]/.test(text.slice(found.valueEnd, found.valueEnd + 3))) return false;
  const before = lineBefore(text, found.start, 200);
  return found.configValue ? /^[ \t]*-[ \t]+$/.test(before) : BEFORE_ENVIRONMENT_PREFIX.test(before);
}

/** A `key=value` word: a name, its `=` and a value glued to it. */
const KEY_VALUE_WORD = /^[\w.-]+=[^\s=]/;

/**
 * A value among words of space-separated `key=value` pairs, at least two others on its line or in its
 * string: libpq's connection string (`host=db user=app password=… dbname=app`, as psycopg2, Go's pq and
 * GORM take it), an Ansible inventory's host line (`web1 ansible_user=deploy ansible_password=…`),
 * logfmt. Those are literal words; code does not line assignments up so.
 */
function isAmongKeyValueWords(text: string, found: Placed): boolean {
  const { start, valueEnd } = found;
  if (!gluedToEquals(text, found) || !/\s/.test(text[start - 1] ?? "") || !endsWord(text, found)) return false;
  const lineEnd = text.indexOf("\n", valueEnd);
  const before = lineBefore(text, start, 300);
  const after = text.slice(valueEnd, Math.min(lineEnd === -1 ? text.length : lineEnd, valueEnd + 300));
  // The words around, as far as a quote: the string or the line they are in.
  const wordsBefore = before.slice(Math.max(before.lastIndexOf('"'), before.lastIndexOf("'"), before.lastIndexOf("`")) + 1).split(/\s+/);
  const quoteAfter = after.search(/["'`]/);
  const wordsAfter = (quoteAfter === -1 ? after : after.slice(0, quoteAfter)).split(/\s+/);
  return [...wordsBefore, ...wordsAfter].filter((word) => KEY_VALUE_WORD.test(word)).length >= 2;
}

// A call that stores its second argument under the name given first: PHP's define('DB_PASSWORD',
// '…'), setProperty("password", "…"), put("smtp.pass", "…"), os.environ.setdefault(…); or that looks
// the name up with the second as its default: getenv("DB_PASSWORD", "…"), Laravel's env(…), Elixir's
// System.get_env(…), getProperty(…), getOrDefault(…), Ruby's ENV.fetch(…), Python's
// os.environ.get(…) and any mapping's .get(…), and getattr(settings, "DB_PASSWORD", "…") (the name
// second there). In any other call or list (`ignore("url", "password", "enabled")`) the literal after a
// name is another name.
const NAME_THEN_VALUE_CALL =
  /(?:(?:\bdefine|\bset\w*|\bput\w*|\badd|\bget|\bgetenv|\benv|\bget_env|\bgetProperty|\bgetOrDefault|\bfetch)\s*\(|\bgetattr\s*\(\s*[\w.]+\s*,)\s*["'`]$/i;

// An environment variable's name (`DB_PASSWORD`, `SMTP_PASS`) as a call's first argument is what the
// call looks up or sets, whatever the call is named (a project's own `envOr("DB_PASSWORD", "…")`,
// `Map.of("MYSQL_PASSWORD", "…")`): the literal after it is its value. Upper case with an underscore
// (CONSTANT_NAME), as no label or message is written.
const ENVIRONMENT_NAME_ARGUMENT = /\b\w+\s*\(\s*["'`]$/;

/** A constant's or an environment variable's name: upper case, words joined by `_` (`AZURE_SUBSCRIPTION_ID`). */
const CONSTANT_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;

// A lookup's default given by its parameter's name, whatever the call (`env("DB_PASSWORD", default="…")`,
// configparser's `fallback="…"`), or after the lookup's call: Ruby's block, Rust's
// `.unwrap_or_else(|_| "…".into())`, Java's `.orElse("…")` (rules.ts).
const NAMED_DEFAULT = /^["'`]\s*,\s*(?:default|fallback)\s*[=:]\s*["'`]$/;
const DEFAULT_AFTER_LOOKUP = new RegExp(`^["'\`]\\){1,2}\\s*(?:\\{|\\.(?:${FALLBACK_METHODS})\\()`);
// The next argument of the call around a lookup (`cmp.Or(os.Getenv("X"), "…")`) is read only for random
// values: after a password's lookup it is as often a check's setting (`validate(get("password"), "min_length_8")`).
const ARGUMENT_AFTER_LOOKUP = /^["'`]\)\s*,/;

/**
 * How the value stands to the name, from the text between them (what the assignment regex took):
 * "compared" in a comparison, either way round or in `.equals(…)`; "argument" as a setter call's
 * second argument, or the first of a Cocoa call that stores it under the name (`forKey:`); "call" as
 * the argument of a setter or builder named for the password
 * (`setPassword("…")`, `withPassword("…")`, `.password("…")`); "quoted" or "bare" after an operator,
 * a space or an XML tag; undefined where the text says it is no value of the name: another call's
 * argument (`hash_password("…")`), a value on a later line (a YAML key with a nested mapping), or
 * a bare word after a space (`password prompt:`, prose).
 */
function valueForm(text: string, start: number, nameEnd: number, valueStart: number): ValueForm | undefined {
  // Stored under its key by a Cocoa call, the value first (`setObject:@"…" forKey:@"password"`): a setter's argument.
  if (valueStart < start && COCOA_KEY_BEFORE.test(text.slice(valueStart, start))) return "argument";
  if (valueStart < nameEnd || /\.equals(?:IgnoreCase)?$/i.test(text.slice(Math.max(0, nameEnd - 18), nameEnd))) return "compared";
  const between = text.slice(nameEnd, valueStart);
  if (between.startsWith("(")) return isSetterName(text.slice(start, nameEnd)) ? "call" : undefined;
  if (/^["'`]\s*,\s*["'`]$/.test(between)) return isStoredOrLookedUp(text, start, nameEnd) ? "argument" : undefined;
  if (NAMED_DEFAULT.test(between) || DEFAULT_AFTER_LOOKUP.test(between)) return "argument";
  if (ARGUMENT_AFTER_LOOKUP.test(between)) return undefined;
  // A value on the next line only under a `value:` or `default =` key (a Kubernetes env entry, a Terraform
  // variable, a JSON name/value object; CloudFormation writes `Name:` and `Value:`), or as a YAML block
  // scalar's line (`password: |`).
  if (BLOCK_SCALAR_BETWEEN.test(between)) return "bare";
  if (between.includes("\n") && !/\n[ \t]*["']?(?:[Vv]alue|[Dd]efault)["']?[ \t]*[:=][ \t]*["'`]?$/.test(between)) return undefined;
  const quoted = /["'`]$/.test(between);
  if (/[=!]=/.test(between)) return quoted ? "compared" : undefined;
  if (quoted) return "quoted";
  return /[=:>]/.test(between) ? "bare" : undefined;
}

type ValueForm = "compared" | "argument" | "call" | "quoted" | "bare";

/** Between a YAML key (its closing quote, if any) and its block scalar's line (YAML_BLOCK_SCALAR). */
const BLOCK_SCALAR_BETWEEN = new RegExp(`^["']?${YAML_BLOCK_SCALAR}$`);

/** The quoted name from `start` to `nameEnd` is a call's argument that the next argument is the value of (NAME_THEN_VALUE_CALL, ENVIRONMENT_NAME_ARGUMENT). */
function isStoredOrLookedUp(text: string, start: number, nameEnd: number): boolean {
  const before = text.slice(Math.max(0, start - 40), start);
  if (NAME_THEN_VALUE_CALL.test(before)) return true;
  return ENVIRONMENT_NAME_ARGUMENT.test(before) && CONSTANT_NAME.test(text.slice(start, nameEnd));
}

// The value's closing quote, then what stands between it and the start of the key it is stored under (rules.ts, keyedBefore).
const COCOA_KEY_BEFORE = new RegExp(`^[^"'\\n]*["']${COCOA_KEY_LABEL}[\\w.-]*$`);

/**
 * A call that sets the password: its method (the name's last part) starts with `set` or `with`
 * (`user.setPassword`, `withPassword`), or is the password word alone on an object (a builder's
 * `.password`). Not a getter, a hash or a check (`getPassword`, `hash_password`).
 */
function isSetterName(name: string): boolean {
  const dot = name.lastIndexOf(".");
  const method = nameWords(name.slice(dot + 1));
  return /^(?:set|with)$/.test(method[0] ?? "") || (dot >= 0 && method.length === 1);
}

// How a name that passwordName accepts ends, and the comparison a `secret` must stand in.
const ENDS_AS_PASSWORD_NAME = /(?:pass(?:word|wd|phrase)?|pwd)(?:\.equals(?:IgnoreCase)?)?$/i;
const ENDS_AS_SECRET_NAME = /secret(?:\.equals(?:IgnoreCase)?)?$/i;
const COMPARED_AFTER = /^["'`\])]*\s*(?:[=!]=|\()/;
const COMPARED_BEFORE = /[=!]=\s*$/;

/**
 * Whether the name at start…nameEnd is worth trying: one that ends as a password's name does, or a
 * `secret` in a comparison (or a call: `.equals(…)`). Names that end otherwise (`passwordResetUrl`,
 * `passed`, `secretKey`), most of those holding a keyword, and `secret = …`, are not tried at all.
 */
function mayNamePassword(text: string, start: number, nameEnd: number): boolean {
  const name = text.slice(start, nameEnd);
  if (ENDS_AS_PASSWORD_NAME.test(name)) return true;
  if (!ENDS_AS_SECRET_NAME.test(name)) return false;
  return COMPARED_AFTER.test(text.slice(nameEnd, nameEnd + 8)) || COMPARED_BEFORE.test(text.slice(Math.max(0, start - 8), start)) || isSigningSectionSecret(text, start, nameEnd);
}

/** Where the line before the one starting at `lineStart` (> 0) starts. */
function previousLineStart(text: string, lineStart: number): number {
  return text.lastIndexOf("\n", lineStart - 2) + 1;
}

// The options object of a session or cookie middleware, opened before the key and not closed since:
// express-session's `session({ secret: "…" })`, `cookieSession({`, `@fastify/session`'s `register(session, {`.
const SESSION_OPTIONS_BEFORE = /[Ss]ession\w*\b[^\n{}]{0,40}\{[^{}]*$/;

// A section that holds the secret a service signs with: a JWT's, a session's or a cookie's.
const SIGNING_SECTION = /^(?:jwt|session|cookie)s?$/i;
// How many lines are read back for the section's key, so the work per candidate stays bounded.
const MAX_SECTION_LINES = 8;

/**
 * A key `secret` in a session middleware's options (SESSION_OPTIONS_BEFORE), or alone on its line,
 * indented under a section named for what signs with it (YAML's `jwt:` then `  secret: …`): the secret
 * a person chose to sign tokens or sessions with, as `JWT_SECRET` is. Elsewhere a lone `secret` names
 * many things (a Kubernetes secret's name, a flag).
 */
function isSigningSectionSecret(text: string, start: number, nameEnd: number): boolean {
  if (text.slice(start, nameEnd).toLowerCase() !== "secret") return false;
  const lineStart = text.lastIndexOf("\n", start - 1) + 1;
  let from = lineStart;
  for (let read = 0; read < MAX_SECTION_LINES && from > 0; read++) from = previousLineStart(text, from);
  if (SESSION_OPTIONS_BEFORE.test(text.slice(from, start))) return true;
  const indent = text.slice(lineStart, start);
  if (!/^[ \t]+$/.test(indent)) return false;
  let at = lineStart;
  for (let read = 0; read < MAX_SECTION_LINES && at > 0; read++) {
    const previousStart = previousLineStart(text, at);
    const line = text.slice(previousStart, at - 1);
    at = previousStart;
    const key = /^([ \t]*)["']?([\w.-]+)["']?[ \t]*:[ \t]*(?:#.*)?\r?$/.exec(line);
    if (!key) continue;
    // The nearest key with less indentation is the section's; one as indented is a sibling.
    if ((key[1] ?? "").length < indent.length) return SIGNING_SECTION.test(key[2] ?? "");
  }
  return false;
}

// An enum's opening line (TypeScript's, C#'s, Java's, Swift's: `export enum PasskeyBrand {`), and the
// lines that may stand between it and a member: other members (`Name = "…",`, `Name,`), comments and
// blank lines. How many lines are read back, so the work per candidate stays bounded.
const ENUM_OPENING = /\benum\s+(?:class\s+)?[\w$]+(?:\s*:\s*[\w$.]+)?\s*\{\s*$/;
const ENUM_MEMBER_LINE = /^\s*(?:[\w$]+\s*(?:=\s*(?:"[^"\n]*"|'[^'\n]*'|[\w$.-]+)\s*)?,?\s*)?(?:\/\/.*|\/?\*.*)?$/;
const MAX_ENUM_LINES = 200;

/**
 * True when the name at `nameStart` is an enum's member: its value names a case (a brand's id, a
 * wire code), however its name reads (`NordPass`, `OnePassword`, the password managers a passkey
 * comes from), not a setting a person chose.
 */
function isEnumMember(text: string, nameStart: number): boolean {
  let lineStart = text.lastIndexOf("\n", nameStart - 1) + 1;
  if (text.slice(lineStart, nameStart).trim() !== "") return false;
  for (let read = 0; read < MAX_ENUM_LINES && lineStart > 0; read++) {
    const previousStart = previousLineStart(text, lineStart);
    const line = text.slice(previousStart, lineStart - 1);
    if (ENUM_OPENING.test(line)) return true;
    if (!ENUM_MEMBER_LINE.test(line)) return false;
    lineStart = previousStart;
  }
  return false;
}

// A type query before a name: JavaScript's `typeof` (and the objects it is read from: `typeof entry.secret`,
// `typeof req.data?.password`), or a call that returns the value's type, with the name as its argument:
// Lua's and Python's `type(secret)`, PHP's `gettype($password)`, Go's `reflect.TypeOf(secret)`.
const TYPE_QUERY_BEFORE = /\btypeof\s+[\w$?.]*$|\b(?:type|typeof|gettype|get_debug_type)\s*\(\s*[\w$?.]*$/i;

/** The name's words without a trailing `.equals` (Java's and C#'s comparison is a call on the name). */
function comparedNameWords(name: string): string[] {
  return nameWords(name.replace(/\.equals(?:IgnoreCase)?$/i, ""));
}

// A user's name given as a literal (`$db_user = "dbo7731";`, `"username": "svc_app",`, `login: 'deploy'`):
// the first half of a login written out in full. Its value is a name, not a word a type or a form
// uses (`"string"` in an API schema's sample, `"required"` in validation rules).
const USER_LITERAL = /(?:^|[^\w$.-])\$?(?:db_?)?(?:user|user_?name|login|uid)["']?[ \t]*(?:=>|:=|[:=])[ \t]*(["'])(?!(?:string|str|text|required|optional|email|null|none)\1)([^"'\s]{2,64})\1/i;
// A user's name counts when written on the password's line before it, or on one of the two lines before.
const PAIR_LINES = 3;

// Words written where a password's value goes that are not one: a schema's or a form's type or how the
// field is shown, a test's word for a password that must fail (`"invalid"`, `"incorrect"`), and the
// field's own name in another language, as a translation file labels it (`"user": "usuario", "password": "senha"`).
const NOT_A_PASSWORD_WORD =
  /^(?:string|text|char|varchar|number|integer|float|double|boolean|bool|object|array|bytes|secret|hidden|required|optional|nullable|masked|sensitive|password|current|new|confirm|invalid|incorrect|wrong|bad|unknown|missing|empty|expired|kennwort|senha|contrasena|parola|haslo|sifre|salasana|losenord|passord|heslo|jelszo|parool|lozinka|geslo)$/;

/**
 * A word of letters given as the password of a login whose user's name is a literal too, just before
 * it (a PHP script's `$user` then `$password`, both quoted, on one line). Alone, such a word under a password's
 * name is as often a label, a type or a slug as a password; written out beside a user's name, it is
 * the other half of a credential. A word in lower case only (a capitalised one is a label: `"Secret"`),
 * and not the user's name again: a service's default login (`cassandra`/`cassandra`) is a stand-in.
 */
function isPairedWord(text: string, nameStart: number, value: string): boolean {
  if (!/^[a-z]{4,}$/.test(value) || NOT_A_PASSWORD_WORD.test(value)) return false;
  let from = text.lastIndexOf("\n", nameStart - 1) + 1;
  for (let line = 1; line < PAIR_LINES && from > 0; line++) from = previousLineStart(text, from);
  const user = USER_LITERAL.exec(text.slice(from, nameStart));
  return user !== null && user[2]?.toLowerCase() !== value;
}

/** The rule's matches in the run's text: what entropy.ts's collectEntropyMatches is to a random value's rule. */
export function collectPasswordMatches(rule: CompiledEntropyRule, run: Run, out: RawMatch[]): void {
  const { layer, depth, order } = run;
  const text = layer.text;
  for (const found of assignments(rule, text, run.keywords, (start, nameEnd) => mayNamePassword(text, start, nameEnd), run.configFile)) {
    const { value, valueStart, valueEnd } = found;
    if (lineLongerThan(text, valueStart, MAX_ASSIGNMENT_LINE)) continue;
    const name = text.slice(found.start, found.nameEnd);
    const words = comparedNameWords(name);
    const besideUser = name === SHORT_PASSWORD_WORD && USER_KEY_BEFORE.test(text.slice(Math.max(0, found.start - 250), found.start));
    const naming = passwordName(words, !/[a-z]/.test(name), besideUser);
    if (!naming) continue;
    const form = valueForm(text, found.start, found.nameEnd, valueStart);
    if (!form || (naming === "compared secret" && form !== "compared" && !isSigningSectionSecret(text, found.start, found.nameEnd))) continue;
    // `typeof secret !== "string"`, `type(secret) == "string"`: a comparison of the value's type, not the value.
    if (form === "compared" && TYPE_QUERY_BEFORE.test(text.slice(Math.max(0, found.start - 64), found.start))) continue;
    // A quoted literal followed by `+` or PHP's `.` is the start of a string built from parts.
    if (form === "quoted" && /^["'`]\s*[+.]/.test(text.slice(valueEnd, valueEnd + 3))) continue;
    if (form === "bare" && !isBarePassword(value, text, found)) continue;
    // Words (letters only, or joined by `-`, `_`, `.`) assigned to a password name are as often a
    // label, a type, an option, a slug or a test's input to a validator (`password: "string"`,
    // `"peanuts"`, `"not-set"`, `"current-password"`) as a password: they count where code checks
    // them (a comparison), or where their place says they are one (the command, URL and prose rules).
    if (form !== "compared" && /^[A-Za-z]+(?:[-_.][A-Za-z]+)*$/.test(value) && !(form === "quoted" && isPairedWord(text, found.start, value))) continue;
    if (!isChosenPassword(value, words, found.configValue) || isAllowedSecret(rule.allow, value)) continue;
    if (form === "quoted" && isEnumMember(text, found.start)) continue;
    const from = Math.min(found.start, valueStart);
    const to = Math.max(found.nameEnd, valueEnd);
    const [start, end] = layer.outer(valueStart, valueEnd);
    out.push({ rule, start, end, secret: value, match: text.slice(from, to), entropy: shannonEntropy(value), depth, order });
  }
}
