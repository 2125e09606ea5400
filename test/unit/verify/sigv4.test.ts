// The SigV4 signer against AWS's published test suite vectors (credentials AKIDEXAMPLE / the documented
// example secret, 2015-08-30T12:36:00Z, us-east-1, service "service").
import { describe, expect, it } from "vitest";
import { signV4 } from "../../../src/verify/sigv4.js";

// AWS's documented example secret, split so this file does not itself look like a leaked key.
const EXAMPLE_KEY = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: ["wJalrXUtnFEMI/K7MDENG+bPxRf", "iCYEXAMPLEKEY"].join("") };
const SCOPE = { region: "us-east-1", service: "service", date: new Date("2015-08-30T12:36:00Z") };
const CREDENTIAL = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request";

describe("signV4", () => {
  it("get-vanilla", () => {
    const signed = signV4({ method: "GET", url: new URL("https://example.amazonaws.com/"), headers: {}, body: "" }, EXAMPLE_KEY, SCOPE);
    expect(signed).toEqual({
      "x-amz-date": "20150830T123600Z",
      authorization: `${CREDENTIAL}, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31`,
    });
  });

  it("get-vanilla-query-order-key-case: parameters are sorted before signing", () => {
    const url = new URL("https://example.amazonaws.com/?Param2=value2&Param1=value1");
    expect(signV4({ method: "GET", url, headers: {}, body: "" }, EXAMPLE_KEY, SCOPE).authorization).toBe(
      `${CREDENTIAL}, SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500`,
    );
  });

  it("post-x-www-form-urlencoded: the body and content-type are signed", () => {
    const signed = signV4(
      {
        method: "POST",
        url: new URL("https://example.amazonaws.com/"),
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: "Param1=value1",
      },
      EXAMPLE_KEY,
      SCOPE,
    );
    expect(signed.authorization).toBe(
      `${CREDENTIAL}, SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a`,
    );
  });

  it("changes with the secret, the body and the host", () => {
    const request = { method: "POST", url: new URL("https://sts.amazonaws.com/"), headers: {}, body: "Action=GetCallerIdentity" };
    const base = signV4(request, EXAMPLE_KEY, SCOPE).authorization;
    expect(signV4(request, EXAMPLE_KEY, SCOPE).authorization).toBe(base);
    expect(signV4(request, { ...EXAMPLE_KEY, secretAccessKey: "x" }, SCOPE).authorization).not.toBe(base);
    expect(signV4({ ...request, body: "Action=Other" }, EXAMPLE_KEY, SCOPE).authorization).not.toBe(base);
    expect(signV4({ ...request, url: new URL("https://127.0.0.1:9/") }, EXAMPLE_KEY, SCOPE).authorization).not.toBe(base);
  });
});
