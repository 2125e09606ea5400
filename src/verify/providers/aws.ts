// AWS: STS GetCallerIdentity answers for any key pair (IAM cannot deny it) with the account and ARN.
// The secret access key is checked with its access key id, the companion finding.
import { signV4 } from "../sigv4.js";
import { invalid, unexpected, unknown, valid, type Provider } from "./common.js";

const ACCESS_KEY_ID = /^(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}$/;
/** STS error codes that mean the pair does not authenticate. */
const DEAD = new Set(["InvalidClientTokenId", "SignatureDoesNotMatch", "UnrecognizedClientException"]);

export const aws: Provider = {
  name: "aws",
  baseUrl: "https://sts.amazonaws.com",
  async check({ secret, companion }, client) {
    // Either finding of the pair may carry the verify field: tell the key id from the secret by shape.
    const keyId = [secret, companion].find((value) => value !== undefined && ACCESS_KEY_ID.test(value));
    const secretKey = keyId === secret ? companion : secret;
    if (!secretKey) return unknown("an AWS access key id is verified only with its secret access key found nearby");
    if (!keyId) return unknown("an AWS secret access key is verified only with its access key id found nearby");
    if (keyId.startsWith("ASIA")) return unknown("temporary AWS credentials (ASIA…) need their session token to be verified");

    const body = "Action=GetCallerIdentity&Version=2011-06-15";
    const headers = { "content-type": "application/x-www-form-urlencoded; charset=utf-8" };
    const signed = signV4(
      { method: "POST", url: client.url("/"), headers, body },
      { accessKeyId: keyId, secretAccessKey: secretKey },
      { region: "us-east-1", service: "sts", date: new Date() },
    );
    const response = await client.request({ method: "POST", path: "/", headers: { ...headers, ...signed }, body });
    if (response.status === 200) {
      const account = xmlText(response.text, "Account");
      const arn = xmlText(response.text, "Arn");
      return valid(account && arn ? `account ${account} (${arn})` : (arn ?? account));
    }
    const code = xmlText(response.text, "Code");
    if (code && DEAD.has(code)) return invalid(`AWS rejected the key pair (${code})`);
    return unexpected(response, "AWS STS");
  },
};

/** The text of the first <tag>…</tag> in STS's small, flat XML answers. */
function xmlText(xml: string, tag: string): string | undefined {
  return new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1]?.trim() || undefined;
}
