// The entropy detector tries its operator-and-value regex only at the end of names around its
// keywords (found by the prefilter): it must find exactly what a global search of the whole text
// finds, and in time linear in the text whatever the text repeats.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileRules, type CompiledEntropyRule, parseRuleFiles, PASSWORD_MIN_LENGTH } from "../../../src/engine/rules.js";
import { assignments } from "../../../src/engine/entropy.js";
import { readDefaultRuleSources } from "../../../src/config/default-rules.js";
import { findMatches } from "../../../src/engine/scan.js";
import { createRuleset } from "../../../src/engine/ruleset.js";
import { ALNUM, HEX, LOWER_ALNUM, randomString, rng } from "../../../fixtures/fake-keys.js";

const rules = compileRules(parseRuleFiles(readDefaultRuleSources()));
const ruleset = createRuleset(rules);
const rule = rules.find(
  (candidate): candidate is CompiledEntropyRule => candidate.kind === "entropy",
);

/**
 * The reference, without the prefilter's positions: every whole run of name characters of at most
 * 128 that holds a keyword, left to right from the start of the last candidate's value, with the
 * rule's operator and value at its end.
 */
function globalSearch(entropy: CompiledEntropyRule, text: string): string[] {
  const out: string[] = [];
  let done = 0;
  for (const run of text.matchAll(/[\w.-]+/g)) {
    for (let start = Math.max(run.index, done); start < run.index + run[0].length; start++) {
      const name = text.slice(start, run.index + run[0].length);
      if (start > run.index && start !== done) continue; // a name starts where its run or the last value does
      if (name.length > 128 || !entropy.keywords.some((keyword) => name.toLowerCase().includes(keyword))) break;
      const regex = new RegExp(entropy.regex.source, entropy.regex.flags);
      regex.lastIndex = start + name.length;
      const match = regex.exec(text);
      const group = match ? match.findIndex((part, index) => index > 0 && part !== undefined) : -1;
      if (match && group > 0) {
        const valueStart = match.indices?.[group]?.[0] ?? done;
        // A bare value ends before the closing brackets at its end that close nothing of its own.
        const value = /["'`]/.test(text[valueStart - 1] ?? "") ? (match[group] ?? "") : (match[group] ?? "").replace(/[)\]}]+$/, (closers) => keptClosers(match[group] ?? "", closers));
        if (value.length >= PASSWORD_MIN_LENGTH) out.push(`${start}:${value}`);
        done = valueStart;
      }
      break;
    }
  }
  return out;
}

/** Of the closers ending `value`, those that close a bracket opened in it (counted, not paired). */
function keptClosers(value: string, closers: string): string {
  let kept = closers;
  while (kept.length > 0) {
    const last = kept.at(-1) ?? "";
    const opener = { ")": "(", "]": "[", "}": "{" }[last] ?? "";
    const rest = value.slice(0, value.length - closers.length + kept.length);
    if ([...rest].filter((c) => c === last).length <= [...rest].filter((c) => c === opener).length) break;
    kept = kept.slice(0, -1);
  }
  return kept;
}

const found = (entropy: CompiledEntropyRule, text: string): string[] =>
  [...assignments(entropy, text)].map((assignment) => `${assignment.start}:${assignment.value}`);

describe("entropy assignments", () => {
  it("finds what a global search finds in random mixes of names, operators and values", () => {
    if (!rule) throw new Error("no entropy rule among the defaults");
    const pieces = [
      ...rule.keywords,
      ...rule.keywords.map((keyword) => keyword.toUpperCase()),
      "client_secret",
      "db_",
      "_key",
      ".",
      "-",
      " = ",
      "=",
      ": ",
      ":=",
      "=>",
      '"',
      "'",
      "Zx9kQ2mP7vR4tL8w",
      "abc",
      " ",
      "\n",
      "ENV ",
      "<",
      ">",
      ".=",
      "::=",
      " || ",
      " ?? ",
      " ?: ",
      " or ",
      " | default(",
      ", default=",
      ") { ",
      ").unwrap_or_else(|_| ",
      ").orElse(",
      "}",
      '<string name="',
      '">',
      "</string>",
      " == ",
      "!==",
      ", ",
      "(",
      ")",
      "\\n",
      "x".repeat(130),
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 14 }), (parts) => {
        const text = parts.join("");
        expect(found(rule, text)).toEqual(globalSearch(rule, text));
      }),
      { numRuns: 3000, seed: 3 },
    );
  });
});

