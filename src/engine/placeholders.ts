// Values that have a credential's shape but not its substance: templates, documentation
// placeholders, masked and repetitive strings. Checked for every rule's secret.

// `$(` and `%(` count only as they open a substitution: `$(name` then a space, `)` or the end (a shell
// command, a Makefile variable), and Python's `%(name)`. The pairs alone turn up in generated keys:
// Django's alphabet holds `$`, `%`, `(` and `)`.
const TEMPLATE_OR_PLACEHOLDER =
  /\$\{|\{\{|\$\([A-Za-z_][\w.-]*(?:[\s)]|$)|%\(\w+\)|<[^>]*>|\.\.\.|\u2026|x{5,}|\*{3,}|#{4,}|your[_-]?(?:api|access|secret|token|key|password)|(?:api|access|secret)[_-]?key[_-]?here|example|placeholder|dummy|\bfake|fake[_-]|redacted|changeme|change[_-]me|replace[_-]?me|insert[_-]?(?:key|token|your)/i;

/** A run of six characters each one code point above the last ("abcdef", "123456"). */
function hasSequence(text: string): boolean {
  let run = 1;
  for (let i = 1; i < text.length; i++) {
    run = text.charCodeAt(i) === text.charCodeAt(i - 1) + 1 ? run + 1 : 1;
    if (run >= 6) return true;
  }
  return false;
}

/** Few distinct characters ("aaaaaaaa1111", "abababababab"): random keys of 12+ characters have many. */
function isRepetitive(text: string): boolean {
  return text.length >= 12 && new Set(text).size < 6;
}

export function looksLikePlaceholder(secret: string): boolean {
  return TEMPLATE_OR_PLACEHOLDER.test(secret) || hasSequence(secret) || isRepetitive(secret);
}

/** Words a placeholder password is made of: it names what goes there, or it is a stock stand-in. */
const STAND_IN_WORD = /pass|pwd|secret|token|key|cred|auth|user|admin|login|root|guest|example|sample|test|demo|dummy|default|changeme|foo|bar|baz|qux/i;

/**
 * A password that documentation and tests write for "a password here", as a URL, a connection
 * string, a command's password option or an .npmrc carries it (URL-encoded): a word list (`password`,
 * `pass1`, `changeme`, `foo`, `null`, documentation's stock `foobared` and `hunter2`, and the names
 * database images take as default passwords, `postgres`, `mongodb`), words between spaces (or a form's
 * `+`) without a digit (`one+two?`: prose), a template, variable or path (`{PASS}`, `%s`, `$DB_PASS`,
 * `%DB_PASSWORD%`, `#{pwd}`, a query `?collection=a`, `/run/secrets/db`), words of one case that name
 * a credential or stand in for one (`SECRET_KEY`, `private-reg-token`, `MYTOKEN0`, `smtp_user`), fewer
 * than 4 distinct characters (`1111`), the word "password" (`_password@123`), or, without a digit,
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
    /^(?:password|passw(?:or)?d|pass|pwd|secret|changeme|example|test|user|admin|root|guest|demo|sample|default|anonymous|foo|bar|baz|qux|null|nil|none|undefined|true|false|postgres|mysql|mariadb|mongo(?:db)?|redis|rabbitmq|oracle|foobared|hunter)[-_]?\d*$/i.test(text) ||
    /^(?:[{<[%$?&#]|~?\/)/.test(text) ||
    (/^(?:[a-z]+(?:[-_.][a-z]+)*|[A-Z]+(?:[-_.][A-Z]+)*)\d?$/.test(text) && STAND_IN_WORD.test(text)) ||
    new Set(text).size < 4 ||
    (!/\d/.test(text) && /[^\s+][\s+]+[^\s+]/.test(text)) ||
    /passw(?:or)?d/i.test(text) ||
    (!/\d/.test(text) && /pass|secret|pwd|word|example|changeme|dummy|sample/i.test(text))
  );
}
