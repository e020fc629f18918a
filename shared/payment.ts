import * as z from "zod/mini";
import { InexactAmountError, type Inexactness, isCurrencyCode, toMinorUnits } from "./currency.ts";
import { isRecord } from "./is-record.ts";
import { bodyIssues } from "./issue-messages.ts";
import type { Issue } from "./json-response.ts";

// Values are forwarded as sent (a trimmed transaction_id would be another id), but never blank.
const nonBlankText = (max: number) =>
  z.string().check(
    z.maxLength(max),
    z.refine((value) => value.trim() !== "", "Must not be blank"),
  );

/**
 * DataFast's create-payment body. Strict: an unknown field (a typo such as `transactionId`) is an
 * error naming it, never silently dropped. `customer_email` / `customer_name` are DataFast's own
 * aliases of `email` / `name`.
 */
const paymentFields = z.strictObject({
  amount: z.number().check(z.nonnegative()),
  currency: z
    .string()
    .check(z.refine(isCurrencyCode, "Expected an ISO 4217 currency code such as USD"), z.toUpperCase()),
  transaction_id: nonBlankText(255),
  datafast_visitor_id: z.optional(nonBlankText(255)),
  email: z.optional(nonBlankText(320)),
  customer_email: z.optional(nonBlankText(320)),
  name: z.optional(nonBlankText(500)),
  customer_name: z.optional(nonBlankText(500)),
  customer_id: z.optional(nonBlankText(255)),
  renewal: z.optional(z.boolean()),
  refunded: z.optional(z.boolean()),
  is_free_trial: z.optional(z.boolean()),
  timestamp: z.optional(z.iso.datetime({ offset: true })),
});

const paymentInput = paymentFields.check(
  z.superRefine(
    (payment, context) => {
      const inexactness = inexactAmount(payment.amount, payment.currency);
      // The parts, not the amount, go on: issue-messages words them, and the log line carries no value.
      if (inexactness) {
        context.addIssue({ code: "custom", path: ["amount"], input: payment.amount, params: { inexactness } });
      }
    },
    // Checked whenever amount and currency are themselves valid, so it is listed with other fields' issues.
    {
      when: ({ value, issues }) =>
        isRecord(value) && !issues.some((issue) => ["amount", "currency"].includes(String(issue.path?.[0]))),
    },
  ),
);

/**
 * Why `amount` is not an exact amount of `currency`, if it is not: more decimals than ISO 4217 gives
 * the currency (19.999 USD, 1.5 JPY, 0.1 + 0.2 = 0.30000000000000004 USD), which DataFast would
 * round or refuse, or more minor units than a JSON number carries exactly. The webhook path applies
 * the same rule when it maps a provider's amount.
 */
function inexactAmount(amount: number, currency: string): Inexactness | undefined {
  try {
    toMinorUnits(amount, currency);
    return undefined;
  } catch (error) {
    if (error instanceof InexactAmountError) return error.inexactness;
    throw error;
  }
}

type PaymentInput = z.infer<typeof paymentInput>;

/** A valid payment, in the form sent to DataFast (currency upper-case, aliases folded). */
export type Payment = Omit<PaymentInput, "customer_email" | "customer_name">;

export type PaymentParse = { ok: true; payment: Payment } | { ok: false; issues: Issue[] };

/** Validates a decoded JSON value as a DataFast payment, listing every problem at once. */
export function parsePayment(input: unknown): PaymentParse {
  const result = paymentInput.safeParse(input);
  if (!result.success) {
    return {
      ok: false,
      issues: result.error.issues.flatMap((issue) => bodyIssues(issue, input, Object.keys(paymentInput.shape))),
    };
  }
  const { customer_email, customer_name, ...payment } = result.data;
  const issues = [
    ...conflict("email", payment.email, customer_email),
    ...conflict("name", payment.name, customer_name),
  ];
  if (issues.length > 0) return { ok: false, issues };
  const email = payment.email ?? customer_email;
  const name = payment.name ?? customer_name;
  return { ok: true, payment: { ...payment, ...(email && { email }), ...(name && { name }) } };
}

function conflict(field: string, value: string | undefined, alias: string | undefined): Issue[] {
  if (value === undefined || alias === undefined || value === alias) return [];
  return [{ path: `customer_${field}`, message: `Conflicts with "${field}"; send one of the two` }];
}
