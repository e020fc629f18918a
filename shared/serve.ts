import { HttpError } from "./http-error.ts";
import { errorResponse } from "./json-response.ts";
import { type LogLine, redactLogLine } from "./log.ts";
import type { Runtime } from "./runtime.ts";

/** One request in flight: the runtime, when it started, and the fields of its one log line. */
export interface RequestContext {
  runtime: Runtime;
  started: number;
  /** Epoch ms by which it must be answered, once known (`requestDeadline`). */
  deadline?: number;
  log: LogLine;
}

/**
 * Runs one request: turns a thrown `HttpError` (or anything unexpected) into the JSON error
 * envelope and writes exactly one structured log line for it.
 */
export async function serve(
  route: string,
  runtime: Runtime,
  handle: (context: RequestContext) => Promise<Response>,
): Promise<Response> {
  const context: RequestContext = { runtime, started: Date.now(), log: {} };
  let response: Response;
  try {
    response = await handle(context);
  } catch (error) {
    if (error instanceof HttpError) {
      context.log.message ??= error.message;
      // The same words as the answer's issues, field paths and messages only: never the values.
      if (error.issues) context.log.issues = error.issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ");
      response = errorResponse(error.status, error.message, { issues: error.issues, headers: error.headers });
    } else {
      // Unexpected: log the error's name and message only, never the request.
      context.log.message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      response = errorResponse(500, "Internal error");
    }
  }
  const { status } = response;
  runtime.log(
    redactLogLine({
      time: new Date(context.started).toISOString(),
      platform: runtime.platform,
      level: status >= 500 ? "error" : status >= 400 || context.log.attribution === "dropped" ? "warn" : "info",
      route,
      status,
      // Recording sets its own outcome (recorded, rejected, unavailable…); refusals get one here.
      outcome: status >= 500 ? "failed" : "refused",
      duration_ms: Date.now() - context.started,
      // The time the request was given (DATAFAST_TIMEOUT_MS, or less when the platform grants
      // less): a failure whose duration is close to it ran out of time.
      ...(context.deadline !== undefined && { budget_ms: context.deadline - context.started }),
      ...context.log,
    }),
  );
  return response;
}
