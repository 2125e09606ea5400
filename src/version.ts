import packageJson from "../package.json" with { type: "json" };

export const VERSION: string = packageJson.version;

/** The name on npm (`npx keyscan-cli`); the command it installs is `keyscan`. */
export const PACKAGE_NAME: string = packageJson.name;
