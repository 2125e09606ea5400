// The environment variable a secret moves to: the name its provider's SDKs and CLIs read by themselves
// (OPENAI_API_KEY, AWS_SECRET_ACCESS_KEY…), else the name the code already gave it, else one made from
// the rule. A name already holding another value in .env is never reused: a suffix makes a new one.

/** Rule id → the variable its provider's own tools read. Rules left out are named from the assignment. */
const RULE_ENV_NAMES: Readonly<Record<string, string>> = {
  "openai-legacy-key": "OPENAI_API_KEY",
  "openai-project-key": "OPENAI_API_KEY",
  "openai-service-account-key": "OPENAI_API_KEY",
  "openai-none-key": "OPENAI_API_KEY",
  "openai-admin-key": "OPENAI_ADMIN_KEY",
  "azure-openai-key": "AZURE_OPENAI_API_KEY",
  "anthropic-api-key": "ANTHROPIC_API_KEY",
  "anthropic-admin-key": "ANTHROPIC_ADMIN_KEY",
  "huggingface-token": "HF_TOKEN",
  "cohere-api-key": "COHERE_API_KEY",
  "mistral-api-key": "MISTRAL_API_KEY",
  "groq-api-key": "GROQ_API_KEY",
  "replicate-api-token": "REPLICATE_API_TOKEN",
  "perplexity-api-key": "PERPLEXITY_API_KEY",
  "xai-api-key": "XAI_API_KEY",
  "aws-access-key-id": "AWS_ACCESS_KEY_ID",
  "aws-secret-access-key": "AWS_SECRET_ACCESS_KEY",
  "aws-secret-access-key-named": "AWS_SECRET_ACCESS_KEY",
  "aws-session-token": "AWS_SESSION_TOKEN",
  "azure-storage-connection-string": "AZURE_STORAGE_CONNECTION_STRING",
  "heroku-api-key": "HEROKU_API_KEY",
  "heroku-legacy-api-key": "HEROKU_API_KEY",
  "digitalocean-pat": "DIGITALOCEAN_ACCESS_TOKEN",
  "cloudflare-api-token": "CLOUDFLARE_API_TOKEN",
  "cloudflare-global-api-key": "CLOUDFLARE_API_KEY",
  "vercel-token": "VERCEL_TOKEN",
  "netlify-token": "NETLIFY_AUTH_TOKEN",
  "netlify-legacy-token": "NETLIFY_AUTH_TOKEN",
  "supabase-access-token": "SUPABASE_ACCESS_TOKEN",
  "npmrc-auth": "NPM_TOKEN",
  "npm-token": "NPM_TOKEN",
  "pypi-token": "TWINE_PASSWORD",
  "rubygems-api-key": "GEM_HOST_API_KEY",
  "discord-bot-token": "DISCORD_BOT_TOKEN",
  "discord-webhook": "DISCORD_WEBHOOK_URL",
  "telegram-bot-token": "TELEGRAM_BOT_TOKEN",
  "github-ghp": "GITHUB_TOKEN",
  "github-gho": "GITHUB_TOKEN",
  "github-ghu": "GITHUB_TOKEN",
  "github-ghs": "GITHUB_TOKEN",
  "github-ghr": "GITHUB_TOKEN",
  "github-fine-grained-pat": "GITHUB_TOKEN",
  "gitlab-pat": "GITLAB_TOKEN",
  "google-api-key": "GOOGLE_API_KEY",
  "twilio-auth-token": "TWILIO_AUTH_TOKEN",
  "twilio-api-key": "TWILIO_API_KEY",
  "sendgrid-api-key": "SENDGRID_API_KEY",
  "mailgun-api-key": "MAILGUN_API_KEY",
  "datadog-api-key": "DD_API_KEY",
  "datadog-app-key": "DD_APP_KEY",
  "newrelic-license-key": "NEW_RELIC_LICENSE_KEY",
  "newrelic-user-key": "NEW_RELIC_API_KEY",
  "sentry-org-token": "SENTRY_AUTH_TOKEN",
  "sentry-user-token": "SENTRY_AUTH_TOKEN",
  "stripe-secret-key": "STRIPE_SECRET_KEY",
  "stripe-restricted-key": "STRIPE_SECRET_KEY",
  "stripe-webhook-secret": "STRIPE_WEBHOOK_SECRET",
  "shopify-access-token": "SHOPIFY_ACCESS_TOKEN",
  "linear-api-key": "LINEAR_API_KEY",
  "notion-token": "NOTION_TOKEN",
  "notion-legacy-token": "NOTION_TOKEN",
  "airtable-pat": "AIRTABLE_API_KEY",
  "postman-api-key": "POSTMAN_API_KEY",
  "okta-api-token": "OKTA_API_TOKEN",
  "slack-bot-token": "SLACK_BOT_TOKEN",
  "slack-user-token": "SLACK_USER_TOKEN",
  "slack-app-token": "SLACK_APP_TOKEN",
  "slack-webhook": "SLACK_WEBHOOK_URL",
};

/** `openaiKey`, `api-key`, `db.password` → `OPENAI_KEY`, `API_KEY`, `DB_PASSWORD`; undefined when nothing usable is left. */
export function envNameFrom(identifier: string): string | undefined {
  const name = identifier
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .toUpperCase();
  if (name === "" || /^\d/.test(name)) return undefined;
  return name;
}

/**
 * The name for a secret found by `ruleId`, on a line where it is assigned to `assignedTo` (if it is):
 * the provider's variable first (its SDK reads it with no code at all), then the assignment's name,
 * then the rule's id (`generic-high-entropy` → `GENERIC_HIGH_ENTROPY`).
 */
export function preferredEnvName(ruleId: string, assignedTo: string | undefined): string {
  const fromRule = RULE_ENV_NAMES[ruleId];
  if (fromRule) return fromRule;
  const fromAssignment = assignedTo === undefined ? undefined : envNameFrom(assignedTo);
  return fromAssignment ?? envNameFrom(ruleId) ?? "SECRET";
}

/**
 * The variables named so far: .env's and the secrets given a name in this run, by name and by value,
 * and for each preferred name the suffix its next search starts from. Names are only ever added, so a
 * suffix found taken stays taken: a file of thousands of keys that all prefer one name does not try
 * NAME_2, NAME_3… again for each.
 */
export interface EnvNames {
  byName: Map<string, string>;
  byValue: Map<string, string>;
  nextSuffix: Map<string, number>;
}

/** The names .env holds (`values`: name to value), as claimEnvName takes them. */
export function envNames(values: ReadonlyMap<string, string>): EnvNames {
  const names: EnvNames = { byName: new Map(values), byValue: new Map(), nextSuffix: new Map() };
  for (const [name, value] of values) if (!names.byValue.has(value)) names.byValue.set(value, name);
  return names;
}

/**
 * Picks the variable for `secret`: a name that already holds this very secret (so .env never gets
 * the value twice), else the preferred name when it is free, else the first free one of NAME_2,
 * NAME_3…; `names` is updated.
 */
export function claimEnvName(preferred: string, secret: string, names: EnvNames): string {
  const known = names.byValue.get(secret);
  if (known !== undefined) return known;
  for (let suffix = names.nextSuffix.get(preferred) ?? 1; ; suffix++) {
    const name = suffix === 1 ? preferred : `${preferred}_${suffix}`;
    if (names.byName.has(name)) continue;
    names.byName.set(name, secret);
    names.byValue.set(secret, name);
    names.nextSuffix.set(preferred, suffix + 1);
    return name;
  }
}
