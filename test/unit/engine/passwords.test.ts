// The generic detector's password judge (generic-password): passwords people chose, found by the
// name they are assigned to or compared with. Every value here is made up for these tests, and
// keyscan's scan of its own repository leaves them out: secretlint-disable
import { describe, expect, it } from "vitest";
import { readDefaultRuleSources } from "../../../src/config/default-rules.js";
import { isChosenPassword, passwordName } from "../../../src/engine/passwords.js";
import { compileRules, parseRuleFiles } from "../../../src/engine/rules.js";
import { createRuleset } from "../../../src/engine/ruleset.js";
import { findMatches } from "../../../src/engine/scan.js";
import { randomString, rng } from "../../../fixtures/fake-keys.js";

const ruleset = createRuleset(compileRules(parseRuleFiles(readDefaultRuleSources())));
const passwordsIn = (text: string): string[] =>
  findMatches(text, ruleset)
    .filter((finding) => finding.ruleId === "generic-password")
    .map((finding) => finding.secret);

const secretsIn = (text: string): string[] => findMatches(text, ruleset).map((finding) => finding.secret);

describe("passwordName", () => {
  it.each([
    [["password"], "password"],
    [["db", "passwd"], "password"],
    [["gpg", "passphrase"], "password"],
    [["smtp", "pwd"], "password"],
    [["vm", "pass"], "password"],
    [["creds", "secret"], "compared secret"],
  ] as const)("%j names a password (%s)", (words, kind) => {
    expect(passwordName(words)).toBe(kind);
  });

  // `pass` alone, a password word that is not the last, a hash's or a wrong password's name.
  it.each([[["pass"]], [["password", "label"]], [["password", "hash"]], [["wrong", "password"]], [["update", "password"]], [["confirm", "password"]], [["api", "token"]]])(
    "%j does not",
    (words) => {
      expect(passwordName(words)).toBeUndefined();
    },
  );
});

describe("passwordName: pass alone", () => {
  it("names a password in capitals, as environment variables and constants are written, not in lower case", () => {
    expect(passwordName(["pass"], true)).toBe("password");
    expect(passwordName(["pass"], false)).toBeUndefined();
    const password = `r${randomString(rng(95), "abcdefghijkmnopqrstuvwxyz23456789!#%&+-:=?@^_~", 9)}`;
    expect(passwordsIn(`USERNAME = 'ops'\nPASS = '${password}'`)).toEqual([password]);
    expect(passwordsIn(`export PASS=${password}`)).toEqual([password]);
    expect(passwordsIn(`pass = '${password}'`)).toEqual([]);
  });

  it("names a password in lower case just after a user's key, on its line or the one before", () => {
    const password = "Heron#2231";
    expect(passwordsIn(`nodemailer.createTransport({ auth: { user: "ops@example.net", pass: "${password}" } });`)).toEqual([password]);
    expect(passwordsIn(`smtp:\n  user: ops\n  pass: ${password}\n`)).toEqual([password]);
    expect(passwordsIn(`{ "username": "ops",\n  "pass": "${password}" }`)).toEqual([password]);
    // Another key before it, or a user's key further back, says nothing of this pass.
    expect(passwordsIn(`{ name: "lint", pass: "${password}" }`)).toEqual([]);
    expect(passwordsIn(`user: ops\nretries: 3\nlevel: 2\npass: ${password}\n`)).toEqual([]);
  });
});

describe("isChosenPassword", () => {
  it.each(["Heron#2231", "plum-tart42", "quiet_harbor88", "GaLsg~xpzH", "s0ft-m4ple"])("%s could be a password", (value) => {
    expect(isChosenPassword(value, ["password"])).toBe(true);
  });

  it.each([
    "SOME_PASSWORD", // a constant's name
    "changeme",
    "${DB_PASS}",
    "Contraseña", // another script: a label
    "Kennwort", // a capitalised word: a label
    "$6$rounds=5000$Qm3xT8vKp2Lz$Zr8Nw2Yb5Kd7Hf1Jq4Vc9Xs3Pt6Lm0Ga", // crypt(3)
    "41c584ca23f33a83042da457e742fa3d09506784", // SHA-1 in a password field
    "abcd1234abcd1234abcd1234", // typed as a pattern
    "%s:%s",
    "user:{0}",
    "ops@mail.internal.example.net",
    "busybox@",
    "spring.datasource.password",
    "--status",
    ",rememberMe:",
    "2024-01-01",
    "required|confirmed|min:8",
    "https://vault.internal.example.net/v1/db",
  ])("%s is not", (value) => {
    expect(isChosenPassword(value, ["password"])).toBe(false);
  });
});

