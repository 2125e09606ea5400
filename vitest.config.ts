import { defineConfig } from "vitest/config";

// Two projects: unit tests (test/unit/<src folder>/) run from the sources alone; end-to-end tests
// (test/e2e/) spawn the built CLI, git or worker threads, so the build runs once before them.
export default defineConfig({
  test: {
    // End-to-end tests spawn git and the built CLI; the machine has two cores.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The JSON report is what .ci/run reads for its closing "N passed, N failed" line.
    reporters: ["default", "json"],
    outputFile: { json: ".vitest-report.json" },
    projects: [
      { extends: true, test: { name: "unit", include: ["test/unit/**/*.test.ts"], globalSetup: ["test/global-tmpdir.ts"] } },
      { extends: true, test: { name: "e2e", include: ["test/e2e/**/*.test.ts"], globalSetup: ["test/global-tmpdir.ts", "test/e2e/global-setup.ts"] } },
    ],
  },
});
