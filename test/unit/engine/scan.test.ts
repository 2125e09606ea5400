// The engine's behaviour beyond single rules: decoding, pairs, vetoes, paths, overlaps, positions.
import { describe, expect, it } from "vitest";
import { awsKeyPair, checksummedToken, jwt, openaiProjectKey, pemPrivateKey, randomString, rng, ALNUM, HEX } from "../../../fixtures/fake-keys.js";
import { compileRules, parseRuleDef, parseRuleFiles } from "../../../src/engine/rules.js";
import { createRuleset } from "../../../src/engine/ruleset.js";
import { scanText } from "../../../src/run/pipeline.js";
import { readDefaultRuleSources } from "../../../src/config/default-rules.js";

const ruleset = createRuleset(compileRules(parseRuleFiles(readDefaultRuleSources())));
const scan = (text: string, path = "file.txt") => scanText({ path, text }, { ruleset });

describe("engine", () => {
  it("reports the secret's own line and columns", () => {
    const key = openaiProjectKey(11);
    const [finding] = scan(`a = 1\n  key: "${key}"\n`);
    expect(finding).toMatchObject({ ruleId: "openai-project-key", line: 2, column: 9, endLine: 2, endColumn: 9 + key.length, secret: key });
  });

  it("finds an assignment inside a JSON-escaped string and reports the outer line", () => {
    const value = randomString(rng(12), ALNUM, 32);
    const notebook = `{\n "source": ["import os\\n", "db_password = \\"${value}\\"\\n"]\n}`;
    const findings = scan(notebook, "nb.ipynb");
    expect(findings.map((f) => [f.ruleId, f.line, f.secret])).toEqual([["generic-high-entropy", 2, value]]);
  });

  it("places escaped secrets on separate lines, between plain lines, at their own line and column", () => {
    // The decoded layer keeps only the lines holding an escape: offsets must still map back right.
    const [first, second] = [randomString(rng(21), ALNUM, 32), randomString(rng(23), ALNUM, 32)];
    const plain = "const x = 1;\n".repeat(3);
    const text = `${plain}s = "db_password = \\"${first}\\"";\n${plain}t = "\\u0041 api_key: \\"${second}\\"";\n${plain}`;
    const findings = scan(text, "code.js");
    expect(findings.map((f) => [f.line, f.column, f.secret])).toEqual([
      [4, 22, first],
      [8, 24, second],
    ]);
  });

  it("searches a piece at a time where a rule's regex outgrows its stack, and finds the keys around", () => {
    // Two 3 MB parts shaped as a JWT's: the jwt rule's unbounded repeats make V8 stop the regex
    // with a RangeError, which once ended the whole scan.
    const huge = `eyJ${"a".repeat(3_000_000)}.eyJ${"b".repeat(3_000_000)}.${"c".repeat(100)}`;
    const [first, second] = [jwt(71), jwt(72)];
    const findings = scan(`token = ${first}\n${huge}\nother = ${second}\n`);
    expect(findings.map((f) => [f.ruleId, f.line, f.secret])).toEqual([
      ["jwt", 1, first],
      ["jwt", 3, second],
    ]);
  });

  it("keeps one finding for each of thousands of keys that two rules match, near and far apart", () => {
    // Each key is matched by its provider's rule and by the generic detector (its name): the overlap
    // check must keep the provider's match at every one of them, and drop nothing that overlaps none.
    const keys = Array.from({ length: 3000 }, (_, i) => openaiProjectKey(5000 + i));
    const lines = keys.map((key, i) => (i % 500 === 0 ? `${"x".repeat(3000)}\nOPENAI_API_KEY="${key}"` : `OPENAI_API_KEY="${key}"`));
    const findings = scan(lines.join("\n"), "keys.env");
    expect(findings).toHaveLength(keys.length);
    expect(new Set(findings.map((f) => f.ruleId))).toEqual(new Set(["openai-project-key"]));
    expect(findings.map((f) => f.secret)).toEqual(keys);
  });

  it("finds a PEM key escaped in JSON through the decoded layer", () => {
    const escaped = pemPrivateKey(13).replaceAll("\n", "\\n");
    const findings = scan(`{\n  "key": "${escaped}"\n}`);
    expect(findings.map((f) => [f.ruleId, f.line])).toEqual([["private-key", 2]]);
  });

  it("finds URL-encoded and base64-encoded keys, at the encoded text's location", () => {
    const accountKey = Buffer.from(randomString(rng(14), ALNUM, 64)).toString("base64");
    const connection = `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${accountKey}`;
    const token = checksummedToken(15, "ghp");
    const encoded = scan(`x\nGET /cb?conn=${encodeURIComponent(connection)}`);
    expect(encoded.map((f) => [f.ruleId, f.line, f.secret])).toEqual([["azure-storage-connection-string", 2, accountKey]]);
    const blob = Buffer.from(`GITHUB_TOKEN=${token}\n`).toString("base64");
    const [finding] = scan(`data:\n  env: ${blob}\n`);
    expect(finding).toMatchObject({ ruleId: "github-ghp", line: 2, column: 8, secret: token });
  });

  it("reports an AWS secret only with its key id nearby, and carries the id as companion", () => {
    const { id, secret } = awsKeyPair(16);
    const paired = scan(`[default]\naws_access_key_id = ${id}\nregion = eu-west-1\nkey = ${secret}\n`);
    expect(paired.find((f) => f.ruleId === "aws-secret-access-key")?.companion).toBe(id);
    // Under a name that says nothing (a bare `key` with a strongly random value is the generic detector's).
    const alone = scan(`stored = ${secret}\n${"\n".repeat(10)}aws_access_key_id = ${id}\n`);
    expect(alone.map((f) => f.ruleId)).toEqual(["aws-access-key-id"]);
  });

  it("pairs an AWS secret with a key id found only in a later layer (a base64 blob)", () => {
    const { id, secret } = awsKeyPair(17);
    const idBlob = Buffer.from(`aws_access_key_id = ${id}\n`).toString("base64");
    const text = `# an AKIA key id and its secret\nstored = ${secret}\n`;
    const paired = scan(`${text}id = ${idBlob}\n`);
    expect(paired.map((f) => [f.ruleId, f.line, f.companion])).toEqual([
      ["aws-secret-access-key", 2, id],
      ["aws-access-key-id", 3, undefined],
    ]);
    expect(scan(text)).toEqual([]);
  });

  it("lets the rule listed first win a tie, also when it waits for its companion", () => {
    const rule = (id: string, pattern: string, more: object = {}) => ({ def: parseRuleDef({ id, name: id, keywords: ["zz"], pattern, ...more }, "t.toml"), source: "t.toml" });
    const own = createRuleset(
      compileRules([rule("first", "zz-[0-9]{8}", { requires: { rule: "companion", within: 1 } }), rule("second", "zz-[0-9]{8}"), rule("companion", "zz-companion")]),
    );
    const found = scanText({ path: "f", text: "zz-companion zz-83920571" }, { ruleset: own });
    expect(found.map((f) => f.ruleId)).toEqual(["companion", "first"]);
  });

  it("lets the rule that read the provider's name beside a value win a tie over one that read the value alone", () => {
    const rule = (id: string, keyword: string, pattern: string) => ({ def: parseRuleDef({ id, name: id, keywords: [keyword], pattern }, "t.toml"), source: "t.toml" });
    const own = createRuleset(compileRules([rule("shape", "zz-", "(zz-[0-9]{8})"), rule("named", "acme", "acme[_a-z]*=(zz-[0-9]{8})")]));
    const found = (text: string) => scanText({ path: "f", text }, { ruleset: own }).map((f) => f.ruleId);
    expect(found("acme_key=zz-83920571")).toEqual(["named"]);
    expect(found("other_key=zz-83920571")).toEqual(["shape"]);
  });

  it("runs an unreported companion when the rule requiring it occurs only in decoded text", () => {
    const rule = (id: string, keyword: string, pattern: string, more: object = {}) => ({
      def: parseRuleDef({ id, name: id, keywords: [keyword], pattern, ...more }, "t.toml"),
      source: "t.toml",
    });
    const own = createRuleset(
      compileRules([
        rule("dependent", "depkey", "depkey-[0-9]{8}", { requires: { rule: "context", within: 2 } }),
        rule("context", "ctxmark", "ctxmark-[a-z]+", { report: false }),
      ]),
    );
    const blob = Buffer.from("token depkey-83920571 in a base64 blob").toString("base64");
    const found = scanText({ path: "f", text: `ctxmark-here\nvalue: ${blob}\n` }, { ruleset: own });
    expect(found.map((f) => [f.ruleId, f.line, f.companion])).toEqual([["dependent", 2, "ctxmark-here"]]);
    expect(scanText({ path: "f", text: `value: ${blob}\n` }, { ruleset: own })).toEqual([]);
  });

  it("lets no other rule claim a token whose checksum fails", () => {
    const bad = `ghp_${randomString(rng(17), ALNUM, 36)}`;
    expect(scan(`GITHUB_TOKEN=${bad}`)).toEqual([]);
    expect(scan(`GITHUB_TOKEN=${checksummedToken(17, "ghp")}`).map((f) => f.ruleId)).toEqual(["github-ghp"]);
  });

  it("runs the entropy detector on assignments, but not in lockfiles or on lookups", () => {
    const value = randomString(rng(18), ALNUM, 32);
    expect(scan(`client_secret = "${value}"`).map((f) => f.ruleId)).toEqual(["generic-high-entropy"]);
    expect(scan(`client_secret = "${value}"`, "deps/yarn.lock")).toEqual([]);
    // Any tool's *.lock: an i18n tool's lock file holds one MD5 per message key.
    const digest = randomString(rng(18), HEX, 32);
    expect(scan(`checksums:\n  api_keys: ${digest}`, "apps/web/i18n.lock")).toEqual([]);
    expect(scan(`checksums:\n  api_keys: ${digest}`, "apps/web/i18n.yaml").map((f) => f.ruleId)).toEqual(["generic-high-entropy"]);
    expect(scan(`client_secret = os.environ["CLIENT_SECRET"]`)).toEqual([]);
    expect(scan(`secret_sha256 = "${value}"`)).toEqual([]);
    expect(scan('password = ""\npassword = get_password()')).toEqual([]);
  });

  it("leaves a JWT's header with words for its claims in a Bearer header, and keeps a signed JWT there", () => {
    expect(scan('headers: { authorization: "Bearer eyJhbGciOiJFZERTQSJ9.payload.signature" }')).toEqual([]);
    const claims = Buffer.from(JSON.stringify({ sub: "user_4821", scope: "read" })).toString("base64url");
    const jwt = `eyJhbGciOiJFZERTQSJ9.${claims}.${randomString(rng(20), ALNUM, 86)}`;
    expect(scan(`headers: { authorization: "Bearer ${jwt}" }`).map((f) => f.secret)).toEqual([jwt]);
  });

  it("keeps a specific rule over the entropy detector on the same text", () => {
    const key = openaiProjectKey(19);
    expect(scan(`api_key = "${key}"`).map((f) => f.ruleId)).toEqual(["openai-project-key"]);
  });

  it("honours the lines filter (staged changes)", () => {
    const key = checksummedToken(20, "ghp");
    const text = `a = ${key}\nb = ${checksummedToken(21, "ghp")}\n`;
    expect(scanText({ path: "f", text, addedLines: new Set([2]) }, { ruleset }).map((f) => f.line)).toEqual([2]);
  });
});
