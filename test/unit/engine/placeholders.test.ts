// Template markers count only as they open a substitution: generated keys hold their first characters.
import { describe, expect, it } from "vitest";
import { ALNUM, HEX, LOWER_ALNUM, UPPER_ALNUM, randomString, rng } from "../../../fixtures/fake-keys.js";
import { isKeyboardWalk, isPlaceholderPassword, isTypedPattern, looksLikePlaceholder } from "../../../src/engine/placeholders.js";

describe("template markers", () => {
  it.each(["$(cat /run/secrets/db_password)", "$(DB_PASSWORD)", "$(vault", "%(db_password)s"])("%s is a placeholder", (value) => {
    expect(looksLikePlaceholder(value)).toBe(true);
  });

  // A made-up default password inside one of the templates. keyscan:allow-next-line
  it.each(["${link}", "${DB_PASSWORD:-s3cret}", "${API_KEY", "${{ secrets.DEPLOY_TOKEN }}", "{{ .Values.token }}", "{{- $pw -}}", "{{#each}}", "{{'LOGIN.PASSWORD'|translate}}", "pre-${env.X}-post", "${this.relative(file)}:${stacks[0].line}"])(
    "%s interpolates a name: a template",
    (value) => {
      expect(looksLikePlaceholder(value)).toBe(true);
    },
  );

  it("a value that calls itself fake, in any case and before any separator, is a placeholder; a random key is not", () => {
    for (const value of ["THis~iS4faKe.53CreTvALu3", "FAKE-TxmoLnyif1wNBNw1WTCOkNO0UeaLL56c", "fake_key_123"]) expect(looksLikePlaceholder(value), value).toBe(true);
    expect(looksLikePlaceholder(randomString(rng(90), ALNUM, 32))).toBe(false);
  });

  it("braces around no expression are punctuation: their brackets do not pair, or no name follows", () => {
    // Made up: letters and punctuation around `${` and `{{` that open nothing a template reads.
    const random = rng(21);
    for (let i = 0; i < 200; i++) {
      const [a, b, c] = [0, 1, 2].map(() => randomString(random, "abcdefghjkmnpqrstuvwxyz", 4));
      for (const value of [`${a}{{${b}}${c})q`, `${a}\${${b}]${c}}`, `${a}\${%${b}}${c}`]) expect(looksLikePlaceholder(value), value).toBe(false);
    }
  });

  it("a key from Django's alphabet, which holds $, %, ( and ), is not one for holding `$(` or `%(`", () => {
    // Made up for this test in the alphabet of Django's get_random_secret_key.
    for (const value of ["q7%(^w2k!x9$(3+z@m&e5r=t8_p1(v4*n6b0c-h)", "$(8kq2!v%(7w@zx^4m3r=1p&n6*t0b9+e-5c_h"]) {
      expect(looksLikePlaceholder(value), value).toBe(false);
    }
  });
});

describe("values typed by a person", () => {
  it.each([
    "abcd1234abcd1234ABCD1234ABCD1234--__",
    // A unit repeated after a head that is not part of it.
    "kd8j2h4jf9s8mf6l4k9j2h4jf9s8mf6l4k9j2h4jf9s8mf6l",
    "a1b2c3d4e5f6g7h8i9j0",
    "ABCD1234EFGH5678IJKL9012MNOP3456",
    "abc123def456ghi789jkl012",
    "1234abcd5678efgh9012ijkl3456",
    // The sample UUID of RFC 4122, in documentation everywhere: its digits alone count 1 to 9.
    "123e4567-e89b-12d3-a456-426614174000",
  ])("%s is a placeholder", (value) => {
    expect(looksLikePlaceholder(value)).toBe(true);
  });

  it("random keys of every common alphabet and length are not typed", () => {
    for (let seed = 0; seed < 1000; seed++) {
      const random = rng(seed);
      for (const [alphabet, length] of [[HEX, 32], [HEX, 64], [ALNUM, 40], [LOWER_ALNUM, 32], [UPPER_ALNUM, 20]] as const) {
        const value = randomString(random, alphabet, length);
        expect(isTypedPattern(value), value).toBe(false);
      }
    }
  });

  it("a long random body is not judged: seven consecutive digits turn up in it by chance", () => {
    // Made up: 200 random hex digits with "1234567" inside, as a PEM body or bundle may hold.
    const body = `${randomString(rng(7), HEX, 100)}1234567${randomString(rng(8), HEX, 100)}`;
    expect(isTypedPattern(body)).toBe(false);
    expect(isTypedPattern(body.slice(90, 120))).toBe(true);
  });
});

