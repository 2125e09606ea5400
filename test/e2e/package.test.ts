// End-to-end: the npm package as users get it. A copy of this checkout (what a clone holds) is packed
// with `npm pack`, whose prepack script builds dist/ there; the tarball is installed with no network
// into a throw-away project, which runs `npx keyscan` and imports the library with its types.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openaiProjectKey } from "../../fixtures/fake-keys.js";
import { cliEnv } from "../helpers/cli.js";

const root = join(import.meta.dirname, "..", "..");
const packageJson = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { name: string; version: string };
const key = openaiProjectKey(1601);

/**
 * npm as a user's shell runs it: offline, with a cache of its own (nothing to fetch: the package has
 * no dependencies). Without the npm_* variables of an npm that started this test run: under
 * `npx -p node@22 …` they hold npm_config_package=node@22, and `npx keyscan` would look there.
 */
function npmEnv(work: string): NodeJS.ProcessEnv {
  const env = cliEnv();
  for (const name of Object.keys(env)) if (name.toLowerCase().startsWith("npm_")) delete env[name];
  return { ...env, npm_config_offline: "true", npm_config_cache: join(work, "npm-cache"), npm_config_update_notifier: "false" };
}

describe("the packed package, installed offline into a new project", () => {
  const work = mkdtempSync(join(tmpdir(), "keyscan-package-"));
  const clone = join(work, "clone");
  const project = join(work, "project");
  let tarball = "";
  let installWarnings = "";
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  beforeAll(() => {
    // The checkout's files (tracked, or new and not ignored), without dist/: `npm pack` must build it.
    const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" })
      .split("\0")
      .filter((file) => file !== "");
    for (const file of files) {
      mkdirSync(dirname(join(clone, file)), { recursive: true });
      cpSync(join(root, file), join(clone, file));
    }
    symlinkSync(join(root, "node_modules"), join(clone, "node_modules"));
    const packed = execFileSync("npm", ["pack", "--json", "--pack-destination", work], { cwd: clone, env: npmEnv(work), encoding: "utf8" });
    const [entry] = JSON.parse(packed.slice(packed.indexOf("["))) as { filename: string; files: { path: string }[] }[];
    if (!entry) throw new Error("npm pack listed no tarball");
    tarball = join(work, entry.filename);

    mkdirSync(project);
    writeFileSync(join(project, "package.json"), '{ "name": "consumer", "version": "1.0.0", "type": "module" }\n');
    const install = spawnSync("npm", ["install", "--no-audit", "--no-fund", tarball], { cwd: project, env: npmEnv(work), encoding: "utf8" });
    if (install.status !== 0) throw new Error(`npm install failed: ${install.stderr}`);
    installWarnings = install.stderr;
  }, 180_000);

  it("is named keyscan-cli and holds the built CLI, its code caches and the type declarations", () => {
    expect(tarball.endsWith(`${packageJson.name}-${packageJson.version}.tgz`)).toBe(true);
    expect(packageJson.name).toBe("keyscan-cli");
    const listed = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n");
    for (const file of ["dist/cli.cjs", "dist/cli-main.cjs", "dist/cli-main.cache", "dist/worker-main.cache", "dist/index.js", "dist/types/index.d.ts", "rules/openai.toml"]) {
      expect(listed).toContain(`package/${file}`);
    }
    expect(listed.some((file) => file.startsWith("package/src/") || file.startsWith("package/test/"))).toBe(false);
  });

  it("installs with no lifecycle script and no warning from npm", () => {
    const installed = JSON.parse(readFileSync(join(project, "node_modules", packageJson.name, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    expect(Object.keys(installed.scripts).filter((name) => /^(pre|post)?install$|^prepare$/.test(name))).toEqual([]);
    expect(installWarnings).not.toMatch(/warn/i);
  });

  it("runs as `npx keyscan` and `npx keyscan-cli`: --version, and a scan that finds a key", () => {
    for (const command of ["keyscan", "keyscan-cli"]) {
      const version = spawnSync("npx", [command, "--version"], { cwd: project, env: npmEnv(work), encoding: "utf8" });
      expect(version.stdout.trim()).toBe(packageJson.version);
      expect(version.status).toBe(0);
    }

    writeFileSync(join(project, "leak.env"), `OPENAI_API_KEY=${key}\n`);
    const scan = spawnSync("npx", ["keyscan", "scan", "leak.env"], { cwd: project, env: npmEnv(work), encoding: "utf8" });
    expect(scan.status).toBe(1);
    expect(scan.stdout).toContain("leak.env:1:16");
    expect(scan.stdout).toContain("openai-project-key");
    expect(scan.stdout).not.toContain(key);
  });

  it("serves the library to TypeScript (strict, no skipLibCheck) and to Node", () => {
    writeFileSync(
      join(project, "consumer.ts"),
      [
        'import { type Finding, listRules, loadRules, parseConfig, scan } from "keyscan-cli";',
        'const config = parseConfig(\'disable = ["generic-high-entropy"]\\n\', "keyscan.toml");',
        "const rules = loadRules(config);",
        `const findings: Finding[] = scan(${JSON.stringify(`OPENAI_API_KEY=${key}\n`)}, { path: "app.env", rules });`,
        "const ruleIds: string[] = findings.map((finding) => finding.ruleId);",
        "console.log(JSON.stringify({ ruleIds, line: findings[0]?.line, listed: listRules(rules).length > 0 }));",
        "",
      ].join("\n"),
    );
    writeFileSync(
      join(project, "tsconfig.json"),
      `${JSON.stringify({ compilerOptions: { module: "nodenext", target: "es2022", strict: true, skipLibCheck: false, types: [] }, files: ["consumer.ts"] })}\n`,
    );
    const tsc = spawnSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", project], { encoding: "utf8" });
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);

    // A misuse is a type error: the declarations carry real types, not `any`.
    writeFileSync(join(project, "misuse.ts"), 'import { scan } from "keyscan-cli";\nconst count: number = scan("text");\nconsole.log(count);\n');
    writeFileSync(join(project, "tsconfig.misuse.json"), `${JSON.stringify({ extends: "./tsconfig.json", compilerOptions: { noEmit: true }, files: ["misuse.ts"] })}\n`);
    const misuse = spawnSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(project, "tsconfig.misuse.json")], {
      encoding: "utf8",
    });
    expect(misuse.stdout).toContain("misuse.ts(2,7)");
    expect(misuse.status).not.toBe(0);

    const ran = execFileSync(process.execPath, [join(project, "consumer.js")], { cwd: project, encoding: "utf8" });
    expect(JSON.parse(ran)).toEqual({ ruleIds: ["openai-project-key"], line: 1, listed: true });
  });
});
