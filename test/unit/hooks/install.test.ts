import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HOOK_MARKER, installHook } from "../../../src/hooks/install.js";

function tempRoot(): string {
  return mkdtempSync(join(tmpdir(), "keyscan-install-"));
}

const fallback = '"/usr/bin/node" "/src/keyscan/dist/cli.cjs"';
const command = `${fallback} staged`;

describe("installHook", () => {
  it("creates an executable git hook and is idempotent", () => {
    const root = tempRoot();
    const hooksDir = join(root, ".git", "hooks");
    const first = installHook({ root, hooksDir, fallback });
    expect(first.action).toBe("created");
    const script = readFileSync(first.file, "utf8");
    expect(script).toContain(HOOK_MARKER);
    expect(script).toContain(command);
    expect(statSync(first.file).mode & 0o111).not.toBe(0);
    expect(installHook({ root, hooksDir, fallback }).action).toBe("unchanged");
    expect(readFileSync(first.file, "utf8")).toBe(script);
  });

  it("keeps an existing git hook byte for byte and chains it", () => {
    const root = tempRoot();
    const hooksDir = join(root, ".git", "hooks");
    mkdirSync(hooksDir, { recursive: true });
    const original = "#!/bin/sh\necho original hook\nexit 0\n";
    writeFileSync(join(hooksDir, "pre-commit"), original, { mode: 0o755 });
    const result = installHook({ root, hooksDir, fallback });
    expect(result.action).toBe("chained");
    expect(readFileSync(join(hooksDir, "pre-commit.pre-keyscan"), "utf8")).toBe(original);
    expect(readFileSync(result.file, "utf8")).toContain("pre-commit.pre-keyscan");
    expect(installHook({ root, hooksDir, fallback }).action).toBe("unchanged");
  });

  it("puts keyscan first in an existing husky hook and keeps its lines", () => {
    const root = tempRoot();
    mkdirSync(join(root, ".husky"));
    writeFileSync(join(root, ".husky", "pre-commit"), "npm test\n");
    const result = installHook({ root, hooksDir: join(root, ".husky", "_"), fallback });
    expect(result.action).toBe("chained");
    expect(result.file).toBe(join(root, ".husky", "pre-commit"));
    expect(readFileSync(result.file, "utf8")).toBe(`${HOOK_MARKER}\n${command}\nnpm test\n`);
    expect(installHook({ root, hooksDir: join(root, ".husky", "_"), fallback }).action).toBe("unchanged");
  });

  it("starts keyscan from node_modules/.bin when the repository has it: by name in husky, by path in a git hook", () => {
    const husky = tempRoot();
    mkdirSync(join(husky, ".husky"));
    mkdirSync(join(husky, "node_modules", ".bin"), { recursive: true });
    writeFileSync(join(husky, "node_modules", ".bin", "keyscan"), "");
    const huskyResult = installHook({ root: husky, hooksDir: join(husky, ".husky", "_"), fallback });
    expect(readFileSync(huskyResult.file, "utf8")).toBe(`${HOOK_MARKER}\nkeyscan staged\n`);
    expect(huskyResult.notPortable).toBeUndefined();

    const plain = tempRoot();
    mkdirSync(join(plain, "node_modules", ".bin"), { recursive: true });
    writeFileSync(join(plain, "node_modules", ".bin", "keyscan"), "");
    const plainResult = installHook({ root: plain, hooksDir: join(plain, ".git", "hooks"), fallback, hookName: "pre-push" });
    expect(readFileSync(plainResult.file, "utf8")).toContain('node_modules/.bin/keyscan pre-push "$@"');
  });

  it("flags an absolute path written into a hook that is committed, and only there", () => {
    const husky = tempRoot();
    mkdirSync(join(husky, ".husky"));
    const shared = installHook({ root: husky, hooksDir: join(husky, ".husky", "_"), fallback });
    expect(shared.notPortable).toEqual({ portableLine: "keyscan staged" });
    const committedHooksPath = tempRoot();
    const githooks = installHook({ root: committedHooksPath, hooksDir: join(committedHooksPath, ".githooks"), fallback });
    expect(githooks.notPortable).toEqual({ portableLine: "node_modules/.bin/keyscan staged" });
    const local = tempRoot();
    expect(installHook({ root: local, hooksDir: join(local, ".git", "hooks"), fallback }).notPortable).toBeUndefined();
  });
});
