import type { Window } from "./source.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * `--since` / `--until`: an ISO date (`2025-01-01`, UTC), an ISO date-time with a zone, or a span
 * back from now (`3d`, `12h`). A date alone as `until` means the end of that day, so
 * `--since 2025-01-01 --until 2025-01-31` covers all of January.
 */
export function parseWindow(since: string, until: string | undefined, now: number): { since: Date; until: Date } {
  const from = parseMoment(since, "--since", now, false);
  const to = until === undefined ? new Date(now) : parseMoment(until, "--until", now, true);
  if (from.getTime() >= to.getTime()) {
    throw new RangeError(`--since (${from.toISOString()}) must be before --until (${to.toISOString()})`);
  }
  return { since: from, until: to };
}

function parseMoment(text: string, flag: string, now: number, endOfDay: boolean): Date {
  const span = /^(\d{1,5})([dh])$/.exec(text.trim());
  if (span) {
    const [, count = "0", unit] = span;
    return new Date(now - Number(count) * (unit === "d" ? DAY_MS : DAY_MS / 24));
  }
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const dateTime = /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(text);
  const time = dateOnly || dateTime ? Date.parse(dateOnly ? `${text}T00:00:00Z` : text) : Number.NaN;
  if (Number.isNaN(time)) {
    throw new RangeError(`${flag} must be a date (2025-01-01), a date-time with a zone, or a span such as 3d or 12h`);
  }
  return new Date(dateOnly && endOfDay ? time + DAY_MS : time);
}

/**
 * Whether a listed object's time (as the provider writes it: a date string, or epoch seconds or
 * milliseconds told apart by size as the webhooks' timestamps are) falls in the window, for APIs
 * that cannot filter by it exactly. One without a readable time is kept: mapped, it is reported,
 * not lost.
 */
export function happenedIn(time: unknown, window: Window): boolean {
  const at = typeof time === "number" ? (time < 1e11 ? time * 1000 : time) : Date.parse(String(time));
  return Number.isNaN(at) || (at >= window.since.getTime() && at < window.until.getTime());
}
