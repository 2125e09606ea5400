// `keyscan fix --verify`: the rotation steps say which keys the provider still accepts (a stand-in
// provider on 127.0.0.1, set in a config named with --config outside the repository, answers for the fake key).
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { CLI, cliEnv } from "../helpers/cli.js";
import { fakeCredential, type StandIn, standIns, startStandIn } from "../helpers/fake-providers.js";
import { useTempRepos } from "../helpers/git-repo.js";

const run = promisify(execFile);
const live = fakeCredential("openai", 2231);
let server: StandIn;
const repos = useTempRepos();

beforeAll(async () => {
  server = await startStandIn(standIns.openai?.answer(live) ?? (() => ({})));
});
afterAll(async () => {
  await server.close();
});

it("keyscan fix --verify tells a live key apart, and the key still goes to .env", async () => {
  const repo = repos();
  repo.write("app.js", `const key = "${live.secret}";\n`);
  // A repository's own keyscan.toml may not redirect verification: the endpoint comes from the user's --config.
  const config = repos(false);
  config.write("verify.toml", `[verify.endpoints]\nopenai = "${server.url}"\n`);
  // execFile, not spawnSync: this process must go on serving the stand-in while the CLI runs.
  const { stdout } = await run(process.execPath, [CLI, "fix", "--yes", "--verify", "--config", join(config.dir, "verify.toml")], {
    cwd: repo.dir,
    env: cliEnv(),
  });
  expect(stdout).toContain("--verify: LIVE. It was exposed and still works: revoke it now, before anything else.");
  expect(server.requests.map((request) => request.path)).toEqual(["/v1/me"]);
  expect(stdout).not.toContain(live.secret);
});
