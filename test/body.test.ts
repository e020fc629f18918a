import { describe, expect, test } from "vitest";
import { readBody, readJson } from "../shared/body.ts";
import { HttpError } from "../shared/http-error.ts";

/** A request whose body is `stream`, as a platform streams a client's upload. */
const streamed = (stream: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
  new Request("https://functions.example/api/webhooks/creem", {
    method: "POST",
    body: stream,
    headers,
    duplex: "half",
  });

const soon = () => Date.now() + 60_000;

async function refusal(reading: Promise<unknown>): Promise<HttpError> {
  const error = await reading.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(HttpError);
  return error as HttpError;
}

describe("readBody", () => {
  test("reads a body of exactly the limit, streamed in chunks", async () => {
    const chunk = new Uint8Array(1024).fill(0x20);
    let pulls = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls += 1;
        if (pulls > 64) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const body = await readBody(streamed(stream), { maxBytes: 64 * 1024, deadline: soon() });
    expect(body.byteLength).toBe(64 * 1024);
  });

  test("stops reading an endless body one chunk past the limit: 413, memory bounded", async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulled += 64 * 1024;
          controller.enqueue(new Uint8Array(64 * 1024));
        },
      },
      { highWaterMark: 0 },
    );
    const error = await refusal(readBody(streamed(endless), { maxBytes: 1024 * 1024, deadline: soon() }));
    expect(error.status).toBe(413);
    expect(error.message).toBe("Body is larger than 1048576 bytes");
    expect(pulled).toBeLessThanOrEqual(1024 * 1024 + 2 * 64 * 1024);
  });

  test("refuses a declared Content-Length over the limit without reading any of it", async () => {
    let pulled = false;
    const stream = new ReadableStream<Uint8Array>(
      {
        pull() {
          pulled = true;
        },
      },
      { highWaterMark: 0 },
    );
    const request = streamed(stream, { "content-length": String(1024 * 1024 + 1) });
    const error = await refusal(readBody(request, { maxBytes: 1024 * 1024, deadline: soon() }));
    expect(error.status).toBe(413);
    expect(pulled).toBe(false);
  });

  test("answers 408 when the body is still arriving at the deadline, blaming the client", async () => {
    // A client that sent part of its body and then went quiet (or a Content-Length larger than the body).
    const stalled = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"amount":'));
      },
    });
    const error = await refusal(readBody(streamed(stalled), { maxBytes: 1024, deadline: Date.now() + 50 }));
    expect(error.status).toBe(408);
    expect(error.message).toMatch(/did not arrive in time: the client sent it too slowly/);
  });

  test("answers 400 when the client hangs up mid-body", async () => {
    const cut = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"amount":'));
        controller.error(Object.assign(new Error("aborted"), { code: "ECONNRESET" }));
      },
    });
    const error = await refusal(readBody(streamed(cut), { maxBytes: 1024, deadline: soon() }));
    expect(error.status).toBe(400);
    expect(error.message).toBe("The request body ended before it was complete (the connection closed)");
  });
});

describe("readJson", () => {
  const json = (text: string) =>
    readJson(
      new Request("https://functions.example/api/payments", {
        method: "POST",
        body: text,
        headers: { "content-type": "application/json" },
      }),
      { maxBytes: 64 * 1024, deadline: soon() },
    );

  test.each([
    ["1e-400", "0"],
    ["-2.5e-999", "0"],
    ["1e400", "Infinity"],
    ["-1e309", "-Infinity"],
  ])("refuses %s, which JSON parsing would turn into %s", async (literal, becomes) => {
    const error = await refusal(json(`{"amount":${literal},"currency":"USD","transaction_id":"t"}`));
    expect(error.status).toBe(400);
    expect(error.message).toBe(
      `Body has the number ${literal}, which JSON parsing turns into ${becomes}: write amounts as plain decimals such as 29.99`,
    );
  });

  test.each([
    '{"amount":0,"currency":"USD"}',
    '{"amount":0.000,"x":0e5,"y":-0.0E-999}',
    '{"amount":1.5e-300,"name":"1e-400 \\" 1e400"}',
    '{"transaction_id":"\\\\","amount":2e3}',
  ])("reads %s as it is: zeros and numbers inside strings are no loss", async (text) => {
    expect(await json(text)).toEqual(JSON.parse(text));
  });
});
