// End to end: `keyscan history` on a real repository whose keys were introduced, copied, removed and (for
// one) verified live against a stand-in on 127.0.0.1; the grouped text and JSON views; and the HTML page
// opened in Debian's Chromium (playwright-core drives it): timeline, filters, states, escaping, no request
// leaving the page, readable without JavaScript, and a screenshot that is not blank.
import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checksummedToken, openaiProjectKey } from "../../fixtures/fake-keys.js";
import { CLI, cliEnv } from "../helpers/cli.js";
import { fakeCredential, type StandIn, standIns, startStandIn } from "../helpers/fake-providers.js";
import { type TempRepo, tempRepo } from "../helpers/git-repo.js";

const run = promisify(execFile);

/** Runs the CLI without blocking this process, which serves the stand-in. */
async function keyscan(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { cwd, env: cliEnv(), maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

const live = fakeCredential("openai", 301).secret; // S1: introduced by Alice, removed by Bob, live
const copied = checksummedToken(302, "ghp"); // S2: introduced by Bob, copied by Carol, still in HEAD
const hostile = openaiProjectKey(303); // S3: in a file whose name is markup
const HOSTILE_NAME = "<img src=x onerror=alert(1)>.txt";

let repo: TempRepo;
let outside: string;
let server: StandIn;
let browser: Browser;
const commits: Record<string, string> = {};
interface JsonSecret {
  id: string;
  ruleId: string;
  state: string;
  secret: string;
  introduced?: { commit: string; author: string };
  removed?: { commit: string; author: string };
  locations: { file: string; commit?: string }[];
  verification?: { status: string };
}
let report: { secrets: JsonSecret[]; findings: unknown[]; repository?: { name: string; url?: string } };
let htmlFile: string;

beforeAll(async () => {
  server = await startStandIn(standIns.openai?.answer({ secret: live }) ?? (() => ({})));
  outside = mkdtempSync(join(tmpdir(), "keyscan-html-"));
  // Endpoint overrides come from a config the user names, outside the scanned repository.
  writeFileSync(join(outside, "verify.toml"), `[verify.endpoints]\nopenai = "${server.url}"\n`);
  repo = tempRepo();
  repo.git("remote", "add", "origin", "git@github.com:acme/widgets.git");
  repo.write("config.js", `export const key = "${live}";\n`);
  repo.add("config.js");
  commits.first = repo.commit({ author: "Alice", email: "alice@example.com", date: "2024-01-05T10:00:00Z", message: "config" });
  repo.write(".env.production", `GITHUB_TOKEN=${copied}\n`);
  repo.add(".env.production");
  commits.second = repo.commit({ author: "Bob", email: "bob@example.com", date: "2024-02-10T10:00:00Z", message: "env" });
  repo.write("config.js", "export const key = process.env.OPENAI_API_KEY;\n");
  repo.add("config.js");
  commits.removal = repo.commit({ author: "Bob", email: "bob@example.com", date: "2024-03-15T10:00:00Z", message: "use the environment" });
  repo.write("deploy/settings.py", `TOKEN = "${copied}"\n`);
  repo.add("deploy/settings.py");
  commits.copy = repo.commit({ author: "Carol", email: "carol@example.com", date: "2024-04-20T10:00:00Z", message: "deploy" });
  repo.write(HOSTILE_NAME, `key: ${hostile}\n`);
  repo.add(HOSTILE_NAME);
  commits.hostile = repo.commit({ author: "<script>alert(2)</script>", email: "x@example.com", date: "2024-05-01T10:00:00Z", message: "<b>hi</b>" });

  const json = await keyscan(["history", "--format", "json", "--no-progress", "--verify", "--config", join(outside, "verify.toml")], repo.dir);
  expect(json.code, json.stderr).toBe(1);
  report = JSON.parse(json.stdout);
  htmlFile = join(outside, "report.html");
  const html = await keyscan(
    ["history", "--format", "html", "-o", htmlFile, "--no-progress", "--verify", "--config", join(outside, "verify.toml")],
    repo.dir,
  );
  expect(html.code, html.stderr).toBe(1);
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    // No sandbox as root; no background traffic (this machine has no network, and the test counts requests).
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  repo?.remove();
  if (outside) rmSync(outside, { recursive: true, force: true });
});

const byState = (state: string) => report.secrets.filter((secret) => secret.state === state);

describe("history findings grouped by secret", () => {
  it("gives one entry a secret, with every commit and path it appeared in", () => {
    expect(report.secrets).toHaveLength(3);
    expect(report.findings.length).toBe(4);
    const copiedEntry = report.secrets.find((secret) => secret.locations.some((location) => location.file === "deploy/settings.py"));
    expect(copiedEntry?.locations.map((location) => [location.file, location.commit])).toEqual([
      [".env.production", commits.second],
      ["deploy/settings.py", commits.copy],
    ]);
    expect(copiedEntry?.introduced).toMatchObject({ commit: commits.second, author: "Bob" });
  });

  it("tells a key still in HEAD from one removed but still in history, and names the removing commit", () => {
    expect(byState("present")).toHaveLength(2);
    const [removed] = byState("removed");
    expect(removed?.introduced).toMatchObject({ commit: commits.first, author: "Alice" });
    expect(removed?.removed).toMatchObject({ commit: commits.removal, author: "Bob" });
    expect(removed?.verification?.status).toBe("valid");
  });

  it("names the repository's web page from its origin remote", () => {
    expect(report.repository).toEqual({ name: "acme/widgets", url: "https://github.com/acme/widgets" });
  });

  it("prints the grouped view in text, and counts secrets in the summary", async () => {
    const text = await keyscan(["history", "--no-progress"], repo.dir);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^S1 {2}CRITICAL/m);
    expect(text.stdout).toContain("removed, still in history");
    expect(text.stdout).toMatch(/3 secrets \(.*\) in 4 locations; 2 still in HEAD, 1 removed but in history\.$/m);
    for (const secret of [live, copied, hostile]) expect(text.stdout).not.toContain(secret);
  });
});

describe("the HTML report in Chromium", () => {
  async function open(javaScriptEnabled = true): Promise<{ page: Page; requests: string[] }> {
    const context = await browser.newContext({ javaScriptEnabled, viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    const requests: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    await page.goto(`file://${htmlFile}`);
    return { page, requests };
  }

  it("carries no secret, and no request leaves the page", async () => {
    const html = readFileSync(htmlFile, "utf8");
    for (const secret of [live, copied, hostile]) expect(html).not.toContain(secret);
    const { page, requests } = await open();
    expect(requests).toEqual([`file://${htmlFile}`]);
    await page.context().close();
  });

  it("draws one timeline mark per introduction and one cross per removal", async () => {
    const { page } = await open();
    // S1 once, S2 twice (two commits added it), S3 once.
    expect(await page.locator("svg circle.intro").count()).toBe(4);
    expect(await page.locator("svg path.removal").count()).toBe(1);
    expect(await page.locator("svg g.life").count()).toBe(3);
    await page.context().close();
  });

  it("filters the table (and the timeline) by state, author, path and live", async () => {
    const { page } = await open();
    const visible = () => page.locator("tr.secret:visible").count();
    expect(await visible()).toBe(3);
    await page.selectOption("select[name=state]", "removed");
    expect(await visible()).toBe(1);
    expect(await page.locator("tr.secret:visible").getAttribute("data-rule")).toBe(report.secrets.find((s) => s.state === "removed")?.ruleId);
    expect(await page.locator("g.life:visible").count()).toBe(1);
    await page.selectOption("select[name=state]", "live");
    expect(await visible()).toBe(1);
    await page.selectOption("select[name=state]", "");
    await page.selectOption("select[name=author]", "Carol");
    expect(await visible()).toBe(1);
    await page.selectOption("select[name=author]", "");
    await page.fill("input[name=path]", "deploy/");
    expect(await visible()).toBe(1);
    expect(await page.locator("#shown").textContent()).toBe("showing 1 of 3");
    await page.context().close();
  });

  it("shows a hostile file name and author as text, and links commits to GitHub", async () => {
    const { page } = await open();
    expect(await page.locator("img").count()).toBe(0);
    expect(await page.locator("script").count()).toBe(1);
    await page.locator("details").last().evaluate((element) => element.setAttribute("open", ""));
    expect(await page.locator("body").innerText()).toContain(HOSTILE_NAME);
    const commitLink = page.locator(`a[href="https://github.com/acme/widgets/commit/${commits.removal}"]`);
    expect(await commitLink.count()).toBeGreaterThan(0);
    expect(await page.locator(`a[href="https://github.com/acme/widgets/blob/${commits.copy}/deploy/settings.py#L1"]`).count()).toBe(1);
    await page.context().close();
  });

  it("is readable without JavaScript: every secret listed, the filters hidden", async () => {
    const { page } = await open(false);
    expect(await page.locator("tr.secret:visible").count()).toBe(3);
    expect(await page.locator("#filters").isVisible()).toBe(false);
    expect(await page.locator(".card.state-removed b").textContent()).toBe("1");
    await page.context().close();
  });

  it("renders a page that is not blank (screenshot)", async () => {
    const { page } = await open();
    const shot = await page.screenshot({ fullPage: true });
    const blankPage = await browser.newPage();
    const blank = await blankPage.screenshot();
    await blankPage.close();
    expect(shot.length).toBeGreaterThan(blank.length * 5);
    const file = join(outside, "report.png");
    writeFileSync(file, shot);
    // `KEYSCAN_SCREENSHOT=docs/html-report.png npx vitest run test/e2e-report-html.test.ts` refreshes the README's picture.
    if (process.env.KEYSCAN_SCREENSHOT) copyFileSync(file, process.env.KEYSCAN_SCREENSHOT);
    await page.context().close();
  });

  it("says so when nothing was found, instead of an empty page", async () => {
    const clean = tempRepo();
    try {
      clean.write("README.md", "nothing here\n");
      clean.add("README.md");
      clean.commit();
      const out = join(outside, "clean.html");
      const result = await keyscan(["history", "--format", "html", "-o", out, "--no-progress"], clean.dir);
      expect(result.code).toBe(0);
      const page = await browser.newPage();
      await page.goto(`file://${out}`);
      expect(await page.locator("#summary").innerText()).toContain("No secrets were found");
      await page.close();
    } finally {
      clean.remove();
    }
  });
});