describe("entropy assignments on hostile text", () => {
  // Lines that made the old name regex backtrack polynomially (issue 17: 904 bytes of `token_`
  // took 32 s). The bound is generous: linear work takes milliseconds on these.
  const hostile: [string, string][] = [
    ["repeated keywords in one name", `x = ${"token_".repeat(20_000)}`],
    ["repeated keywords as names", `${"token=".repeat(50_000)}`],
    ["a 100k-character word holding token", `x = ${"a".repeat(50_000)}token${"b".repeat(50_000)} = 1`],
    ["many long words holding token", `${`${"a".repeat(5_000)}token `.repeat(20)}`],
    ["a 10 MB line starting with token", `token${"A1b2".repeat(2_500_000)}`],
    ["a 10 MB value after token =", `token = ${"A1b2".repeat(2_500_000)}`],
    ["a 10 MB run of spaces after a name", `token${" ".repeat(10_000_000)}x`],
    ["keywords with unclosed quotes", `${"token:'".repeat(30_000)}`],
  ];
  it.each(hostile)("%s: every default rule finishes within 5 s", (_, line) => {
    if (!rule) throw new Error("no entropy rule among the defaults");
    const started = performance.now();
    findMatches(line, ruleset);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe("entropy detector values", () => {
  const generic = (text: string): string[] => findMatches(text, ruleset).filter((finding) => finding.ruleId === "generic-high-entropy").map((finding) => finding.secret);

  it("reads a literal given as the fallback of a lookup, in each language's spelling, and not prose's `or`", () => {
    const secret = randomString(rng(12), ALNUM, 24);
    for (const line of [
      `secret = os.environ.get("APP_SECRET") or "${secret}"`,
      `token = ENV["API_TOKEN"] or '${secret}'`,
      `$secret = getenv('APP_SECRET') ?: '${secret}';`,
      `val token = System.getenv("API_TOKEN") ?: "${secret}"`,
      `api_key: "{{ lookup('env', 'API_KEY') | default('${secret}') }}"`,
      `token: {{ .Values.apiToken | default "${secret}" }}`,
    ]) {
      expect(generic(line), line).toEqual([secret]);
    }
    expect(generic(`# put the api_key or ${secret} here`)).toEqual([]);
    expect(generic(`secret = settings.secret or other_${secret}`)).toEqual([]);
  });

  it("reads a lookup's default given by name, after the lookup's call, or inside a Spring placeholder", () => {
    const secret = randomString(rng(13), ALNUM, 24);
    for (const line of [
      `SECRET_KEY = env("DJANGO_SECRET_KEY", default="${secret}")`,
      `API_TOKEN = config("API_TOKEN", default='${secret}')`,
      `token = parser.get("service", "api_token", fallback="${secret}")`,
      `apiToken := cmp.Or(os.Getenv("API_TOKEN"), "${secret}")`,
      `API_TOKEN = ENV.fetch("API_TOKEN") { "${secret}" }`,
      `let token = env::var("API_TOKEN").unwrap_or("${secret}".to_string());`,
      `let secret = std::env::var("APP_SECRET").unwrap_or_else(|_| String::from("${secret}"));`,
      `let token = env::var("API_TOKEN")\n    .unwrap_or_else(|_| "${secret}".to_owned());`,
      `String secret = Optional.ofNullable(System.getenv("APP_SECRET")).orElse("${secret}");`,
      `String token = Optional.ofNullable(System.getenv("API_TOKEN")).orElseGet(() -> "${secret}");`,
      `val token = sys.env.get("API_TOKEN").getOrElse("${secret}")`,
      `@Value("\${app.api-token:${secret}}") private String apiToken;`,
    ]) {
      expect(generic(line), line).toEqual([secret]);
    }
    // A block or a call that does more than give the literal back is code, not a default.
    expect(generic(`ENV.fetch("API_TOKEN") { raise "missing ${secret}" }`)).toEqual([]);
    expect(generic(`env::var("API_TOKEN").unwrap_or_else(|_| panic!("${secret}"))`)).toEqual([]);
  });

  it("reads a literal converted to bytes or wrapped as a secret by the call assigned", () => {
    const secret = randomString(rng(15), ALNUM, 24);
    for (const line of [
      `var signingSecret = []byte("${secret}")`,
      `const jwtSecret = Buffer.from("${secret}");`,
      `const secretKey = new TextEncoder().encode("${secret}");`,
      `byte[] apiKey = Encoding.UTF8.GetBytes("${secret}");`,
      `SIGNING_KEY = bytes("${secret}", "utf-8")`,
      `API_TOKEN = SecretStr("${secret}")`,
      `let api_key = String::from("${secret}");`,
      `let secret = SecretString::new("${secret}".to_string());`,
      `SecretKeySpec signingKey = new SecretKeySpec("${secret}".getBytes(), "HmacSHA256");`,
    ]) {
      expect(generic(line), line).toEqual([secret]);
    }
    // Another call's argument is not the name's value: the call does something else with it.
    expect(generic(`const jwtSecret = hash("${secret}");`)).toEqual([]);
    expect(generic(`const jwtSecret = Buffer.from(process.env.JWT_SECRET ?? "", "base64");`)).toEqual([]);
  });

  it("reads a type annotation between the name and a lone `=` (Python's, TypeScript's, Kotlin's), and TypeScript's <string> assertion", () => {
    const secret = randomString(rng(17), ALNUM, 24);
    for (const line of [
      `API_TOKEN: Final = "${secret}"`,
      `API_TOKEN: Final[str] = "${secret}"`,
      `api_token: Optional[str] = "${secret}"`,
      `api_token: str | None = "${secret}"`,
      `private apiToken?: string | undefined = "${secret}";`,
      `val apiToken: String? = "${secret}"`,
      // TypeScript's older type assertion before the literal.
      `const apiToken = <string>"${secret}";`,
      // Triple quotes: Python's, TOML's (a multi-line string's first line break is trimmed).
      `API_TOKEN = """${secret}"""`,
      `api_secret = '''${secret}'''`,
      `signing_key = """\n${secret}"""`,
    ]) {
      expect(generic(line), line).toEqual([secret]);
    }
    // A colon then a comparison, or a YAML value holding an `=`, is no annotation.
    expect(generic(`api_token: Final == "${secret}"`)).toEqual([]);
    expect(generic(`api_token: a:b = "${secret}"`)).toEqual([]);
  });

  it("reads R's arrow, Visual Basic's As String, a C# auto-property's initialiser and an Erlang or Elixir tuple", () => {
    const secret = randomString(rng(17), ALNUM, 24);
    for (const line of [
      `api_key <- "${secret}"`,
      `api_secret <<- '${secret}'`,
      `Dim apiKey As String = "${secret}"`,
      `public string ApiKey { get; set; } = "${secret}";`,
      `public string ClientSecret { get; private set; } = "${secret}";`,
      `{api_key, "${secret}"},`,
      `{:api_token, "${secret}"}`,
    ]) {
      expect(generic(line), line).toEqual([secret]);
    }
    // An arrow's other use (an HTML comment's `<!--`), and a tuple's second member that is not its last.
    expect(generic(`api_key <!-- "${secret}"`)).toEqual([]);
    expect(generic(`{api_key, "${secret}", 3}`)).toEqual([]);
  });

  it("reads a YAML block scalar's line under its key", () => {
    const secret = randomString(rng(16), ALNUM, 24);
    expect(generic(`api_token: >-\n  ${secret}\n`)).toEqual([secret]);
    expect(generic(`auth:\n  client_secret: |\n    ${secret}\n`)).toEqual([secret]);
    // Under a key that is no secret's name, the line is not read.
    expect(generic(`description: |\n  ${secret}\n`)).toEqual([]);
  });

  it("reads an element named by its name or key attribute, and Perl's hash element", () => {
    const secret = randomString(rng(14), ALNUM, 24);
    expect(generic(`<string name="api_key">${secret}</string>`)).toEqual([secret]);
    expect(generic(`<entry key="api.token">${secret}</entry>`)).toEqual([secret]);
    // A property list's `<key>` then its `<string>` (an iOS Info.plist), and Android's namespaced attributes.
    expect(generic(`<dict>\n\t<key>API_TOKEN</key>\n\t<string>${secret}</string>\n</dict>`)).toEqual([secret]);
    expect(generic(`<meta-data android:name="com.acme.API_TOKEN" android:value="${secret}" />`)).toEqual([secret]);
    expect(generic(`$ENV{API_TOKEN} = '${secret}';`)).toEqual([secret]);
    expect(generic(`$config{'api_secret'} = "${secret}";`)).toEqual([secret]);
    // Another attribute, or text that goes on past the value, is no element's value.
    expect(generic(`<string type="api_key">${secret}</string>`)).toEqual([]);
    expect(generic(`<string name="api_key">${secret} and more</string>`)).toEqual([]);
    expect(generic(`<key>API_TOKEN</key>\n<integer>${secret}</integer>`)).toEqual([]);
    expect(generic(`<string>API_TOKEN</string>\n<string>${secret}</string>`)).toEqual([]);
  });

  it("reads a comparison with a literal as a hard-coded secret, the literal before or after the name", () => {
    const secret = randomString(rng(11), ALNUM, 24);
    expect(generic(`if (api_key === "${secret}") {`)).toEqual([secret]);
    expect(generic(`if (token != "${secret}")`)).toEqual([secret]);
    expect(generic(`if ("${secret}" === private_key) {`)).toEqual([secret]);
    expect(generic(`if ('${secret}' != this.apiToken)`)).toEqual([secret]);
  });

  it("reads a C string's array brackets between the name and the operator", () => {
    const secret = randomString(rng(12), ALNUM, 28);
    expect(generic(`char api_secret[29] = "${secret}";`)).toEqual([secret]);
    expect(generic(`static const char auth_token[] = "${secret}";`)).toEqual([secret]);
    // An index that is not a number is a lookup, not a declaration.
    expect(generic(`tokens[name] = "${secret}";`)).toEqual([]);
  });

  it("reads C++'s initialisation and assignment of a string by a call on its name", () => {
    const secret = randomString(rng(27), ALNUM, 27);
    expect(generic(`std::string api_secret("${secret}");`)).toEqual([secret]);
    expect(generic(`auth_token.assign("${secret}", 27);`)).toEqual([secret]);
    // A call with other arguments, or whose literal is a name, holds no value of the name.
    expect(generic(`read_secret("${secret}", vault, 3);`)).toEqual([]);
    expect(generic('std::string api_secret("SERVICE_API_SECRET");')).toEqual([]);
  });

  it("takes a value typed from many kinds of punctuation whose brackets close out of turn, not code that pairs them", () => {
    // Made up: letters and punctuation drawn at random, with brackets put in out of turn.
    const typed = [61, 62, 63, 64, 65].map((seed) => {
      const part = (n: number): string => randomString(rng(seed * 10 + n), "abcdefghijkmnopqrstuvwxyz!#$%&+-:;=?@^_|~", 7);
      return `${part(1)}){${part(2)}]${part(3)}(${part(4)}`;
    });
    for (const value of typed) {
      expect(generic(`apikey = "${value}"`)).toEqual([value]);
      expect(generic(`aws_secret_access_key: '${value}'`)).toEqual([value]);
      expect(generic(`private_key := \`${value}\``)).toEqual([value]);
      // The same characters with their brackets paired read as code: a call, an index, a block.
      const paired = value.replace(/[(){}[\]]/g, "").replace(/^(.{7})(.{7})(.{7})/, "$1($2)[$3]");
      expect(generic(`apikey = "${paired}"`)).toEqual([]);
    }
  });

  it("takes a long random value in one case, not words and numbers in one case", () => {
    const random = randomString(rng(7), LOWER_ALNUM, 52);
    expect(generic(`personal_access_token = "${random}"`)).toEqual([random]);
    expect(generic(`ACCESS_TOKEN=${random.toUpperCase()}`)).toEqual([random.toUpperCase()]);
    expect(generic('cache_token = "webpackchunkname2024mainbundlesettingsvendors11"')).toEqual([]);
  });

  it("takes a key dense in punctuation (as WordPress and Django make them), not code or a pattern on one line", () => {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&()*+,-./:;=?@[]^_{|}~<>";
    // The last three hold `<` before `>`, `...` or `***` by chance: signs of a placeholder in a value a person typed.
    for (const seed of [11, 1, 5, 40]) {
      const key = randomString(rng(seed), alphabet, 64);
      expect(generic(`define('APP_SIGNING_KEY', '${key}');`)).toEqual([key]);
    }
    // Django's alphabet has no upper case: a-z, 0-9 and 14 symbols, so its keys spread less.
    const djangoAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)";
    const djangoKeys = [41, 42, 43, 44, 45].map((seed) => randomString(rng(seed), djangoAlphabet, 50));
    for (const djangoKey of djangoKeys) expect(generic(`SECRET_KEY = '${djangoKey}'`)).toEqual([djangoKey]);
    // Its `%` and two digits are not URL encoding, nor its `=` base64's padding.
    const withEscapeAndPadding = "k7=qmxoz##ja2c#n7l8&wy)r%75mr$@=py3q)&7l5#+mwll+hs";
    expect(generic(`SECRET_KEY = '${withEscapeAndPadding}'`)).toEqual([withEscapeAndPadding]);
    expect(generic("api_token = '/home/ci_user/virt-images/rhel-6-2015-10-16_v2.qcow2'")).toEqual([]);
    expect(generic("secret_key = '${this.relative(leak.filename)}:${stacks[0].line}:${stacks[0].column}'")).toEqual([]);
    expect(generic("api_token = 'crypto.getRandomValues(buf).map(b=>ALPHA[b%64]).join(sep)+Date.now()%97'")).toEqual([]);
    expect(generic("password_rule = '^(?=.*[A-Z])(?=.*[0-9])(?=.*[!@#$%^&*]).{8,}$'")).toEqual([]);
  });

  it("reads a name, a space or tab, and the value: config files, a Ruby DSL, a vendor's name before the keyword", () => {
    const secret = randomString(rng(21), ALNUM, 30);
    expect(generic(`api_token ${secret}`)).toEqual([secret]);
    expect(generic(`clockify SECRET\t${secret}`)).toEqual([secret]);
    expect(generic(`config.before_initialize do\n  api_secret '${secret}'\nend`)).toEqual([secret]);
    expect(generic(`ENV SESSION_SECRET ${secret}`)).toEqual([secret]);
    // What follows a keyword and a space in code and prose is a type, a column or a word.
    expect(generic("api_token VARCHAR(255) NOT NULL")).toEqual([]);
    expect(generic("the token expires after 3600 seconds unless refreshed")).toEqual([]);
    expect(generic("func refresh(token oauth2TokenSource) error")).toEqual([]);
  });

  it("takes a name whose last word is key when another word says what it opens", () => {
    const secret = randomString(rng(28), ALNUM, 32);
    expect(generic(`widget_key = "${secret}"`)).toEqual([secret]);
    expect(generic(`boxKey: '${secret}'`)).toEqual([secret]);
    expect(generic(`config.geoquux.key = ${secret}`)).toEqual([secret]);
    // A vendor with a rule of its own (MapQuest) has its key claimed by that rule, not the generic detector.
    expect(findMatches(`config.mapquest.key = ${secret}`, ruleset).map((finding) => finding.ruleId)).toEqual(["mapquest-api-key"]);
    expect(generic(`zerobounceKEY=${secret}`)).toEqual([secret]);
    // Azure's primaryKey is a credential: the value decides.
    expect(generic(`"primaryKey": "${secret}"`)).toEqual([secret]);
    expect(generic(`routePRIVATEKEY=${secret}`)).toEqual([secret]);
  });

  it("reads a bare key with the word before it on its line as a name in words", () => {
    const secret = randomString(rng(32), ALNUM, 32);
    expect(generic(`flickr KEY ${secret}`)).toEqual([secret]);
    expect(generic(`Your API key: ${secret}`)).toEqual([secret]);
    expect(generic(`secret key = ${secret}`)).toEqual([secret]);
    expect(generic(`blitapp   PRIVATE    KEY  :  ${secret}`)).toEqual([secret]);
    // An article is no qualifier; a lookup's or a public key stays one; the word must be on the line.
    expect(generic(`the key ${secret}`)).toEqual([]);
    expect(generic(`cache key ${secret}`)).toEqual([]);
    expect(generic(`public key: ${secret}`)).toEqual([]);
    expect(generic(`flickr\nkey ${secret}`)).toEqual([]);
    // An OpenPGP fingerprint names a public key, however its name is written; a GPG password is a secret.
    const fingerprint = randomString(rng(33), HEX, 40).toUpperCase();
    expect(generic(`ENV GPG_KEY ${fingerprint}`)).toEqual([]);
    expect(generic(`Release signing GPG key ${fingerprint}`)).toEqual([]);
    expect(generic(`GPG_PASSWORD=${secret}`)).toEqual([secret]);
    // A value typed by a person under a qualified key is still left alone.
    expect(generic("flickr KEY a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6")).toEqual([]);
  });

  it("takes a bare key's value only when strongly random, assigned, in letters and digits alone", () => {
    const secret = randomString(rng(23), ALNUM, 32);
    expect(generic(`key = "${secret}"`)).toEqual([secret]);
    expect(generic(`$key = '${secret}';`)).toEqual([secret]);
    // Shorter, one case, a digest, an id with separators, prose or an index: a lookup's key.
    expect(generic(`key = "${secret.slice(0, 20)}"`)).toEqual([]);
    expect(generic(`key: "${secret.toLowerCase()}"`)).toEqual([]);
    expect(generic(`key = "${randomString(rng(27), HEX, 40)}"`)).toEqual([]);
    expect(generic(`key: "${secret.slice(0, 12)}-${secret.slice(12)}"`)).toEqual([]);
    expect(generic(`the key ${secret}`)).toEqual([]);
    expect(generic(`key ${secret}`)).toEqual([]);
    expect(generic(`cookies[key] = "${secret}"`)).toEqual([]);
  });

  it("leaves a lookup's key and a public key alone", () => {
    const secret = randomString(rng(23), ALNUM, 32);
    const digest = randomString(rng(24), HEX, 40);
    expect(generic(`cacheKey = "${digest}"`)).toEqual([]);
    expect(generic(`idempotency_key: ${secret}`)).toEqual([]);
    expect(generic(`recaptchaSiteKey: "${secret}"`)).toEqual([]);
    expect(generic(`publicKey = "${secret}"`)).toEqual([]);
    expect(generic(`keyId = "${secret}"`)).toEqual([]);
    expect(generic(`cookies[SessionKey] = "${secret}"`)).toEqual([]);
    // Field and column names under primaryKey, sortKey, foreignKey, i18nKey never look random.
    expect(generic('primaryKey: "organization_id"')).toEqual([]);
    expect(generic('sortKey = "createdAtTimestamp"')).toEqual([]);
    expect(generic("foreignKey: 'billing_account_uuid'")).toEqual([]);
    expect(generic('<Trans i18nKey="settings.security.twoFactor2">')).toEqual([]);
    // A file name is not a key, whatever the name before it.
    expect(generic('certs("brainpoolP320t1.key", "brainpoolP384t1.key")')).toEqual([]);
  });

  it("leaves a key qualified only by words that say nothing of what it opens, and keeps one that says", () => {
    // Made up: a test's expected lookup key (a locale, a domain and a digest) under expectedKey.
    const digest = randomString(rng(26), HEX, 40);
    expect(generic(`'expectedKey' => 'en_GB.messages.${digest}'`)).toEqual([]);
    expect(generic(`theKey = "${digest}"`)).toEqual([]);
    expect(generic(`expected_signing_key = "${digest}"`)).toEqual([digest]);
    expect(generic(`'mailgunKey' => '${digest}'`)).toEqual([digest]);
  });

  it("asks a value under a qualified key to look generated, not typed", () => {
    expect(generic("global.licenseKey=a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8NRAL")).toEqual([]);
    expect(generic('ibm_iam_key: "Qx7mQx7mQx7mQx7mQX7MQX7MQX7M--__"')).toEqual([]);
    const secret = randomString(rng(25), ALNUM, 40);
    expect(generic(`global.licenseKey=${secret}`)).toEqual([secret]);
  });

  it("ends a bare value in a query string where the next parameter starts, not at a lone &", () => {
    const secret = randomString(rng(31), ALNUM, 30);
    expect(generic(`curl "https://devices.example.net/update?token=${secret}&pin=v1&isDisabled=true"`)).toEqual([secret]);
    expect(generic(`wget https://example.net/feed?access_token=${secret}&format=json`)).toEqual([secret]);
    const password = `${secret.slice(0, 12)}&${secret.slice(12)}`;
    expect(generic(`DB_PASSWORD=${password}`)).toEqual([password]);
  });

  it("reads a string literal inside quotes, and a credential built from a user and a secret", () => {
    const digest = randomString(rng(29), HEX, 32);
    const secret = randomString(rng(27), ALNUM, 27);
    expect(generic(`buildConfigField 'String', 'API_KEY', '"${digest}"'`)).toEqual([digest]);
    expect(generic(`buildConfigField "String", "API_KEY", "\\"${digest}\\""`)).toEqual([digest]);
    // Vite's define and webpack's DefinePlugin take a value to inline through JSON.stringify.
    expect(generic(`'process.env.API_TOKEN': JSON.stringify('${secret}'),`)).toEqual([secret]);
    expect(generic(`$client.Credentials = New-Object System.Net.NetworkCredential("ci", "${secret}")`)).toEqual([secret]);
    // Java's PasswordAuthentication takes a password whatever it looks like: the login-call rule reports it.
    const found = findMatches(`auth = PasswordAuthentication("deploy", "${secret}".toCharArray())`, ruleset);
    expect(found.map((finding) => [finding.ruleId, finding.secret])).toEqual([["login-call-password", secret]]);
  });
});