describe("isChosenPassword: symbols beyond ASCII", () => {
  // Made up: ASCII letters and digits with symbols a keyboard types beyond ASCII among them.
  const symbols = [31, 32, 33].map((seed) => `k${randomString(rng(seed), "abcdefghijkmnopqrstuvwxyz23456789¿¨§€£°±", 9)}!`);

  it("a symbol beyond ASCII is a password's punctuation, as `!` is", () => {
    for (const value of symbols) {
      expect(isChosenPassword(value, ["password"]), value).toBe(true);
      expect(passwordsIn(`db_pass: '${value}'`)).toEqual([value]);
    }
  });

  it.each([
    "Contraseña1", // a letter of another script: a label
    "pässwort-42",
    "••••••••", // a mask, one symbol repeated
    "●●●●●●●●",
    "——————",
    "«password»",
  ])("%s is not", (value) => {
    expect(isChosenPassword(value, ["password"])).toBe(false);
  });
});

describe("isChosenPassword: brackets", () => {
  // Made up: letters and punctuation drawn at random, with brackets put in out of turn or paired.
  const typed = [71, 72, 73, 74].map((seed) => {
    const part = (n: number): string => randomString(rng(seed * 10 + n), "abcdefghijkmnopqrstuvwxyz23456789!#%&+-:=?@^_~", 3);
    // A letter first: punctuation there reads as an option, a variable or a quote out of step.
    return { outOfTurn: `k${part(1)}}${part(2)}(${part(3)}]`, paired: `k${part(1)}(${part(2)})${part(3)}` };
  });

  it("brackets closed out of turn are a typed password's punctuation; paired ones are code", () => {
    for (const { outOfTurn, paired } of typed) {
      expect(isChosenPassword(outOfTurn, ["password"]), outOfTurn).toBe(true);
      expect(isChosenPassword(paired, ["password"]), paired).toBe(false);
    }
  });

  it("braces in a password are no template unless they interpolate a name", () => {
    for (const seed of [91, 92, 93]) {
      const part = (n: number): string => randomString(rng(seed * 10 + n), "abcdefghijkmnopqrstuvwxyz23456789!#%&+-:=?@^_~", 3);
      const withBraces = `k${part(1)}\${w${part(2)}]{{${part(3)})`;
      expect(isChosenPassword(withBraces, ["password"]), withBraces).toBe(true);
    }
    expect(isChosenPassword("${DB_PASSWORD:-x}", ["password"])).toBe(false);
  });

  it("a bare value in code keeps the brackets it closes out of turn, and loses those of the code around it", () => {
    for (const seed of [101, 102, 103]) {
      // No `&`, `,` or `;`: those end a bare value in code.
      const part = (n: number): string => randomString(rng(seed * 10 + n), "abcdefghijkmnopqrstuvwxyz23456789!#%+-:=?@^_~", 3);
      const typed = `k${part(1)}{{${part(2)}}${part(3)})${part(4)}\${${part(5)}]${part(6)}}}`;
      expect(passwordsIn(`db_pass := ${typed}`), typed).toEqual([typed]);
      expect(secretsIn(`password = ${typed},`), typed).toEqual([typed]);
    }
    // Brackets that pair up, or close only the code around a name, are code.
    expect(secretsIn("login({password: userPassword})")).toEqual([]);
    expect(secretsIn("f(password=getPassword(x))")).toEqual([]);
    expect(secretsIn("password = getenv(abc)}")).toEqual([]);
    expect(secretsIn("password := cfg[pwKey]")).toEqual([]);
    expect(secretsIn("{self.primary_key=}[rdoc-ref:Model::PrimaryKey::ClassMethods#primary_key=]")).toEqual([]);
  });
});

