// Whether keyscan has a rule for a peer set's provider family, so the eval can split its misses
// into "no rule for the provider" (a rule to write) and "other" (the detector or a rule to fix).
// Provider names come from the rules themselves (tags, id prefixes, the name's leading proper
// nouns), so a new rule file moves its provider across without touching this module.
import type { Ruleset } from "../src/engine/ruleset.js";

const normalize = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]/g, "");

/** Tags that name a kind of credential, not a provider. */
const KIND_TAGS = new Set(["ai", "generic", "http-header", "command-line", "config-files", "database-url", "basic-auth", "url-credentials"]);

/** Words a family name ends with that say which of the provider's credentials, not which provider. */
const CREDENTIAL_SUFFIX = /(?:v\d|apikey|accesstoken|apitoken|token|key|oauth\d?|webhook|basicauth|license|secret|iam|hmac|personal|apppassword)$/;

/**
 * Peer family names that spell a kind keyscan covers under another name: a credential in a URL or
 * connection string, a private key, a password assigned by keyword, on a command line (psexec) or in
 * a browser bundle's environment (react), a password hash; and providers keyscan names otherwise.
 */
const FAMILY_ALIASES: Record<string, string> = {
  mongo: "mongodb",
  rabbitmq: "amqp",
  pem: "private",
  privkey: "private",
  privatekey: "private",
  secp256k1private: "private",
  uri: "url",
  ftp: "url",
  databaseconnectionstring: "postgres",
  basicauth: "http",
  kubernetes: "kubeconfig",
  azurestorage: "azure",
  telegrambot: "telegram",
  "1password": "onepassword",
  hashicorpvault: "vault",
  keyword: "generic",
  credentials: "generic",
  testdata: "generic",
  odbc: "connectionstring",
  psexec: "remote",
  react: "browserenv",
  hashes: "passwordhash",
  // Renamed providers: Sendinblue is now Brevo; gitleaks' "sonar" is SonarQube / SonarCloud.
  sendinblue: "brevo",
  sonar: "sonarqube",
  sonarcloud: "sonarqube",
  // Providers whose rules carry another name: the company, the product, or its former name.
  nvapi: "nvidia",
  weightsandbiases: "wandb",
  openaiadmin: "openai",
  azurefunction: "azure",
  azuresas: "azure",
  azureappconfigconnectionstring: "azure",
  railwayapp: "railway",
  vagrantcloudpersonal: "terraform",
  braintreepayments: "braintree",
  transferwise: "wise",
  nexmo: "vonage",
  pusherchannel: "pusher",
  newrelicuser: "newrelic",
  newrelicpersonal: "newrelic",
  newrelicinsightsinsert: "newrelic",
  newrelicinsightsquery: "newrelic",
  azurecosmosdb: "azure",
  azurecontainerregistry: "azure",
  azuresearchadmin: "azure",
  azuresearchquery: "azure",
  azureapimanagement: "azure",
  azureapimanagementsubscription: "azure",
  azuredirectmanagement: "azure",
  azureentra: "azure",
  ibmclouduser: "ibm",
  sinchmessage: "sinch",
  clicksendsms: "clicksend",
  zulipchat: "zulip",
  webexbot: "webex",
  discordbot: "discord",
  cloudflareca: "cloudflare",
  cloudflareglobal: "cloudflare",
  sentryorg: "sentry",
  grafanaserviceaccount: "grafana",
  planetscaledb: "planetscale",
  algoliaadmin: "algolia",
  twitterconsumer: "twitter",
  squareapp: "square",
  // Square's domain, squareup.com, names its rules in Kingfisher's set.
  squareup: "square",
  // Providers trufflehog names by their domain or former name: checklyhq.com, close.com (closecrm), SmartyStreets (now Smarty).
  checklyhq: "checkly",
  closecrm: "close",
  smartystreets: "smarty",
  // Teamwork's products share one token format (teamwork-api-token); Salesforce's refresh token has its rule.
  teamworkcrm: "teamwork",
  teamworkdesk: "teamwork",
  teamworkspaces: "teamwork",
  salesforcerefreshtoken: "salesforce",
  sourcegraphcody: "sourcegraph",
  // The names trufflehog gives a provider's key kinds or its domain, where keyscan's rule names the provider.
  airbrakeprojectkey: "airbrake",
  airbrakeuserkey: "airbrake",
  cannyio: "canny",
  paymoapp: "paymo",
  myfreshworks: "freshworks",
  sportsmonk: "sportmonks",
  ipquality: "ipqualityscore",
  atlassiandatacenter: "bitbucket",
  artifactoryreference: "jfrog",
  youneedabudget: "ynab",
  toggltrack: "toggl",
  jira: "atlassian",
  zohocrm: "zoho",
  graphcms: "hygraph",
  iexapis: "iexcloud",
  // apilayer's services, read by one rule (apilayer-access-key).
  coinlayer: "apilayer",
  countrylayer: "apilayer",
  currencylayer: "apilayer",
  languagelayer: "apilayer",
  marketstack: "apilayer",
  mediastack: "apilayer",
  numverify: "apilayer",
  pdflayer: "apilayer",
  positionstack: "apilayer",
  serpstack: "apilayer",
  userstack: "apilayer",
  vatlayer: "apilayer",
  weatherstack: "apilayer",
  ipstack: "apilayer",
  scrapestack: "apilayer",
  aviationstack: "apilayer",
  fixerio: "apilayer",
  youtube: "google",
  googlegemini: "google",
  gcpapplicationdefaultcredentials: "google",
  // Database credentials keyscan reads by their carrier: a connection string, a URL, a command line.
  sqlserver: "connectionstring",
  ldap: "url",
  couchbase: "url",
  // trufflehog names Vault's AppRole login by its method (vault-approle-secret-id).
  hashicorpvaultauth: "vault",
  // Names trufflehog gives a provider's product, domain or key kind, where keyscan's rule names the provider:
  // Adobe I/O is Adobe's Developer Console (adobe-client-secret), Pyxis is Red Hat's certification API,
  // rechargepayments.com and paydirtapp.com are Recharge's and Paydirt's domains, pganalyze's key is a read key.
  adobeio: "adobe",
  redhatpyxis: "redhat",
  rechargepayments: "recharge",
  paydirtapp: "paydirt",
  pganalyzeread: "pganalyze",
  // 8x8 spelt out; trufflehog's folder for Chatfuel is spelt "chatfule"; a key named for its API.
  eightxeight: "8x8",
  chatfule: "chatfuel",
  zenkitapi: "zenkit",
  // Sendbird's organization token has a rule of its own (sendbird-organization-api-token).
  sendbirdorganizationapi: "sendbirdorganization",
  d7network: "d7networks",
  // Blogger's API takes a Google API key (AIza…), google-api-key's.
  blogger: "google",
};

function providerNames(ruleset: Ruleset): Set<string> {
  const names = new Set<string>();
  for (const rule of ruleset.rules) {
    for (const tag of rule.def.tags) if (!KIND_TAGS.has(tag)) names.add(normalize(tag));
    names.add(normalize(rule.id.split("-")[0]!));
    // "Hugging Face access token" -> hugging, huggingface: the name's first one or two capitalised words.
    const leading = /^([A-Z0-9][\w.]*)(?:\s+([A-Z0-9][\w.]*))?/.exec(rule.def.name);
    if (leading) {
      names.add(normalize(leading[1]!));
      if (leading[2]) names.add(normalize(leading[1]! + leading[2]));
    }
  }
  return names;
}

/** A function telling whether keyscan has any rule for a peer's provider family. */
export function coveredFamilies(ruleset: Ruleset): (family: string) => boolean {
  const names = providerNames(ruleset);
  return (family: string): boolean => {
    let key = normalize(family);
    for (;;) {
      if (names.has(FAMILY_ALIASES[key] ?? key)) return true;
      const shorter = key.replace(CREDENTIAL_SUFFIX, "");
      if (shorter === key || shorter === "") return false;
      key = shorter;
    }
  };
}
