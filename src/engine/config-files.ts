// Which files are configuration files, where a value written without quotes is literal text: `key =
// value` to the end of the line (or an inline comment), brackets and all. Elsewhere the generic
// detector reads a bare value as code (`password = getPass(x)`), which ends at a bracket; in these
// files a password drawn with `(`, `]` or `{` in it is a password. Told from the file's name only.
//
// In: `.env` files (`.env`, `.env.local`, `prod.env`), Java's `.properties`, INI files (`.ini`,
// `.cfg`, MySQL's `.cnf`, and the INI dotfiles that hold registry and storage credentials: `.npmrc`,
// `.pypirc`, `.s3cfg`), YAML, whose plain scalars may hold brackets after their first character, and
// `.conf`: most are `key = value` lines (supervisord, Kong, RabbitMQ, sssd, php-fpm), and in the
// others (nginx, Apache, HOCON, Logstash) a key still starts its line; a `;` that ends the line ends
// the statement, not the value (rules.ts), and a value in a one-line block (`db { pw = x }`) is
// followed by more than a comment, which isConfigValue refuses. A systemd unit (`.service`) is an INI
// file whose `Environment=` lines set variables (`Environment=DB_PASSWORD=…`).
// Shell scripts (`.sh`, `.bash`, `.zsh`, `.ksh`, the shells' startup files) and Dockerfiles read a
// line's `NAME=value` so too: a shell word without `$` is literal text (`export DB_PASSWORD=…`, a
// Dockerfile's `ENV`/`ARG`), where the same line in JavaScript or Python names a variable.
// Out: TOML (a string needs quotes there, so a bare value is never a password).
// Read from the file's name alone (what follows the path's last `/` or `\`): a regex anchored there is tried
// at one place, where one over the whole path is tried after every separator, and this runs for every file.
const SHELL_NAMES = String.raw`[^\\/]*\.(?:sh|bash|zsh|ksh)|\.(?:bash|zsh)rc|\.(?:bash_|z)?profile|\.zshenv`;
const CONFIG_FILE_NAME = new RegExp(
  String.raw`^(?:\.env(?:\.[^\\/]*)?|[^\\/]*\.(?:env|properties|ini|cfg|cnf|conf|ya?ml|dockerfile|service)|\.npmrc|\.pypirc|\.s3cfg|${SHELL_NAMES})$`,
  "i",
);
// With its capital, as Docker names it: `dockerfile.go` is Go source (a Dockerfile parser's).
const DOCKERFILE_NAME = /^(?:Dockerfile|Containerfile)(?:\.[^\\/]*)?$/;
const DOTENV_FILE_NAME = /^(?:\.env(?:\.[^\\/]*)?|[^\\/]*\.env)$/i;
const SHELL_FILE_NAME = new RegExp(`^(?:${SHELL_NAMES})$`, "i");

/**
 * A configuration file's kind, told from its name: "dotenv" for an environment file (`.env`,
 * `.env.local`, `prod.env`), which exists to hold the settings kept out of code, secrets among them,
 * so a strongly random value there counts whatever its name (entropy.ts); "shell" for a shell script,
 * where a command may follow a variable's value on its line (`PGPASSWORD=… psql`); "config" for the
 * others above; undefined for any other file.
 */
export type ConfigFileKind = "dotenv" | "shell" | "config" | undefined;

export function configFileKind(path: string): ConfigFileKind {
  const nameStart = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1;
  const name = nameStart === 0 ? path : path.slice(nameStart);
  if (!CONFIG_FILE_NAME.test(name) && !DOCKERFILE_NAME.test(name)) return undefined;
  return DOTENV_FILE_NAME.test(name) ? "dotenv" : SHELL_FILE_NAME.test(name) ? "shell" : "config";
}

/**
 * What besides its bytes decides a content's matches at this path, for the keys that let a content
 * seen at two paths be scanned once: the ids of the rules skipped there, and a marker when the path
 * is a config file's (configFileKind: its bare values are read otherwise, a dotenv file's names too).
 */
export function scanVariant(skip: readonly string[], kind: ConfigFileKind): readonly string[] {
  return kind ? [...skip, `${kind} file`] : skip;
}

/** The words that may come before a key on its line: a shell's `export`, a Dockerfile's `ENV` and `ARG`. */
const KEY_PREFIX = /(?:^|[ \t\n])(?:export|ENV|ARG)$/;
const UNIT_ENVIRONMENT = "Environment=";

/**
 * A config file's key starts its line: after indentation, a YAML list's `- `, a shell's `export `, a
 * Dockerfile's `ENV ` or `ARG `, or a systemd unit's `Environment=`. Only there is its value read as a
 * config value; a name further on is inside a value (a URL's `?token=…`) or in a YAML flow mapping
 * (`{password: x}`), where brackets end values.
 */
