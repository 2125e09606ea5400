// Bare values in configuration files (engine/config-files.ts): literal text to the end of the line,
// brackets and all, where the same line in code is read as code (brackets that pair up are code's). Every value here is made up, drawn
// at run time in the shapes password managers give (letters and digits around brackets).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readDefaultRuleSources } from "../../../src/config/default-rules.js";
import { configFileKind, scanVariant } from "../../../src/engine/config-files.js";

const isConfigFile = (path: string): boolean => configFileKind(path) !== undefined;
import { compileRules, parseRuleFiles } from "../../../src/engine/rules.js";
import { createRuleset } from "../../../src/engine/ruleset.js";
import { scanContent } from "../../../src/run/scan-content.js";
import { DIGITS, randomString, rng } from "../../../fixtures/fake-keys.js";

const ruleset = createRuleset(compileRules(parseRuleFiles(readDefaultRuleSources())));
const found = (path: string, text: string): string[] => scanContent({ path, text }, ruleset).map((match) => `${match.ruleId} ${match.secret}`);

// A value in a shape: `A` an upper-case letter, `a` a lower-case one, `9` a digit, anything else itself.
const random = rng(20);
const fromShape = (shape: string): string =>
  shape.replace(/[Aa9]/g, (kind) =>
    kind === "9" ? randomString(random, DIGITS, 1) : randomString(random, kind === "A" ? "BCDFGHJKLMNPQRSTVWXZ" : "bcdfghjkmnpqrstvwxz", 1),
  );
const chosen = fromShape("Aa9aa9aaa(9)a"); // a password a person chose, with a bracketed digit
const drawn = fromShape("Aa9[Aa9]Aa9!Aa9)Aa9(Aa9"); // drawn by a password manager
const braced = fromShape("Aa9{a9}Aa9!");
const token = fromShape("aA9)aA9(aA9]aA9[aA9");
const ini = fromShape("Aa9(a9)Aa9%");
// What a person types as a password, with no symbol: in code the same word is a variable's name.
const plain = fromShape("Aaa9aa99a");

const properties = `spring.datasource.password=${chosen}\napi.secret=${drawn}\n`;
const env = `DB_PASSWORD=${braced}\nAPI_TOKEN=${token}\n`;
const iniText = `[db]\npassword = ${ini}\n`;
const yaml = `db:\n  password: ${ini}\n  token: ${token} # rotated monthly\n`;

