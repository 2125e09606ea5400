// A reader for the literal data in Python test files: enough of Python's expressions to evaluate the
// string cases of a `pytest.mark.parametrize(...)` call and the module constants they use, without
// running Python (detect-secrets' tests are read this way by scripts/detect-secrets-examples.ts).
// Anything it cannot evaluate becomes `unknown`, so a case it misreads is left out, never guessed.

export type PyValue =
  | { kind: "str"; value: string }
  | { kind: "bool"; value: boolean }
  | { kind: "none" }
  | { kind: "int"; value: number }
  | { kind: "seq"; items: PyValue[] }
  | { kind: "call"; name: string; args: PyValue[] }
  | { kind: "unknown" };

interface Token {
  kind: "str" | "name" | "num" | "op";
  text: string;
  /** A string token's value, or undefined for an f-string (not evaluated). */
  value?: string;
  line: number;
  column: number;
}

const UNKNOWN: PyValue = { kind: "unknown" };
const SIMPLE_ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', "0": "\0", a: "\x07", b: "\b", f: "\f", v: "\v" };

function unescape(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|\n|.)/gs, (whole, escape: string) => {
    if (escape === "\n") return "";
    if (escape.length > 1) return String.fromCharCode(Number.parseInt(escape.slice(1), 16));
    return SIMPLE_ESCAPES[escape] ?? whole;
  });
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let lineStart = 0;
  let at = 0;
  const push = (kind: Token["kind"], start: number, value?: string): void => {
    tokens.push({ kind, text: source.slice(start, at), value, line, column: start - lineStart });
  };
  while (at < source.length) {
    const char = source[at]!;
    if (char === "\n") {
      at++;
      line++;
      lineStart = at;
    } else if (char === " " || char === "\t" || char === "\r" || char === "\\") at++;
    else if (char === "#") while (at < source.length && source[at] !== "\n") at++;
    else {
      const prefix = /^([rRbBuUfF]{0,2})('''|"""|'|")/.exec(source.slice(at, at + 5));
      if (prefix) {
        const start = at;
        const quote = prefix[2]!;
        const raw = /r/i.test(prefix[1]!);
        at += prefix[0].length;
        const bodyStart = at;
        while (at < source.length && !source.startsWith(quote, at)) {
          if (source[at] === "\\") at++;
          else if (source[at] === "\n" && quote.length === 1) break;
          at++;
        }
        const body = source.slice(bodyStart, at);
        at += quote.length;
        push("str", start, /f/i.test(prefix[1]!) ? undefined : raw ? body : unescape(body));
        for (const newline of body.matchAll(/\n/g)) {
          line++;
          lineStart = bodyStart + (newline.index ?? 0) + 1;
        }
      } else if (/[A-Za-z_]/.test(char)) {
        const start = at;
        while (at < source.length && /\w/.test(source[at]!)) at++;
        push("name", start);
      } else if (/[0-9]/.test(char)) {
        const start = at;
        while (at < source.length && /[\w.]/.test(source[at]!)) at++;
        push("num", start);
      } else {
        const start = at;
        const two = source.slice(at, at + 2);
        at += ["==", "!=", "<=", ">=", "**", "//", "->", ":=", "+=", "-="].includes(two) ? 2 : 1;
        push("op", start);
      }
    }
  }
  return tokens;
}

const CLOSING: Record<string, string> = { "(": ")", "[": "]", "{": "}" };

/** Python's str.format for `{}`, `{0}` and `{name}` fields without format specs; undefined otherwise. */
function pythonFormat(template: string, positional: PyValue[], named: Map<string, PyValue>): string | undefined {
  let next = 0;
  let failed = false;
  const text = template.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (whole, field: string | undefined) => {
    if (whole === "{{") return "{";
    if (whole === "}}") return "}";
    const value = field === "" ? positional[next++] : /^\d+$/.test(field!) ? positional[Number(field)] : named.get(field!);
    if (value?.kind === "str") return value.value;
    if (value?.kind === "int") return String(value.value);
    failed = true;
    return "";
  });
  return failed ? undefined : text;
}

/** Evaluates expressions over `tokens` with module constants from `env`. */
export class PyReader {
  at = 0;
  constructor(
    readonly tokens: Token[],
    readonly env: Map<string, PyValue> = new Map(),
  ) {}

  peek(offset = 0): Token | undefined {
    return this.tokens[this.at + offset];
  }

  private isOp(text: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token?.kind === "op" && token.text === text;
  }

  /** Moves past the bracket that opens at the current token, to just after its match. */
  skipBracket(): void {
    const stack: string[] = [];
    do {
      const token = this.tokens[this.at++];
      if (!token) return;
      if (token.kind === "op" && CLOSING[token.text]) stack.push(CLOSING[token.text]!);
      else if (token.kind === "op" && token.text === stack.at(-1)) stack.pop();
    } while (stack.length > 0);
  }

  /** Skips to the end of the current expression: the next `,` or closing bracket at this depth. */
  private skipRest(): void {
    while (this.peek() && !this.isOp(",") && !this.isOp(")") && !this.isOp("]") && !this.isOp("}")) {
      if (this.peek()!.kind === "op" && CLOSING[this.peek()!.text]) this.skipBracket();
      else this.at++;
    }
  }

  /** A comma-separated list up to `close`, with keyword arguments kept apart. */
  private items(close: string, named?: Map<string, PyValue>): { items: PyValue[]; comma: boolean } {
    const items: PyValue[] = [];
    let comma = false;
    while (this.peek() && !this.isOp(close)) {
      if (named && this.peek()?.kind === "name" && this.isOp("=", 1)) {
        const name = this.peek()!.text;
        this.at += 2;
        named.set(name, this.expression());
      } else items.push(this.expression());
      if (this.isOp(",")) {
        comma = true;
        this.at++;
      } else if (!this.isOp(close)) this.skipRest();
      if (this.isOp(",")) this.at++;
    }
    this.at++;
    return { items, comma };
  }

  expression(): PyValue {
    let value = this.postfix(this.primary());
    while (this.isOp("+")) {
      this.at++;
      const right = this.postfix(this.primary());
      value = value.kind === "str" && right.kind === "str" ? { kind: "str", value: value.value + right.value } : UNKNOWN;
    }
    // A statement ends at its line's end (inside brackets the caller stops at a comma or the close).
    const endsStatement = (this.peek()?.line ?? 0) > (this.tokens[this.at - 1]?.line ?? 0) && this.peek()?.column === 0;
    if (this.peek() && !endsStatement && !this.isOp(",") && !this.isOp(")") && !this.isOp("]") && !this.isOp("}") && !this.isOp(":")) {
      this.skipRest();
      return UNKNOWN;
    }
    return value;
  }

  private primary(): PyValue {
    const token = this.peek();
    if (!token) return UNKNOWN;
    if (token.kind === "str") {
      let value: string | undefined = "";
      while (this.peek()?.kind === "str") {
        const part = this.tokens[this.at++]!.value;
        value = value === undefined || part === undefined ? undefined : value + part;
      }
      return value === undefined ? UNKNOWN : { kind: "str", value };
    }
    this.at++;
    if (token.kind === "num") return /^\d+$/.test(token.text) ? { kind: "int", value: Number(token.text) } : UNKNOWN;
    if (token.kind === "name") {
      if (token.text === "True" || token.text === "False") return { kind: "bool", value: token.text === "True" };
      if (token.text === "None") return { kind: "none" };
      if (this.isOp("(")) {
        this.at++;
        return { kind: "call", name: token.text, args: this.items(")", new Map()).items };
      }
      return this.env.get(token.text) ?? UNKNOWN;
    }
    if (token.text === "(" || token.text === "[") {
      const { items, comma } = this.items(CLOSING[token.text]!);
      return token.text === "(" && items.length === 1 && !comma ? items[0]! : { kind: "seq", items };
    }
    if (token.text === "-" && this.peek()?.kind === "num") {
      this.at++;
      return UNKNOWN;
    }
    if (token.text === "{") {
      this.at--;
      this.skipBracket();
    }
    return UNKNOWN;
  }

  private postfix(value: PyValue): PyValue {
    for (;;) {
      if (this.isOp(".") && this.peek(1)?.text === "format" && this.isOp("(", 2)) {
        this.at += 3;
        const named = new Map<string, PyValue>();
        const { items } = this.items(")", named);
        const text = value.kind === "str" ? pythonFormat(value.value, items, named) : undefined;
        value = text === undefined ? UNKNOWN : { kind: "str", value: text };
      } else if (this.isOp("[")) {
        this.at++;
        const slice = this.sliceBounds();
        value = value.kind === "str" && slice ? { kind: "str", value: value.value.slice(slice[0], slice[1]) } : UNKNOWN;
      } else if (this.isOp(".") || this.isOp("(")) {
        this.skipRest();
        return UNKNOWN;
      } else return value;
    }
  }

  /** `[a:b]` with plain integers (either may be left out), read up to its `]`. */
  private sliceBounds(): [number | undefined, number | undefined] | undefined {
    const parts: string[][] = [[]];
    while (this.peek() && !this.isOp("]")) {
      const token = this.tokens[this.at++]!;
      if (token.kind === "op" && token.text === ":") parts.push([]);
      else parts.at(-1)!.push(token.text);
    }
    this.at++;
    if (parts.length !== 2) return undefined;
    const bound = (part: string[]): number | undefined | null => (part.length === 0 ? undefined : /^-?\d+$/.test(part.join("")) ? Number(part.join("")) : null);
    const [start, end] = parts.map(bound);
    return start === null || end === null ? undefined : [start, end];
  }
}

/** The module's top-level `NAME = expression` assignments, each evaluated with those before it. */
export function moduleConstants(tokens: Token[]): Map<string, PyValue> {
  const reader = new PyReader(tokens);
  for (let index = 0; index < tokens.length - 1; index++) {
    const token = tokens[index]!;
    const next = tokens[index + 1]!;
    if (token.kind !== "name" || token.column !== 0 || next.kind !== "op" || next.text !== "=") continue;
    reader.at = index + 2;
    reader.env.set(token.text, reader.expression());
    index = reader.at - 1;
  }
  return reader.env;
}

/** Every `parametrize(names, cases)` call in the file: its parameter names and its evaluated cases. */
export function parametrizeCalls(tokens: Token[], env: Map<string, PyValue>): { names: string[]; cases: PyValue; line: number }[] {
  const calls: { names: string[]; cases: PyValue; line: number }[] = [];
  const reader = new PyReader(tokens, env);
  for (let index = 0; index < tokens.length - 2; index++) {
    if (tokens[index]!.text !== "parametrize" || tokens[index + 1]!.text !== "(") continue;
    reader.at = index + 2;
    const names = reader.expression();
    if (names.kind !== "str" || reader.peek()?.text !== ",") continue;
    reader.at++;
    calls.push({ names: names.value.split(",").map((name) => name.trim()), cases: reader.expression(), line: tokens[index]!.line });
  }
  return calls;
}
