// A Solana key pair file through the CLI: a `.json` file that is an Ed25519 key pair and nothing else
// names nothing, so the rule that finds it (ed25519-keypair-file) runs by path (onlyPaths), in the working
// tree, in what is staged and in history; the same bytes in a text file, and an array of 64 numbers that
// is no key pair, are left. The key pairs are made at run time.
import { generateKeyPairSync } from "node:crypto";
import { expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { useTempRepos } from "../helpers/git-repo.js";

const tempRepo = useTempRepos();

/** A new key pair as solana-keygen writes it: the 32-byte seed, then its public key, as a JSON array. */
function keyPairFile(): string {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const seed = privateKey.export({ format: "der", type: "pkcs8" }).subarray(-32);
  const pub = publicKey.export({ format: "der", type: "spki" }).subarray(-32);
  return JSON.stringify([...seed, ...pub]);
}

interface Finding {
  file: string;
  ruleId: string;
  commit?: string;
}

const findings = (stdout: string): Finding[] => (JSON.parse(stdout) as { findings: Finding[] }).findings;

it("finds a key pair file in the working tree, staged and in history, and not its bytes elsewhere", () => {
  const repo = tempRepo();
  const pair = keyPairFile();
  const notAPair = JSON.stringify([...JSON.parse(pair).slice(0, 32), ...JSON.parse(keyPairFile()).slice(32)]);
  repo.write("target/deploy/escrow-keypair.json", `${pair}\n`);
  repo.write("notes.txt", pair);
  repo.write("fixtures/bytes.json", notAPair);

  const tree = runCli(["scan", ".", "-f", "json"], { cwd: repo.dir });
  expect(tree.code).toBe(1);
  expect(findings(tree.stdout).map(({ file, ruleId }) => ({ file, ruleId }))).toEqual([{ file: "target/deploy/escrow-keypair.json", ruleId: "ed25519-keypair-file" }]);

  repo.add(".");
  const staged = runCli(["staged", "-f", "json"], { cwd: repo.dir });
  expect(staged.code).toBe(1);
  expect(findings(staged.stdout).map(({ file }) => file)).toEqual(["target/deploy/escrow-keypair.json"]);

  const commit = repo.commit({ message: "add the program" });
  const history = runCli(["history", "-f", "json"], { cwd: repo.dir });
  expect(history.code).toBe(1);
  expect(findings(history.stdout).map(({ file, ruleId, commit }) => ({ file, ruleId, commit }))).toEqual([
    { file: "target/deploy/escrow-keypair.json", ruleId: "ed25519-keypair-file", commit },
  ]);
});
