import fc from "fast-check";
import { afterEach, describe, expect, test } from "vitest";
import { excerpt, mayHoldEmail, redactEmails, redactEmailsIn, redactLogLine } from "../shared/log.ts";

describe("redactEmails", () => {
  test.each([
    ["jane.doe@example.com", "[email]"],
    ["Write to jane@example.com.", "Write to [email]."],
    ["<jane@example.com>, (bob@example.org)", "<[email]>, ([email])"],
    ["mailto:jane@example.com", "mailto:[email]"],
    ["?email=jane@example.com&plan=pro", "?email=[email]&plan=pro"],
    ["jane+shop@example.co.uk", "[email]"],
    ["jürgen@bücher.de", "[email]"],
    // Encoded at-signs: a URL, HTML, a JavaScript escape, full width.
    ["?email=jane%40example.com", "?email=[email]"],
    ["jane%2Bshop%40example.com", "[email]"],
    ["jane&#64;example.com", "[email]"],
    ["jane&#064;example.com", "[email]"],
    ["jane&#x40;example.com", "[email]"],
    ["jane&#X40;example.com", "[email]"],
    ["jane&commat;example.com", "[email]"],
    ["jane\\u0040example.com", "[email]"],
    ["jane\\x40example.com", "[email]"],
    ["jane＠example.com", "[email]"],
    // No dot in the domain: a local host, or the cut end of a truncated message.
    ["user@localhost", "[email]"],
    ["…please contact jane.doe@exampl", "…please contact [email]"],
    // An apostrophe inside the local part is part of it; quotes around the address are not.
    ["o'brien@example.com", "[email]"],
    ["'jane@example.com'", "'[email]'"],
    ["a@b@example.com", "[email]"],
    ['{"email":"jane@example.com"}', '{"email":"[email]"}'],
  ])("masks %s", (text, masked) => {
    expect(redactEmails(text)).toBe(masked);
  });

  test.each(["@jane said hi", "an @ sign", "trailing@", "[email]", "100% of 40 items", "&#64; alone"])(
    "leaves %s alone",
    (text) => {
      expect(redactEmails(text)).toBe(text);
    },
  );

  describe("linear in the length of the text", () => {
    const n = 200_000;
    // Each defeats a backtracking pattern: long runs an address could start or end in, many at-signs.
    const adversarial: [string, string][] = [
      ["one long local-part run", "a".repeat(n)],
      ["a webhook path with a long provider segment", `POST /api/webhooks/${"a".repeat(n)}`],
      ["a long run then one at-sign", `${"a".repeat(n / 2)}@${"b".repeat(n / 2)}`],
      ["at-signs between runs", "ab@".repeat(n / 3)],
      ["at-signs without domains", `${"a".repeat(n / 2)}${"@".repeat(n / 2)}`],
      ["percent-encoded at-signs", "a%40".repeat(n / 4)],
      ["dots and at-signs", "a.b@c.".repeat(n / 6)],
      ["unfinished character references", "&#0000000".repeat(n / 9)],
      ["a domain of dots", `a@${".".repeat(n)}`],
    ];
    const realTest = RegExp.prototype.test;
    afterEach(() => {
      RegExp.prototype.test = realTest;
    });

    // Each character is looked at a bounded number of times: counted, never timed. (A quadratic
    // pattern would not finish one of these within the test timeout.)
    test.each(adversarial)("%s: a bounded number of character tests per character", (_, text) => {
      let calls = 0;
      RegExp.prototype.test = function (this: RegExp, input: string) {
        calls += 1;
        return realTest.call(this, input);
      };
      redactEmails(text);
      RegExp.prototype.test = realTest;
      expect(calls).toBeLessThanOrEqual(3 * text.length);
    });

    test("a 1 MB text of every pattern above finishes well within the test timeout", () => {
      const text = adversarial.map(([, each]) => each).join(" ");
      expect(text.length).toBeGreaterThan(1_000_000);
      expect(redactEmails(text)).toContain("[email]");
    });
  });
});

describe("redactEmailsIn", () => {
  test("masks strings at any depth, keys included, and the JSON stays valid", () => {
    const value = {
      'said "jane@example.com"': ['quote " and backslash \\ around bob@example.org\\', { deep: "o'brien@example.com" }],
      count: 3,
    };
    const text = JSON.stringify(redactEmailsIn(value));
    expect(JSON.parse(text)).toEqual({
      'said "[email]"': ['quote " and backslash \\ around [email]\\', { deep: "[email]" }],
      count: 3,
    });
  });
});

describe("mayHoldEmail", () => {
  // jsonResponse sends a body's JSON unmasked when this says no: it must never miss a maskable string.
  test("is true for the JSON text of every value that masking changes, keys and escapes included", () => {
    const text = fc.string({
      unit: fc.constantFrom("a", "b", ".", " ", "@", "＠", "%40", "&#64;", "\\u0040", "\\", '"', "\n"),
    });
    const value = fc.oneof(text, fc.dictionary(text, text), fc.array(text));
    fc.assert(
      fc.property(value, (each) => {
        const json = JSON.stringify(each);
        if (JSON.stringify(redactEmailsIn(each)) !== json) expect(mayHoldEmail(json)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  test("is false for an answer without any form of at-sign", () => {
    expect(mayHoldEmail(JSON.stringify({ message: "Payment recorded", transaction_id: "payment_456" }))).toBe(false);
  });
});

describe("excerpt and redactLogLine", () => {
  test("mask before cutting, so a cut never leaves part of an address", () => {
    const text = `${"x".repeat(995)} jane.doe@example.com`;
    expect(excerpt(text, 1000)).toBe(`${"x".repeat(995)} [ema…`);
    expect(excerpt("short bob@example.org", 1000)).toBe("short [email]");
  });

  test("bound every string field of a log line and mask it first", () => {
    const line = redactLogLine({
      route: `webhooks/${"a".repeat(16_000)}`,
      message: `${"m".repeat(995)} jane.doe@example.com`,
      status: 404,
      ok: false,
    });
    expect(line.status).toBe(404);
    expect(line.ok).toBe(false);
    expect(String(line.route)).toHaveLength(1001);
    expect(line.message).not.toMatch(/jane/);
  });
});
