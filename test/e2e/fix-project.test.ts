// `keyscan fix` end to end on a sample project in a real git repository: keys (generated fakes) in
// JavaScript, TypeScript, Python, shell, YAML, a Dockerfile and Go, and no .env yet. The rewritten
// files must still parse with each language's own tool where this machine has it.
import { spawnSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { checksummedToken, openaiProjectKey, prefixedToken, ALNUM } from "../../fixtures/fake-keys.js";
import { runCli } from "../helpers/cli.js";
import { type TempRepo, useTempRepos } from "../helpers/git-repo.js";

const OPENAI = openaiProjectKey(2201);
const GITHUB = checksummedToken(2202, "ghp");
const STRIPE = prefixedToken(2203, "sk_live_", ALNUM, 24);
const TSC = fileURLToPath(new URL("../../node_modules/.bin/tsc", import.meta.url));
const TYPE_ROOTS = fileURLToPath(new URL("../../node_modules/@types", import.meta.url));

const repos = useTempRepos();

/** The sample project: one key (or two) per language, committed, no .env, no .gitignore. */
function sampleProject(): TempRepo {
  const repo = repos();
  repo.write("src/client.js", `const OpenAI = require("openai");\nconst client = new OpenAI({ apiKey: "${OPENAI}" });\nmodule.exports = client;\n`);
  repo.write(
    "src/github.ts",
    `export const headers: Record<string, string | undefined> = {\n  authorization: \`token ${GITHUB}\`,\n};\nconst stripeKey = '${STRIPE}';\nexport default stripeKey;\n`,
  );
  repo.write("app/main.py", `"""The app."""\nimport sys\n\nOPENAI_KEY = "${OPENAI}"\nheader = f"Bearer ${GITHUB}"\nprint(sys.argv, OPENAI_KEY, header)\n`);
  repo.write("deploy.sh", `#!/bin/sh\nexport OPENAI_API_KEY=${OPENAI}\ncurl -H 'Authorization: token ${GITHUB}' https://api.github.com/user\n`);
  repo.write("compose.yaml", `services:\n  app:\n    image: app\n    environment:\n      OPENAI_API_KEY: ${OPENAI}\n      STRIPE: "${STRIPE}"\n`);
  repo.write("Dockerfile", `FROM node:20\nENV OPENAI_API_KEY=${OPENAI}\nRUN echo built\n`);
  repo.write("cmd/main.go", `package main\n\nimport (\n\t"fmt"\n)\n\nvar githubToken = "${GITHUB}"\n\nfunc main() { fmt.Println(githubToken) }\n`);
  repo.add(".");
  repo.commit({ message: "sample" });
  return repo;
}

/** Every file of the working tree, path → content, .git left out. */
function snapshot(repo: TempRepo): Record<string, string> {
  const files = repo.git("ls-files", "-z", "--cached", "--others").split("\0").filter(Boolean);
  return Object.fromEntries(files.sort().map((path) => [path, readFileSync(join(repo.dir, path), "utf8")]));
}

/** Runs a checker; its output is in the failure message when it fails. */
function passes(command: string, args: string[], cwd: string): { status: number | null; output: string } {
  const result = spawnSync(command, args, { cwd, encoding: "utf8" });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function has(command: string): boolean {
  return spawnSync(command, ["--version"], { stdio: "ignore" }).error === undefined;
}

describe("keyscan fix on a sample project", () => {
  it("--dry-run prints a diff with the secrets redacted, and changes nothing", () => {
    const repo = sampleProject();
    const before = snapshot(repo);
    const result = runCli(["fix", "--dry-run"], { cwd: repo.dir });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("--- a/src/client.js");
    expect(result.stdout).toContain("+const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });");
    expect(result.stdout).toContain(".env: create (mode 0600) with OPENAI_API_KEY, ");
    // A kind of file keyscan has no parser for is said to be unchecked, never passed as checked.
    expect(result.stdout).toContain("Dockerfile: not parse-checked (no parser for dockerfile in keyscan)");
    expect(result.stdout).toContain("Nothing was changed: run `keyscan fix --yes` to apply.");
    for (const secret of [OPENAI, GITHUB, STRIPE]) expect(result.stdout).not.toContain(secret);
    expect(snapshot(repo)).toEqual(before);
  });

  it("without a terminal and without --yes it is a dry run", () => {
    const repo = sampleProject();
    const before = snapshot(repo);
    expect(runCli(["fix"], { cwd: repo.dir }).stdout).toContain("Would rewrite");
    expect(snapshot(repo)).toEqual(before);
  });

  it("--yes leaves code that parses, a 0600 .env with the values, .env ignored, and a clean scan", () => {
    const repo = sampleProject();
    const result = runCli(["fix", "--yes"], { cwd: repo.dir });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Rewrote 1\d secret\(s\) in 7 file\(s\)\.$/m);

    // Each file reads its language's environment.
    const read = (path: string) => readFileSync(join(repo.dir, path), "utf8");
    expect(read("src/client.js")).toContain("apiKey: process.env.OPENAI_API_KEY }");
    expect(read("src/github.ts")).toContain("authorization: `token ${process.env.GITHUB_TOKEN}`");
    expect(read("src/github.ts")).toContain("const stripeKey = process.env.STRIPE_SECRET_KEY;");
    expect(read("app/main.py")).toMatch(/^import os\nimport sys\n/m);
    expect(read("app/main.py")).toContain('OPENAI_KEY = os.environ["OPENAI_API_KEY"]');
    expect(read("deploy.sh")).toContain(`export OPENAI_API_KEY="\${OPENAI_API_KEY}"`);
    expect(read("deploy.sh")).toContain(`'Authorization: token '"\${GITHUB_TOKEN}"''`);
    expect(read("compose.yaml")).toContain("OPENAI_API_KEY: ${OPENAI_API_KEY}");
    expect(read("Dockerfile")).toBe(`FROM node:20\nARG OPENAI_API_KEY\nENV OPENAI_API_KEY="\${OPENAI_API_KEY}"\nRUN echo built\n`);
    expect(read("cmd/main.go")).toContain('var githubToken = os.Getenv("GITHUB_TOKEN")');
    expect(read("cmd/main.go")).toContain('\t"os"\n');

    // ...and still parses, by each language's own tool.
    const clean = { status: 0, output: "" };
    expect(passes(process.execPath, ["--check", join(repo.dir, "src/client.js")], repo.dir)).toEqual(clean);
    expect(passes(TSC, ["--noEmit", "--strict", "--types", "node", "--typeRoots", TYPE_ROOTS, join(repo.dir, "src/github.ts")], repo.dir)).toEqual(clean);
    if (has("python3")) expect(passes("python3", ["-m", "py_compile", join(repo.dir, "app/main.py")], repo.dir)).toEqual(clean);
    expect(passes("bash", ["-n", join(repo.dir, "deploy.sh")], repo.dir)).toEqual(clean);
    expect(parseAllDocuments(read("compose.yaml")).flatMap((document) => ("errors" in document ? document.errors : []))).toEqual([]);
    if (has("gofmt")) expect(passes("gofmt", ["-e", "-l", join(repo.dir, "cmd/main.go")], repo.dir)).toEqual(clean);

    // The values are in a private .env that git ignores.
    const env = readFileSync(join(repo.dir, ".env"), "utf8");
    expect(statSync(join(repo.dir, ".env")).mode & 0o777).toBe(0o600);
    expect(env).toContain(`OPENAI_API_KEY=${OPENAI}\n`);
    expect(env).toContain(`GITHUB_TOKEN=${GITHUB}\n`);
    expect(env).toContain(`STRIPE_SECRET_KEY=${STRIPE}\n`);
    expect(env.split("\n").filter((line) => line.startsWith("OPENAI_API_KEY="))).toHaveLength(1);
    expect(repo.git("check-ignore", ".env")).toBe(".env\n");

    // What git tracks (with the fix committed) is clean.
    repo.add(".");
    expect(repo.git("ls-files")).not.toContain(".env\n");
    const scan = runCli(["scan"], { cwd: repo.dir });
    expect(scan.stdout).toContain("No secrets found.");
    expect(scan.code).toBe(0);
  });

  it("a second run changes nothing", () => {
    const repo = sampleProject();
    expect(runCli(["fix", "--yes"], { cwd: repo.dir }).code).toBe(0);
    const after = snapshot(repo);
    const again = runCli(["fix", "--yes"], { cwd: repo.dir });
    expect(again.stdout).toContain("Nothing to fix");
    expect(again.code).toBe(0);
    expect(snapshot(repo)).toEqual(after);
  });

  it("reuses a value already in .env, keeps its other lines, and never gives a taken name another value", () => {
    const repo = sampleProject();
    const other = openaiProjectKey(2299);
    repo.write(".gitignore", ".env\n");
    repo.write(".env", `# mine\nOPENAI_API_KEY=${other}\nGITHUB_TOKEN=${GITHUB}`);
    repo.write(".env.example", "PORT=\n");
    expect(runCli(["fix", "--yes", "src/client.js", "cmd/main.go"], { cwd: repo.dir }).code).toBe(0);
    expect(readFileSync(join(repo.dir, ".env"), "utf8")).toBe(`# mine\nOPENAI_API_KEY=${other}\nGITHUB_TOKEN=${GITHUB}\nOPENAI_API_KEY_2=${OPENAI}\n`);
    expect(readFileSync(join(repo.dir, "src/client.js"), "utf8")).toContain("process.env.OPENAI_API_KEY_2");
    expect(readFileSync(join(repo.dir, "cmd/main.go"), "utf8")).toContain('os.Getenv("GITHUB_TOKEN")');
    expect(readFileSync(join(repo.dir, ".env.example"), "utf8")).toBe("PORT=\nOPENAI_API_KEY_2=\nGITHUB_TOKEN=\n");
    // Only the paths given were fixed.
    expect(readFileSync(join(repo.dir, "app/main.py"), "utf8")).toContain(OPENAI);
  });
});