describe("config files: a bare value is literal text, brackets and all", () => {
  it.each([
    ["config/application.properties", properties, [`generic-password ${chosen}`, `generic-high-entropy ${drawn}`]],
    [".env", env, [`generic-password ${braced}`, `generic-high-entropy ${token}`]],
    [".env.production", env, [`generic-password ${braced}`, `generic-high-entropy ${token}`]],
    ["deploy/app.ini", iniText, [`generic-password ${ini}`]],
    ["config/app.yml", yaml, [`generic-password ${ini}`, `generic-high-entropy ${token}`]],
  ])("%s: each value found whole", (path, text, expected) => {
    expect(found(path, text)).toEqual(expected);
  });

  it.each([
    ["src/Config.java", properties, [`generic-high-entropy ${drawn}`]],
    ["src/config.js", env, [`generic-high-entropy ${token}`]],
    ["app/settings.py", iniText, []],
    ["src/config.ts", yaml, [`generic-high-entropy ${token}`]],
  ])("the same lines in code (%s) are read as code: brackets that pair are code's, those closed out of turn no code's", (path, text, expected) => {
    expect(found(path, text)).toEqual(expected);
  });

  it("leaves out a `,` that ends the line or comes before a comment: it separates the value from the next member", () => {
    expect(found("config/app.yml", `db: {\n  user: app,\n  password: ${ini},\n  token: ${token},\n}\n`)).toEqual([`generic-password ${ini}`, `generic-high-entropy ${token}`]);
    expect(found("app.conf", `db {\n  password: ${chosen}, # rotated\n}\n`)).toEqual([`generic-password ${chosen}`]);
    // Inside the value, a `,` is the value's.
    expect(found("app.conf", `password = ${chosen},${ini}\n`).map((finding) => finding.split(" ")[1])).toEqual([`${chosen},${ini}`]);
  });

  it("takes the value to an inline comment, and none with more text after it", () => {
    expect(found("my.cnf", `[client]\npassword = ${ini} ; for backups\n`)).toEqual([`generic-password ${ini}`]);
    expect(found("app.env", `DB_PASSWORD=${braced} and more\n`)).toEqual([]);
    // A CRLF line: the `\r` after the comment is the line's end.
    expect(found("my.cnf", `[client]\r\npassword = ${ini} ; for backups\r\n`)).toEqual([`generic-password ${ini}`]);
  });

  it("reads the default of an interpolation to its `}`, after Spring's `:` and a shell's `:-`", () => {
    expect(found("application.properties", `spring.datasource.password=\${DB_PASSWORD:${chosen}}\n`)).toEqual([`generic-password ${chosen}`]);
    expect(found("app.env", `DB_PASSWORD="\${DB_PASSWORD:-${chosen}}"\n`)).toEqual([`generic-password ${chosen}`]);
    expect(found("compose.yml", `  API_TOKEN: \${API_TOKEN:-${drawn}}\n`)).toEqual([`generic-high-entropy ${drawn}`]);
    expect(found("deploy.sh", `export API_TOKEN="\${API_TOKEN:-${drawn}}"\n`)).toEqual([`generic-high-entropy ${drawn}`]);
    expect(found("app.env", `DB_PASSWORD=\${DB_PASSWORD:-postgres}\n`)).toEqual([]);
  });

  it("reads a key in a YAML list and after an .env file's export", () => {
    expect(found("users.yaml", `users:\n  - password: ${ini}\n`)).toEqual([`generic-password ${ini}`]);
    expect(found("prod.env", `export DB_PASSWORD=${braced}\n`)).toEqual([`generic-password ${braced}`]);
  });

  it.each([
    ["a list", "app.ini", `password = [${ini}, other]\n`],
    ["a YAML flow mapping", "app.yml", `password: {user: ${ini}}\n`],
    ["a YAML flow sequence", "app.yml", `password: [${ini}]\n`],
    ["a value inside a flow mapping", "app.yml", `creds: {password: ${ini}}\n`],
    ["interpolation", ".env", `DB_PASSWORD=\${DB_USER}${braced}\n`],
    ["a Python format placeholder", "setup.cfg", "password = %(db_password)s\n"],
    ["an environment reference", ".env", "DB_PASSWORD=$DB_PASSWORD_FROM_VAULT\n"],
    ["Jasypt's encrypted value", "application.properties", `spring.datasource.password=ENC(${token.replace(/[()[\]]/g, "")})\n`],
    ["Spring's expression", "application.properties", "db.password=#{systemProperties['db.password']}\n"],
    ["a path", "app.ini", "password = /run/secrets/db_password(1)\n"],
    ["a URL", "app.ini", "token = https://vault.internal/v1/secret(db)/token\n"],
    ["an e-mail address", ".pypirc", "[pypi]\npassword = ftp-user@example.org\n"],
    ["a boolean", "app.yml", "require_password: true\npassword: false\n"],
    ["a number", ".env", "DB_PASSWORD=12345678\n"],
    ["a comment after an empty value", "app.yml", `password: # set ${ini} in the vault\n`],
  ])("%s is no password", (_kind, path, text) => {
    expect(found(path, text)).toEqual([]);
  });

  it("reads a .conf file's `key = value` and `key: value` lines as config lines (supervisord, Kong, sssd)", () => {
    expect(found("deploy/supervisord.conf", `[program:worker]\ndb_password = ${ini}\n`)).toEqual([`generic-password ${ini}`]);
    expect(found("etc/kong.conf", `api_token: ${token}\n`)).toEqual([`generic-high-entropy ${token}`]);
    // The same line in code is read as code: a value whose brackets pair up ends at the first of them,
    // one whose brackets close out of turn is no code's.
    expect(found("src/kong.lua", `db_password = ${ini}\n`)).toEqual([]);
    expect(found("src/kong.lua", `api_token: ${token}\n`)).toEqual([`generic-high-entropy ${token}`]);
  });

  it("ends a value at a `;` that ends its line (a statement's end), and keeps one inside it", () => {
    expect(found("site.conf", `db_password = ${ini};\n`)).toEqual([`generic-password ${ini}`]);
    expect(found("deploy/app.ini", `api_token = ${token};\r\n`)).toEqual([`generic-high-entropy ${token}`]);
    expect(found("config/app.yml", `password: ${ini};${ini}\n`)).toEqual([`generic-password ${ini};${ini}`]);
  });

  it.each([
    ["nginx's path to a password file", "nginx.conf", "ssl_password_file /etc/nginx/keys/global.pass;\n"],
    ["nginx's variable", "site.conf", "    proxy_set_header X-Api-Token $http_x_api_token;\n"],
    ["HOCON's substitution", "application.conf", "play.http.secret.key = ${?APPLICATION_SECRET}\n"],
    ["a value inside HOCON's one-line object", "application.conf", `db { password = ${ini} }\n`],
    ["Logstash's reference", "pipeline.conf", '    password => "${ES_PASSWORD}"\n'],
  ])("in a .conf file, %s is no secret", (_kind, path, text) => {
    expect(found(path, text)).toEqual([]);
  });

  it("reads text decoded from a config file as code", () => {
    // A JSON escape for the `{`: the file's own text ends the bare value at the backslash, and the
    // decoded line is no config file's.
    const escaped = braced.replace("{", "\\u007b");
    expect(found(".env", `DB_PASSWORD=${escaped}\n`)).toEqual([]);
  });
});

