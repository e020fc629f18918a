import * as z from "zod/mini";
import { isRecord } from "./is-record.ts";
import { bodyIssues } from "./issue-messages.ts";
import type { Issue } from "./json-response.ts";

/**
 * DataFast's create-goal body (`POST /api/v1/goals`), with DataFast's documented limits
 * (datafa.st/docs/api/website/goals/create): a goal name of lowercase letters, digits, `_`, `-`
 * and `:`, at most 64 characters, not the reserved `identify`; at most 10 metadata keys of
 * lowercase letters, digits, `_` and `-` (at most 64 characters), each value a string of at most
 * 255 characters. DataFast lowercases a name and turns its spaces into underscores; so does this,
 * before checking it, so a name DataFast accepts is accepted here.
 */
const GOAL_NAME_MAX = 64;
const GOAL_METADATA_MAX_KEYS = 10;
const GOAL_METADATA_VALUE_MAX = 255;

const GOAL_NAME = /^[a-z0-9_:-]+$/;
const METADATA_KEY = /^[a-z0-9_-]{1,64}$/;

// Values are forwarded as sent, but never blank.
const text = (max: number) =>
  z.string().check(
    z.maxLength(max),
    z.refine((value) => value.trim() !== "", "Must not be blank"),
  );

const name = z.pipe(
  z.string().check(z.overwrite((value) => value.trim().toLowerCase().replace(/\s+/g, "_"))),
  z.string().check(
    z.minLength(1),
    z.maxLength(GOAL_NAME_MAX),
    z.refine((value) => GOAL_NAME.test(value), "Use only lowercase letters, digits, _, - and :"),
    z.refine((value) => value !== "identify", "identify is reserved by DataFast"),
  ),
);

const metadata = z.record(z.string(), z.string().check(z.maxLength(GOAL_METADATA_VALUE_MAX))).check(
  z.refine((value) => Object.keys(value).length <= GOAL_METADATA_MAX_KEYS, {
    message: `At most ${GOAL_METADATA_MAX_KEYS} metadata keys`,
  }),
);

/** An issue per metadata key DataFast would refuse, checked whatever else is wrong with the body. */
function metadataKeyIssues(input: unknown): Issue[] {
  const value = isRecord(input) ? input.metadata : undefined;
  if (!isRecord(value)) return [];
  return Object.keys(value)
    .filter((key) => !METADATA_KEY.test(key))
    .map((key) => ({
      path: `metadata.${key.slice(0, 64)}`,
      message: "A metadata key is 1 to 64 lowercase letters, digits, _ or -",
    }));
}

/** Strict: an unknown field is an error naming it. `visitorId` is DataFast's alias of `datafast_visitor_id`. */
const goalInput = z.strictObject({
  datafast_visitor_id: z.optional(text(255)),
  visitorId: z.optional(text(255)),
  name,
  description: z.optional(text(GOAL_METADATA_VALUE_MAX)),
  metadata: z.optional(metadata),
});

const EXAMPLE_BODY = '{"datafast_visitor_id":"3f1c2b9e-…","name":"signup"}';

type GoalInput = z.infer<typeof goalInput>;

/** A valid goal, in the form sent to DataFast (name normalised, the visitor id alias folded). */
export type Goal = Omit<GoalInput, "visitorId"> & { datafast_visitor_id: string };

export type GoalParse = { ok: true; goal: Goal } | { ok: false; issues: Issue[] };

/** Validates a decoded JSON value as a DataFast goal, listing every problem at once. */
export function parseGoal(input: unknown): GoalParse {
  const result = goalInput.safeParse(input);
  const keyIssues = metadataKeyIssues(input);
  if (!result.success || keyIssues.length > 0) {
    const issues = result.success ? [] : result.error.issues.flatMap((issue) => toIssues(issue, input));
    return { ok: false, issues: [...issues, ...keyIssues] };
  }
  const { visitorId, datafast_visitor_id, ...goal } = result.data;
  if (visitorId !== undefined && datafast_visitor_id !== undefined && visitorId !== datafast_visitor_id) {
    return {
      ok: false,
      issues: [{ path: "visitorId", message: 'Conflicts with "datafast_visitor_id"; send one of the two' }],
    };
  }
  const visitor = datafast_visitor_id ?? visitorId;
  if (visitor === undefined) {
    return {
      ok: false,
      issues: [{ path: "datafast_visitor_id", message: "datafast_visitor_id is required: the visitor's DataFast id" }],
    };
  }
  return { ok: true, goal: { datafast_visitor_id: visitor, ...goal } };
}

function toIssues(issue: z.core.$ZodIssue, input: unknown): Issue[] {
  if (issue.code === "invalid_type" && issue.path.length === 0) {
    return [{ path: "", message: `The body must be a JSON object such as ${EXAMPLE_BODY}` }];
  }
  return bodyIssues(issue, input, Object.keys(goalInput.shape));
}
