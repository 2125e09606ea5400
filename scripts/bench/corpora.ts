// The benchmark's corpora, built once under .bench/ and reused (a `.complete` file marks a finished one):
// a working tree of real code (the text files of the project's node_modules and of the bench's peers,
// copied until 200 MB), a generated
// history of 6,000 commits, and a repository with 10 staged files. A few fake keys are planted in each
// so every scanner has something to find.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { awsKeyPair, checksummedToken, openaiProjectKey, rng } from "../../fixtures/fake-keys.js";

export const BENCH_DIR = join(import.meta.dirname, "..", "..", ".bench");
/**
 * Real code: the project's node_modules, then the peers' (secretlint and its dependencies, which were
 * among the devDependencies when the README's figures were first measured, so the corpus holds the
 * same code as then). A package in both is taken from the first.
 */
const SOURCES = [join(import.meta.dirname, "..", "..", "node_modules"), join(BENCH_DIR, "peers", "node_modules")];

const TEXT_EXTENSIONS = /\.(js|mjs|cjs|ts|mts|cts|json|md|map|txt|yml|yaml)$/;
const MAX_SOURCE_FILE = 1024 * 1024;

/** An isolated git: no global or system config, fixed identity and dates. */
export function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith("GIT_")) env[key] = value;
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_AUTHOR_NAME: "Bench",
    GIT_AUTHOR_EMAIL: "bench@example.com",
    GIT_COMMITTER_NAME: "Bench",
    GIT_COMMITTER_EMAIL: "bench@example.com",
  };
}

function git(cwd: string, args: string[], input?: string): string {
  return execFileSync("git", args, { cwd, env: gitEnv(), encoding: "utf8", input, maxBuffer: 1 << 28 });
}

/** Text files of real code, sorted so every run builds the same corpus. */
function sourceFiles(): { path: string; name: string; size: number }[] {
  const out: { path: string; name: string; size: number }[] = [];
  const names = new Set<string>();
  const walk = (source: string, dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      const name = relative(source, path);
      if (entry.isDirectory()) walk(source, path);
      else if (entry.isFile() && TEXT_EXTENSIONS.test(entry.name) && !names.has(name)) {
        const size = statSync(path).size;
        if (size > 0 && size <= MAX_SOURCE_FILE) out.push({ path, name, size });
        names.add(name);
      }
    }
  };
  for (const source of SOURCES) if (existsSync(source)) walk(source, source);
  return out;
}

/** A line of code holding a fake key, different for each seed. */
function leakLine(seed: number): string {
  const kind = seed % 3;
  if (kind === 0) return `const OPENAI_API_KEY = "${openaiProjectKey(seed)}";\n`;
  if (kind === 1) return `const token = "${checksummedToken(seed, "ghp")}";\n`;
  const aws = awsKeyPair(seed);
  return `aws_access_key_id = ${aws.id}\naws_secret_access_key = ${aws.secret}\n`;
}

function isComplete(dir: string): boolean {
  return existsSync(join(dir, ".complete"));
}

function markComplete(dir: string, summary: object): void {
  writeFileSync(join(dir, ".complete"), `${JSON.stringify(summary)}\n`);
}

export interface TreeCorpus {
  dir: string;
  bytes: number;
  files: number;
  /** Folders copy-1 … copy-N, each the same files (a fake key appended to a few, different in each). */
  copies: number;
}

/** (a) node_modules' text files copied into copy-1, copy-2, … until at least `minBytes`; a git repository with nothing committed. */
export function workingTree(minBytes = 200 * 1024 * 1024): TreeCorpus {
  const dir = join(BENCH_DIR, "tree");
  if (isComplete(dir)) {
    const built = JSON.parse(readFileSync(join(dir, ".complete"), "utf8")) as TreeCorpus;
    return { ...built, copies: readdirSync(dir).filter((name) => name.startsWith("copy-")).length };
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  git(dir, ["init", "-q"]);
  const files = sourceFiles();
  const perCopy = files.reduce((sum, file) => sum + file.size, 0);
  const copies = Math.ceil(minBytes / perCopy);
  let bytes = 0;
  let count = 0;
  for (let copy = 1; copy <= copies; copy++) {
    files.forEach((file, index) => {
      let text = readFileSync(file.path);
      // One file in a thousand gets a fake key appended.
      if (index % 1000 === 7) text = Buffer.concat([text, Buffer.from(`\n${leakLine(copy * 10_000 + index)}`)]);
      const target = join(dir, `copy-${copy}`, file.name);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, text);
      bytes += text.length;
      count++;
    });
  }
  const corpus = { dir, bytes, files: count, copies };
  markComplete(dir, corpus);
  return corpus;
}

export interface HistoryCorpus {
  dir: string;
  commits: number;
  /** Bytes of all objects, as `git count-objects` cannot say for packs: the blobs' total size. */
  blobBytes: number;
}

/**
 * (b) A history of `commits` commits built with git fast-import: 1,500 real source files, then each
 * commit edits one to three of them (replacing, inserting or deleting a few lines), sometimes adding a
 * file; a side branch and tags, so --all matters; a fake key is committed and removed now and then.
 */