describe("config files: a bare value of letters and digits alone is literal text too", () => {
  it.each([
    ["application.properties", `spring.datasource.password=${plain}\n`],
    [".env", `DB_PASSWORD=${plain}\n`],
    ["deploy/app.ini", `[db]\npassword = ${plain}\n`],
    ["config/app.yml", `db:\n  password: ${plain}\n`],
    ["my.cnf", `[client]\npassword = ${plain} ; for backups\n`],
  ])("%s: found", (path, text) => {
    expect(found(path, text)).toEqual([`generic-password ${plain}`]);
  });

  it.each([
    ["app/settings.py", `password = ${plain}\n`],
    ["src/config.ts", `password: ${plain},\n`],
    ["src/db.rb", `  password = ${plain}\n`],
  ])("the same word in code (%s) is a name", (path, text) => {
    expect(found(path, text)).toEqual([]);
  });

  it.each([
    ["a word", ".env", "DB_PASSWORD=changeme\n"],
    ["words joined by `_`", "app.ini", "password = open_sesame\n"],
    ["a constant's name", "app.yml", "password: DB_PASSWORD\n"],
    ["a property's name", "application.properties", "spring.datasource.password=db.password.value\n"],
    ["a date", "app.ini", "password = 2024.01.01\n"],
    ["a run of a placeholder", ".env", "DB_PASSWORD=abc123abc123\n"],
  ])("%s is no password", (_kind, path, text) => {
    expect(found(path, text)).toEqual([]);
  });
});

describe("YAML list items quoted whole: a compose file's environment entry", () => {
  it("ends the value at the item's closing quote", () => {
    expect(found("docker-compose.yml", `services:\n  db:\n    environment:\n      - "DB_PASSWORD=${plain}"\n`)).toEqual([`generic-password ${plain}`]);
    expect(found("compose.yaml", `    environment:\n      - 'MYSQL_ROOT_PASSWORD=${plain}' # local only\n`)).toEqual([`generic-password ${plain}`]);
  });
  it("reads no variable, and no item with more after its quote", () => {
    expect(found("docker-compose.yml", '      - "DB_PASSWORD=${DB_PASSWORD}"\n')).toEqual([]);
    expect(found("docker-compose.yml", `      - "DB_PASSWORD=${plain}" extra\n`)).toEqual([]);
  });
});

