// The Python-literal reader the eval reads detect-secrets' tests with: what it evaluates, and
// that what it cannot evaluate comes back unknown rather than guessed.
import { describe, expect, it } from "vitest";
import { moduleConstants, parametrizeCalls, tokenize } from "../../../scripts/python-literals.js";

const read = (source: string) => {
  const tokens = tokenize(source);
  const env = moduleConstants(tokens);
  return { env, calls: parametrizeCalls(tokens, env) };
};

describe("python literals", () => {
  it("evaluates string constants: escapes, raw strings, adjacent literals, format, slices and +", () => {
    const { env } = read(
      [
        "A = 'x\\ty'",
        "B = r'x\\ty'",
        "C = ('ab'\n     'cd')",
        "D = 'k={}{{}}'.format(A)",
        "E = 'n={name}'.format(name='v')",
        "F = C[0:3] + 'z'",
        "G = f'{A}'",
        "H = A.upper()",
      ].join("\n"),
    );
    expect(env.get("A")).toEqual({ kind: "str", value: "x\ty" });
    expect(env.get("B")).toEqual({ kind: "str", value: "x\\ty" });
    expect(env.get("C")).toEqual({ kind: "str", value: "abcd" });
    expect(env.get("D")).toEqual({ kind: "str", value: "k=x\ty{}" });
    expect(env.get("E")).toEqual({ kind: "str", value: "n=v" });
    expect(env.get("F")).toEqual({ kind: "str", value: "abcz" });
    expect(env.get("G")).toEqual({ kind: "unknown" });
    expect(env.get("H")).toEqual({ kind: "unknown" });
  });

  it("reads a parametrize call's names and its cases, leaving comments and keyword arguments out", () => {
    const { calls } = read(
      [
        "SECRET = 'abc'",
        "@pytest.mark.parametrize(",
        "    'payload, should_flag',",
        "    [",
        "        ('token = {}'.format(SECRET), True),  # a comment, with 'quotes'",
        "        ('nothing', False),",
        "        (compute(), True),",
        "    ],",
        "    ids=['a', 'b', 'c'],",
        ")",
      ].join("\n"),
    );
    expect(calls).toHaveLength(1);
    expect(calls[0]!.names).toEqual(["payload", "should_flag"]);
    expect(calls[0]!.cases).toEqual({
      kind: "seq",
      items: [
        { kind: "seq", items: [{ kind: "str", value: "token = abc" }, { kind: "bool", value: true }] },
        { kind: "seq", items: [{ kind: "str", value: "nothing" }, { kind: "bool", value: false }] },
        { kind: "seq", items: [{ kind: "call", name: "compute", args: [] }, { kind: "bool", value: true }] },
      ],
    });
  });
});
