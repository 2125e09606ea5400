// The WebAssembly modules the sources load are what `npm run wasm` assembles from their .wat files.
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { describe, expect, it } from "vitest";
import { wasmModuleText, wasmSources } from "../../../scripts/wasm.js";

describe("generated WebAssembly modules", () => {
  it.each(wasmSources.map((source) => [relative(process.cwd(), source.watFile), source] as const))(
    "%s is assembled as it is now (run `npm run wasm` after changing it)",
    async (_name, { watFile, moduleFile }) => {
      expect(readFileSync(moduleFile, "utf8")).toBe(await wasmModuleText(watFile));
    },
  );
});