describe("a string that is a whole environment entry, NAME=value, in any file", () => {
  it.each([
    ["PHP's putenv", "bootstrap.php", `putenv("DB_PASSWORD=${plain}");\n`],
    ["a container's Env list (dockerode)", "seed.js", `await docker.createContainer({ Image: "postgres", Env: ["POSTGRES_PASSWORD=${plain}", "TZ=UTC"] });\n`],
    ["Go's cmd.Env", "run.go", `cmd.Env = append(os.Environ(), "SMTP_PASSWORD=${plain}")\n`],
    ["a systemd unit's quoted Environment=", "app.service", `[Service]\nEnvironment="DB_PASSWORD=${plain}"\n`],
  ])("%s: the value runs to the closing quote", (_kind, path, text) => {
    expect(found(path, text)).toEqual([`generic-password ${plain}`]);
  });

  it.each([
    ["a value joined on", "bootstrap.php", 'putenv("DB_PASSWORD=" . $password);\n'],
    ["an interpolated value", "seed.js", "Env: [`POSTGRES_PASSWORD=${password}`]\n"],
    ["a lower-case name (a query or a key, not an environment variable)", "client.js", `fetch("password=${plain}")\n`],
    ["a command line after the variable", "package.json", `"start": "DB_PASSWORD=$DB_PASSWORD node server.js"\n`],
  ])("%s is no entry's password", (_kind, path, text) => {
    expect(found(path, text)).toEqual([]);
  });
});

describe("a systemd unit's Environment= line", () => {
  it("reads NAME=value after it as a config line", () => {
    expect(isConfigFile("deploy/app.service")).toBe(true);
    expect(found("deploy/app.service", `[Service]\nEnvironment=DB_PASSWORD=${plain}\nExecStart=/usr/bin/node server.js\n`)).toEqual([`generic-password ${plain}`]);
    expect(found("deploy/app.service", "[Service]\nEnvironment=DB_PASSWORD=%d/db-password\n")).toEqual([]);
  });
});

describe("shell scripts and Dockerfiles: a line's NAME=value is literal text", () => {
  it.each([
    ["deploy/run.sh", `#!/bin/sh\nexport DB_PASSWORD=${plain}\n`],
    ["scripts/setup.bash", `DB_PASSWORD=${plain} # rotated monthly\n`],
    ["home/.zshrc", `export SMTP_PASSWORD=${plain}\n`],
    ["Dockerfile", `FROM mysql:8\nENV MYSQL_ROOT_PASSWORD=${plain}\n`],
    ["docker/Dockerfile.dev", `ARG DB_PASSWORD=${plain}\n`],
    ["images/api.dockerfile", `  ENV ADMIN_PASSWORD=${plain}\n`],
    // A shell word glued to its `=` ends at the space before the command it is given to, or at a `&&`, `;` or `|`.
    ["scripts/migrate.sh", `DB_PASSWORD=${plain} ./migrate\n`],
    ["scripts/backup.sh", `PGPASSWORD=${plain} pg_dump -h db app > dump.sql\n`],
    ["scripts/ci.sh", `export DB_PASSWORD=${plain} && ./migrate\n`],
    ["scripts/ci.bash", `DB_PASSWORD=${plain}; export DB_PASSWORD\n`],
    // Anywhere on a line, a word glued to a name's `=` is literal: an option's value, a command's argument.
    ["deploy/secrets.sh", `kubectl create secret generic db --from-literal=password=${plain}\n`],
    ["deploy/run.sh", `docker run -e DB_PASSWORD=${plain} -p 5432:5432 postgres\n`],
    ["deploy/helm.sh", `helm upgrade app ./chart --set db.password=${plain} --wait\n`],
    ["scripts/fetch.sh", `wget --password=${plain} https://files.example.net/a.tgz\n`],
    // A quote opened before the name closes the word.
    ["scripts/env.sh", `set "DB_PASSWORD=${plain}"\n`],
  ])("%s: found", (path, text) => {
    expect(found(path, text)).toEqual([`generic-password ${plain}`]);
  });

  it.each([
    ["a variable", "run.sh", "export DB_PASSWORD=$DB_PASSWORD_FROM_VAULT\n"],
    ["a command's output", "run.sh", "DB_PASSWORD=$(cat /run/secrets/db)\n"],
    ["an option's variable", "deploy/run.sh", "docker run -e DB_PASSWORD=$DB_PASSWORD app\n"],
    ["an option's expansion", "deploy/helm.sh", "helm upgrade app ./chart --set db.password=${DB_PASSWORD} --wait\n"],
    ["a quoted variable", "deploy/secrets.sh", 'kubectl create secret generic db --from-literal=password="$PW"\n'],
    ["the same option in JavaScript", "deploy/run.js", `exec("helm upgrade app --set db.password=" + pw + " --wait")\n`],
    ["more words after the value, where a config file's value runs to its line's end", "app.properties", `db.password=${plain} ./migrate\n`],
    ["a value apart from its `=`", "run.sh", `DB_PASSWORD= ${plain} ./migrate\n`],
    ["a word", "Dockerfile", "ENV DB_PASSWORD=changeme\n"],
    ["the same line in Python", "app/run.py", `DB_PASSWORD=${plain}\n`],
    ["a word after another instruction", "Dockerfile", `RUN echo ENV DB_PASSWORD=${plain}\n`],
  ])("%s is no password", (_kind, path, text) => {
    expect(found(path, text)).toEqual([]);
  });
});

