import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HOOK_MARKER, installHook } from "../../../src/hooks/install.js";

function tempRoot(): string {
  return mkdtempSync(join(tmpdir(), "keyscan-install-"));
}

const command = "keyscan staged";

describe("installHook", () => {
  it("creates an executable git hook and is idempotent", () => {
    const root = tempRoot();
    const hooksDir = join(root, ".git", "hooks");
    const first = installHook({ root, hooksDir, command });
    expect(first.action).toBe("created");
    const script = readFileSync(first.file, "utf8");
    expect(script).toContain(HOOK_MARKER);
    expect(script).toContain(command);
    expect(statSync(first.file).mode & 0o111).not.toBe(0);
    expect(installHook({ root, hooksDir, command }).action).toBe("unchanged");
    expect(readFileSync(first.file, "utf8")).toBe(script);
  });

  it("keeps an existing git hook byte for byte and chains it", () => {
    const root = tempRoot();
    const hooksDir = join(root, ".git", "hooks");
    mkdirSync(hooksDir, { recursive: true });
    const original = "#!/bin/sh\necho original hook\nexit 0\n";
    writeFileSync(join(hooksDir, "pre-commit"), original, { mode: 0o755 });
    const result = installHook({ root, hooksDir, command });
    expect(result.action).toBe("chained");
    expect(readFileSync(join(hooksDir, "pre-commit.pre-keyscan"), "utf8")).toBe(original);
    expect(readFileSync(result.file, "utf8")).toContain("pre-commit.pre-keyscan");
    expect(installHook({ root, hooksDir, command }).action).toBe("unchanged");
  });

  it("puts keyscan first in an existing husky hook and keeps its lines", () => {
    const root = tempRoot();
    mkdirSync(join(root, ".husky"));
    writeFileSync(join(root, ".husky", "pre-commit"), "npm test\n");
    const result = installHook({ root, hooksDir: join(root, ".husky", "_"), command });
    expect(result.action).toBe("chained");
    expect(result.file).toBe(join(root, ".husky", "pre-commit"));
    expect(readFileSync(result.file, "utf8")).toBe(`${HOOK_MARKER}\n${command}\nnpm test\n`);
    expect(installHook({ root, hooksDir: join(root, ".husky", "_"), command }).action).toBe("unchanged");
  });
});
