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
});
