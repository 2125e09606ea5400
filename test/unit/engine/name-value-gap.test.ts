// The gap the provider rules share between a provider's name and its value (rules/*.toml): besides an
// assignment on one line (`PANDADOC_API_KEY=…`), a few credential words of a label (`pandadoc private
// access key …`), and one line break after the name or label, with the value alone or under a key
// that names a credential on the next line (`mapboxApiKey:` then the quoted value, a YAML block
// `pandadoc:` then `api_key: …`). Other words, and a line that goes on with anything but a
// credential's key, are left alone.
import { describe, expect, it } from "vitest";
import { ALNUM, HEX, UPPER_ALNUM, URLSAFE, randomString, rng } from "../../../fixtures/fake-keys.js";
import { readDefaultRuleSources } from "../../../src/config/default-rules.js";
import { compileRules, parseRuleFiles } from "../../../src/engine/rules.js";
import { createRuleset } from "../../../src/engine/ruleset.js";
import { scanText } from "../../../src/run/pipeline.js";

const ruleset = createRuleset(compileRules(parseRuleFiles(readDefaultRuleSources())));
const found = (ruleId: string, text: string): string[] =>
  scanText({ path: "notes.txt", text }, { ruleset })
    .filter((finding) => finding.ruleId === ruleId)
    .map((finding) => finding.secret);

describe("a provider's name and its value", () => {
  const hex40 = randomString(rng(2001), HEX, 40);
  const upper20 = randomString(rng(2002), UPPER_ALNUM, 20);

  it("finds the value after a label of credential words, on the same line", () => {
    expect(found("pandadoc-api-key", `pandadoc PRIVATE ${hex40}`)).toEqual([hex40]);
    expect(found("pandadoc-api-key", `PandaDoc api token: ${hex40}`)).toEqual([hex40]);
    expect(found("pandadoc-api-key", `pandadoc private access key = "${hex40}"`)).toEqual([hex40]);
  });

  it("leaves a value after words that name no credential", () => {
    expect(found("pandadoc-api-key", `pandadoc release commit ${hex40}`)).toEqual([]);
    expect(found("pandadoc-api-key", `pandadoc build ${hex40}`)).toEqual([]);
  });

  it("finds the value on the line after the name or its label", () => {
    expect(found("eventbrite-private-token", `eventbrite private access key\n${upper20}`)).toEqual([upper20]);
    expect(found("pandadoc-api-key", `pandadocApiKey:\n  '${hex40}'`)).toEqual([hex40]);
    expect(found("pandadoc-api-key", `pandadoc:\r\n  api_key: "${hex40}"`)).toEqual([hex40]);
  });

  it("leaves a next line that is a list's item or a key that names no credential", () => {
    expect(found("pandadoc-api-key", `["pandadoc",\n "${hex40}"]`)).toEqual([]);
    expect(found("pandadoc-api-key", `pandadoc:\n  revision: ${hex40}`)).toEqual([]);
    // Only one line break: a value two lines down belongs to something else.
    expect(found("pandadoc-api-key", `pandadoc:\n\n  ${hex40}`)).toEqual([]);
  });

  it("applies to the AI providers' names that had a gap of their own, but not to a name that is an English word", () => {
    expect(found("wandb-api-key", `wandb api key: ${hex40}`)).toEqual([hex40]);
    expect(found("deepgram-api-key", `DEEPGRAM_API_KEY:\n  "${hex40}"`)).toEqual([hex40]);
    const hex64 = randomString(rng(2003), HEX, 64);
    expect(found("together-api-key", `TOGETHER_API_KEY=${hex64}`)).toEqual([hex64]);
    expect(found("together-api-key", `Checksums of the files built together:\n${hex64}`)).toEqual([]);
  });

  it("takes the credential word a rule wants after its name as a word of its own, and still wants one", () => {
    const alnum30 = randomString(rng(2004), ALNUM, 30);
    expect(found("nimble-api-key", `nimble PRIVATE ${alnum30}`)).toEqual([alnum30]);
    expect(found("nimble-api-key", `Nimble access token: ${alnum30}`)).toEqual([alnum30]);
    expect(found("nimble-api-key", `nimble ${alnum30}`)).toEqual([]);
    expect(found("nimble-api-key", `nimble release ${alnum30}`)).toEqual([]);
    const token22 = randomString(rng(2005), URLSAFE, 22);
    expect(found("splunk-observability-token", `SPLUNK_ACCESS_TOKEN=${token22}`)).toEqual([token22]);
    expect(found("splunk-observability-token", `splunk_PRIVATE ${token22}`)).toEqual([token22]);
    expect(found("splunk-observability-token", `SPLUNK_INDEX=${token22}`)).toEqual([]);
    const hex32 = randomString(rng(2006), HEX, 32);
    expect(found("datadog-api-key", `datadog-secrettoken-${hex32}`)).toEqual([hex32]);
    expect(found("datadog-api-key", `Datadog API key: ${hex32}`)).toEqual([hex32]);
    // The short name dd still needs the words api key.
    expect(found("datadog-api-key", `dd_secret_token=${hex32}`)).toEqual([]);
    expect(found("datadog-api-key", `datadog build ${hex32}`)).toEqual([]);
  });

  it("takes the credential word a rule wants after a name as a word of its own, after up to two qualifying words ((?&apart))", () => {
    const alnum32 = randomString(rng(2007), ALNUM, 32);
    expect(found("zoom-client-secret", `Zoom client secret: ${alnum32}`)).toEqual([alnum32]);
    expect(found("zoom-client-secret", `zoom secret ${alnum32}`)).toEqual([alnum32]);
    expect(found("swell-secret-key", `Swell API secret key: ${alnum32}`)).toEqual([alnum32]);
    const upper48 = randomString(rng(2008), UPPER_ALNUM, 48);
    expect(found("foursquare-client-secret", `Foursquare client secret = ${upper48}`)).toEqual([upper48]);
  });

  it("still wants the rule's own credential word after a name that is an ordinary word", () => {
    const alnum32 = randomString(rng(2009), ALNUM, 32);
    // The name alone, a word that is no qualifier between, or a credential word the rule does not take.
    expect(found("zoom-client-secret", `zoom ${alnum32}`)).toEqual([]);
    expect(found("zoom-client-secret", `Zoom in on the chart: ${alnum32}`)).toEqual([]);
    expect(found("zoom-client-secret", `Zoom meeting secret: ${alnum32}`)).toEqual([]);
    expect(found("zoom-client-secret", `Zoom client id: ${alnum32}`)).toEqual([]);
    expect(found("swell-secret-key", `a swell time, ${alnum32}`)).toEqual([]);
    // Three qualifying words are more than a name's label takes.
    expect(found("swell-secret-key", `Swell api client access app secret: ${alnum32}`)).toEqual([]);
  });
});
