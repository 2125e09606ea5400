// Values that have a credential's shape but not its substance: templates, documentation
// placeholders, masked and repetitive strings. Checked for every rule's secret.

const TEMPLATE_OR_PLACEHOLDER =
  /\$\{|\{\{|\$\(|%\(|<[^>]*>|\.\.\.|\u2026|x{5,}|\*{3,}|#{4,}|your[_-]?(?:api|access|secret|token|key|password)|(?:api|access|secret)[_-]?key[_-]?here|example|placeholder|dummy|\bfake|fake[_-]|redacted|changeme|change[_-]me|replace[_-]?me|insert[_-]?(?:key|token|your)/i;

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

/**
 * A password that documentation and tests write for "a password here", as a URL, a basic-auth
 * header or an .npmrc carries it (URL-encoded): a word list (`password`, `pass1`, `changeme`), a template
 * (`{PASS}`, `%s`, `$DB_PASS`, a query `?collection=a`), words of one case (`SECRET_KEY`,
 * `private-reg-token`, `MYTOKEN0`), or too plain for a credential
 * a person or a generator would choose: under 12 characters without a digit (`pokemon`, `foo(b]c`),
 * fewer than 4 distinct characters (`1111`), the word "password" (`_password@123`), or, without a
 * digit, spelling out "password" or "secret" (`pa$$word`). `passW0rd123` and `mySecret789` are
 * passwords people choose, and count.
 */
export function isPlaceholderPassword(password: string): boolean {
  let text = password;
  try {
    text = decodeURIComponent(password);
  } catch {
    // Not valid URL encoding (`nota%hex`): judged as written.
  }
  return (
    /^(?:password|passw(?:or)?d|pass|pwd|secret|changeme|example|test|user|admin|root|guest)[-_]?\d*$/i.test(text) ||
    /^[{<[%$?&#]/.test(text) ||
    /^(?:[a-z]+(?:[-_.][a-z]+)*|[A-Z]+(?:[-_.][A-Z]+)*)\d?$/.test(text) ||
    (!/\d/.test(text) && text.length < 12) ||
    new Set(text).size < 4 ||
    /passw(?:or)?d/i.test(text) ||
    (!/\d/.test(text) && /pass|secret|pwd|word|example|changeme|dummy|sample/i.test(text))
  );
}
