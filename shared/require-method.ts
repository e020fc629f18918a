import { HttpError } from "./http-error.ts";

/** Answers 405 with the `Allow` header (RFC 9110) unless the request uses one of `allowed`. */
export function requireMethod(request: Request, ...allowed: string[]): void {
  if (!allowed.includes(request.method)) {
    throw new HttpError(405, `Method ${request.method} not allowed`, { headers: { allow: allowed.join(", ") } });
  }
}
