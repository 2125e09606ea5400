// The bench's two big corpora, made once from the real tree (real-corpora.ts) beside it and reused:
//   big/tree/copy-N/  the plain tree five times, a line appended to every file so no content repeats
//                     (content deduplication would otherwise answer four copies of five): ~1 GB;
//   big/file/big.txt  the tree's rails and terraform sources (or its first two repositories) concatenated,
//                     over and over, to 2 GiB: one file, read window by window.
// Each is written under a temporary name and renamed when whole, so an interrupted run starts it again.
import { appendFileSync, closeSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { log } from "./measure.js";
import { filesUnder, type RealCorpora } from "./real-corpora.js";

const TREE_COPIES = 5;
const FILE_BYTES = 2 * 1024 ** 3;

export interface BigCorpora {
  treeDir: string;
  treeFiles: number;
  treeBytes: number;
  fileDir: string;
  fileBytes: number;
}

function bigTree(plainDir: string, dir: string): void {
  if (existsSync(dir)) return;
  log(`writing the 1 GB tree (${TREE_COPIES} copies of the real tree) …`);
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  const files = filesUnder(plainDir);
  for (let copy = 1; copy <= TREE_COPIES; copy++) {
    for (const file of files) {
      const to = join(partial, `copy-${copy}`, relative(plainDir, file));
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(file, to);
      appendFileSync(to, `\nbench copy ${copy}\n`);
    }
  }
  renameSync(partial, dir);
}

function bigFile(sources: string[], dir: string): void {
  const target = join(dir, "big.txt");
  if (existsSync(target)) return;
  log("writing the 2 GiB file …");
  mkdirSync(dir, { recursive: true });
  const partial = `${target}.partial`;
  const files = sources.flatMap((source) => filesUnder(source));
  const out = openSync(partial, "w");
  try {
    let written = 0;
    while (written < FILE_BYTES) {
      const before = written;
      for (const file of files) {
        const bytes = readFileSync(file).subarray(0, FILE_BYTES - written);
        written += writeSync(out, bytes);
        if (written >= FILE_BYTES) break;
      }
      if (written === before) throw new Error(`no bytes to write the big file from (${sources.join(", ")})`);
    }
  } finally {
    closeSync(out);
  }
  renameSync(partial, target);
}

/** The big corpora of `corpora`, written under `realDir/big` on first use. */
export function bigCorpora(realDir: string, corpora: RealCorpora): BigCorpora {
  const treeDir = join(realDir, "big", "tree");
  const fileDir = join(realDir, "big", "file");
  bigTree(corpora.plainDir, treeDir);
  const preferred = ["rails/rails", "hashicorp/terraform"].filter((name) => corpora.tree.some((source) => source.name === name));
  const names = preferred.length > 0 ? preferred : corpora.tree.slice(0, 2).map((source) => source.name);
  bigFile(names.map((name) => join(corpora.plainDir, name.replace("/", "+"))), fileDir);
  const treeFiles = filesUnder(treeDir);
  return {
    treeDir,
    treeFiles: treeFiles.length,
    treeBytes: treeFiles.reduce((sum, file) => sum + statSync(file).size, 0),
    fileDir,
    fileBytes: statSync(join(fileDir, "big.txt")).size,
  };
}
