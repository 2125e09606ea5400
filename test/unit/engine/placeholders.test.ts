// Template markers count only as they open a substitution: generated keys hold their first characters.
import { describe, expect, it } from "vitest";
import { looksLikePlaceholder } from "../../../src/engine/placeholders.js";

describe("template markers", () => {
  it.each(["$(cat /run/secrets/db_password)", "$(DB_PASSWORD)", "$(vault", "%(db_password)s"])("%s is a placeholder", (value) => {
    expect(looksLikePlaceholder(value)).toBe(true);
  });

  it("a key from Django's alphabet, which holds $, %, ( and ), is not one for holding `$(` or `%(`", () => {
    // Made up for this test in the alphabet of Django's get_random_secret_key.
    for (const value of ["q7%(^w2k!x9$(3+z@m&e5r=t8_p1(v4*n6b0c-h)", "$(8kq2!v%(7w@zx^4m3r=1p&n6*t0b9+e-5c_h"]) {
      expect(looksLikePlaceholder(value), value).toBe(false);
    }
  });
});
