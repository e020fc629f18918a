import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { secretMasker } from "../shared/mask-secret.ts";

describe("secretMasker", () => {
  test("is built once per secret and label, not once per DataFast attempt", () => {
    // Building its pattern cost more than the rest of a warm request (issue 16).
    expect(secretMasker("df_key_1", "[DATAFAST_API_KEY]")).toBe(secretMasker("df_key_1", "[DATAFAST_API_KEY]"));
  });

  test("each secret and label keeps its own masker, however many come and go", () => {
    const masks = (secret: string, label: string, text: string) => secretMasker(secret, label)(text);
    for (let round = 0; round < 3; round++) {
      for (let index = 0; index < 40; index++) {
        expect(masks(`df_key_${index}`, "[K]", `a df_key_${index} b df_key_${index + 1}`)).toBe(
          `a [K] b df_key_${index + 1}`,
        );
      }
    }
    expect(masks("df_key_1", "[OTHER]", "df_key_1")).toBe("[OTHER]");
    expect(masks("df_key_1", "[K]", "df_key_1")).toBe("[K]");
  });

  test("a cached masker masks every occurrence on every call", () => {
    const mask = secretMasker("s3cr/t", "[S]");
    for (let call = 0; call < 3; call++) expect(mask("s3cr/t s3cr\\/t s3cr%2Ft")).toBe("[S] [S] [S]");
  });

  test("a text without `\\`, `&` or `%` (the fast path) is masked exactly as the full pattern masks it", () => {
    const secret = "df_k3y/Ab";
    const mask = secretMasker(secret, "[K]");
    // Pieces of the secret, the secret, and other text, with none of the characters escapes start with.
    const piece = fc.oneof(
      fc.constant(secret),
      fc.integer({ min: 1, max: secret.length - 1 }).map((end) => secret.slice(0, end)),
      fc.integer({ min: 1, max: secret.length - 1 }).map((start) => secret.slice(start)),
      fc.string({ unit: "binary", maxLength: 8 }).map((text) => text.replace(/[\\&%]/g, "")),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const text = pieces.join("");
        const masked = mask(text);
        expect(masked).not.toContain(secret);
        // A trailing "%" sends the same text down the pattern's path without changing what it matches.
        expect(`${masked}%`).toBe(mask(`${text}%`));
      }),
    );
  });
});