describe("generic-password in text", () => {
  it("reads a password in C, C++, Objective-C and C#: a literal's prefix, an array, no operator", () => {
    for (const password of [81, 82, 83].map((seed) => `m${randomString(rng(seed), "abcdefghijkmnopqrstuvwxyz23456789!#%&+-:=?@^_~", 9)}`)) {
      expect(passwordsIn(`password = @"${password}";`)).toEqual([password]);
      expect(passwordsIn(`char db_password[25] = "${password}";`)).toEqual([password]);
      expect(passwordsIn(`smtp_pass[] = "${password}";`)).toEqual([password]);
      expect(passwordsIn(`password "${password}";`)).toEqual([password]);
      expect(passwordsIn(`password => "${password}"`)).toEqual([password]);
      expect(passwordsIn(`if ("${password}" != my_passwd) {`)).toEqual([password]);
    }
    // Brackets holding a name are an index, not a C array's length.
    expect(passwordsIn('password[field] = "Heron#2231";')).toEqual([]);
    expect(passwordsIn("password[] = ${link}")).toEqual([]);
  });

  it("reports a password assigned in the forms of several languages", () => {
    expect(passwordsIn('db_password = "Heron#2231"')).toEqual(["Heron#2231"]);
    expect(passwordsIn("  :password => 'plum-tart42',")).toEqual(["plum-tart42"]);
    expect(passwordsIn('$smtpPass = "quiet_harbor88";')).toEqual(["quiet_harbor88"]);
    expect(passwordsIn("[mail]\nUser=ops\nPassword=GaLsg~xpzH\n")).toEqual(["GaLsg~xpzH"]);
    expect(passwordsIn('<add key="ReportsPassword" value="s0ft-m4ple" />')).toEqual(["s0ft-m4ple"]);
    expect(passwordsIn("define('DB_PASSWORD', 'Heron#2231');")).toEqual(["Heron#2231"]);
    // A lookup's default: by position to a lookup call, by name to any, or after the lookup's call.
    expect(passwordsIn("'password' => env('DB_PASSWORD', 'Heron#2231'),")).toEqual(["Heron#2231"]);
    expect(passwordsIn('String pw = props.getProperty("db.password", "Heron#2231");')).toEqual(["Heron#2231"]);
    expect(passwordsIn('DB_PASSWORD = config("DB_PASSWORD", default="Heron#2231")')).toEqual(["Heron#2231"]);
    expect(passwordsIn('pw = ENV.fetch("DB_PASSWORD") { "Heron#2231" }')).toEqual(["Heron#2231"]);
    expect(passwordsIn('let pw = env::var("DB_PASSWORD").unwrap_or_else(|_| String::from("Heron#2231"));')).toEqual(["Heron#2231"]);
    expect(passwordsIn('@Value("${db.password:Heron#2231}") private String dbPassword;')).toEqual(["Heron#2231"]);
    expect(passwordsIn('<string name="db_password">Heron#2231</string>')).toEqual(["Heron#2231"]);
    expect(passwordsIn("$ENV{'DB_PASSWORD'} = 'Heron#2231';")).toEqual(["Heron#2231"]);
    expect(passwordsIn('db_password <- "Heron#2231"')).toEqual(["Heron#2231"]);
    expect(passwordsIn('Private Const DbPassword As String = "Heron#2231"')).toEqual(["Heron#2231"]);
    expect(passwordsIn('public string Password { get; set; } = "Heron#2231";')).toEqual(["Heron#2231"]);
    expect(passwordsIn('{db_password, "Heron#2231"}')).toEqual(["Heron#2231"]);
    // Python's mapping lookups with a default, the name first or (getattr) second.
    expect(passwordsIn('DB_PASS = os.environ.get("DB_PASSWORD", "Heron#2231")')).toEqual(["Heron#2231"]);
    expect(passwordsIn("smtp = config.get('smtp_password', 'Heron#2231')")).toEqual(["Heron#2231"]);
    expect(passwordsIn('PASSWORD = getattr(settings, "DB_PASSWORD", "Heron#2231")')).toEqual(["Heron#2231"]);
    // An environment variable's name as any call's first argument: the call looks it up or sets it.
    expect(passwordsIn('pw = envOr("DB_PASSWORD", "Heron#2231")')).toEqual(["Heron#2231"]);
    expect(passwordsIn('Map<String, String> env = Map.of("MYSQL_PASSWORD", "Heron#2231");')).toEqual(["Heron#2231"]);
    // A name in another case is a label or another name there.
    expect(passwordsIn('label("db_password", "Heron#2231")')).toEqual([]);
    expect(passwordsIn('ignore("PASSWORD", "Heron#2231")')).toEqual([]);
    // Another call's next argument, after a password's lookup, is a setting, not its value.
    expect(passwordsIn('validate(get("password"), "min_length_8")')).toEqual([]);
    expect(passwordsIn('ignore("url", "password", "enabled_flag")')).toEqual([]);
    expect(passwordsIn("user.setPassword(\"Heron#2231\");")).toEqual(["Heron#2231"]);
    // Go's raw string: the same shortest password as in quotes.
    expect(passwordsIn("dbPassword := `plum42`")).toEqual(["plum42"]);
  });

  it("reports a literal compared with a password or secret name, either way round", () => {
    expect(passwordsIn('if user == "ops" and password == "tidepool":')).toEqual(["tidepool"]);
    expect(passwordsIn('if creds.Secret != "open-meadow" {')).toEqual(["open-meadow"]);
    expect(passwordsIn('if ("Heron#2231" === passwd) {')).toEqual(["Heron#2231"]);
    expect(passwordsIn('return password.equalsIgnoreCase("tidepool");')).toEqual(["tidepool"]);
    expect(passwordsIn('if ("open-meadow" != secret) {')).toEqual(["open-meadow"]);
  });

  it("a random value under a password name stays the high-entropy rule's", () => {
    const findings = findMatches('DB_PASSWORD="s1H9qT^M#FIkFwb46ravsq"', ruleset);
    expect(findings.map((finding) => finding.ruleId)).toEqual(["generic-high-entropy"]);
  });

  it("a comparison of the value's type is not one of the value", () => {
    expect(passwordsIn('if (typeof secret !== "string") {')).toEqual([]);
    expect(passwordsIn('if (typeof entry.password === "string") {')).toEqual([]);
    expect(passwordsIn('assert(type(secret) == "string", "secret needs to be a string")')).toEqual([]);
    expect(passwordsIn('if (gettype($password) !== "string") {')).toEqual([]);
    expect(passwordsIn('if reflect.TypeOf(secret) == "string" {')).toEqual([]);
    // The value itself compared inside a call's argument list is still the password.
    expect(passwordsIn('assert(secret == "tidepool-7", "wrong secret")')).toEqual(["tidepool-7"]);
  });

  it("a word alone counts in a comparison, not in an assignment", () => {
    expect(passwordsIn('password: "peanuts"')).toEqual([]);
    expect(passwordsIn('password = "not-set"')).toEqual([]);
    expect(passwordsIn('if (password == "peanuts")')).toEqual(["peanuts"]);
  });

  it("a secret assigned a value that does not look random is not reported", () => {
    expect(passwordsIn('client_secret = "plum-tart42"')).toEqual([]);
  });

  it("a value without quotes counts only where it cannot be code", () => {
    expect(passwordsIn("password: Wint3r!24\n")).toEqual(["Wint3r!24"]);
    expect(passwordsIn("password: Wint3r!24 # the staging one\n")).toEqual(["Wint3r!24"]);
    expect(passwordsIn("password = user.password\n")).toEqual([]);
    expect(passwordsIn("password = Wint3r!24 + suffix\n")).toEqual([]);
    expect(passwordsIn("password: !vault |\n")).toEqual([]);
    expect(passwordsIn("'password' => HashCaster::class,\n")).toEqual([]);
    // A YAML key with a nested mapping: the next line is not its value.
    expect(passwordsIn("password:\n  description: Wint3r!24\n")).toEqual([]);
    // Prose: a word after a space, with no operator.
    expect(passwordsIn("waiting for the password prompt: Wint3r!24\n")).toEqual([]);
  });

  it("a literal after a name in a list or another call's arguments is another name, not its value", () => {
    expect(passwordsIn('ignore(props, "url", "password", "Heron#2231");')).toEqual([]);
    expect(passwordsIn('hash_password("Heron#2231", "sha256")')).toEqual([]);
    expect(passwordsIn('getPassword("Heron#2231")')).toEqual([]);
  });

  it("a string built from parts is not a password", () => {
    expect(passwordsIn('usernamePassword = "svc:" + appKey + ":" + appSecret;')).toEqual([]);
  });

  it("a value counts as a YAML block scalar's line under its key", () => {
    expect(passwordsIn("db:\n  password: |\n    Heron#2231\n")).toEqual(["Heron#2231"]);
    expect(passwordsIn("smtp_password: >-\n  Heron#2231\n")).toEqual(["Heron#2231"]);
    // A block of text, or a template, is no password.
    expect(passwordsIn("password: |\n  {{ .Values.password }}\n")).toEqual([]);
    expect(passwordsIn("password: |\n  set it with kubectl\n")).toEqual([]);
  });

  it("a value on the next line counts under a Kubernetes env entry's value, and CloudFormation's capitalised one", () => {
    expect(passwordsIn('- name: DB_PASSWORD\n  value: "Heron#2231"\n')).toEqual(["Heron#2231"]);
    expect(passwordsIn('- Name: DB_PASSWORD\n  Value: "Heron#2231"\n')).toEqual(["Heron#2231"]);
  });

  it("a PHP class path given as a password field's type is no password", () => {
    expect(passwordsIn("->add('password', 'Symfony\\Component\\Form\\Extension\\Core\\Type\\RepeatedType')")).toEqual([]);
  });

  it("a value counts as a JSON name/value pair's, on the name's line or the next", () => {
    expect(passwordsIn('"environment": [{ "name": "DB_PASSWORD", "value": "Heron#2231" }]')).toEqual(["Heron#2231"]);
    expect(passwordsIn('{\n  "name": "DB_PASSWORD",\n  "value": "Heron#2231"\n}')).toEqual(["Heron#2231"]);
    expect(passwordsIn('{"Name": "DB_PASSWORD", "Value": "Heron#2231"}')).toEqual(["Heron#2231"]);
    expect(passwordsIn('{ "name": "DB_PASSWORD", "label": "Heron#2231" }')).toEqual([]);
  });

  it("a password word glued to what it opens names a password, unless the word before it names an action or a switch", () => {
    expect(passwordsIn("PGPASSWORD='Heron#2231'")).toEqual(["Heron#2231"]);
    expect(passwordsIn('rootpassword = "Heron#2231"')).toEqual(["Heron#2231"]);
    expect(passwordsIn('resetpassword = "Heron#2231"')).toEqual([]);
    expect(passwordsIn('NOPASSWORD="Heron#2231"')).toEqual([]);
    expect(passwordsIn('save_password = "Heron#2231"')).toEqual([]);
  });

  it("a bare value glued to a shell's `=` counts with the command after it", () => {
    expect(passwordsIn("PGPASSWORD=Heron#2231 psql -h db -U app")).toEqual(["Heron#2231"]);
    expect(passwordsIn("wget --user=deploy --password=Heron#2231 https://files.example.net/x")).toEqual(["Heron#2231"]);
    expect(passwordsIn("password = Heron#2231 + suffix")).toEqual([]);
  });

  it("an XML element's text is literal, letters and digits alone too, as a config file's value is", () => {
    expect(passwordsIn("<database>\n  <user>app</user>\n  <password>Heron2241x</password>\n</database>")).toEqual(["Heron2241x"]);
    expect(passwordsIn("<datasource>\n  <password>kestrel42 </password>\n</datasource>")).toEqual(["kestrel42"]);
    expect(passwordsIn('<string name="smtp_password">Heron2242y</string>')).toEqual(["Heron2242y"]);
    // A stand-in, a property, a label, and an element that holds more than text.
    expect(passwordsIn("<password>changeme</password>")).toEqual([]);
    expect(passwordsIn("<password>${env.REPO_PASSWORD}</password>")).toEqual([]);
    expect(passwordsIn('<string name="password">Password</string>')).toEqual([]);
    expect(passwordsIn("<password>Heron2243z<extra/></password>")).toEqual([]);
  });

  it("an environment variable given to a command on its line is a shell word in any file", () => {
    expect(passwordsIn('"start": "DB_PASSWORD=Heron2231 node server.js",')).toEqual(["Heron2231"]);
    expect(passwordsIn('"deploy": "cross-env SMTP_PASSWORD=Heron2232 node deploy.js"')).toEqual(["Heron2232"]);
    expect(passwordsIn("  script:\n    - DB_PASSWORD=Heron2233 npm test\n")).toEqual(["Heron2233"]);
    expect(passwordsIn('"test": "NODE_ENV=test DB_PASSWORD=Heron2234 jest"')).toEqual(["Heron2234"]);
    // A variable, a stand-in, a lower-case name (code's), and a value with nothing after it.
    expect(passwordsIn('"test": "DB_PASSWORD=$DB_PASSWORD jest"')).toEqual([]);
    expect(passwordsIn('"test": "DB_PASSWORD=changeme jest"')).toEqual([]);
    expect(passwordsIn("x = 1; db_password=Heron2231 if y else z")).toEqual([]);
    expect(passwordsIn("DB_PASSWORD=Heron2231")).toEqual([]);
  });

  it("a `secret` in a session middleware's options is the secret it signs sessions with", () => {
    expect(passwordsIn('app.use(session({ secret: "Heron#2231", resave: false }))')).toEqual(["Heron#2231"]);
    expect(passwordsIn("app.use(cookieSession({\n  name: 'sid',\n  secret: 'Heron#2232',\n}))")).toEqual(["Heron#2232"]);
    // express-session's documented stand-in is prose; an object closed before the key is another's.
    expect(passwordsIn('app.use(session({ secret: "keyboard cat" }))')).toEqual([]);
    expect(passwordsIn('app.use(session({ name: "sid" }), { secret: "Heron#2231" })')).toEqual([]);
    expect(passwordsIn('const manifest = { kind: "Secret", secret: "Heron#2231" }')).toEqual([]);
  });

  it("a word among space-separated key=value words is literal: libpq's connection string, an Ansible inventory's host line", () => {
    expect(passwordsIn('dsn := "host=localhost user=app password=Heron2231 dbname=app port=5432 sslmode=disable"')).toEqual(["Heron2231"]);
    expect(passwordsIn('conn = psycopg2.connect("host=db dbname=app user=app password=Heron2232")')).toEqual(["Heron2232"]);
    expect(passwordsIn("web1 ansible_host=10.0.0.5 ansible_user=deploy ansible_password=Heron2233")).toEqual(["Heron2233"]);
    // One other pair is not a run of them; code's arguments and statements are not space-separated words.
    expect(passwordsIn('"user=app password=Heron2231"')).toEqual([]);
    expect(passwordsIn("connect(host=db, user=app, password=Heron2231)")).toEqual([]);
    expect(passwordsIn('"host=db user=app password=$PGPASSWORD dbname=app"')).toEqual([]);
  });

  it("a command-line option's word glued to its `=` is literal text in any file, letters and digits alone too", () => {
    expect(passwordsIn("  - run: java -Ddb.password=Heron2231 -jar app.jar")).toEqual(["Heron2231"]);
    expect(passwordsIn('JAVA_OPTS: "-Djavax.net.ssl.keyStorePassword=Heron2232 -Xmx1g"')).toEqual(["Heron2232"]);
    expect(passwordsIn("RUN ./migrate --db-password=Heron2233")).toEqual(["Heron2233"]);
    // In code a word is a name: a keyword argument, an assignment, a variable.
    expect(passwordsIn("connect(password=Heron2231)")).toEqual([]);
    expect(passwordsIn("db_password=Heron2231 if remote else None")).toEqual([]);
    // A variable, and Java's keystores' default, are no password written there.
    expect(passwordsIn("java -Djavax.net.ssl.trustStorePassword=$TRUST_PASS -jar app.jar")).toEqual([]);
    expect(passwordsIn('JAVA_OPTS: "-Djavax.net.ssl.trustStorePassword=changeit"')).toEqual([]);
  });

  it("values shorter than 6 characters are not reported", () => {
    expect(passwordsIn('password = "k3#r5"')).toEqual([]);
    expect(passwordsIn('password = "k3#r5q"')).toEqual(["k3#r5q"]);
  });
});

