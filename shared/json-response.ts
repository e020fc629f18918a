import { mayHoldEmail, redactEmailsIn } from "./log.ts";

/** One field-level problem of an invalid payment, as listed in a 400 answer. */
export interface Issue {
  path: string;
  message: string;
}

/**
 * A JSON response; every answer of this project is one. Anything shaped like an email is masked
 * here, the one place every body passes, so no customer email can leave in an answer.
 */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  const json = JSON.stringify(body);
  // Most answers have no at-sign in any form: the copy that masking every string makes is skipped.
  return new Response(mayHoldEmail(json) ? JSON.stringify(redactEmailsIn(body)) : json, {
    status,
    headers: { ...headers, "content-type": "application/json; charset=utf-8" },
  });
}

/**
 * An error in DataFast's own envelope, `{"status":"error","error":{"code","message"}}`, so a
 * client written against DataFast's API reads our errors the same way.
 */
export function errorResponse(
  status: number,
  message: string,
  options: { issues?: Issue[] | undefined; headers?: Record<string, string> | undefined } = {},
): Response {
  const body = { status: "error", error: { code: status, message }, ...(options.issues && { issues: options.issues }) };
  return jsonResponse(status, body, options.headers);
}
