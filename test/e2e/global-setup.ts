// End-to-end tests run the bundled CLI, as users do: build it once before any test file runs.
import { execFileSync } from "node:child_process";

export default function setup(): void {
  execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
}
