// End to end: a PKCS#12 key store under a well-known password, made by openssl, is found on every road a
// file takes (working tree, staged, history, inside an archive), whatever its name; a store under another
// password, a trust store and garbage shaped like one are not; text, JSON and SARIF reports stay valid.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MAX_MAC_ITERATIONS } from "../../src/sources/pkcs12.js";
import { runCli } from "../helpers/cli.js";
import { useTempRepos } from "../helpers/git-repo.js";
import { keyStoreMaker, randomPassword } from "../helpers/key-stores.js";
import { multitoolProblems, sarifSchemaErrors } from "../helpers/sarif.js";

const maker = keyStoreMaker();
afterAll(() => maker.remove());
const repo = useTempRepos();

const serviceAccountKey = maker.keyStore({ password: "notasecret" });
const sha256 = createHash("sha256").update(serviceAccountKey).digest("hex");

interface JsonFinding {
  ruleId: string;
  file: string;
  line: number;
  column: number;
  secret: string;
}
const findingsOf = (stdout: string): JsonFinding[] => (JSON.parse(stdout) as { findings: JsonFinding[] }).findings;

/** A repository with the GCP key store (under a name that does not say so) and its look-alikes that are no secret. */
function repoWithKeyStores(): ReturnType<typeof repo> {
  const made = repo();
  made.write("deploy/credentials.bin", serviceAccountKey);
  made.write("deploy/other.p12", maker.keyStore({ password: randomPassword() }));
  made.write("deploy/truststore.p12", maker.keyStore({ password: "changeit", certificatesOnly: true }));
  made.write("deploy/truncated.p12", serviceAccountKey.subarray(0, 200));
  made.write("deploy/too-many-rounds.p12", maker.keyStore({ password: "notasecret", iterations: MAX_MAC_ITERATIONS + 1 }));
  return made;
}

describe("PKCS#12 key stores", () => {
  it("finds the store under notasecret in the working tree, at line 1 with its SHA-256 as the secret, and nothing else", () => {
    const made = repoWithKeyStores();
    const result = runCli(["scan", ".", "--format", "json", "--no-redact", "--no-progress"], { cwd: made.dir });
    expect(result.code, result.stderr).toBe(1);
    expect(findingsOf(result.stdout)).toMatchObject([{ ruleId: "pkcs12-known-password", file: "deploy/credentials.bin", line: 1, column: 1, secret: sha256 }]);

    const text = runCli(["scan", ".", "--no-progress"], { cwd: made.dir });
    expect(text.stdout).toContain("deploy/credentials.bin:1:1");
    expect(text.stdout).toContain('well-known password "notasecret"');
    expect(text.stdout).not.toContain(sha256); // redacted by default

    const sarif = runCli(["scan", ".", "--format", "sarif", "--no-progress"], { cwd: made.dir });
    expect(sarifSchemaErrors(JSON.parse(sarif.stdout))).toEqual([]);
    expect(multitoolProblems(sarif.stdout)).toEqual([]);
  }, 60_000);

  it("finds it staged (the pre-commit hook's scan) and in history", () => {
    const made = repoWithKeyStores();
    made.add(".");
    const staged = runCli(["staged", "--format", "json", "--no-redact"], { cwd: made.dir });
    expect(staged.code, staged.stderr).toBe(1);
    expect(findingsOf(staged.stdout).map((finding) => [finding.file, finding.secret])).toEqual([["deploy/credentials.bin", sha256]]);

    made.commit();
    made.write("README.md", "no key here\n");
    made.add("README.md");
    made.commit();
    const history = runCli(["history", "--format", "json", "--no-redact", "--no-progress"], { cwd: made.dir });
    expect(history.code, history.stderr).toBe(1);
    expect(findingsOf(history.stdout).map((finding) => [finding.ruleId, finding.file, finding.secret])).toEqual([
      ["pkcs12-known-password", "deploy/credentials.bin", sha256],
    ]);
    // Its life: still in HEAD, then removed by the commit that deletes the file.
    const stateOf = (stdout: string): unknown => (JSON.parse(stdout) as { secrets: { state: string }[] }).secrets.map((secret) => secret.state);
    expect(stateOf(history.stdout)).toEqual(["present"]);
    made.git("rm", "-q", "deploy/credentials.bin");
    const removal = made.commit({ message: "remove the key" });
    const after = runCli(["history", "--format", "json", "--no-progress"], { cwd: made.dir });
    expect(stateOf(after.stdout)).toEqual(["removed"]);
    expect((JSON.parse(after.stdout) as { secrets: { removed?: { commit: string } }[] }).secrets[0]?.removed?.commit).toBe(removal);
  }, 60_000);

  it("keyscan fix leaves the key store alone and says what to do by hand", () => {
    const made = repo();
    made.write("sa.p12", serviceAccountKey);
    const result = runCli(["fix", "--yes"], { cwd: made.dir });
    expect(result.code, result.stderr).toBe(1); // a secret left to fix by hand
    expect(result.stdout).toContain("sa.p12:1:1: by hand (pkcs12-known-password): the file itself is the secret");
    expect(readFileSync(join(made.dir, "sa.p12")).equals(serviceAccountKey)).toBe(true);
  });

  it("finds it inside an archive", () => {
    const made = repo();
    made.write("pkg/keys/service-account.p12", serviceAccountKey);
    execFileSync("tar", ["-czf", "release.tgz", "pkg"], { cwd: made.dir });
    const result = runCli(["scan", "release.tgz", "--format", "json", "--no-redact", "--no-progress"], { cwd: made.dir });
    expect(findingsOf(result.stdout).map((finding) => [finding.file, finding.secret])).toEqual([["release.tgz!pkg/keys/service-account.p12", sha256]]);
  });
});
