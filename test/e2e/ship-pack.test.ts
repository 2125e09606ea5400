// End to end: `keyscan pack` scans exactly what npm would publish (a real `npm pack --dry-run`), named as in the
// tarball; a real `npm publish --dry-run` is blocked by it as a prepublishOnly script; a packed .tgz is scanned inside.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openaiProjectKey } from "../../fixtures/fake-keys.js";
import { CLI, cliEnv, runCli } from "../helpers/cli.js";
import { useTempRepos } from "../helpers/git-repo.js";
import { multitoolProblems, sarifSchemaErrors } from "../helpers/sarif.js";

const newRepo = useTempRepos();

/** A package whose `files` ship dist/ and a .env that git ignores. */
function leakyPackage(withKey: boolean) {
  const repo = newRepo();
  repo.write(
    "package.json",
    JSON.stringify({ name: "leaky-widget", version: "1.0.0", files: ["dist", ".env"], scripts: { prepublishOnly: `node "${CLI}" pack` } }, null, 2),
  );
  repo.write(".gitignore", ".env\n");
  repo.write("dist/index.js", "export const answer = 42;\n");
  repo.write(".env", withKey ? `OPENAI_API_KEY=${openaiProjectKey(501)}\n` : "OPENAI_API_KEY=\n");
  repo.write("notes/private.txt", `not published: ${openaiProjectKey(502)}\n`);
  repo.add("package.json", ".gitignore", "dist/index.js");
  repo.commit();
  return repo;
}

function npm(args: string[], cwd: string) {
  return spawnSync("npm", args, { cwd, env: cliEnv({ npm_config_update_notifier: "false", npm_config_audit: "false" }), encoding: "utf8" });
}

describe("keyscan pack", () => {
  it("finds a key in a .env that git ignores but `files` publishes, under its tarball path", () => {
    const repo = leakyPackage(true);
    expect(runCli(["scan", "--no-progress"], { cwd: repo.dir }).stdout).not.toContain("package/.env");
    const result = runCli(["pack", "--format", "json", "--no-progress"], { cwd: repo.dir });
    expect(result.code, result.stderr).toBe(1);
    const files = (JSON.parse(result.stdout) as { findings: { file: string }[] }).findings.map((finding) => finding.file);
    // Only what npm publishes: notes/ is not in `files`.
    expect(files).toEqual(["package/.env"]);
  });

  it("passes a clean package, and scans a package folder named from elsewhere", () => {
    const repo = leakyPackage(false);
    const result = runCli(["pack", repo.dir, "--no-progress"], { cwd: join(repo.dir, "..") });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    // package.json, dist/index.js and .env: what npm lists.
    expect(result.stdout).toMatch(/Scanned 3 files/);
  });

  it("blocks a real `npm publish --dry-run` through prepublishOnly, and lets a clean one through", () => {
    const leaky = leakyPackage(true);
    const blocked = npm(["publish", "--dry-run"], leaky.dir);
    expect(blocked.status).not.toBe(0);
    expect(blocked.stdout + blocked.stderr).toContain("package/.env");
    const clean = leakyPackage(false);
    const published = npm(["publish", "--dry-run"], clean.dir);
    expect(published.status, published.stderr).toBe(0);
  });

  it("scans inside the tarball npm pack writes", () => {
    const repo = leakyPackage(true);
    expect(npm(["pack", "--ignore-scripts"], repo.dir).status).toBe(0);
    const tarball = readdirSync(repo.dir).find((name) => name.endsWith(".tgz")) as string;
    const result = runCli(["scan", tarball, "--format", "json", "--no-progress"], { cwd: repo.dir });
    expect(result.code).toBe(1);
    expect((JSON.parse(result.stdout) as { findings: { file: string }[] }).findings.map((finding) => finding.file)).toEqual([
      "leaky-widget-1.0.0.tgz!package/.env",
    ]);
  });

  it("says in one sentence that a folder has no package.json (exit code 2)", () => {
    const repo = newRepo();
    const result = runCli(["pack", "--no-progress"], { cwd: repo.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^keyscan: pack: \. has no package\.json\n$/);
  });

  it("writes SARIF with the tarball path in the location, valid for GitHub", () => {
    const repo = leakyPackage(true);
    const result = runCli(["pack", "--format", "sarif", "--no-progress"], { cwd: repo.dir });
    const sarif = JSON.parse(result.stdout);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe("package/.env");
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    expect(multitoolProblems(result.stdout).filter((problem) => problem.startsWith("error"))).toEqual([]);
  });
});
