// End to end: keys a bundler ships to the browser. A real esbuild build (minified, with a source map) is scanned
// and each finding mapped back to its source; git-ignored build output is scanned with --include-build; a key in a
// variable with a public prefix (VITE_, NEXT_PUBLIC_, …) is reported as exposed to the browser, one severity up.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { openaiProjectKey } from "../../fixtures/fake-keys.js";
import { runCli } from "../helpers/cli.js";
import { useTempRepos } from "../helpers/git-repo.js";
import { multitoolProblems, sarifSchemaErrors } from "../helpers/sarif.js";

const newRepo = useTempRepos();
const esbuild = fileURLToPath(new URL("../../node_modules/.bin/esbuild", import.meta.url));
const key = openaiProjectKey(801);

interface JsonFinding {
  file: string;
  line: number;
  severity: string;
  exposure?: string;
  notes?: string[];
  original?: { file: string; line: number; column: number };
}
const findingsOf = (stdout: string) => (JSON.parse(stdout) as { findings: JsonFinding[] }).findings;

describe("built bundles", () => {
  it("finds a key in minified output and names the source line through the source map; ignored output needs --include-build", () => {
    const repo = newRepo();
    repo.write("src/util.ts", "export const pad = (text: string) => text.padStart(4);\n");
    repo.write("src/app.ts", `import { pad } from "./util";\n\nexport function client() {\n  const apiKey = "${key}";\n  return pad(apiKey);\n}\n`);
    repo.write(".gitignore", "dist/\n");
    repo.add("src/util.ts", "src/app.ts", ".gitignore");
    repo.commit();
    execFileSync(esbuild, ["src/app.ts", "--bundle", "--minify", "--sourcemap", "--format=esm", "--outfile=dist/app.js", "--log-level=warning"], { cwd: repo.dir });

    const plain = findingsOf(runCli(["scan", "--format", "json", "--no-progress"], { cwd: repo.dir }).stdout);
    expect(plain.map((finding) => finding.file)).toEqual(["src/app.ts"]);

    const withBuild = findingsOf(runCli(["scan", "--include-build", "--format", "json", "--no-progress"], { cwd: repo.dir }).stdout);
    const bundled = withBuild.find((finding) => finding.file === "dist/app.js");
    expect(bundled?.line).toBe(1);
    expect(bundled?.original).toMatchObject({ file: "src/app.ts", line: 4 });
    // The map's sourcesContent carries the key too: it is served beside the bundle.
    expect(withBuild.map((finding) => finding.file).sort()).toEqual(["dist/app.js", "dist/app.js.map", "src/app.ts"]);

    const sarifText = runCli(["scan", "dist/app.js", "--format", "sarif", "--no-progress"], { cwd: repo.dir }).stdout;
    const sarif = JSON.parse(sarifText);
    const result = sarif.runs[0].results[0];
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe("dist/app.js");
    expect(result.message.text).toMatch(/Built from src\/app\.ts:4:\d+\./);
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    expect(multitoolProblems(sarifText).filter((problem) => problem.startsWith("error"))).toEqual([]);

    const text = runCli(["scan", "dist/app.js", "--no-progress"], { cwd: repo.dir }).stdout;
    expect(text).toMatch(/source {6}src\/app\.ts:4:\d+ \(through the source map\)/);
  });
});

describe("public-prefix variables", () => {
  it("marks a key the bundler inlines (.env, vite.config define, next.config env, an env read's default) and leaves others", () => {
    const repo = newRepo(false);
    repo.write(".env.production", `VITE_OPENAI_API_KEY=${key}\nOPENAI_API_KEY=${key}\n`);
    repo.write("vite.config.ts", `export default { define: { "import.meta.env.VITE_AI_KEY": JSON.stringify("${key}") } };\n`);
    repo.write("next.config.js", `module.exports = { env: { NEXT_PUBLIC_OPENAI_KEY: "${key}" } };\n`);
    repo.write("src/client.js", `const a = process.env.REACT_APP_OPENAI ?? "${key}";\nconst b = process.env.OPENAI_KEY || "${key}";\n`);
    const findings = findingsOf(runCli(["scan", ".", "--format", "json", "--no-progress"], { cwd: repo.dir }).stdout);
    const exposed = findings.filter((finding) => finding.exposure === "browser").map((finding) => `${finding.file}:${finding.line}`);
    expect(exposed.sort()).toEqual([".env.production:1", "next.config.js:1", "src/client.js:1", "vite.config.ts:1"]);
    expect(findings.filter((finding) => !finding.exposure).map((finding) => `${finding.file}:${finding.line}`).sort()).toEqual([
      ".env.production:2",
      "src/client.js:2",
    ]);
    expect(findings.find((finding) => finding.file === "next.config.js")?.notes).toEqual([
      "Next.js inlines every NEXT_PUBLIC_ variable (here NEXT_PUBLIC_OPENAI_KEY) into the JavaScript it builds",
    ]);
    const text = runCli(["scan", ".env.production", "--no-progress"], { cwd: repo.dir }).stdout;
    expect(text).toContain("the key will be in every visitor's browser once the site deploys");
  });
});
