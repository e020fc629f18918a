import { HttpError } from "./http-error.ts";

/**
 * Refuses a request whose body something else has already read: a framework's body parser
 * (`express.json()`, a `req.json()` before the hand-over) mounted in front of the function. The
 * signature would be checked against a re-serialised body, so it is a setup error, answered 500
 * with the fix instead of a misleading "not valid JSON" or an unusable-body TypeError.
 */
export function requireUnreadBody(request: Request): void {
  // A drained stream handed over as no body still carries the Content-Length of the original.
  const announced = Number(request.headers.get("content-length") ?? 0) > 0;
  if (request.bodyUsed || (request.body === null && announced)) {
    throw new HttpError(
      500,
      "The request body was already read before this function got it: mount the function before any body parser (such as express.json())",
    );
  }
}
