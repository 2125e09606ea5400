import { describe, expect, it } from "vitest";
import { openaiProjectKey } from "../../fixtures/fake-keys.js";
import { groupKey } from "../../src/report/secrets.js";
import { secretLives } from "../../src/sources/secret-life.js";
import type { Finding } from "../../src/types.js";
import { useTempRepos } from "../helpers/git-repo.js";

const repo = useTempRepos();

/** A history finding of `secret` at `path`, as the scan would give it (only what secretLives reads matters). */
function finding(secret: string, path: string, sha: string): Finding {
  return {
    ruleId: "openai-project-key",
    ruleName: "OpenAI project key",
    severity: "high",
    secret,
    match: secret,
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: secret.length + 1,
    path,
    fingerprint: "",
    entropy: 4,
    commit: { sha, author: "Test Author", email: "author@example.com", date: "2024-01-02T03:04:05Z" },
  };
}

describe("secretLives", () => {
  it("follows two keys of one file to the commits that removed each, and tells a key still in HEAD", async () => {
    const made = repo();
    const [first, second, kept] = [openaiProjectKey(21), openaiProjectKey(22), openaiProjectKey(23)];
    made.write(".env", `A=${first}\nB=${second}\n`);
    made.write("other.env", `C=${kept}\n`);
    made.add(".env", "other.env");
    const added = made.commit({ date: "2024-01-01T00:00:00Z" });
    made.write(".env", `B=${second}\n`);
    made.add(".env");
    const firstGone = made.commit({ author: "Remover One", date: "2024-01-02T00:00:00Z" });
    made.write(".env", "nothing here\n");
    made.add(".env");
    const secondGone = made.commit({ author: "Remover Two", date: "2024-01-03T00:00:00Z" });

    const findings = [finding(first, ".env", added), finding(second, ".env", added), finding(kept, "other.env", added)];
    const lives = await secretLives(made.dir, findings);
    const [firstLife, secondLife, keptLife] = findings.map((found) => lives.get(groupKey(found)));
    expect(firstLife).toMatchObject({ state: "removed", removed: { sha: firstGone, author: "Remover One" } });
    expect(secondLife).toMatchObject({ state: "removed", removed: { sha: secondGone, author: "Remover Two" } });
    expect(keptLife).toEqual({ state: "present" });
  });
});
