import type { Issue } from "./json-response.ts";

/**
 * A failure that already knows its answer. Thrown anywhere in request handling and turned into
 * the JSON error envelope in one place, so every path answers the same way.
 */
export class HttpError extends Error {
  readonly status: number;
  readonly issues: Issue[] | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(status: number, message: string, options: { issues?: Issue[]; headers?: Record<string, string> } = {}) {
    super(message);
    this.name = "HttpError";
    this.status = status;
    this.issues = options.issues;
    this.headers = options.headers;
  }
}

/** A required setting is missing or malformed: a deploy problem, named but never echoed. */
export function settingError(name: string, problem = "is not set"): HttpError {
  return new HttpError(500, `Server misconfigured: ${name} ${problem}`);
}
