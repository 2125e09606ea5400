import { describe, expect, it } from "vitest";
import { ALNUM, BASE64, HEX, LETTERS, LOWER_ALNUM, UPPER_ALNUM, randomString, rng } from "../../../fixtures/fake-keys.js";
import { readDefaultRuleSources } from "../../../src/config/default-rules.js";
import { classifyCharset } from "../../../src/engine/entropy.js";
import { shannonEntropy } from "../../../src/engine/randomness.js";
import { looksLikePlaceholder } from "../../../src/engine/placeholders.js";
import { compileRules, parseRuleFiles } from "../../../src/engine/rules.js";
import { createRuleset } from "../../../src/engine/ruleset.js";
import { findMatches } from "../../../src/engine/scan.js";

const ruleset = createRuleset(compileRules(parseRuleFiles(readDefaultRuleSources())));
const generic = (text: string): string[] =>
  findMatches(text, ruleset).filter((finding) => finding.ruleId === "generic-high-entropy").map((finding) => finding.secret);

describe("entropy", () => {
  it("is zero for one repeated character and log2(n) for n distinct ones", () => {
    expect(shannonEntropy("aaaaaaaa")).toBe(0);
    expect(shannonEntropy("abcd")).toBe(2);
    expect(shannonEntropy("")).toBe(0);
  });

  it("classifies hex before base64, and rejects other characters", () => {
    expect(classifyCharset("deadbeef01")).toBe("hex");
    expect(classifyCharset("AbC+/9_-==")).toBe("base64");
    expect(classifyCharset("has space")).toBeUndefined();
  });
});

describe("placeholders", () => {
  it.each([
    "${OPENAI_API_KEY}",
    "{{ .Values.token }}",
    "<your-api-key>",
    "sk-proj-xxxxxxxxxxxx",
    "your-api-key-here",
    "sk-...",
    "AKIAIOSFODNN7EXAMPLE",
    "aaaaaaaaaaaaaaaa1111",
    "abcdefghij",
    "dapiFEDCBA9876543210FEDCBA9876543210",
    "****************",
  ])("%s is a placeholder", (value) => {
    expect(looksLikePlaceholder(value)).toBe(true);
  });

  it("random keys are not placeholders", () => {
    for (let seed = 0; seed < 200; seed++) expect(looksLikePlaceholder(randomString(rng(seed), ALNUM, 40))).toBe(false);
  });
});

describe("generic detector: values in one case, 20 characters and more", () => {
  it("takes random ones of [a-z0-9] and [A-Z0-9] at every length", () => {
    for (const alphabet of [LOWER_ALNUM, UPPER_ALNUM]) {
      let found = 0;
      let tried = 0;
      for (let length = 20; length <= 60; length++) {
        for (let seed = 0; seed < 25; seed++, tried++) {
          const value = randomString(rng(length * 100 + seed), alphabet, length);
          if (generic(`api_token = "${value}"`).includes(value)) found++;
        }
      }
      // The bars let through 96% to 99% of random strings, by length.
      expect(found / tried).toBeGreaterThan(0.95);
    }
  });

  it("leaves words and identifiers with numbers in them, and short values", () => {
    const identifiers = [
      "autoconfiguredspringdataneo4j",
      "testwithmalformedutf8encoding",
      "runctmpdir1460907418",
      "20190807developmentbranch",
      "x509keystorageflagsexportable",
      "s1acpimanagementsupported",
      "WEBPACKCHUNKNAME2024MAINBUNDLE",
    ];
    for (const value of identifiers) expect(generic(`api_token = "${value}"`)).toEqual([]);
    expect(generic(`api_token = "${randomString(rng(3), LOWER_ALNUM, 19)}"`)).toEqual([]);
  });
});

