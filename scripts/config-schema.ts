// Writes schema/keyscan.schema.json, the JSON schema of keyscan.toml, for editors (Even Better TOML /
// taplo: put `#:schema ./node_modules/keyscan-cli/schema/keyscan.schema.json` on a config's first line).
// Generated from the zod schemas that validate the config, so it cannot drift: a test regenerates it
// in memory and compares. Run: npm run schema
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as z from "zod/mini";
import { configSchema } from "../src/config/load.js";
import { schemas } from "../src/engine/schema.js";

export const schemaFile = fileURLToPath(new URL("../schema/keyscan.schema.json", import.meta.url));

/** The config schema with its [[rule]] tables typed (config.ts validates them separately, for better messages). */
export function configJsonSchema(): string {
  const full = z.extend(configSchema(), { rule: z._default(z.array(schemas().ruleSchema), []) });
  const schema = {
    ...z.toJSONSchema(full, { io: "input", target: "draft-07" }),
    title: "keyscan.toml",
    description: "keyscan configuration: disabled rules, allow lists, custom rules and verify endpoints.",
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(schemaFile, configJsonSchema());
  process.stdout.write(`wrote ${schemaFile}\n`);
}