export function startsConfigLine(text: string, nameStart: number): boolean {
  let i = nameStart;
  // A YAML list item quoted whole, as a compose file's environment entry (`- "DB_PASSWORD=…"`).
  if (isQuotedListItem(text, nameStart)) i -= 3;
  // A systemd unit's variable (`Environment=DB_PASSWORD=…`).
  else if (text.startsWith(UNIT_ENVIRONMENT, nameStart - UNIT_ENVIRONMENT.length)) i -= UNIT_ENVIRONMENT.length;
  while (i > 0 && (text[i - 1] === " " || text[i - 1] === "\t")) i--;
  if (i < nameStart) {
    const prefix = KEY_PREFIX.exec(text.slice(Math.max(0, i - 7), i));
    if (prefix) return startsConfigLine(text, i - prefix[0].trimStart().length);
  }
  if (text[i - 1] === "-" && text[i - 2] !== "-") i--;
  while (i > 0 && (text[i - 1] === " " || text[i - 1] === "\t")) i--;
  return i === 0 || text[i - 1] === "\n";
}

/** The name opens a quoted YAML list item: `- "NAME=…"` or `- 'NAME=…'`. */
export function isQuotedListItem(text: string, nameStart: number): boolean {
  return (text[nameStart - 1] === '"' || text[nameStart - 1] === "'") && text[nameStart - 2] === " " && text[nameStart - 3] === "-";
}

/** An environment variable's name as people write one: upper case, digits and underscores. */
const ENVIRONMENT_NAME = /^[A-Z][A-Z0-9_]*$/;

/**
 * The quote of a string that holds a whole `NAME=value` entry, or undefined: its value is literal text up
 * to that quote. In any file, an environment variable's name that opens a string, glued to its `=`: PHP's
 * `putenv("DB_PASSWORD=…")`, a container's `Env: ["API_TOKEN=…"]` (dockerode, the Docker API), Go's
 * `cmd.Env = append(os.Environ(), "DB_PASSWORD=…")`, systemd's `Environment="DB_PASSWORD=…"`. In a
 * config file, also a YAML list item quoted whole, whatever the name (`- "db_password=…"`), which may be
 * followed on its line by a comment only (the others are delimited by their quote).
 */
export function entryQuote(text: string, nameStart: number, nameEnd: number, configFile: ConfigFileKind): string | undefined {
  const quote = text[nameStart - 1];
  if (quote !== '"' && quote !== "'") return undefined;
  if (configFile !== undefined && isQuotedListItem(text, nameStart)) return quote;
  if (text[nameEnd] !== "=" || !ENVIRONMENT_NAME.test(text.slice(nameStart, nameEnd))) return undefined;
  // A space before the closing quote: a command line with the variable before it (`"start": "DB_PASSWORD=…
  // node server.js"`), whose value is a shell word (passwords.ts isEnvironmentPrefix).
  for (let at = nameEnd + 1; at < text.length && at <= nameEnd + MAX_ENTRY_VALUE; at++) {
    const char = text[at];
    if (char === quote) return quote;
    if (char === " " || char === "\t" || char === "\n" || char === "\r") return undefined;
  }
  return undefined;
}

/** The longest value an entry's closing quote is looked for after (longer than any secret a rule reads). */
const MAX_ENTRY_VALUE = 512;

/**
 * A config value that is no password whatever its characters: a list or a map (`[a, b]`, YAML's
 * flow `{a: 1}`), a comment (`# …` where the value is empty), an expression a tool evaluates
 * (Spring's `#{…}`), or a call a tool unwraps, as Jasypt's `ENC(…)` around an encrypted value.
 */
function isConfigStructure(value: string): boolean {
  return /^[[{#]/.test(value) || /^\w+\(.*\)$/.test(value);
}

/**
 * What may follow a config value on its line: nothing, or an inline comment (` # …`, INI's ` ; …`), and a
 * CRLF line's `\r`; after a `,` that separates it from the next member (rules.ts), the same.
 */
const CONFIG_LINE_REST = /^,?[ \t\r]*(?:[#;][^\n]*)?$/;

/**
 * A bare value in a config file that may be a secret: not a list, a map or a wrapper
 * (isConfigStructure), and followed on its line by nothing but an inline comment. `restStart`:
 * where the rest of its line starts; undefined when the value is delimited (entropy.ts, Assignment).
 */
export function isConfigValue(value: string, text: string, restStart: number | undefined): boolean {
  if (isConfigStructure(value)) return false;
  if (restStart === undefined) return true;
  const lineEnd = text.indexOf("\n", restStart);
  return CONFIG_LINE_REST.test(text.slice(restStart, lineEnd === -1 ? text.length : lineEnd));
}