describe("enum members", () => {
  it("leaves an enum's cases named for password managers, and keeps the same assignment outside an enum", () => {
    // Made-up ids in the form of WebAuthn AAGUIDs.
    const enumText = [
      "export enum PasskeyBrand {",
      '  AliasVault = "5c2a9e71-0d4b-4f3e-9a6c-7b1d2e8f4a30",',
      "  // Password managers",
      '  NordPass = "e3b70c52-91fa-4d2e-b8c4-6a0f5d193e27",',
      '  OnePassword = "0a9d4e6b-37c1-4b85-a2f9-c4e81b7d5f62",',
      "}",
    ].join("\n");
    expect(passwordsIn(enumText)).toEqual([]);
    expect(passwordsIn('const brands = {\n  NordPass: "Heron#2231-plum",\n};')).toEqual(["Heron#2231-plum"]);
    expect(passwordsIn('class Settings {\n  adminPassword = "Heron#2231-plum";\n}')).toEqual(["Heron#2231-plum"]);
  });
});

describe("a word of letters beside a user's name", () => {
  // A login written out in full: the user's name a literal, then the password, on its line or within two lines.
  it.each([
    ['$user = "dbo7731"; $password = "quillmoss";', "quillmoss"],
    ['db:\n  user: "deploy"\n  host: "db.internal"\n  password: "quillmoss"', "quillmoss"],
    ['{\n  "username": "svc_reports",\n  "password": "quillmoss"\n}', "quillmoss"],
  ])("%j gives the password", (text, password) => {
    expect(passwordsIn(text)).toEqual([password]);
  });

  // Alone, too far from a user's name, a schema's type, a capitalised label, a user's name that is a type
  // word or a call, a test's wrong password, the user's name again (a service's default login), or a
  // translation file's labels.
  it.each([
    'password = "quillmoss"',
    'user = "deploy"\n\n\n\npassword = "quillmoss"',
    '{ "username": "string", "password": "string" }',
    'login: "deploy"\npassword: "Quillmoss"',
    '{ "username": "string", "password": "quillmoss" }',
    'user = get_user(); password = "quillmoss"',
    '{ "username": "johndoe", "password": "incorrect" }',
    "{ user: 'quillmoss', pwd: 'quillmoss' }",
    '{ "user": "usuario", "password": "senha" }',
  ])("%j gives none", (text) => {
    expect(passwordsIn(text)).toEqual([]);
  });
});

