import { expect, it } from "vitest";
import { openaiProjectKey } from "../../../fixtures/fake-keys.js";
import { groupSecrets } from "../../../src/report/secrets.js";
import type { Finding } from "../../../src/types.js";

it("orders a secret's locations the same whatever order its findings came in, even two commits with one author date", () => {
  const at = (sha: string): Finding => ({
    ruleId: "openai-project-key",
    ruleName: "OpenAI project key",
    severity: "high",
    line: 3,
    column: 7,
    endLine: 3,
    endColumn: 171,
    secret: openaiProjectKey(1),
    match: openaiProjectKey(1),
    entropy: 5.5,
    path: "config.py",
    fingerprint: "0123456789abcdef0123",
    commit: { sha, author: "A", email: "a@example.com", date: "2024-01-02T03:04:05Z" },
  });
  const shas = (findings: Finding[]) => groupSecrets(findings)[0]?.locations.map((location) => location.commit?.sha);
  const [picked, original] = [at("b".repeat(40)), at("a".repeat(40))];
  expect(shas([picked, original])).toEqual(["a".repeat(40), "b".repeat(40)]);
  expect(shas([original, picked])).toEqual(["a".repeat(40), "b".repeat(40)]);
});
