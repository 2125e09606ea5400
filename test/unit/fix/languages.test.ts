// Per-language rewriting (src/fix/languages.ts through plan.ts): real findings of the default rules
// on real files, rewritten into each language's environment read, or left for the user with a reason.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checksummedToken, jwt, openaiProjectKey, pemPrivateKey } from "../../../fixtures/fake-keys.js";
import { claimEnvName, envNameFrom, envNames, preferredEnvName } from "../../../src/fix/env-names.js";
import { formatEnvValue, parseEnv } from "../../../src/fix/env-file.js";
import { type FilePlan, planFile } from "../../../src/fix/plan.js";
import { buildContext, scanText } from "../../../src/run/pipeline.js";

const KEY = openaiProjectKey(2221);
const context = buildContext();
const dir = mkdtempSync(join(tmpdir(), "keyscan-fix-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `text` as `path`, scans it with the default rules, and plans its fix. */
function plan(path: string, text: string, taken = envNames(new Map())): FilePlan {
  const abs = join(dir, path.replaceAll("/", "_"));
  writeFileSync(abs, text);
  const findings = scanText({ path, text }, context);
  expect(findings.length).toBeGreaterThan(0);
  return planFile(path, abs, findings, taken);
}

function rewritten(path: string, text: string): string {
  const result = plan(path, text);
  expect(result.manual).toEqual([]);
  return result.updated;
}

function manualReason(path: string, text: string): string {
  const result = plan(path, text);
  expect(result.updated).toBe(result.original);
  return result.manual.map(({ reason }) => reason).join("; ");
}

describe("each language reads the variable its own way", () => {
  it("JavaScript and TypeScript: process.env, or import.meta.env where the file uses it; text around the key is kept", () => {
    expect(rewritten("a.js", `const k = '${KEY}';\n`)).toBe("const k = process.env.OPENAI_API_KEY;\n");
    expect(rewritten("a.ts", `const h = "Bearer ${KEY}";\n`)).toBe('const h = ("Bearer " + process.env.OPENAI_API_KEY);\n');
    expect(rewritten("v.ts", `const u = import.meta.env.VITE_URL;\nconst k = "${KEY}";\n`)).toBe(
      "const u = import.meta.env.VITE_URL;\nconst k = import.meta.env.OPENAI_API_KEY;\n",
    );
  });

  it("Python: os.environ, with import os added once after a docstring and __future__ imports", () => {
    const text = `"""Doc."""\nfrom __future__ import annotations\nimport sys\n\nA = "${KEY}"\nB = r'${KEY}'\n`;
    expect(rewritten("m.py", text)).toBe(
      `"""Doc."""\nfrom __future__ import annotations\nimport os\nimport sys\n\nA = os.environ["OPENAI_API_KEY"]\nB = os.environ["OPENAI_API_KEY"]\n`,
    );
    expect(rewritten("n.py", `import os\nA = "${KEY}"\n`)).toBe('import os\nA = os.environ["OPENAI_API_KEY"]\n');
    expect(rewritten("crlf.py", `import sys\r\nA = "${KEY}"\r\n`)).toBe('import os\r\nimport sys\r\nA = os.environ["OPENAI_API_KEY"]\r\n');
    // No other import: after the docstring and the __future__ imports, which must stay first.
    expect(rewritten("f.py", `#!/usr/bin/env python3\n"""Doc\non two lines."""\nfrom __future__ import annotations\n\nA = "${KEY}"\n`)).toBe(
      `#!/usr/bin/env python3\n"""Doc\non two lines."""\nfrom __future__ import annotations\n\nimport os\nA = os.environ["OPENAI_API_KEY"]\n`,
    );
  });

  it("Ruby, Java, PHP and Go", () => {
    expect(rewritten("c.rb", `client = OpenAI::Client.new(access_token: "${KEY}")\n`)).toBe('client = OpenAI::Client.new(access_token: ENV["OPENAI_API_KEY"])\n');
    expect(rewritten("C.java", `class C { String k = "${KEY}"; }\n`)).toBe('class C { String k = System.getenv("OPENAI_API_KEY"); }\n');
    expect(rewritten("c.php", `<?php\n$h = "Bearer ${KEY}";\n`)).toBe(`<?php\n$h = ("Bearer " . getenv('OPENAI_API_KEY'));\n`);
    expect(rewritten("m.go", `package main\n\nvar k = "${KEY}"\n`)).toBe('package main\nimport "os"\n\nvar k = os.Getenv("OPENAI_API_KEY")\n');
  });

  it("shell: quoted so the value stays one word, whatever quotes it had", () => {
    expect(rewritten("s.sh", `K=${KEY}\n`)).toBe('K="${OPENAI_API_KEY}"\n');
    expect(rewritten("s.sh", `curl -H "Authorization: Bearer ${KEY}"\n`)).toBe('curl -H "Authorization: Bearer ${OPENAI_API_KEY}"\n');
    expect(rewritten("s.sh", `K='${KEY}'\n`)).toBe('K="${OPENAI_API_KEY}"\n');
  });

  it("YAML: ${NAME}, or a repository secret in a GitHub Actions workflow; .npmrc: ${NPM_TOKEN}", () => {
    expect(rewritten("c.yml", `env:\n  KEY: "${KEY}"\n`)).toBe('env:\n  KEY: "${OPENAI_API_KEY}"\n');
    const workflow = `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    env:\n      KEY: ${KEY}\n`;
    expect(rewritten(".github/workflows/ci.yml", workflow)).toContain("      KEY: ${{ secrets.OPENAI_API_KEY }}\n");
    expect(rewritten("docker-compose.yml", `services:\n  a:\n    environment:\n      - OPENAI_API_KEY=${KEY}\n`)).toContain("      - OPENAI_API_KEY=${OPENAI_API_KEY}\n");
    const npm = checksummedToken(2224, "npm");
    expect(rewritten(".npmrc", `//registry.npmjs.org/:_authToken=${npm}\n`)).toBe("//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n");
  });

  it("Spring properties: ${NAME}, which Spring Boot resolves from the environment", () => {
    expect(rewritten("src/main/resources/application-prod.properties", `server.port=8080\nopenai.api-key=${KEY}\n`)).toBe(
      "server.port=8080\nopenai.api-key=${OPENAI_API_KEY}\n",
    );
  });
});

describe("places no rewrite is safe in are left, with what to do", () => {
  it("JSON, a comment, a Go const, a Python bytes literal, a minified line, a PEM block in code", () => {
    expect(manualReason("k.json", `{"k": "${KEY}"}\n`)).toMatch(/^JSON cannot read the environment/);
    expect(manualReason("a.js", `// old key: ${KEY}\n`)).toBe("in a comment: delete it from the comment");
    expect(manualReason("m.go", `package main\n\nconst (\n\tk = "${KEY}"\n)\n`)).toMatch(/^a Go const cannot hold os.Getenv/);
    expect(manualReason("b.py", `K = b"${KEY}"\n`)).toMatch(/^a bytes literal/);
    expect(manualReason("min.js", `var a=${"1,".repeat(600)}k="${KEY}";\n`)).toMatch(/^a minified or generated line/);
    expect(manualReason("pem.js", `const pem = \`${pemPrivateKey(2222)}\`;\n`)).toMatch(/^a multi-line secret/);
  });

  it("Terraform, notebooks, Markdown, TOML and XML get their own steps", () => {
    expect(manualReason("main.tf", `resource "x" "y" {\n  data = {\n    key = "${KEY}"\n  }\n}\n`)).toMatch(/^Terraform: declare `variable/);
    expect(manualReason("a.ipynb", `{"cells": [{"source": ["k = '${KEY}'"]}]}\n`)).toMatch(/^a notebook/);
    expect(manualReason("README.md", `export OPENAI_API_KEY=${KEY}\n`)).toMatch(/^documentation/);
    expect(manualReason("c.toml", `key = "${KEY}"\n`)).toMatch(/^TOML cannot read the environment/);
    expect(manualReason("web.config", `<add key="K" value="${KEY}" />\n`)).toMatch(/^XML cannot read the environment/);
  });

  it("a key stored encoded (a Kubernetes Secret's base64) is left by hand, not taken for a changed file", () => {
    const secret = `apiVersion: v1\nkind: Secret\ndata:\n  key: ${Buffer.from(KEY).toString("base64")}\n`;
    const result = plan("secret.yaml", secret);
    expect(result.problem).toBeUndefined();
    expect(result.manual.map(({ reason }) => reason)).toEqual([expect.stringMatching(/^stored encoded \(base64/)]);
  });
});

describe("naming", () => {
  it("takes the provider's variable, else the assignment's name, else the rule's", () => {
    expect(preferredEnvName("openai-project-key", "myKey")).toBe("OPENAI_API_KEY");
    expect(preferredEnvName("jwt", "sessionToken")).toBe("SESSION_TOKEN");
    expect(preferredEnvName("jwt", undefined)).toBe("JWT");
    expect(envNameFrom("db.password")).toBe("DB_PASSWORD");
    expect(envNameFrom("123")).toBeUndefined();
    const token = jwt(2223);
    expect(rewritten("t.js", `const sessionToken = "${token}";\n`)).toBe("const sessionToken = process.env.SESSION_TOKEN;\n");
  });

  it("finds the name where a formatter wrapped the value onto the next line, or a name/value pair holds it", () => {
    const token = jwt(2224);
    expect(rewritten("w.ts", `export const sessionToken =\n  "${token}";\n`)).toBe("export const sessionToken =\n  process.env.SESSION_TOKEN;\n");
    expect(rewritten("w.py", `import os\nSESSION_TOKEN = (\n    "${token}"\n)\n`)).toBe('import os\nSESSION_TOKEN = (\n    os.environ["SESSION_TOKEN"]\n)\n');
    expect(rewritten("k.yaml", `env:\n  - name: SESSION_TOKEN\n    value: "${token}"\n`)).toBe('env:\n  - name: SESSION_TOKEN\n    value: "${SESSION_TOKEN}"\n');
  });

  it("puts a compose file's variable in place of the default it fell back on", () => {
    const token = jwt(2225);
    expect(rewritten("compose.yml", `services:\n  api:\n    environment:\n      SESSION_TOKEN: \${SESSION_TOKEN:-${token}}\n`)).toBe(
      "services:\n  api:\n    environment:\n      SESSION_TOKEN: ${SESSION_TOKEN}\n",
    );
  });

  it("never gives a name that holds another value a new one, and reuses the name of a value already there", () => {
    const taken = envNames(new Map([["OPENAI_API_KEY", "other"], ["MINE", "same"], ["OPENAI_API_KEY_3", "kept"]]));
    expect(claimEnvName("OPENAI_API_KEY", "new", taken)).toBe("OPENAI_API_KEY_2");
    expect(claimEnvName("OPENAI_API_KEY", "same", taken)).toBe("MINE");
    expect(claimEnvName("OPENAI_API_KEY", "new", taken)).toBe("OPENAI_API_KEY_2");
    expect(claimEnvName("OPENAI_API_KEY", "third", taken)).toBe("OPENAI_API_KEY_4");
    expect(claimEnvName("SESSION_TOKEN", "fourth", taken)).toBe("SESSION_TOKEN");
    expect(taken.byName.get("OPENAI_API_KEY_2")).toBe("new");
  });
});

describe(".env values", () => {
  it("are written so that they read back the same", () => {
    const values = ["plain-Value_1/+=", "with space", "it's \"quoted\" $HOME"];
    const text = values.map((value, i) => `K${i}=${formatEnvValue(value)}`).join("\n");
    expect([...parseEnv(text).values()]).toEqual(values);
    expect(parseEnv("# c\nexport A='x y'\nB=1 # note\nnot a line\n")).toEqual(new Map([["A", "x y"], ["B", "1"]]));
  });
});
