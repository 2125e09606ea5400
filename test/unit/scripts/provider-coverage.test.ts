// How the eval tells a peer family keyscan has a rule for from one it has none for.
import { describe, expect, it } from "vitest";
import { readDefaultRuleSources } from "../../../src/config/default-rules.js";
import { compileRules, parseRuleFiles } from "../../../src/engine/rules.js";
import { createRuleset } from "../../../src/engine/ruleset.js";
import { coveredFamilies } from "../../../scripts/provider-coverage.js";

const hasRule = coveredFamilies(createRuleset(compileRules(parseRuleFiles(readDefaultRuleSources()))));

describe("provider coverage", () => {
  it.each(["aws_key", "openai", "twitter_v1", "telegrambottoken", "hashicorp-vault", "huggingface", "square_oauth", "keyword", "pem", "ibm_cloud_iam", "ibm_cos_hmac", "sendinblue-api-token", "sonar-api-token"])(
    "%s: keyscan has a rule for it",
    (family) => expect(hasRule(family)).toBe(true),
  );

  // Names the rules spell otherwise: the company (nvapi: NVIDIA), a former name (transferwise: Wise),
  // the domain (squareup: Square), or a credential word the suffix list lacked (personal, apppassword).
  it.each(["nvapi", "transferwise", "nexmoapikey", "figmapersonalaccesstoken", "bitbucketapppassword", "azuredevopspersonalaccesstoken", "squareup", "checklyhq", "closecrm", "smartystreets", "teamworkdesk", "salesforcerefreshtoken", "sourcegraphcody", "airbrakeprojectkey", "atlassiandatacenter", "adobeio", "redhatpyxis", "rechargepayments", "paydirtapp", "pganalyzereadkey", "eightxeight", "chatfule", "zenkitapi", "sendbirdorganizationapi", "d7network", "blogger"])(
    "%s: covered under another name",
    (family) => expect(hasRule(family)).toBe(true),
  );

  // Providers whose rule's id or name spells trufflehog's name for them: a compound (clockworksms, mailjetsms,
  // linenotify), the product (ecostruxureit), an oauth2 suffix (anypointoauth2).
  it.each(["clockworksms", "mailjetsms", "linenotify", "ecostruxureit", "anypointoauth2", "stripepaymentintent", "trufflehogenterprise", "ngc"])(
    "%s: keyscan has a rule for it",
    (family) => expect(hasRule(family)).toBe(true),
  );

  it.each(["zzqx-unknown-provider", "ip_public", "apikey", "zzqxpersonaltoken"])("%s: no rule", (family) => expect(hasRule(family)).toBe(false));

  // A login method trufflehog names as a provider: Vault's AppRole (vault-approle-secret-id).
  it("hashicorpvaultauth: covered by the AppRole rule", () => expect(hasRule("hashicorpvaultauth")).toBe(true));
});