describe("generic detector: values in both cases with fewer than two digits", () => {
  it("takes random keys of letters alone, or with one digit, most of the time", () => {
    let found = 0;
    let tried = 0;
    for (let length = 24; length <= 48; length++) {
      for (let seed = 0; seed < 10; seed++, tried++) {
        const letters = randomString(rng(length * 1000 + seed), LETTERS, length);
        const value = seed % 2 === 0 ? letters : `${letters.slice(0, 9)}7${letters.slice(10)}`;
        if (generic(`api_key = "${value}"`).includes(value)) found++;
      }
    }
    // Random case puts about half the letters in humps of one or two; the bar is 35%.
    expect(found / tried).toBeGreaterThan(0.5);
    const key = randomString(rng(4243), LETTERS, 38);
    expect(generic(`"youtube": {"api_key": "${key}"}`)).toEqual([key]);
  });

  it("leaves names in camel case, two-letter words and all", () => {
    const names = ["findExampleByIdOrName", "DoubleDisposeIsNoOp", "ensureSchemaIsUpToDate", "AbstractSingletonProxyFactoryBean", "ThisIsMySecretTokenValue"];
    for (const value of names) expect(generic(`api_key = "${value}"`)).toEqual([]);
  });

  it("leaves words in mixed case on purpose, and a JWT stand-in with padded parts", () => {
    expect(generic("const token = 'x-aUtHeNtIcAtIoN-tOkEn';")).toEqual([]);
    expect(generic("const apiKey = 'TH!Si$ASup3RSeCreTAP!KEy';")).toEqual([]);
    expect(generic("const token = 'eyJhbGc=.eyJzdWI=.SflKxw';")).toEqual([]);
    const key = randomString(rng(4243), LETTERS, 38);
    expect(generic(`const token = '${key}';`)).toEqual([key]);
  });
});

describe("generic detector: hex keys written with more than their digits", () => {
  it("judges `0x` and a vendor's prefix by the hex digits behind them", () => {
    const digits = randomString(rng(31), HEX, 64);
    expect(generic(`PRIVATE_KEY=0x${digits}`)).toEqual([`0x${digits}`]);
    const uuid = randomUuid(32);
    expect(generic(`ACME_API_KEY=acme-live-${uuid}`)).toEqual([`acme-live-${uuid}`]);
  });

  it("reports a random UUID under a token or secret name (npm's legacy tokens) or a service's API key, not under another name", () => {
    const uuid = randomUuid(33);
    expect(generic(`NPM_TOKEN="${uuid}"`)).toEqual([uuid]);
    expect(generic(`ORBITAL_API_KEY=${uuid}`)).toEqual([uuid]);
    expect(generic(`"acme_api_key": "${uuid}"`)).toEqual([uuid]);
    expect(generic(`jenkinsToken = "${uuid}"`)).toEqual([uuid]);
    expect(generic(`webhook_secret: ${uuid}`)).toEqual([uuid]);
    expect(generic(`api_key = "${uuid}"`)).toEqual([]);
    expect(generic(`"first_key": "${uuid}"`)).toEqual([]);
    expect(generic(`session_token_id = "${uuid}"`)).toEqual([]);
    expect(generic(`"token": "${uuid}"`)).toEqual([]);
  });

  it("leaves a UUID that is not random (time-based, version 1) and a digest behind its algorithm", () => {
    expect(generic(`api_token = "${randomUuid(33).replace(/^(.{14})4/, "$11")}"`)).toEqual([]);
    expect(generic(`deploy_token = "sha256-${randomString(rng(34), HEX, 64)}"`)).toEqual([]);
  });

  it("leaves base64 whose padding comes first: corrupted test data", () => {
    expect(generic(`"sse_customer_key": "====${randomString(rng(35), ALNUM, 40)}"`)).toEqual([]);
  });
});

describe("generic detector: names", () => {
  it("leaves error codes named after a credential", () => {
    expect(generic(`INVALID_PASSWORD_ERROR = '${randomString(rng(36), ALNUM, 32)}'`)).toEqual([]);
  });
});