describe("keyboard walks", () => {
  it.each(["qwerty", "asdf1234", "asdfqwer1234asdf", "12341234", "ZXCVBNM", "7890uiop"])("%s is a walk, and a placeholder password", (value) => {
    expect(isKeyboardWalk(value)).toBe(true);
    expect(isPlaceholderPassword(value)).toBe(true);
  });

  // A run shorter than four keys, a key off the row, or a column walk is not a row walk.
  it.each(["qwe", "q1w2e3", "qwerty7", "asdfg!", "1qaz2wsx", "Heron#2231", "wertyx"])("%s is not a walk", (value) => {
    expect(isKeyboardWalk(value)).toBe(false);
  });
});

describe("counting stand-ins", () => {
  it.each(["abcd1234", "xyz-789", "ABC123", "cba321", "admin123", "auth-token-12345", "TEST_KEY_4321"])("%s counts, a placeholder password", (value) => {
    expect(isPlaceholderPassword(value)).toBe(true);
  });

  // A run that skips, a run of two, or digits after words that are not stand-ins is someone's choice.
  it.each(["abce1234", "ab12", "abcd1243", "harbor123", "kestrel#42", "lantern1379"])("%s does not count", (value) => {
    expect(isPlaceholderPassword(value)).toBe(false);
  });
});

describe("references to where a password is kept", () => {
  it.each(["urn:k8s:secret:oidc:redisPass", "URN:vault:kv:db:password2"])("%s is a URN, a reference", (value) => {
    expect(isPlaceholderPassword(value)).toBe(true);
  });

  // Colons and a digit in a password someone chose, or `urn` not followed by a namespace, are still a password.
  it.each(["k8s:Qm4vT9xLp2:store", "urn8:Qm4vT9xLp2", "urn::k8s:Qm4vT9"])("%s is a password", (value) => {
    expect(isPlaceholderPassword(value)).toBe(false);
  });
});

describe("stand-ins spelled with punctuation", () => {
  // A URL parser's test puts a character that must be encoded into foo:bar's password; a test user's
  // password swaps a symbol for a letter of the word it stands for.
  it.each(["bar%2F", "bar%25bar", "bar%bar", "bar%3Dbar", "b%3Dar", "pa%24s", "s$cr$t", "pa$$word", "p,ass", "(foo)"])("%s is a stand-in", (value) => {
    expect(isPlaceholderPassword(value)).toBe(true);
  });

  // A digit, letters no stand-in spells, or a symbol for most of the word: someone's choice.
  it.each(["p4ss!", "s3cr3t", "bar%2F7", "nota%hex", "k$r!t", "tangerine!", "s#c%#!", "Heron#2231"])("%s is a password", (value) => {
    expect(isPlaceholderPassword(value)).toBe(false);
  });
});

describe("alternating case", () => {
  it("made-up words typed in alternating case that name a secret are typed; a random mixed-case key is not", () => {
    // Made up: words in alternating case with digits for letters, as a test's fake secret is written.
    expect(isTypedPattern("SeCrEt+Sh0Ul9+LoOkRaNdOm+hErE")).toBe(true);
    expect(looksLikePlaceholder("aCcEsS/tOkEn+FoR+ThE+iNtEgRaTiOn")).toBe(true);
    // Fewer than 16 pairs of letters side by side: too short to tell.
    expect(isTypedPattern("mAzKqLpXrT")).toBe(false);
    // Made up: a test key typed in alternating case that names nothing is a key to find, as scanners' examples hold.
    expect(isTypedPattern("RtYv7BnMq2WsXe9DfGh4JkLpZc")).toBe(false);
    for (let seed = 0; seed < 1000; seed++) {
      const random = rng(seed);
      for (const length of [20, 32, 40]) {
        const value = randomString(random, ALNUM, length);
        expect(isTypedPattern(value), value).toBe(false);
      }
    }
  });
});