export async function history(commits = 6000): Promise<HistoryCorpus> {
  const dir = join(BENCH_DIR, "history");
  if (isComplete(dir)) return JSON.parse(readFileSync(join(dir, ".complete"), "utf8")) as HistoryCorpus;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  git(dir, ["init", "-q"]);

  const random = rng(42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const pool = sourceFiles().filter((file) => file.size < 64 * 1024 && /\.(js|ts|mjs|cjs)$/.test(file.path));
  const step = Math.max(1, Math.floor(pool.length / 2000));
  const sources = pool.filter((_, index) => index % step === 0).map((file) => readFileSync(file.path, "utf8"));
  const tree = new Map<string, string[]>();
  const spare = sources.slice(1500);
  // Nested like a real project (30 packages of 10 modules), so each commit rewrites a few small trees.
  sources
    .slice(0, 1500)
    .forEach((text, index) => tree.set(`src/pkg${index % 30}/mod${index % 10}/file${index}.js`, text.split("\n")));

  const child = spawn("git", ["fast-import", "--quiet"], { cwd: dir, env: gitEnv(), stdio: ["pipe", "inherit", "inherit"] });
  const done = new Promise<void>((resolve, reject) =>
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`git fast-import exited ${code}`)))),
  );
  const write = async (text: string): Promise<void> => {
    if (!child.stdin.write(text)) await new Promise((resolve) => child.stdin.once("drain", resolve));
  };
  const data = (text: string): string => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const paths = (): string[] => [...tree.keys()];
  const leaked = new Map<string, number>();
  let time = 1_600_000_000;
  let sideStarted = false;

  for (let n = 0; n < commits; n++) {
    const onSide = n > 3000 && n % 5 === 0;
    const branch = onSide ? "refs/heads/side" : "refs/heads/main";
    const changes: string[] = [];
    const edit = (path: string, lines: string[]): void => {
      tree.set(path, lines);
      changes.push(`M 100644 inline ${path}\n${data(lines.join("\n"))}`);
    };
    if (n === 0) {
      for (const [path, lines] of tree) changes.push(`M 100644 inline ${path}\n${data(lines.join("\n"))}`);
    } else {
      const edits = 1 + Math.floor(random() * 3);
      for (let e = 0; e < edits; e++) {
        const path = pick(paths());
        const lines = [...(tree.get(path) ?? [])];
        const at = Math.floor(random() * lines.length);
        const action = random();
        if (action < 0.4) lines.splice(at, 1, `// edit ${n}.${e}: ${lines[at] ?? ""}`);
        else if (action < 0.8) lines.splice(at, 0, `const value${n}_${e} = compute(${n}, ${e});`);
        else lines.splice(at, 2);
        edit(path, lines);
      }
      if (n % 40 === 0 && spare.length > 0) edit(`src/pkg${n % 30}/added/file${n}.js`, (spare.pop() ?? "").split("\n"));
      // Every 500th commit leaks a key; 10 commits later it is taken out again.
      if (n % 500 === 250) {
        const path = pick(paths());
        leaked.set(path, n);
        edit(path, [...(tree.get(path) ?? []), ...leakLine(n).trimEnd().split("\n")]);
      }
      for (const [path, since] of leaked) {
        if (n === since + 10) {
          leaked.delete(path);
          const lines = (tree.get(path) ?? []).filter((line) => !/KEY|token|aws_/.test(line));
          edit(path, lines);
        }
      }
    }
    time += 600;
    // The side branch starts from main at its first commit.
    const from = onSide && !sideStarted ? "from refs/heads/main\n" : "";
    if (onSide) sideStarted = true;
    await write(
      `commit ${branch}\nauthor Bench <bench@example.com> ${time} +0000\ncommitter Bench <bench@example.com> ${time} +0000\n` +
        `${data(`commit ${n}`)}${from}${changes.join("")}`,
    );
    if (n % 1000 === 999) await write(`reset refs/tags/v${(n + 1) / 1000}\nfrom ${branch}\n\n`);
  }
  child.stdin.end();
  await done;
  git(dir, ["checkout", "-q", "main"]);
  const blobBytes = Number(
    git(dir, ["cat-file", "--batch-all-objects", "--batch-check=%(objecttype) %(objectsize)"])
      .split("\n")
      .filter((line) => line.startsWith("blob "))
      .reduce((sum, line) => sum + Number(line.split(" ")[1]), 0),
  );
  const corpus = { dir, commits, blobBytes };
  markComplete(dir, corpus);
  return corpus;
}

export interface StagedCorpus {
  dir: string;
  files: number;
  bytes: number;
}

/** (c) A repository of 200 committed files, 10 of them changed and staged (one with a fake key). */
export function staged(): StagedCorpus {
  const dir = join(BENCH_DIR, "staged");
  if (isComplete(dir)) return JSON.parse(readFileSync(join(dir, ".complete"), "utf8")) as StagedCorpus;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  git(dir, ["init", "-q"]);
  const sources = sourceFiles()
    .filter((file) => file.size < 32 * 1024 && file.path.endsWith(".js"))
    .slice(0, 200);
  sources.forEach((file, index) => writeFileSync(join(dir, `file${index}.js`), readFileSync(file.path)));
  git(dir, ["add", "."]);
  git(dir, ["commit", "-q", "-m", "base"]);
  let bytes = 0;
  for (let index = 0; index < 10; index++) {
    const path = join(dir, `file${index * 20}.js`);
    const extra = index === 3 ? leakLine(3) : `export const changed${index} = ${index};\n`;
    const text = `${readFileSync(path, "utf8")}\n${extra}`;
    writeFileSync(path, text);
    bytes += Buffer.byteLength(text);
  }
  git(dir, ["add", "."]);
  const corpus = { dir, files: 10, bytes };
  markComplete(dir, corpus);
  return corpus;
}
