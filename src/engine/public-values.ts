// Values their providers publish on purpose, meant to sit in client-side code: the generic detector does
// not report them, whatever the name they are assigned to and however random they look. Each prefix is
// listed with the documentation that says the value is public; a provider's secret of the same family
// has another prefix (Mapbox `sk.`, Stripe `sk_`/`rk_`, Supabase `sb_secret_`, PostHog `phx_`).
const PUBLIC_PREFIXES: readonly { prefix: string; source: string }[] = [
  { prefix: "pk.", source: "Mapbox, access tokens: public tokens (pk.) are for client-side use, secret tokens start with sk." },
  { prefix: "pk_live_", source: "Stripe, API keys: publishable keys identify the account in client-side code (also Clerk's)" },
  { prefix: "pk_test_", source: "Stripe, API keys: publishable test-mode keys" },
  { prefix: "sb_publishable_", source: "Supabase, API keys: publishable keys are safe to expose in a browser" },
  { prefix: "phc_", source: "PostHog, project API key: write-only, meant for the browser snippet; personal API keys start with phx_" },
];

// The Azure Storage emulator's (Azurite's) account: Microsoft publishes its key, the same on every machine, for
// local development ("Use the Azurite emulator"). A key given with that account's name is that key.
const STORAGE_EMULATOR_ACCOUNT = /devstoreaccount1/i;

/** True when the text names the Azure Storage emulator's account (a connection string's, a config block's). */
export function namesStorageEmulator(text: string): boolean {
  return STORAGE_EMULATOR_ACCOUNT.test(text);
}

/** True when the value starts with a prefix its provider documents as public. */
export function isPublishedValue(value: string): boolean {
  return PUBLIC_PREFIXES.some(({ prefix }) => value.startsWith(prefix));
}

// Search services give browsers a key of their own that can only search: Algolia's and Typesense's
// "search-only API key", the key their front-end widgets are documented to embed. A name that says
// so holds that key: `search_only_api_key`, or Algolia's with `search` in it (its dashboard calls the
// key "Search API Key"; another service's search key, Azure's or Bing's, is a secret).
const SEARCH_ONLY = /(?:^|,)search,only(?:,|$)|(?:^|,)algolia,(?:[a-z0-9]+,)*search(?:,|$)/;
// Analytics SDKs send events with a key of their own that can only add events: Segment's "write key",
// which its analytics.js snippet embeds in every page (`SEGMENT_WRITE_KEY`). What reads the data back
// (Segment's Public API token) has another name.
const ANALYTICS_WRITE_KEY = /(?:^|,)segments?,(?:[a-z0-9]+,)*write,key(?:,|$)/;

// The objects front-end search widgets are configured with, which take only that key: DocSearch's
// `docsearch({ appId, apiKey, indexName })`, Docusaurus' `themeConfig.algolia` (its documentation
// marks the apiKey "public: it is safe to commit it") and VitePress's `algolia` or
// `search: { provider: 'algolia', options }`; in a site generator's config, the same under a YAML key
// (`algolia:` in Hexo's or Jekyll themes' `_config.yml`) or a TOML table (Hugo themes' `[params.docsearch]`).
// Tools that index, and take the admin key, are configured under other names (gatsby-plugin-algolia's
// `options` has no `provider`).
const SEARCH_WIDGET_OWNER = /\b(?:algolia|docsearch)["']?\s*(?:[:=]|\(\s*)\s*$/i;
const PROVIDER_OPTIONS_OWNER = /\bprovider["']?\s*:\s*["'](?:algolia|docsearch)["'][^{}]*\boptions["']?\s*:\s*$/i;
const SEARCH_WIDGET_TABLE = /^\s*\[(?:[\w-]+\.)*(?:algolia|docsearch)\]\s*$/i;
const TOML_TABLE_HEADER = /^\s*\[[^\]]+\]\s*$/;
const INDEX_NAME_PROPERTY = /["']?\bindex_?name["']?\s*[:=]/i;
// How far from the name the object's opening brace and its `indexName` are looked for: a widget's
// configuration is a handful of lines.
const WIDGET_CONTEXT = 400;
const OWNER_CONTEXT = 160;

/**
 * True when an assignment's name says it holds a search-only key or an analytics write key, or when it is the `apiKey` of a
 * front-end search widget's configuration (see SEARCH_WIDGET_OWNER) beside an `indexName`. `words`
 * are the name's words; `nameStart` is where the name starts in `text`.
 */
export function isPublicClientKey(words: readonly string[], text: string, nameStart: number): boolean {
  if (SEARCH_ONLY.test(words.join(",")) || ANALYTICS_WRITE_KEY.test(words.join(","))) return true;
  if (words.join(" ") !== "api key") return false;
  const brace = enclosingBrace(text, nameStart);
  if (brace >= 0) {
    const owner = text.slice(Math.max(0, brace - OWNER_CONTEXT), brace);
    if (!SEARCH_WIDGET_OWNER.test(owner) && !PROVIDER_OPTIONS_OWNER.test(owner)) return false;
    return INDEX_NAME_PROPERTY.test(text.slice(brace, brace + WIDGET_CONTEXT));
  }
  const section = enclosingSection(text, nameStart);
  if (!section || !(SEARCH_WIDGET_OWNER.test(section.owner) || SEARCH_WIDGET_TABLE.test(section.owner))) return false;
  return INDEX_NAME_PROPERTY.test(text.slice(section.start, section.start + WIDGET_CONTEXT));
}

/**
 * The line that opens the YAML mapping or TOML table holding the line at `offset` (the nearest line
 * before it that is less indented, or a `[table]` header), within WIDGET_CONTEXT before it, and where
 * that section's lines start.
 */
function enclosingSection(text: string, offset: number): { owner: string; start: number } | undefined {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const indent = offset - lineStart - text.slice(lineStart, offset).trimStart().length;
  for (let end = lineStart - 1; end > 0 && lineStart - end < WIDGET_CONTEXT; ) {
    const start = text.lastIndexOf("\n", end - 1) + 1;
    const line = text.slice(start, end);
    const content = line.trimStart();
    if (content !== "" && (TOML_TABLE_HEADER.test(line) || line.length - content.length < indent)) {
      return { owner: line, start: end + 1 };
    }
    end = start - 1;
  }
  return undefined;
}

/** The offset of the `{` that opens the object holding `offset`, within WIDGET_CONTEXT before it, or -1. */
function enclosingBrace(text: string, offset: number): number {
  let depth = 0;
  for (let at = offset - 1; at >= Math.max(0, offset - WIDGET_CONTEXT); at--) {
    const char = text[at];
    if (char === "}") depth++;
    else if (char === "{") {
      if (depth === 0) return at;
      depth--;
    }
  }
  return -1;
}
