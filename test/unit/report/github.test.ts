import { describe, expect, it } from "vitest";
import { escapeData, escapeProperty, renderGithub } from "../../../src/report/github.js";
import { redactSecret } from "../../../src/report/redact.js";
import { input, keys, sampleFindings, scan } from "./fixtures.js";

describe("renderGithub", () => {
  it("writes one workflow command a finding, level by severity", () => {
    const lines = renderGithub(input(sampleFindings())).trimEnd().split("\n");
    expect(lines).toHaveLength(4);
    expect(lines.map((line) => line.split(" ")[0])).toEqual(["::error", "::notice", "::error", "::warning"]);
    const [project] = sampleFindings();
    expect(lines[2]).toBe(
      `::error file=src/config.ts,line=2,col=21,endColumn=184,endLine=2,title=OpenAI project API key::` +
        `OpenAI project API key (openai-project-key): ${redactSecret(keys.project)}. Fingerprint ${project?.fingerprint}.`,
    );
  });

  it("maps high to error", () => {
    const [finding] = sampleFindings();
    if (!finding) throw new Error("no finding");
    expect(renderGithub(input([{ ...finding, severity: "high" }]))).toMatch(/^::error /);
  });

  it("escapes %, CR and LF in data, and also ':' and ',' in properties", () => {
    expect(escapeData("50% a\r\nb: c, d")).toBe("50%25 a%0D%0Ab: c, d");
    expect(escapeProperty("50% a\r\nb: c, d")).toBe("50%25 a%0D%0Ab%3A c%2C d");
    const [finding] = scan({ path: "a,b:c%\n.env", text: `K=${keys.legacy}\n` });
    if (!finding) throw new Error("no finding");
    const line = renderGithub(input([{ ...finding, ruleName: "Key: legacy, old" }]));
    expect(line).toContain("file=a%2Cb%3Ac%25%0A.env,line=1,");
    expect(line).toContain("title=Key%3A legacy%2C old::Key: legacy, old (openai-legacy-key)");
    expect(line.trimEnd().split("\n")).toHaveLength(1);
  });

  it("leaves columns out of a multi-line annotation, as the runner requires", () => {
    const [finding] = sampleFindings();
    if (!finding) throw new Error("no finding");
    const line = renderGithub(input([{ ...finding, line: 3, endLine: 5, column: 2, endColumn: 9 }]));
    expect(line).toMatch(/^::error file=src\/config.ts,line=3,endLine=5,title=/);
    expect(line).not.toContain("col=");
  });

  it("prints nothing when nothing was found", () => {
    expect(renderGithub(input([]))).toBe("");
  });
});