/** A random (version 4) UUID from a seed. */
function randomUuid(seed: number): string {
  const hex = randomString(rng(seed), HEX, 32).split("");
  hex[12] = "4";
  hex[16] = "9";
  const text = hex.join("");
  return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`;
}

describe("generic detector: values that are not keys, from JavaScript projects", () => {
  it("leaves a label of words with little random material, and keeps a key after a vendor's words", () => {
    expect(generic("const secret = 'ISSUE-17040-TEXT-FILE-ONLY-9f31c7';")).toEqual([]);
    const key = randomString(rng(41), ALNUM, 32);
    expect(generic(`const secret = 'ACME-LIVE-KEY-${key}';`)).toEqual([`ACME-LIVE-KEY-${key}`]);
  });

  it("leaves a TypeScript type alias, and keeps a constant of the same shape", () => {
    expect(generic("export type ConnectionAccessTokenUrloAuth1 = Management.ConnectionHttpsUrlWithHttpFallback255;")).toEqual([]);
    const key = randomString(rng(42), ALNUM, 32);
    expect(generic(`export const ACCESS_TOKEN = "${key}";`)).toEqual([key]);
  });

  it("leaves the Azure Storage Emulator's account key (published, the same everywhere), and keeps another account's", () => {
    const key = `${randomString(rng(44), ALNUM, 86)}==`;
    const all = (text: string) => findMatches(text, ruleset).map((finding) => finding.ruleId);
    expect(all(`AZURE_STORAGE=DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${key};BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;`)).toEqual([]);
    expect(all(`AZURE_STORAGE=DefaultEndpointsProtocol=https;AccountName=prodstore7;AccountKey=${key};EndpointSuffix=core.windows.net`)).toEqual(["azure-storage-connection-string"]);
  });

  it("leaves base64 of a JSON object (a JWT's header alone), and keeps base64 of a random token (a Kubernetes Secret's value)", () => {
    expect(generic('token: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",')).toEqual([]);
    const random = Buffer.from(randomString(rng(43), ALNUM, 30)).toString("base64");
    expect(generic(`token: "${random}",`)).toEqual([random]);
  });
});

describe("generic detector: published and stand-in values", () => {
  it("leaves a JWT's header and claims without a signature, and a name that says the value is redacted", () => {
    expect(generic("const token = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI0MjQyIn0'")).toEqual([]);
    const key = randomString(rng(45), ALNUM, 32);
    expect(generic(`export const REDACTED_CREDENTIAL_VALUE = '${key}'`)).toEqual([]);
    expect(generic(`export const CREDENTIAL_VALUE = '${key}'`)).toEqual([key]);
  });

  it("leaves a Sentry DSN's public key, and keeps another service's key in the same query", () => {
    const key = randomString(rng(46), HEX, 32);
    expect(generic(`fetch("https://o1.ingest.sentry.io/api/4/envelope/?sentry_version=7&sentry_key=${key}&x=1")`)).toEqual([]);
    expect(generic(`fetch("https://api.example.net/v1/?mailgun_key=${key}&x=1")`)).toEqual([key]);
  });
});

describe("generic detector: a list of keys", () => {
  const first = randomString(rng(91), BASE64, 22) + "==";
  const second = randomString(rng(92), BASE64, 22) + "==";

  const inDotenv = (text: string): string[] =>
    findMatches(text, ruleset, { configFile: "dotenv" }).filter((finding) => finding.ruleId === "generic-high-entropy").map((finding) => finding.secret);

  it("judges each item of a comma-separated list alone, under a plural name too (Strapi's APP_KEYS)", () => {
    expect(inDotenv(`APP_KEYS=${first},${second}\n`).sort()).toEqual([first, second].sort());
    expect(generic(`JWT_SECRETS="${first},${second}"\n`).sort()).toEqual([first, second].sort());
  });

  it("keeps a value whole when an item is short or holds what no key does", () => {
    expect(inDotenv(`API_KEYS=${first},abc\n`)).toEqual([`${first},abc`]);
    expect(generic('static_key = "$pbkdf2-sha512$i=10000,l=32$YSBsaXR0ZSBiaXQsIGp1c3QgYSBsaXR0bGUgYml0$z6ysNworexAhDELywIDi0ba0B0T7F/MBZ6Ige9lWRYI"')).toEqual([]);
  });
});

describe("generic detector: names and values apart", () => {
  const key = randomString(rng(48), ALNUM, 40);
  it("reads a JSON object's name and value members, on one line or two", () => {
    expect(generic(`"appSettings": [{"name": "API_TOKEN", "value": "${key}"}]`)).toEqual([key]);
    expect(generic(`{ "key": "api_token", "value": "${key}", "enabled": true }`)).toEqual([key]);
    expect(generic(`{\n  "name": "API_TOKEN",\n  "value": "${key}"\n}`)).toEqual([key]);
    expect(generic(`{ "name": "API_TOKEN", "id": "${key}" }`)).toEqual([]);
  });

  it("reads a literal that black wraps in parentheses, not a call or an expression in them", () => {
    expect(generic(`SERVICE_API_TOKEN = (\n    "${key}"\n)`)).toEqual([key]);
    expect(generic(`api_token = (decrypt("${key}"))`)).toEqual([]);
    expect(generic(`api_token = ("${key}" + suffix)`)).toEqual([]);
  });
});

describe("generic detector: search-only keys", () => {
  const key = randomString(rng(47), HEX, 32);
  it("leaves the apiKey of a front-end search widget beside its indexName", () => {
    expect(generic(`themeConfig: {\n  algolia: {\n    appId: 'X1Y2Z3',\n    apiKey: '${key}',\n    indexName: 'docs',\n  },\n}`)).toEqual([]);
    expect(generic(`<script>docsearch({\n  apiKey: '${key}',\n  indexName: 'python-docs',\n})</script>`)).toEqual([]);
    expect(generic(`search: {\n  provider: 'algolia',\n  options: { appId: 'X1Y2Z3', apiKey: '${key}', indexName: 'site' },\n}`)).toEqual([]);
  });

  it("leaves the same apiKey under a site generator's YAML key or TOML table for the widget", () => {
    const yaml = (text: string): string[] => findMatches(text, ruleset, { configFile: "config" }).map((finding) => finding.secret);
    expect(yaml(`title: Docs\nalgolia:\n  appId: X1Y2Z3\n  apiKey: ${key}\n  indexName: docs\n`)).toEqual([]);
    expect(generic(`[params]\ntitle = "Docs"\n\n[params.docsearch]\nappId = "X1Y2Z3"\napiKey = "${key}"\nindexName = "docs"\n`)).toEqual([]);
    // Another section's apiKey, or the widget's section without an index: kept.
    expect(yaml(`mailer:\n  apiKey: ${key}\n  indexName: docs\n`)).toEqual([key]);
    expect(generic(`[params.newsletter]\napiKey = "${key}"\nindexName = "docs"\n`)).toEqual([key]);
    expect(generic(`[params.algolia]\napiKey = "${key}"\n`)).toEqual([key]);
  });

  it("keeps a key given to an indexing tool, to an object of no search widget, or under another name", () => {
    expect(generic(`{\n  resolve: 'gatsby-plugin-algolia',\n  options: {\n    apiKey: '${key}',\n    indexName: 'posts',\n  },\n}`)).toEqual([key]);
    expect(generic(`const settings = { apiKey: '${key}', indexName: 'posts' };`)).toEqual([key]);
    expect(generic(`algolia: {\n  adminKey: '${key}',\n  indexName: 'docs',\n}`)).toEqual([key]);
  });

  it("leaves names that say the key can only search, and keeps other services' search keys", () => {
    expect(generic(`TYPESENSE_SEARCH_ONLY_API_KEY = "${key}"`)).toEqual([]);
    expect(generic(`ALGOLIA_SEARCH_API_KEY = "${key}"`)).toEqual([]);
    expect(generic(`AZURE_SEARCH_API_KEY = "${key}"`)).toEqual([key]);
    expect(generic(`"start:dev": "cross-env CLI_SEGMENT_WRITE_KEY=${key} nodemon"`)).toEqual([]);
    expect(generic(`SEGMENT_PROFILES_API_TOKEN = "${key}"`)).toEqual([key]);
  });
});

describe("generic detector: code that reads like a value", () => {
  it("leaves a chain of names without quotes, and keeps a random key cut by a dot", () => {
    expect(generic("const isX509 = mongoOptions.credentials.mechanism === AuthMechanism.MONGODB_X509;")).toEqual([]);
    expect(generic("password: userMap.sha256.password")).toEqual([]);
    const key = `hvs.${randomString(rng(47), ALNUM, 40)}`;
    expect(generic(`apikey: ${key}`)).toEqual([key]);
  });

  it("leaves a negated chain and a variable named in words, and keeps a bare random key in code", () => {
    expect(generic('@change="auth.isSecretBase64Encoded = !auth.isSecretBase64Encoded"')).toEqual([]);
    expect(generic("cryptoKey = isSecretBase64Encoded ? decode(secret) : encode(secret)")).toEqual([]);
    const key = randomString(rng(73), ALNUM, 32);
    expect(generic(`cryptoKey = ${key} ? a : b`)).toEqual([key]);
    // Keys in one case read as runs of letters and digits, not as a variable's words.
    for (const single of [randomString(rng(83), LOWER_ALNUM, 32), randomString(rng(84), UPPER_ALNUM, 20)]) expect(generic(`aviation_token = ${single}`)).toEqual([single]);
  });

  it("leaves a member read through optional chaining under a key's name", () => {
    expect(generic("const supportedLanguageKeys = config.i18n?.supportedLanguages")).toEqual([]);
    expect(generic("const signingKey = options?.keys?.signing2024")).toEqual([]);
  });

  it("leaves a CI cache's restore keys", () => {
    expect(generic('restore-keys: |\n  os:ubuntu-latest;pub-cache-hosted;sdk:3.4.0;packages:pkgs/http-pkgs/web_socket-pkgs\n')).toEqual([]);
  });

  it("leaves a compound key of ids, and keeps another qualified key", () => {
    const id = () => `64b34d49${randomString(rng(74), HEX, 16)}`;
    expect(generic(`const compoundKey = '{entity:notification_template:e=${id()}:i=${id()}}';`)).toEqual([]);
    const key = randomString(rng(75), ALNUM, 32);
    expect(generic(`const integrationKey = '${key}';`)).toEqual([key]);
  });

  it("reads a value between tags only when the closing tag follows", () => {
    expect(generic("TAXONOMY_SERVICE_TOKEN=<random-strong-secret>\nTAXONOMY_IMAGE_REF=:v0.1.0\n")).toEqual([]);
    expect(generic('npx create-app --db-url "postgres://postgres.<host>:<password>@aws-0-eu-central-1.pooler.example.com:5432/postgres"')).toEqual([]);
    const key = randomString(rng(76), ALNUM, 32);
    expect(generic(`<clientSecret>${key}</clientSecret>`)).toEqual([key]);
    expect(generic(`<clientSecret>\n  ${key}\n</clientSecret>`)).toEqual([key]);
  });

  it("leaves a digest under a name joined to a path, and keeps a random key under it", () => {
    const digest = randomString(rng(78), HEX, 32);
    expect(generic(`    common/extra_key: ${digest}`)).toEqual([]);
    expect(generic(`    extra_key: ${digest}`)).toEqual([digest]);
    const key = randomString(rng(79), ALNUM, 32);
    expect(generic(`    common/extra_key: ${key}`)).toEqual([key]);
  });

  it("leaves the argument of a lookup's call, and keeps a setter's", () => {
    const id = randomString(rng(80), LOWER_ALNUM, 25);
    expect(generic(`const result = await getApiKeysWithEnvironmentPermissions("c${id}");`)).toEqual([]);
    const key = randomString(rng(81), ALNUM, 32);
    expect(generic(`client.setApiKey("${key}");`)).toEqual([key]);
  });

  it("leaves the storage emulator's published key beside its account name, and keeps another account's", () => {
    const key = Buffer.from(randomString(rng(82), ALNUM, 64)).toString("base64");
    expect(generic(`UPLOAD_AZURE_ACCOUNT_NAME=devstoreaccount1\nUPLOAD_AZURE_ACCOUNT_KEY=${key}`)).toEqual([]);
    expect(generic(`UPLOAD_AZURE_ACCOUNT_NAME=acmeprodfiles\nUPLOAD_AZURE_ACCOUNT_KEY=${key}`)).toEqual([key]);
  });

  it("leaves PostHog's project key (public) and keeps a key of another prefix", () => {
    const body = randomString(rng(77), ALNUM, 43);
    expect(generic(`POSTHOG_API_KEY = 'phc_${body}'`)).toEqual([]);
    expect(generic(`ANALYTICS_API_KEY = 'acme_${body}'`)).toEqual([`acme_${body}`]);
  });

  it("leaves a VAPID public key (an uncompressed P-256 point) and keeps a 32-byte private one", () => {
    const point = Buffer.concat([Buffer.from([4]), Buffer.from(randomString(rng(48), ALNUM, 64))]).toString("base64url");
    expect(generic(`export const DEFAULT_VAPID_KEY = '${point}';`)).toEqual([]);
    const secret = Buffer.from(randomString(rng(49), ALNUM, 32)).toString("base64url");
    expect(generic(`export const VAPID_PRIVATE_KEY = '${secret}';`)).toEqual([secret]);
  });
});

describe("generic detector: protocol values under a keyword's name", () => {
  it("leaves a package pinned to its version in tox.ini, and keeps a generated password holding ==", () => {
    const pins = "[testenv]\ndeps =\n    py3.12-langchain-notiktoken-v1.3: SQLAlchemy==2.0.51\n";
    expect(findMatches(pins, ruleset, { configFile: "config" }).map((finding) => finding.secret)).toEqual([]);
    const secret = `${randomString(rng(50), ALNUM, 12)}==${randomString(rng(51), ALNUM, 10)}#${randomString(rng(52), ALNUM, 10)}`;
    const env = `    py3.12-langchain-notiktoken-v1.3: ${secret}\n`;
    expect(findMatches(`[testenv]\nsetenv =\n${env}`, ruleset, { configFile: "config" }).map((finding) => finding.secret)).toEqual([secret]);
  });

  it("leaves a WebSocket handshake's Sec-WebSocket-Key nonce, and keeps a WebSocket service's API key", () => {
    const nonce = Buffer.from(randomString(rng(53), ALNUM, 16)).toString("base64");
    expect(generic(`.header("sec-websocket-key", "${nonce}")`)).toEqual([]);
    const key = randomString(rng(54), ALNUM, 32);
    expect(generic(`.header("websocket-api-key", "${key}")`)).toEqual([key]);
  });
});