describe("a value stored under its key by a Cocoa call", () => {
  // Objective-C's and Swift's `forKey:`: the value comes first, and is judged as a setter's argument.
  it.each([
    ['[defaults setObject:@"Wint3r!Qx7z" forKey:@"password"];', "Wint3r!Qx7z"],
    ['UserDefaults.standard.set("Wint3r!Qx7z", forKey: "userPassword")', "Wint3r!Qx7z"],
  ])("%j gives the password", (text, password) => {
    expect(passwordsIn(text)).toEqual([password]);
  });

  // A word of letters is as often a label there as anywhere; another key's value is not the password's.
  it.each(['[defaults setObject:@"hiddenword" forKey:@"password"];', '[defaults setObject:@"Wint3r!Qx7z" forKey:@"username"];'])("%j gives none", (text) => {
    expect(passwordsIn(text)).toEqual([]);
  });
});

describe("a secret under a section named for what signs with it", () => {
  it("takes a YAML `secret:` indented under `jwt:`, `session:` or `cookie:`, siblings between", () => {
    expect(passwordsIn('jwt:\n  secret: "Dq7#mtRk2p"\n  exp: 50m\n')).toEqual(["Dq7#mtRk2p"]);
    expect(passwordsIn("session:\n  name: sid\n  secret: Dq7#mtRk2p\n")).toEqual(["Dq7#mtRk2p"]);
  });

  // Under another section, at the top level, or a longer name: a lone `secret` names many things.
  it.each(['storage:\n  secret: "Dq7#mtRk2p"\n', 'secret: "Dq7#mtRk2p"\n', 'jwt:\n  secretName: "Dq7#mtRk2p"\n', 'jwt:\n  secret: "supersecret"\n'])("%j gives none", (text) => {
    expect(passwordsIn(text)).toEqual([]);
  });
});
