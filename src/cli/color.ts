// Whether the text report is coloured. The conventions other tools follow: NO_COLOR (any non-empty
// value) turns colour off and wins over everything; FORCE_COLOR turns it on where stdout is not a
// terminal (a CI log), unless its value is "0" or "false"; otherwise colour only on a terminal.

export interface ColorContext {
  /** False with --no-color. */
  flag: boolean;
  /** The report goes to a file (--output): never coloured. */
  toFile: boolean;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}

export function useColor({ flag, toFile, isTTY, env }: ColorContext): boolean {
  if (!flag || toFile || (env.NO_COLOR ?? "") !== "") return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force.toLowerCase() !== "false";
  return isTTY;
}
