import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import type { LambdaHttpEvent } from "../functions/lambda/event.ts";
import { toRequest, toResult } from "../functions/lambda/event.ts";
import { parseSecretString } from "../functions/lambda/secrets-manager.ts";

/** A fresh copy of an AWS sample event, as Powertools' parser tests load theirs. */
function sample(file: string): LambdaHttpEvent {
  return structuredClone(JSON.parse(readFileSync(new URL(`fixtures/aws-events/${file}`, import.meta.url), "utf8")));
}

describe("toRequest on AWS's own sample events", () => {
  test("REST v1: method, path, decoded query and the client's header case", () => {
    const event = sample("apigw-rest-v1.json") as Extract<LambdaHttpEvent, { resource: string }>;
    event.multiValueQueryStringParameters = { token: ["a b&c"], tag: ["x", "y"] };
    const request = toRequest(event);
    expect(request.method).toBe("POST");
    expect(new URL(request.url).pathname).toBe("/no-auth");
    expect(new URL(request.url).searchParams.get("token")).toBe("a b&c");
    expect(new URL(request.url).searchParams.getAll("tag")).toEqual(["x", "y"]);
    expect(request.headers.get("user-agent")).toBe("HTTPie/3.2.2");
  });

  test("HTTP v2: raw query string kept, and cookies joined into one header", () => {
    const request = toRequest(sample("function-url.json"));
    const url = new URL(request.url);
    expect(url.pathname).toBe("/");
    expect(url.searchParams.getAll("parameter1")).toEqual(["value1", "value2"]);
    expect(request.headers.get("header2")).toBe("value1,value2");
    expect(request.headers.get("cookie")).toContain(";");
    // The sample's domain name is a placeholder with angle brackets: the request still builds.
    expect(url.hostname).toBe("lambda.invalid");
  });

  test("ALB: query values arrive percent-encoded and stay so", () => {
    const event = sample("alb.json") as Extract<LambdaHttpEvent, { httpMethod: string }>;
    event.queryStringParameters = { token: "a%20b%26c" };
    expect(new URL(toRequest(event).url).searchParams.get("token")).toBe("a b&c");
  });

  test("ALB multi-value: repeated headers all reach the request", () => {
    const event = sample("alb-multi-value-headers.json") as { multiValueHeaders: Record<string, string[]> };
    event.multiValueHeaders["x-forwarded-for"] = ["1.1.1.1", "2.2.2.2"];
    expect(toRequest(event as unknown as LambdaHttpEvent).headers.get("x-forwarded-for")).toBe("1.1.1.1, 2.2.2.2");
  });

  test("a non-ASCII header value arrives as its UTF-8 bytes, as Node's HTTP server reads it", () => {
    const event = sample("apigw-http-v2.json") as Extract<LambdaHttpEvent, { rawPath: string }>;
    event.headers["cf-ipcity"] = "Srīperumbūdūr";
    event.headers["x-city"] = "Zürich";
    event.cookies = ["mood=🏔"];
    const request = toRequest(event);
    const asUtf8 = (name: string) => Buffer.from(request.headers.get(name) ?? "", "latin1").toString("utf8");
    expect(asUtf8("cf-ipcity")).toBe("Srīperumbūdūr");
    expect(asUtf8("x-city")).toBe("Zürich");
    expect(request.headers.get("x-city")).toBe("ZÃ¼rich");
    expect(asUtf8("cookie")).toBe("mood=🏔");
  });

  test("a GET carries no body even when the event has one", async () => {
    const request = toRequest(sample("alb.json"));
    expect(request.method).toBe("GET");
    expect(await request.text()).toBe("");
  });

  test("ALB single-value: headers and a status description in the result", async () => {
    const result = await toResult(sample("alb.json"), new Response("{}", { status: 422 }));
    expect(result).toMatchObject({ statusCode: 422, statusDescription: "422 Unprocessable Entity", body: "{}" });
    expect(result).toHaveProperty("headers");
  });
});

describe("parseSecretString", () => {
  test("reads a JSON object of settings, keeping string values only", () => {
    expect(parseSecretString('{"DATAFAST_API_KEY":"df_1","PAYMENTS_AUTH_TOKEN":"t","RETRIES":3}')).toEqual({
      DATAFAST_API_KEY: "df_1",
      PAYMENTS_AUTH_TOKEN: "t",
    });
  });

  test("takes a plain string as the DataFast key", () => {
    expect(parseSecretString("  df_plain \n")).toEqual({ DATAFAST_API_KEY: "df_plain" });
  });

  test.each([
    ["a binary secret", undefined],
    ["broken JSON", '{"DATAFAST_API_KEY": '],
  ])("refuses %s, naming DATAFAST_SECRET_ID", (_, secretString) => {
    expect(() => parseSecretString(secretString)).toThrow(/DATAFAST_SECRET_ID/);
  });
});