describe("generic detector: request signing and encoded stand-ins", () => {
  it("leaves AWS SigV4's X-Amz-Credential (an access key id and its scope), and keeps a secret key with slashes", () => {
    const id = randomString(rng(55), UPPER_ALNUM, 20);
    expect(generic(`form.Set("X-Amz-Credential", "${id}/20240102/us-east-1/s3/aws4_request")`)).toEqual([]);
    expect(generic(`GET /b/o?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${id}%2F20240102%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20240102T000000Z`)).toEqual([]);
    const secret = `${randomString(rng(56), ALNUM, 12)}/${randomString(rng(57), ALNUM, 14)}/${randomString(rng(58), ALNUM, 12)}`;
    expect(generic(`storage_secret = "${secret}"`)).toEqual([secret]);
  });

  it("leaves a SigV4 credential scope under another provider's name (goog4_request, curl's provider2_request)", () => {
    const id = randomString(rng(66), UPPER_ALNUM, 24);
    expect(generic(`x-goog-credential=${id}/20240102/auto/storage/goog4_request`)).toEqual([]);
    expect(generic(`Authorization: PROVIDER14-HMAC-SHA256 Credential=keyId/19700101/region/service/provider14_request, SignedHeaders=host`)).toEqual([]);
    // A value of the same slashes that does not end as a scope does is still judged as a credential.
    const secret = `${randomString(rng(67), ALNUM, 16)}/${randomString(rng(68), ALNUM, 16)}`;
    expect(generic(`Credential=${secret}`)).toEqual([secret]);
  });

  it("leaves base64 of a login with a stand-in password, and keeps base64 of a login with a chosen one", () => {
    const standIn = Buffer.from("username:password").toString("base64");
    expect(generic(`const val BASE_64_CREDENTIALS = "${standIn}"`)).toEqual([]);
    const login = Buffer.from(`deploy:${randomString(rng(69), ALNUM, 18)}`).toString("base64");
    expect(generic(`const val BASE_64_CREDENTIALS = "${login}"`)).toEqual([login]);
  });

  it("keeps random keys whose base64 decodes to bytes ending in a colon and a printable byte (no login)", () => {
    // Drawn until the decoded bytes end so: about one key in a thousand does. Before the login test read
    // the decoded text as printable throughout, these were taken for base64 of `user:x`.
    const random = rng(131);
    const keys: string[] = [];
    while (keys.length < 3) {
      const key = randomString(random, ALNUM, 32);
      const text = Buffer.from(key, "base64").toString("latin1");
      if (/:[\x21-\x7e]{1,2}$/.test(text) && /[0-9].*[0-9]/.test(key)) keys.push(key);
    }
    for (const key of keys) expect(generic(`zephyr_api_key = "${key}"`)).toEqual([key]);
  });

  it("leaves a status badge's key in a README's image URL, and keeps a key named by what it opens", () => {
    const badge = `${Buffer.from(randomString(rng(70), ALNUM, 48)).toString("base64")}--${randomString(rng(71), HEX, 40)}`;
    expect(generic(`[![Status](https://ci.example.com/automate/badge.svg?badge_key=${badge})](https://ci.example.com/public-build/x)`)).toEqual([]);
    const key = randomString(rng(72), ALNUM, 32);
    expect(generic(`https://ci.example.com/api/builds?access_key=${key}`)).toEqual([key]);
  });

  it("leaves a query string whose parameter names hold dashes, and keeps a password with & and =", () => {
    expect(generic(`{"", "X-Amz-Credential=random&X-Amz-Content-Sha256=shastring", "shastring"},`)).toEqual([]);
    const secret = `${randomString(rng(59), ALNUM, 10)}&=${randomString(rng(60), ALNUM, 12)}`;
    expect(generic(`secret_key = "${secret}"`)).toEqual([secret]);
  });

  it("leaves base64 of digits counting up, and keeps base64 of random bytes of the same length", () => {
    const counting = Buffer.from("0123456789".repeat(4).slice(0, 32)).toString("base64").replace(/=+$/, "");
    expect(generic(`TEST_ENC_KEY="${counting}"`)).toEqual([]);
    const random = Buffer.from(randomString(rng(61), ALNUM, 32)).toString("base64").replace(/=+$/, "");
    expect(generic(`TEST_ENC_KEY="${random}"`)).toEqual([random]);
  });

  it("leaves a key named by its state in prose (unknown key …), and keeps one named by what it opens", () => {
    expect(generic(`name: "unknown key XAmzChecksumCRC32 is error as it does not appear in policy",`)).toEqual([]);
    const key = randomString(rng(62), ALNUM, 24);
    expect(generic(`flickr key ${key}`)).toEqual([key]);
  });
});

