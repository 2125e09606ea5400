// `keyscan fix` on a terminal without --yes or --dry-run shows the diff and asks. util-linux `script`
// gives the CLI a real pseudo-terminal; the answer comes on its standard input.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { openaiProjectKey } from "../../fixtures/fake-keys.js";
import { CLI, cliEnv } from "../helpers/cli.js";
import { useTempRepos } from "../helpers/git-repo.js";

const KEY = openaiProjectKey(2241);
const repos = useTempRepos();

function fixOnTerminal(cwd: string, answer: string): string {
  const command = `"${process.execPath}" "${CLI}" fix`;
  const result = spawnSync("script", ["-qec", command, "/dev/null"], { cwd, input: answer, env: cliEnv(), encoding: "utf8" });
  return result.stdout;
}

it("asks before changing anything, and changes nothing unless the answer is yes", () => {
  const repo = repos();
  repo.write("app.py", `KEY = "${KEY}"\n`);
  const declined = fixOnTerminal(repo.dir, "n\n");
  expect(declined).toContain("Apply these changes? [y/N]");
  expect(declined).toContain("Nothing was changed");
  expect(readFileSync(join(repo.dir, "app.py"), "utf8")).toBe(`KEY = "${KEY}"\n`);

  const accepted = fixOnTerminal(repo.dir, "y\n");
  expect(accepted).toContain("Rewrote 1 secret(s) in 1 file(s).");
  expect(readFileSync(join(repo.dir, "app.py"), "utf8")).toBe('import os\nKEY = os.environ["OPENAI_API_KEY"]\n');
});
