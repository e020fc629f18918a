import { describe, expect, test } from "vitest";
import { invokeLambda } from "../dev/lambda-invoke.ts";
import { errorOf } from "./support/payments.ts";

/**
 * `npm start`'s `/lambda/...` routes receive the whole body before invoking the function, as API
 * Gateway does, but never hold more than the route's limit and never wait past the invocation's
 * time for a body that does not come.
 */
let invoked = 0;
const handler = async () => {
  invoked += 1;
  return { statusCode: 200, body: "{}" };
};

const upload = (body: ReadableStream<Uint8Array>) =>
  new Request("http://127.0.0.1/api/webhooks/creem", { method: "POST", body, duplex: "half" });

describe("invokeLambda", () => {
  test("refuses an endless upload with 413 once past the limit, holding no more than that", async () => {
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          sent += 64 * 1024;
          controller.enqueue(new Uint8Array(64 * 1024));
        },
      },
      { highWaterMark: 0 },
    );
    const response = await invokeLambda(handler, upload(endless), { maxBodyBytes: 1024 * 1024 });
    expect(response.status).toBe(413);
    await errorOf(response);
    expect(sent).toBeLessThanOrEqual(1024 * 1024 + 2 * 64 * 1024);
    expect(invoked).toBe(0);
  });

  test("answers 408 when the body stops short of its end and the client waits", async () => {
    const stalled = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"id":'));
      },
    });
    const response = await invokeLambda(handler, upload(stalled), { timeoutMs: 100 });
    expect(response.status).toBe(408);
    await errorOf(response);
    expect(invoked).toBe(0);
  });
});