describe("generic detector: keys encrypted under another key", () => {
  it("leaves a sealed or wrapped key, and keeps an unseal key", () => {
    const sealed = Buffer.from(randomString(rng(63), ALNUM, 64)).toString("base64");
    expect(generic(`"X-Minio-Internal-Server-Side-Encryption-Sealed-Key": "${sealed}",`)).toEqual([]);
    expect(generic(`wrapped_key = "${sealed}"`)).toEqual([]);
    expect(generic(`VAULT_UNSEAL_KEY = "${sealed}"`)).toEqual([sealed]);
  });
});

describe("generic detector: annotation keys", () => {
  it("reads an annotation's prefix with its name: leaves Helm's checksum/secrets digest, keeps a secret under another prefix", () => {
    const digest = randomString(rng(64), HEX, 64);
    expect(generic(`      annotations:\n        checksum/secrets: ${digest}\n`)).toEqual([]);
    const secret = randomString(rng(65), ALNUM, 32);
    expect(generic(`      annotations:\n        vault/secret: ${secret}\n`)).toEqual([secret]);
  });
});

describe("generic detector: a dotenv file's variables", () => {
  // Drawn from base64's characters; a random 40-character draw holds both cases and two digits.
  const drawn = (seed: number): string => randomString(rng(seed), BASE64, 40);
  const found = (text: string, configFile?: "dotenv" | "config"): string[] =>
    findMatches(text, ruleset, configFile ? { configFile } : {}).filter((finding) => finding.ruleId === "generic-high-entropy").map((finding) => finding.secret);

  it("reports a strongly random value under any name in a dotenv file, and the same line nowhere else", () => {
    const secret = drawn(60);
    expect(found(`mimi=${secret}\n`, "dotenv")).toEqual([secret]);
    expect(found(`export COOKIE_SIGNING="${secret}"\n`, "dotenv")).toEqual([secret]);
    // A one-letter name after `export`, whose letter `export` holds too.
    expect(found(`export e=${secret}\n`, "dotenv")).toEqual([secret]);
    // A YAML or INI file, and code, still need a name that says credential.
    expect(found(`mimi=${secret}\n`, "config")).toEqual([]);
    expect(found(`mimi = "${secret}"\n`)).toEqual([]);
  });

  it("leaves what is not a strong draw, names that say public, id or what the value identifies, and vendor-prefixed ids", () => {
    const dotenv = [
      `APP_ID=${drawn(61)}`,
      `NEXT_PUBLIC_WIDGET=${drawn(62)}`,
      `BUILD=${randomString(rng(63), HEX, 40)}`,
      `WORKSPACE=${randomString(rng(64), LOWER_ALNUM, 24)}`,
      `SHORT=${randomString(rng(65), ALNUM, 16)}`,
      `HOME_URL=https://example.com/${drawn(66)}`,
      `OPENAI_ORG=${drawn(68)}`,
      `VENDOR=org-${randomString(rng(69), ALNUM, 24)}`,
    ].join("\n");
    expect(found(`${dotenv}\n`, "dotenv")).toEqual([]);
  });

  it("reports a variable the keyword pass finds once, not twice", () => {
    const secret = drawn(67);
    expect(found(`API_TOKEN=${secret}\nother=1\n`, "dotenv")).toEqual([secret]);
  });
});
