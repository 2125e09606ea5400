import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { parse as parseToml } from "smol-toml";
import { describe, expect, it } from "vitest";
import { configJsonSchema, schemaFile } from "../../../scripts/config-schema.js";
import { parseConfig } from "../../../src/config/load.js";

const sample = `
disable = ["generic-high-entropy"]

[allow]
paths = ["test/fixtures/**"]
stopwords = ["example"]

[[rule]]
id = "acme-token"
name = "Acme token"
keywords = ["acme_"]
pattern = '''acme_[a-z0-9]{32}'''
severity = "critical"
examples.match = ["acme_0123456789abcdef0123456789abcdef"]

[[rule]]
id = "acme-entropy"
name = "Acme secrets by entropy"
kind = "entropy"
keywords = ["acme"]
charsets.hex = { minLength = 32, threshold = 3.0 }

[verify.endpoints]
openai = "http://127.0.0.1:8080"
`;

describe("schema/keyscan.schema.json", () => {
  const schema = JSON.parse(readFileSync(schemaFile, "utf8")) as object;
  const validate = new Ajv().compile(schema);

  it("is up to date with the zod schemas (run `npm run schema` after changing them)", () => {
    expect(readFileSync(schemaFile, "utf8")).toBe(configJsonSchema());
  });

  it("accepts a config keyscan itself accepts", () => {
    expect(() => parseConfig(sample, "keyscan.toml")).not.toThrow();
    expect(validate(parseToml(sample)), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each([
    ["an unknown top-level key", "disabled = []"],
    ["an unknown rule key", `[[rule]]\nid = "a-b"\nname = "x"\nkeywords = ["ab"]\npattern = "ab"\nsecret_group = 1`],
    ["a bad rule id", `[[rule]]\nid = "Acme_Token"\nname = "x"\nkeywords = ["ab"]\npattern = "ab"`],
    ["a bad severity", `[[rule]]\nid = "a-b"\nname = "x"\nkeywords = ["ab"]\npattern = "ab"\nseverity = "urgent"`],
    ["an entropy rule without charsets", `[[rule]]\nid = "a-b"\nname = "x"\nkind = "entropy"\nkeywords = ["ab"]`],
  ])("rejects %s, as keyscan does", (_, text) => {
    expect(validate(parseToml(text))).toBe(false);
    expect(() => parseConfig(text, "keyscan.toml")).toThrow();
  });
});
