// Throw-away git repositories in os.tmpdir() for tests: real git, isolated from the user's config.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach } from "vitest";

/** An environment without the caller's GIT_* variables (a hook's GIT_DIR would redirect every call) or global config. */
export function isolatedEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith("GIT_")) env[key] = value;
  return { ...env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", ...extra };
}

export interface CommitOptions {
  message?: string;
  author?: string;
  email?: string;
  /** ISO 8601, used for both author and committer dates. */
  date?: string;
}

export interface TempRepo {
  dir: string;
  /** Runs git in the repository and returns stdout (trailing newline kept). */
  git(...args: string[]): string;
  /** Runs git with `input` on its standard input (`hash-object --stdin`, `update-index --index-info`) and returns stdout. */
  gitWithInput(input: string, ...args: string[]): string;
  /** Writes a file (creating folders); string or bytes. */
  write(path: string, content: string | Uint8Array): void;
  add(...paths: string[]): void;
  /** Commits what is staged and returns the new commit's sha. */
  commit(options?: CommitOptions): string;
  remove(): void;
}

/** A new folder in os.tmpdir(); `git init` unless `init: false`. */
export function tempRepo(options: { init?: boolean } = {}): TempRepo {
  const dir = mkdtempSync(join(tmpdir(), "keyscan-test-"));
  const gitWithInput = (input: string, ...args: string[]): string =>
    execFileSync("git", args, { cwd: dir, env: isolatedEnv(), encoding: "utf8", input, stdio: ["pipe", "pipe", "pipe"], maxBuffer: 256 * 1024 * 1024 });
  const git = (...args: string[]): string => gitWithInput("", ...args);
  const repo: TempRepo = {
    dir,
    git,
    gitWithInput,
    write(path, content) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    },
    add(...paths) {
      git("add", "--", ...paths);
    },
    commit({ message = "commit", author = "Test Author", email = "author@example.com", date = "2024-01-02T03:04:05Z" } = {}) {
      execFileSync("git", ["-c", `user.name=${author}`, "-c", `user.email=${email}`, "commit", "-q", "--allow-empty", "-m", message], {
        cwd: dir,
        env: isolatedEnv({ GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date }),
        stdio: ["ignore", "pipe", "pipe"],
      });
      return git("rev-parse", "HEAD").trim();
    },
    remove() {
      // Tests may leave folders without permissions (unreadable-file cases): give them back first.
      execFileSync("chmod", ["-R", "u+rwx", dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  if (options.init !== false) git("init", "-q", "-b", "main");
  return repo;
}

/**
 * For a test file: a factory of temporary repositories (`init` false: a plain folder), each removed
 * after the test that made it.
 */
export function useTempRepos(): (init?: boolean) => TempRepo {
  const made: TempRepo[] = [];
  afterEach(() => {
    for (const repo of made.splice(0)) repo.remove();
  });
  return (init = true) => {
    const repo = tempRepo({ init });
    made.push(repo);
    return repo;
  };
}