describe("isConfigFile", () => {
  it.each([".env", "app/.env.local", "deploy/prod.env", "application.properties", "setup.cfg", "php.ini", "my.cnf", "supervisord.conf", ".npmrc", "home/.pypirc", ".s3cfg", "config/app.yml", "values.yaml", "run.sh", "install.bash", ".zshrc", ".bash_profile", "Dockerfile", "Dockerfile.prod", "api.dockerfile", "Containerfile"])(
    "%s is one",
    (path) => {
      expect(isConfigFile(path)).toBe(true);
    },
  );
  it.each(["Cargo.toml", "nginx.conf.ts", "src/env.ts", "config.js", "settings.py", "environment", "README.md", "yaml.go", "sh.go", "dockerfile.go", "run.sh.erb"])("%s is not", (path) => {
    expect(isConfigFile(path)).toBe(false);
  });

  it("decides on the name after the last / or \\, as a regex over the whole path tried after each separator does", () => {
    // The reference: the names above, matched anywhere the path starts or a separator precedes them.
    const wholePath =
      /(?:^|[\\/])(?:\.env(?:\.[^\\/]*)?|[^\\/]*\.(?:env|properties|ini|cfg|cnf|conf|ya?ml|sh|bash|zsh|ksh|dockerfile)|\.npmrc|\.pypirc|\.s3cfg|\.bashrc|\.zshrc|\.profile|\.bash_profile|\.zprofile|\.zshenv)$/i;
    const dockerfile = /(?:^|[\\/])(?:Dockerfile|Containerfile)(?:\.[^\\/]*)?$/;
    const pieces = ["/", "\\", ".", ".env", "env", ".ENV", ".yml", "yaml", ".conf", ".ini", ".properties", ".npmrc", ".pypirc", ".s3cfg", ".sh", "rc", ".zsh", ".bash_", "profile", "Dockerfile", "Containerfile", ".dockerfile", "a", "x.", "\n", "é"];
    expect(isConfigFile("C:\\app\\.env")).toBe(true);
    expect(isConfigFile("app.yml/main.go")).toBe(false);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 8 }), (parts) => {
        const path = parts.join("");
        expect(isConfigFile(path), JSON.stringify(path)).toBe(wholePath.test(path) || dockerfile.test(path));
      }),
      { numRuns: 3000, seed: 5 },
    );
  });

  it("sets a config file's content apart from the same bytes in code, for the scan-once keys", () => {
    const variantAt = (path: string) => scanVariant([], configFileKind(path));
    expect(variantAt("src/a.js")).toEqual([]);
    expect(variantAt("a.env")).not.toEqual(variantAt("a.js"));
    // A dotenv file's names are read as no other config file's are.
    expect(variantAt("a.env")).not.toEqual(variantAt("a.yaml"));
  });
});
