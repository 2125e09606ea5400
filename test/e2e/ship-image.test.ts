// End to end: container images written without a daemon by real tools (tar, gzip, sha256sum), in `docker save`'s
// layout and in the OCI image layout; a key in a file a later layer deletes is still reported, with a note.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checksummedToken, openaiProjectKey } from "../../fixtures/fake-keys.js";
import { runCli } from "../helpers/cli.js";
import { multitoolProblems, sarifSchemaErrors } from "../helpers/sarif.js";

let dir: string;
const key = openaiProjectKey(701);
const token = checksummedToken(702, "ghp");
const sh = (command: string, cwd = dir) => execFileSync("bash", ["-c", command], { cwd, encoding: "utf8" });
const sha256 = (file: string) => sh(`sha256sum ${file}`).split(" ")[0] as string;
interface Report {
  findings: { file: string; notes?: string[] }[];
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "keyscan-image-"));
  // Layer 1 writes a key into /app/.env; layer 2 deletes it (a whiteout) and adds a config with a token.
  mkdirSync(join(dir, "l1/app"), { recursive: true });
  writeFileSync(join(dir, "l1/app/.env"), `OPENAI_API_KEY=${key}\n`);
  writeFileSync(join(dir, "l1/app/README"), "an app\n");
  mkdirSync(join(dir, "l2/app/etc"), { recursive: true });
  writeFileSync(join(dir, "l2/app/.wh..env"), "");
  writeFileSync(join(dir, "l2/app/etc/config.yml"), `github_token: ${token}\n`);
  sh("tar -C l1 -cf layer1.tar . && tar -C l2 -cf layer2.tar .");

  // docker save (before Docker 25): <id>/layer.tar and a manifest.json listing them bottom first.
  const ids = [sha256("layer1.tar"), sha256("layer2.tar")];
  mkdirSync(join(dir, "save", ids[0] as string), { recursive: true });
  mkdirSync(join(dir, "save", ids[1] as string), { recursive: true });
  sh(`cp layer1.tar save/${ids[0]}/layer.tar && cp layer2.tar save/${ids[1]}/layer.tar`);
  writeFileSync(join(dir, "save/config.json"), JSON.stringify({ architecture: "amd64", os: "linux", rootfs: { type: "layers", diff_ids: ids.map((id) => `sha256:${id}`) } }));
  writeFileSync(
    join(dir, "save/manifest.json"),
    JSON.stringify([{ Config: "config.json", RepoTags: ["acme/app:1"], Layers: ids.map((id) => `${id}/layer.tar`) }]),
  );
  sh("tar -C save -cf docker-save.tar .");

  // OCI image layout: gzipped layers and the manifest as content-addressed blobs, index.json at the top.
  mkdirSync(join(dir, "oci/blobs/sha256"), { recursive: true });
  const layers = ["layer1.tar", "layer2.tar"].map((tar) => {
    sh(`gzip -n -c ${tar} > ${tar}.gz`);
    const digest = sha256(`${tar}.gz`);
    sh(`cp ${tar}.gz oci/blobs/sha256/${digest}`);
    return { mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: `sha256:${digest}`, size: Number(sh(`stat -c %s ${tar}.gz`)) };
  });
  writeFileSync(join(dir, "oci-config.json"), JSON.stringify({ architecture: "amd64", os: "linux" }));
  const configDigest = sha256("oci-config.json");
  sh(`cp oci-config.json oci/blobs/sha256/${configDigest}`);
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: `sha256:${configDigest}`, size: 40 },
    layers,
  });
  writeFileSync(join(dir, "manifest.json"), manifest);
  const manifestDigest = sha256("manifest.json");
  sh(`cp manifest.json oci/blobs/sha256/${manifestDigest}`);
  writeFileSync(join(dir, "oci/oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  writeFileSync(
    join(dir, "oci/index.json"),
    JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: "application/vnd.oci.image.manifest.v1+json", digest: `sha256:${manifestDigest}`, size: manifest.length }] }),
  );
  sh("tar -C oci -cf oci.tar .");
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("keyscan image", () => {
  for (const [layout, file] of [
    ["docker save", "docker-save.tar"],
    ["OCI layout", "oci.tar"],
  ] as const) {
    it(`reads a ${layout} tarball layer by layer, and notes a key a later layer deletes`, () => {
      const result = runCli(["image", file, "--format", "json", "--no-progress"], { cwd: dir });
      expect(result.code, result.stderr).toBe(1);
      const findings = (JSON.parse(result.stdout) as Report).findings;
      expect(findings.map((finding) => finding.file.replace(/^layer [0-9a-f]{12}:/, "layer *:")).sort()).toEqual([
        "layer *:/app/.env",
        "layer *:/app/etc/config.yml",
      ]);
      const deleted = findings.find((finding) => finding.file.endsWith(":/app/.env"));
      expect(deleted?.notes?.[0]).toMatch(/^deleted by a later layer \([0-9a-f]{12}\), but still in the image/);
      expect(findings.find((finding) => finding.file.endsWith("config.yml"))?.notes).toBeUndefined();
    });
  }

  it("writes SARIF with the layer and path in the location, valid for GitHub", () => {
    const result = runCli(["image", "oci.tar", "--format", "sarif", "--no-progress"], { cwd: dir });
    const sarif = JSON.parse(result.stdout);
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    expect(multitoolProblems(result.stdout).filter((problem) => problem.startsWith("error"))).toEqual([]);
    const uris: string[] = sarif.runs[0].results.map((result: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => result.locations[0]?.physicalLocation.artifactLocation.uri);
    // The layer and the path, as a URI reference (the space and colon escaped).
    expect(uris.some((uri) => /^layer%20[0-9a-f]{12}%3A\/app\/etc\/config\.yml$/.test(uri))).toBe(true);
  });

  it("refuses a tarball that is not an image, in one sentence (exit code 2)", () => {
    const result = runCli(["image", "layer1.tar", "--no-progress"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("keyscan: image: layer1.tar has neither a docker save manifest.json nor an OCI index.json\n");
    expect(runCli(["image", "missing.tar"], { cwd: dir }).stderr).toBe("keyscan: image: cannot open missing.tar (ENOENT)\n");
  });
});
