import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createPathChanges } from "../../../src/sources/path-changes.js";

/** A made-up commit id of the given length in hex (40: SHA-1, 64: SHA-256). */
const id = (name: string, hexLength = 40): string => createHash("sha256").update(name).digest("hex").slice(0, hexLength);

describe("createPathChanges", () => {
  it("lists HEAD's commits that changed the paths, in the walk's order, with their parents", () => {
    const changes = createPathChanges();
    changes.addCommit(id("a"), []);
    changes.addChange(".env");
    changes.addChange("README.md");
    changes.addCommit(id("b"), [id("a")]);
    changes.addChange("README.md");
    changes.addCommit(id("c"), [id("b")]);
    changes.addChange("config/.env");
    changes.addChange(".env");
    const touching = changes.touching(id("c"), new Set([".env", "config/.env"]));
    expect(touching).toEqual([
      { sha: id("a"), parents: [], paths: new Set([".env"]) },
      { sha: id("c"), parents: [id("b")], paths: new Set([".env", "config/.env"]) },
    ]);
  });

  it("leaves out commits HEAD cannot reach, and follows every parent of a merge", () => {
    const changes = createPathChanges();
    changes.addCommit(id("root"), []);
    changes.addCommit(id("side"), [id("root")]);
    changes.addChange(".env");
    changes.addCommit(id("other-branch"), [id("root")]);
    changes.addChange(".env");
    changes.addCommit(id("main"), [id("root")]);
    changes.addCommit(id("merge"), [id("main"), id("side")]);
    const touching = changes.touching(id("merge"), new Set([".env"]));
    expect(touching?.map((commit) => commit.sha)).toEqual([id("side")]);
    // From the other branch's tip, only its own commit.
    expect(changes.touching(id("other-branch"), new Set([".env"]))?.map((commit) => commit.sha)).toEqual([id("other-branch")]);
  });

  it("cannot tell for a HEAD the walk did not see", () => {
    const changes = createPathChanges();
    changes.addCommit(id("a"), []);
    changes.addChange(".env");
    expect(changes.touching(id("elsewhere"), new Set([".env"]))).toBeUndefined();
    expect(createPathChanges().touching(id("a"), new Set([".env"]))).toBeUndefined();
  });

  it("takes SHA-256 ids, and a parent beyond a shallow clone's depth ends the line", () => {
    const changes = createPathChanges();
    changes.addCommit(id("first", 64), [id("not-fetched", 64)]);
    changes.addChange("key.pem");
    changes.addCommit(id("second", 64), [id("first", 64)]);
    changes.addChange("key.pem");
    expect(changes.touching(id("second", 64), new Set(["key.pem"]))?.map((commit) => commit.sha)).toEqual([id("first", 64), id("second", 64)]);
  });

  it("drops the record once it outgrows its bound, and then cannot tell", () => {
    const record = (maxBytes: number) => {
      const changes = createPathChanges(maxBytes);
      for (let commit = 0; commit < 1000; commit++) {
        changes.addCommit(id(`c${commit}`), commit === 0 ? [] : [id(`c${commit - 1}`)]);
        changes.addChange("secrets.env");
      }
      return changes.touching(id("c999"), new Set(["secrets.env"]));
    };
    // 1,000 commits of one parent and one change: ~52 KB.
    expect(record(64 * 1024)).toHaveLength(1000);
    expect(record(32 * 1024)).toBeUndefined();
  });

  it("holds thousands of commits and finds the few that changed a path", () => {
    const changes = createPathChanges();
    for (let commit = 0; commit < 5000; commit++) {
      changes.addCommit(id(`c${commit}`), commit === 0 ? [] : [id(`c${commit - 1}`)]);
      changes.addChange(`src/file-${commit % 97}.ts`);
      if (commit % 1000 === 0) changes.addChange("secrets.env");
    }
    const touching = changes.touching(id("c4999"), new Set(["secrets.env"]));
    expect(touching?.map((commit) => commit.sha)).toEqual([0, 1000, 2000, 3000, 4000].map((commit) => id(`c${commit}`)));
    expect(touching?.[1]?.parents).toEqual([id("c999")]);
  });
});
