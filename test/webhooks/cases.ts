import { paypalSigningIdentity } from "../../dev/paypal-certificate.ts";
import { startProviderApiStandIn } from "../../dev/provider-apis-standin.ts";
import { nowSeconds, type PayPalSigning, type Signer, signers } from "../../dev/webhook-signing.ts";

/** Mollie's payments API and PayPal's certificate endpoint, on loopback for this test file. */
export const providerApis = await startProviderApiStandIn();

/** The webhook secrets of the test deployment, one per provider. */
export const secrets = {
  STANDARD_WEBHOOK_SECRET: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  DODO_WEBHOOK_SECRET: "whsec_c2VjcmV0LWRvZG8tdGVzdC1rZXktMDEyMzQ1Njc4OQ==",
  WHOP_WEBHOOK_SECRET: "ws_3b1f0c9d7e5a4b2c8d6e0f1a2b3c4d5e",
  PADDLE_WEBHOOK_SECRET: "pdl_ntfset_01hv8w_9e1c5a7b3d2f4e6a8b0c1d3e5f7a9b1c",
  CREEM_WEBHOOK_SECRET: "whsec_creem_5d7f9b1c3e5a7c9e",
  SHOPIFY_WEBHOOK_SECRET: "8f3a1c5e7b9d2f4a6c8e0b1d3f5a7c9e",
  RAZORPAY_WEBHOOK_SECRET: "rzp_hook_secret_4c6e8a0b2d",
  PAYSTACK_SECRET_KEY: "sk_test_0a2c4e6b8d1f3a5c7e9b",
  GUMROAD_WEBHOOK_TOKEN: "gt_9f8e7d6c+5b4a/3928171605f4e3d2c1b0=",
  REVENUECAT_WEBHOOK_AUTH: "rc_auth_5e8a1d3c7b9f2046",
  PAYPAL_WEBHOOK_ID: "1JE4291016473214C",
  MOLLIE_API_KEY: "live_dHar4XY7LxsDOtmnkVtjNVWXLSlXsM",
  CHARGEBEE_WEBHOOK_PASSWORD: "cb_hook_pass_81c3e5a7",
  FASTSPRING_WEBHOOK_SECRET: "fs_hmac_2a4c6e8b0d1f",
  SQUARE_WEBHOOK_SIGNATURE_KEY: "sq_sig_9d7b5f3a1c8e6042",
};

/** A second secret of the same form, as after a rotation. */
export const rotated: Record<keyof typeof secrets, string> = {
  STANDARD_WEBHOOK_SECRET: "whsec_cm90YXRlZC1zdGFuZGFyZC1rZXktMDEyMzQ1",
  DODO_WEBHOOK_SECRET: "whsec_cm90YXRlZC1kb2RvLWtleS0wMTIzNDU2Nzg5",
  WHOP_WEBHOOK_SECRET: "ws_rotated_0f1e2d3c4b5a69788796a5b4c3d2e1f0",
  PADDLE_WEBHOOK_SECRET: "pdl_ntfset_01hv8w_rotated_0a1b2c3d4e5f",
  CREEM_WEBHOOK_SECRET: "whsec_creem_rotated_1a2b3c",
  SHOPIFY_WEBHOOK_SECRET: "rotated0b1d3f5a7c9e8f3a1c5e7b9d2f",
  RAZORPAY_WEBHOOK_SECRET: "rzp_hook_secret_rotated_9z8y",
  PAYSTACK_SECRET_KEY: "sk_test_rotated_1b3d5f7a9c",
  GUMROAD_WEBHOOK_TOKEN: "gt_rotated_00112233445566778899aabbccdd",
  REVENUECAT_WEBHOOK_AUTH: "rc_auth_rotated_0b2d4f6a8c",
  PAYPAL_WEBHOOK_ID: "8PT597110X687430LKGECATA",
  MOLLIE_API_KEY: "live_rotatedR8bTqv2Wm5Nz7Yc4Xk9Hs3",
  CHARGEBEE_WEBHOOK_PASSWORD: "cb_hook_pass_rotated_3f5b",
  FASTSPRING_WEBHOOK_SECRET: "fs_hmac_rotated_7c9e1a",
  SQUARE_WEBHOOK_SIGNATURE_KEY: "sq_sig_rotated_4e6a8c0b2d",
};

/** The plain settings of the test deployment: where the providers' APIs are, Square's URL. */
export const settings = {
  MOLLIE_API_URL: `${providerApis.url}/v2`,
  PAYPAL_API_URL: providerApis.url,
  SQUARE_WEBHOOK_URL: "https://functions.example/api/webhooks/square",
  CHARGEBEE_WEBHOOK_USERNAME: "cb_hook_user_7c2e",
};

/** Every setting of the test deployment, secret or not. */
export const deployment: Record<string, string> = { ...secrets, ...settings };

type SecretName = keyof typeof secrets;

export const VISITOR = "3f1c2b9e-5d7a-4c1e-9f00-1a2b3c4d5e6f";

interface SignOptions {
  /** Sign with this secret instead of the configured one. */
  secret?: string;
  /** Also sign with these secrets (several signatures in one delivery, where the scheme allows). */
  alsoSignWith?: string[];
  /** Unix seconds to sign, where the scheme signs a time. */
  timestamp?: number;
}

/** One payment the matrix sends: a money amount in the provider's form and what DataFast must get. */
export interface Example {
  body: string;
  /** Extra request headers (Shopify's topic). */
  headers?: Record<string, string>;
  expected: Record<string, unknown>;
  /** Other transaction ids the delivery records too (Mollie resends the payment with its refund). */
  alsoRecords?: string[];
}

/** A lifecycle event of the provider's own payload and the goals DataFast must get from it, once. */
interface Lifecycle {
  label: string;
  body: string;
  headers?: Record<string, string>;
  /** Each goal's name and the metadata it carries besides `provider`. */
  goals: Array<{ name: string; metadata?: Record<string, string> }>;
}

export interface ProviderCase {
  provider: string;
  secretName: SecretName;
  /** Whether the scheme signs a timestamp (and so has a replay window). */
  signsTimestamp: boolean;
  /** Whether the body is signed; Gumroad signs nothing and authenticates by a URL token only. */
  signsBody: boolean;
  /** Whether one delivery can carry several signatures (Standard Webhooks v1, Paddle h1). */
  multipleSignatures: boolean;
  /** Whether the delivery carries no credential and is verified by fetching it from the provider (Mollie). */
  verifiedByApi?: boolean;
  request(body: string, headers?: Record<string, string>, options?: SignOptions): Request;
  payment: Example;
  renewal: Example;
  refund: Example;
  /** A verified event that is not a payment; absent where every body is a payment (standard). */
  ignored?: { body: string; headers?: Record<string, string> };
  /**
   * The payment with `amount` minor units of `currency` (0- and 3-decimal currencies); absent where
   * the provider sends every amount in one currency (Gumroad: USD cents).
   */
  inCurrency?(minor: number, currency: string): Example;
  /** The payment without any checkout metadata. */
  withoutMetadata: Example;
  /** Lifecycle events that become goals beside (or instead of) a payment. */
  lifecycle?: Lifecycle[];
}

const url = (provider: string, query = "") => `https://functions.example/api/webhooks/${provider}${query}`;

function post(provider: string, body: string, headers: Record<string, string>, query = ""): Request {
  return new Request(url(provider, query), { method: "POST", headers, body });
}

/** Builds the JSON request of a provider whose body is JSON. */
const json = (value: unknown) => JSON.stringify(value);

/** The major-unit decimal of `minor` in a currency with `exponent` digits, written by hand. */
function major(minor: number, exponent: number): number {
  return minor / 10 ** exponent;
}

const exponents: Record<string, number> = { USD: 2, EUR: 2, INR: 2, NGN: 2, JPY: 0, KWD: 3, KRW: 0, BHD: 3 };
const exponentOf = (currency: string) => exponents[currency.toUpperCase()] ?? 2;

/** What a signing scheme decides about a provider's case. */
type Scheme = Pick<
  ProviderCase,
  "provider" | "secretName" | "signsTimestamp" | "signsBody" | "multipleSignatures" | "request"
>;

/** A provider's case signed by its signer in dev/webhook-signing.ts (the one `npm run send-webhook` uses). */
function scheme(
  provider: string,
  secretName: SecretName,
  flags: Pick<ProviderCase, "signsTimestamp" | "signsBody" | "multipleSignatures">,
  contentType = "application/json",
  /** What the scheme signs with besides the secret (Square's URL, Chargebee's username, PayPal's key). */
  context: Parameters<Signer>[2] = {},
): Scheme {
  const sign = signers[provider];
  if (!sign) throw new Error(`no signer for ${provider}`);
  return {
    provider,
    secretName,
    ...flags,
    request: (body, headers = {}, options = {}) => {
      const signature = sign(body, [options.secret ?? secrets[secretName], ...(options.alsoSignWith ?? [])], {
        ...context,
        ...(options.timestamp !== undefined && { timestamp: options.timestamp }),
      });
      return post(provider, body, { "content-type": contentType, ...signature.headers, ...headers }, signature.query);
    },
  };
}

const signsAll = { signsTimestamp: true, signsBody: true, multipleSignatures: true };
const signsBodyOnly = { signsTimestamp: false, signsBody: true, multipleSignatures: false };
const signsNothing = { signsTimestamp: false, signsBody: false, multipleSignatures: false };

// ---------------------------------------------------------------- standard

const standardBody = (extra: Record<string, unknown> = {}) => ({
  amount: 29.99,
  currency: "usd",
  transaction_id: "pay_std_001",
  datafast_visitor_id: VISITOR,
  email: "buyer@example.com",
  ...extra,
});

const standard: ProviderCase = {
  ...scheme("standard", "STANDARD_WEBHOOK_SECRET", signsAll),
  payment: {
    body: json(standardBody()),
    expected: { ...standardBody(), currency: "USD" },
  },
  renewal: {
    body: json(standardBody({ transaction_id: "pay_std_002", renewal: true })),
    expected: { transaction_id: "pay_std_002", renewal: true },
  },
  refund: {
    body: json(standardBody({ transaction_id: "re_std_003", refunded: true })),
    expected: { transaction_id: "re_std_003", refunded: true, amount: 29.99 },
  },
  inCurrency: (minor, currency) => {
    const amount = major(minor, exponentOf(currency));
    return {
      body: json(standardBody({ amount, currency, transaction_id: `pay_std_${currency}` })),
      expected: { amount, currency },
    };
  },
  withoutMetadata: {
    body: json({ amount: 5, currency: "EUR", transaction_id: "pay_std_anon" }),
    expected: { amount: 5, currency: "EUR", transaction_id: "pay_std_anon" },
  },
};

// ---------------------------------------------------------------- dodo

const dodoPayment = (data: Record<string, unknown> = {}) => ({
  business_id: "bus_P4x2k",
  type: "payment.succeeded",
  timestamp: "2025-03-01T10:00:05.123Z",
  data: {
    payload_type: "Payment",
    payment_id: "pay_dodo_001",
    business_id: "bus_P4x2k",
    status: "succeeded",
    total_amount: 1999,
    currency: "USD",
    subscription_id: null,
    customer: { customer_id: "cus_dodo_7", email: "buyer@example.com", name: "Ada Lovelace" },
    metadata: { datafast_visitor_id: VISITOR },
    created_at: "2025-03-01T10:00:00Z",
    payment_method: "card",
    ...data,
  },
});

/** Dodo's subscription webhook (`data` is the Subscription, its docs' sample trimmed). */
const dodoSubscription = (type: string, data: Record<string, unknown> = {}) => ({
  business_id: "bus_P4x2k",
  type,
  timestamp: "2025-03-01T10:00:06Z",
  data: {
    payload_type: "Subscription",
    subscription_id: "sub_dodo_1",
    product_id: "pdt_dodo_pro",
    status: "active",
    recurring_pre_tax_amount: 1999,
    currency: "USD",
    customer: { customer_id: "cus_dodo_7", email: "buyer@example.com", name: "Ada Lovelace" },
    metadata: { datafast_visitor_id: VISITOR },
    ...data,
  },
});

const dodo: ProviderCase = {
  ...scheme("dodo", "DODO_WEBHOOK_SECRET", signsAll),
  payment: {
    body: json(dodoPayment()),
    expected: {
      amount: 19.99,
      currency: "USD",
      transaction_id: "pay_dodo_001",
      datafast_visitor_id: VISITOR,
      email: "buyer@example.com",
      name: "Ada Lovelace",
      customer_id: "cus_dodo_7",
      timestamp: "2025-03-01T10:00:00.000Z",
    },
  },
  // Dodo's payment has no renewal marker: a subscription's later charge is recorded by its own
  // payment id (and subscription.renewed is ignored, see the ignored test) without `renewal`.
  renewal: {
    body: json(dodoPayment({ payment_id: "pay_dodo_002", subscription_id: "sub_dodo_1" })),
    expected: { transaction_id: "pay_dodo_002", amount: 19.99 },
  },
  refund: {
    body: json({
      business_id: "bus_P4x2k",
      type: "refund.succeeded",
      timestamp: "2025-03-02T09:00:00Z",
      data: {
        payload_type: "Refund",
        refund_id: "ref_dodo_001",
        payment_id: "pay_dodo_001",
        amount: 500,
        currency: "USD",
        status: "succeeded",
        is_partial: true,
        created_at: "2025-03-02T08:59:59Z",
      },
    }),
    expected: { transaction_id: "ref_dodo_001", refunded: true, amount: 5, currency: "USD" },
  },
  ignored: {
    body: json({ type: "subscription.renewed", timestamp: "2025-04-01T10:00:00Z", data: { subscription_id: "s" } }),
  },
  lifecycle: [
    {
      label: "subscription.active",
      body: json(dodoSubscription("subscription.active")),
      goals: [{ name: "subscription_started", metadata: { plan: "pdt_dodo_pro", subscription_id: "sub_dodo_1" } }],
    },
    {
      label: "subscription.renewed",
      body: json(dodoSubscription("subscription.renewed")),
      goals: [{ name: "subscription_renewed", metadata: { plan: "pdt_dodo_pro", subscription_id: "sub_dodo_1" } }],
    },
    {
      label: "subscription.cancelled",
      body: json(dodoSubscription("subscription.cancelled", { status: "cancelled" })),
      goals: [{ name: "subscription_ended", metadata: { plan: "pdt_dodo_pro", subscription_id: "sub_dodo_1" } }],
    },
    {
      label: "payment.failed",
      body: json({ ...dodoPayment({ payment_id: "pay_dodo_f", status: "failed" }), type: "payment.failed" }),
      goals: [{ name: "payment_failed", metadata: { amount: "19.99", currency: "USD", transaction_id: "pay_dodo_f" } }],
    },
  ],
  inCurrency: (minor, currency) => ({
    body: json(dodoPayment({ total_amount: minor, currency, payment_id: `pay_dodo_${currency}` })),
    expected: { amount: major(minor, exponentOf(currency)), currency },
  }),
  withoutMetadata: {
    body: json(dodoPayment({ metadata: {}, customer: null, payment_id: "pay_dodo_anon" })),
    expected: {
      amount: 19.99,
      currency: "USD",
      transaction_id: "pay_dodo_anon",
      timestamp: "2025-03-01T10:00:00.000Z",
    },
  },
};

// ---------------------------------------------------------------- whop

const whopPayment = (data: Record<string, unknown> = {}) => ({
  id: "msg_whop_1",
  api_version: "v1",
  type: "payment.succeeded",
  timestamp: "2025-05-01T12:00:00.000Z",
  data: {
    id: "pay_whop_001",
    status: "paid",
    substatus: "succeeded",
    total: 10.43,
    subtotal: 10.43,
    usd_total: 10.43,
    currency: "usd",
    billing_reason: "subscription_create",
    paid_at: "2025-05-01T11:59:58.000Z",
    created_at: "2025-05-01T11:59:50.000Z",
    user: { id: "user_whop_9", name: "Grace Hopper", username: "grace", email: "buyer@example.com" },
    membership: { id: "mem_whop_4", status: "active" },
    metadata: { datafast_visitor_id: VISITOR },
    ...data,
  },
});

const whop: ProviderCase = {
  ...scheme("whop", "WHOP_WEBHOOK_SECRET", signsAll),
  payment: {
    body: json(whopPayment()),
    expected: {
      amount: 10.43,
      currency: "USD",
      transaction_id: "pay_whop_001",
      renewal: false,
      datafast_visitor_id: VISITOR,
      email: "buyer@example.com",
      name: "Grace Hopper",
      customer_id: "user_whop_9",
      timestamp: "2025-05-01T11:59:58.000Z",
    },
  },
  renewal: {
    body: json(whopPayment({ id: "pay_whop_002", billing_reason: "subscription_cycle", metadata: null })),
    expected: { transaction_id: "pay_whop_002", renewal: true },
  },
  refund: {
    body: json({
      type: "refund.created",
      data: {
        id: "rfnd_whop_001",
        amount: 3.5,
        currency: "usd",
        status: "succeeded",
        created_at: "2025-05-03T08:00:00.000Z",
        payment: { id: "pay_whop_001", metadata: { datafast_visitor_id: VISITOR } },
      },
    }),
    expected: { transaction_id: "rfnd_whop_001", refunded: true, amount: 3.5, datafast_visitor_id: VISITOR },
  },
  lifecycle: [
    {
      label: "payment.succeeded (subscription_create)",
      body: json(whopPayment({ plan: { id: "plan_whop_pro" } })),
      goals: [
        {
          name: "subscription_started",
          metadata: { plan: "plan_whop_pro", amount: "10.43", currency: "USD", transaction_id: "pay_whop_001" },
        },
      ],
    },
    {
      label: "payment.failed",
      body: json({ ...whopPayment({ id: "pay_whop_f", status: "open", substatus: "failed" }), type: "payment.failed" }),
      goals: [{ name: "payment_failed", metadata: { amount: "10.43", currency: "USD", transaction_id: "pay_whop_f" } }],
    },
  ],
  ignored: { body: json({ type: "membership.activated", data: { id: "mem_whop_4" } }) },
  inCurrency: (minor, currency) => {
    const amount = major(minor, exponentOf(currency));
    return {
      body: json(whopPayment({ total: amount, currency: currency.toLowerCase(), id: `pay_whop_${currency}` })),
      expected: { amount, currency },
    };
  },
  withoutMetadata: {
    body: json(whopPayment({ id: "pay_whop_anon", metadata: null, user: null })),
    expected: {
      amount: 10.43,
      currency: "USD",
      transaction_id: "pay_whop_anon",
      renewal: false,
      timestamp: "2025-05-01T11:59:58.000Z",
    },
  },
};

// ---------------------------------------------------------------- paddle

const paddleTransaction = (data: Record<string, unknown> = {}, totals: Record<string, unknown> = {}) => ({
  event_id: "evt_01hv8x",
  event_type: "transaction.completed",
  occurred_at: "2025-06-01T09:00:00.621022Z",
  notification_id: "ntf_01hv8x",
  data: {
    id: "txn_paddle_001",
    status: "completed",
    customer_id: "ctm_paddle_3",
    origin: "web",
    subscription_id: null,
    currency_code: "USD",
    custom_data: { datafast_visitor_id: VISITOR },
    billed_at: "2025-06-01T08:59:59.123456Z",
    details: {
      totals: {
        subtotal: "1999",
        tax: "0",
        discount: "0",
        total: "1999",
        grand_total: "1999",
        fee: "150",
        earnings: "1849",
        currency_code: "USD",
        ...totals,
      },
    },
    ...data,
  },
});

const paddleAdjustment = (data: Record<string, unknown> = {}) => ({
  event_id: "evt_01hv9a",
  event_type: "adjustment.updated",
  occurred_at: "2025-06-03T09:00:00Z",
  data: {
    id: "adj_paddle_001",
    action: "refund",
    type: "partial",
    status: "approved",
    transaction_id: "txn_paddle_001",
    customer_id: "ctm_paddle_3",
    currency_code: "USD",
    totals: { subtotal: "500", tax: "0", total: "500", fee: "0", earnings: "500", currency_code: "USD" },
    created_at: "2025-06-02T09:00:00Z",
    updated_at: "2025-06-03T09:00:00Z",
    ...data,
  },
});

/** Paddle's subscription notification (its docs' subscription.created sample, trimmed). */
const paddleSubscription = (type: string, data: Record<string, unknown> = {}) => ({
  event_id: "evt_01hv8y",
  event_type: type,
  occurred_at: "2025-06-01T09:00:01.000000Z",
  notification_id: "ntf_01hv8y",
  data: {
    id: "sub_paddle_1",
    status: "active",
    customer_id: "ctm_paddle_3",
    currency_code: "USD",
    custom_data: { datafast_visitor_id: VISITOR },
    items: [
      {
        status: "active",
        quantity: 1,
        price: { id: "pri_01gsz8x8sawmvhz1pv30nge1ke", product_id: "pro_01gsz4t5hdjse780zja8vvr7jg" },
      },
    ],
    ...data,
  },
});

const paddle: ProviderCase = {
  ...scheme("paddle", "PADDLE_WEBHOOK_SECRET", signsAll),
  payment: {
    body: json(paddleTransaction()),
    expected: {
      amount: 19.99,
      currency: "USD",
      transaction_id: "txn_paddle_001",
      renewal: false,
      datafast_visitor_id: VISITOR,
      customer_id: "ctm_paddle_3",
      timestamp: "2025-06-01T08:59:59.123Z",
    },
  },
  renewal: {
    body: json(paddleTransaction({ id: "txn_paddle_002", origin: "subscription_recurring" })),
    expected: { transaction_id: "txn_paddle_002", renewal: true, datafast_visitor_id: VISITOR },
  },
  refund: {
    body: json(paddleAdjustment()),
    expected: { transaction_id: "adj_paddle_001", refunded: true, amount: 5, currency: "USD" },
  },
  ignored: { body: json(paddleAdjustment({ status: "pending_approval" })) },
  lifecycle: [
    {
      label: "subscription.created (trialing)",
      body: json(paddleSubscription("subscription.created", { status: "trialing" })),
      goals: [
        {
          name: "trial_started",
          metadata: { plan: "pro_01gsz4t5hdjse780zja8vvr7jg", subscription_id: "sub_paddle_1" },
        },
      ],
    },
    {
      label: "subscription.created (active)",
      body: json(paddleSubscription("subscription.created")),
      goals: [
        {
          name: "subscription_started",
          metadata: { plan: "pro_01gsz4t5hdjse780zja8vvr7jg", subscription_id: "sub_paddle_1" },
        },
      ],
    },
    {
      label: "subscription.canceled",
      body: json(paddleSubscription("subscription.canceled", { status: "canceled" })),
      goals: [
        {
          name: "subscription_ended",
          metadata: { plan: "pro_01gsz4t5hdjse780zja8vvr7jg", subscription_id: "sub_paddle_1" },
        },
      ],
    },
    {
      label: "transaction.payment_failed",
      body: json(
        paddleTransaction({
          id: "txn_paddle_failed",
          status: "past_due",
          origin: "subscription_recurring",
          subscription_id: "sub_paddle_1",
        }),
      ).replace('"transaction.completed"', '"transaction.payment_failed"'),
      goals: [
        {
          name: "payment_failed",
          metadata: {
            amount: "19.99",
            currency: "USD",
            transaction_id: "txn_paddle_failed",
            subscription_id: "sub_paddle_1",
          },
        },
      ],
    },
  ],
  inCurrency: (minor, currency) => ({
    body: json(
      paddleTransaction({ currency_code: currency, id: `txn_paddle_${currency}` }, { grand_total: String(minor) }),
    ),
    expected: { amount: major(minor, exponentOf(currency)), currency },
  }),
  withoutMetadata: {
    body: json(paddleTransaction({ id: "txn_paddle_anon", custom_data: null, customer_id: null })),
    expected: {
      amount: 19.99,
      currency: "USD",
      transaction_id: "txn_paddle_anon",
      renewal: false,
      timestamp: "2025-06-01T08:59:59.123Z",
    },
  },
};

// ---------------------------------------------------------------- creem

const creemCustomer = {
  id: "cust_creem_1",
  object: "customer",
  email: "buyer@example.com",
  name: "Alan Turing",
  country: "NL",
};

const creemCheckout = (order: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  id: "evt_creem_1",
  eventType: "checkout.completed",
  created_at: 1728734325927,
  object: {
    id: "ch_creem_1",
    object: "checkout",
    request_id: "req-1",
    order: {
      id: "ord_creem_001",
      customer: "cust_creem_1",
      product: "prod_creem_1",
      amount: 1999,
      currency: "USD",
      status: "paid",
      type: "onetime",
      created_at: "2024-10-12T11:58:33.097Z",
      mode: "test",
      ...order,
    },
    product: { id: "prod_creem_1", name: "Pro", price: 1999, currency: "USD", billing_type: "onetime" },
    customer: creemCustomer,
    custom_fields: [],
    status: "completed",
    metadata: { datafast_visitor_id: VISITOR },
    mode: "test",
    ...extra,
  },
});

export const creemSubscription = (extra: Record<string, unknown> = {}) => ({
  id: "evt_creem_2",
  eventType: "subscription.paid",
  created_at: 1731412727355,
  object: {
    id: "sub_creem_1",
    object: "subscription",
    product: { id: "prod_creem_2", name: "Monthly", price: 1000, currency: "EUR", billing_type: "recurring" },
    customer: creemCustomer,
    collection_method: "charge_automatically",
    status: "active",
    last_transaction_id: "tran_creem_002",
    last_transaction_date: "2024-11-12T11:58:47.109Z",
    next_transaction_date: "2024-12-12T11:58:38.000Z",
    current_period_start_date: "2024-11-12T11:58:38.000Z",
    current_period_end_date: "2024-12-12T11:58:38.000Z",
    canceled_at: null,
    created_at: "2024-10-12T11:58:45.425Z",
    updated_at: "2024-11-12T11:58:47.188Z",
    metadata: { datafast_visitor_id: VISITOR },
    mode: "test",
    ...extra,
  },
});

const creem: ProviderCase = {
  ...scheme("creem", "CREEM_WEBHOOK_SECRET", signsBodyOnly),
  payment: {
    body: json(creemCheckout()),
    expected: {
      amount: 19.99,
      currency: "USD",
      transaction_id: "ord_creem_001",
      datafast_visitor_id: VISITOR,
      email: "buyer@example.com",
      name: "Alan Turing",
      customer_id: "cust_creem_1",
      timestamp: "2024-10-12T11:58:45.927Z",
    },
  },
  renewal: {
    body: json(creemSubscription()),
    expected: {
      amount: 10,
      currency: "EUR",
      transaction_id: "tran_creem_002",
      renewal: true,
      datafast_visitor_id: VISITOR,
      timestamp: "2024-11-12T11:58:47.109Z",
    },
  },
  refund: {
    body: json({
      id: "evt_creem_3",
      eventType: "refund.created",
      created_at: 1731500000000,
      object: {
        id: "ref_creem_001",
        object: "refund",
        status: "succeeded",
        refund_amount: 1999,
        refund_currency: "USD",
        reason: "requested_by_customer",
        transaction: { id: "tran_creem_001", amount: 1999 },
        checkout: { id: "ch_creem_1", metadata: { datafast_visitor_id: VISITOR } },
        customer: creemCustomer,
        mode: "test",
      },
    }),
    expected: { transaction_id: "ref_creem_001", refunded: true, amount: 19.99, datafast_visitor_id: VISITOR },
  },
  // subscription.paid for the first period: checkout.completed already recorded that money.
  ignored: {
    body: json(
      creemSubscription({
        last_transaction_id: "tran_creem_001",
        current_period_start_date: "2024-10-12T11:58:38.000Z",
      }),
    ),
  },
  lifecycle: [
    {
      label: "subscription.trialing",
      body: json({ ...creemSubscription({ status: "trialing" }), eventType: "subscription.trialing" }),
      goals: [{ name: "trial_started", metadata: { plan: "prod_creem_2", subscription_id: "sub_creem_1" } }],
    },
    {
      label: "subscription.active",
      body: json({ ...creemSubscription(), eventType: "subscription.active" }),
      goals: [{ name: "subscription_started", metadata: { plan: "prod_creem_2", subscription_id: "sub_creem_1" } }],
    },
    {
      label: "subscription.scheduled_cancel",
      body: json({ ...creemSubscription({ status: "scheduled_cancel" }), eventType: "subscription.scheduled_cancel" }),
      goals: [{ name: "subscription_cancelled", metadata: { plan: "prod_creem_2", subscription_id: "sub_creem_1" } }],
    },
    {
      label: "subscription.canceled",
      body: json({ ...creemSubscription({ status: "canceled" }), eventType: "subscription.canceled" }),
      goals: [{ name: "subscription_ended", metadata: { plan: "prod_creem_2", subscription_id: "sub_creem_1" } }],
    },
    {
      label: "dispute.created",
      body: json({
        id: "evt_creem_4",
        eventType: "dispute.created",
        created_at: 1731600000000,
        object: {
          id: "disp_creem_1",
          object: "dispute",
          amount: 1999,
          currency: "USD",
          transaction: { id: "tran_creem_001" },
          checkout: { id: "ch_creem_1", metadata: { datafast_visitor_id: VISITOR } },
          customer: creemCustomer,
        },
      }),
      goals: [{ name: "dispute_opened", metadata: { amount: "19.99", currency: "USD" } }],
    },
  ],
  inCurrency: (minor, currency) => ({
    body: json(creemCheckout({ amount: minor, currency, id: `ord_creem_${currency}` })),
    expected: { amount: major(minor, exponentOf(currency)), currency },
  }),
  withoutMetadata: {
    body: json(creemCheckout({ id: "ord_creem_anon" }, { metadata: null, customer: "cust_creem_1" })),
    expected: {
      amount: 19.99,
      currency: "USD",
      transaction_id: "ord_creem_anon",
      customer_id: "cust_creem_1",
      timestamp: "2024-10-12T11:58:45.927Z",
    },
  },
};

// ---------------------------------------------------------------- shopify

/** Shopify ids exceed 2^53: written into the raw JSON as numbers, as Shopify sends them. */
const shopifyOrder = (id: string, extra: Record<string, unknown> = {}) =>
  json({
    id: "@@ID@@",
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    email: "buyer@example.com",
    created_at: "2025-07-01T10:00:00-05:00",
    processed_at: "2025-07-01T10:00:01-05:00",
    currency: "USD",
    presentment_currency: "USD",
    total_price: "19.99",
    subtotal_price: "19.99",
    financial_status: "paid",
    name: "#1001",
    source_name: "web",
    test: false,
    note_attributes: [
      { name: "gift_note", value: "hi" },
      { name: "datafast_visitor_id", value: VISITOR },
    ],
    customer: {
      id: "@@CUSTOMER@@",
      admin_graphql_api_id: "gid://shopify/Customer/115310627314723954",
      email: "buyer@example.com",
      first_name: "Katherine",
      last_name: "Johnson",
    },
    ...extra,
  })
    .replace('"@@ID@@"', id)
    .replace('"@@CUSTOMER@@"', "115310627314723954");

const orderPaid = { "x-shopify-topic": "orders/paid", "x-shopify-webhook-id": "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043" };

const shopify: ProviderCase = {
  ...scheme("shopify", "SHOPIFY_WEBHOOK_SECRET", signsBodyOnly),
  payment: {
    body: shopifyOrder("820982911946154508"),
    headers: orderPaid,
    expected: {
      amount: 19.99,
      currency: "USD",
      transaction_id: "820982911946154508",
      renewal: false,
      datafast_visitor_id: VISITOR,
      email: "buyer@example.com",
      name: "Katherine Johnson",
      customer_id: "115310627314723954",
      timestamp: "2025-07-01T15:00:01.000Z",
    },
  },
  renewal: {
    body: shopifyOrder("820982911946154509", { source_name: "subscription_contract", note_attributes: [] }),
    headers: orderPaid,
    expected: { transaction_id: "820982911946154509", renewal: true },
  },
  refund: {
    body: json({
      id: 929361464,
      order_id: 450789469,
      created_at: "2025-07-02T10:00:00-05:00",
      processed_at: "2025-07-02T10:00:00-05:00",
      restock: true,
      admin_graphql_api_id: "gid://shopify/Refund/929361464",
      refund_line_items: [],
      transactions: [
        { id: 1, kind: "refund", status: "success", amount: "0.10", currency: "USD", gateway: "bogus" },
        { id: 2, kind: "refund", status: "success", amount: "0.20", currency: "USD", gateway: "bogus" },
        { id: 3, kind: "refund", status: "failure", amount: "5.00", currency: "USD", gateway: "bogus" },
      ],
    }),
    headers: { "x-shopify-topic": "refunds/create" },
    // 0.10 + 0.20 added in cents: exactly 0.3, not 0.30000000000000004.
    expected: { transaction_id: "refund_929361464", refunded: true, amount: 0.3, currency: "USD" },
  },
  ignored: {
    body: json({ id: 1, admin_graphql_api_id: "gid://shopify/Order/1" }),
    headers: { "x-shopify-topic": "orders/create" },
  },
  inCurrency: (minor, currency) => {
    const exponent = exponentOf(currency);
    // Shopify writes prices with the currency's decimals: "1999" JPY, "1.999" KWD.
    const price = exponent === 0 ? String(minor) : major(minor, exponent).toFixed(exponent);
    return {
      body: shopifyOrder("777", { currency, total_price: price }),
      headers: orderPaid,
      expected: { amount: major(minor, exponent), currency, transaction_id: "777" },
    };
  },
  withoutMetadata: {
    body: shopifyOrder("778", { note_attributes: [], customer: null, email: null }),
    headers: orderPaid,
    expected: {
      amount: 19.99,
      currency: "USD",
      transaction_id: "778",
      renewal: false,
      timestamp: "2025-07-01T15:00:01.000Z",
    },
  },
};

// ---------------------------------------------------------------- razorpay

const razorpayPayment = (entity: Record<string, unknown> = {}) => ({
  id: "pay_rzp_001",
  entity: "payment",
  amount: 1999,
  currency: "INR",
  status: "captured",
  order_id: "order_rzp_1",
  invoice_id: null,
  international: false,
  method: "upi",
  amount_refunded: 0,
  captured: true,
  email: "buyer@example.com",
  contact: "+919876543210",
  customer_id: "cust_rzp_5",
  notes: { datafast_visitor_id: VISITOR },
  created_at: 1751360000,
  ...entity,
});

const razorpayEvent = (event: string, payload: Record<string, unknown>) => ({
  entity: "event",
  account_id: "acc_rzp",
  event,
  contains: Object.keys(payload),
  payload,
  created_at: 1751360005,
});

/** Razorpay's subscription entity (its subscription.activated sample, trimmed). */
const razorpaySubscription = (entity: Record<string, unknown> = {}) => ({
  id: "sub_rzp_1",
  entity: "subscription",
  plan_id: "plan_rzp_monthly",
  customer_id: "cust_rzp_5",
  status: "active",
  paid_count: 1,
  notes: { datafast_visitor_id: VISITOR },
  ...entity,
});

const razorpay: ProviderCase = {
  ...scheme("razorpay", "RAZORPAY_WEBHOOK_SECRET", signsBodyOnly),
  payment: {
    body: json(razorpayEvent("payment.captured", { payment: { entity: razorpayPayment() } })),
    expected: {
      amount: 19.99,
      currency: "INR",
      transaction_id: "pay_rzp_001",
      renewal: false,
      datafast_visitor_id: VISITOR,
      email: "buyer@example.com",
      customer_id: "cust_rzp_5",
      timestamp: "2025-07-01T08:53:20.000Z",
    },
  },
  renewal: {
    body: json(
      razorpayEvent("subscription.charged", {
        subscription: { entity: { id: "sub_rzp_1", paid_count: 3, notes: { datafast_visitor_id: VISITOR } } },
        payment: { entity: razorpayPayment({ id: "pay_rzp_002", invoice_id: "inv_rzp_2", notes: [] }) },
      }),
    ),
    expected: { transaction_id: "pay_rzp_002", renewal: true, datafast_visitor_id: VISITOR },
  },
  refund: {
    body: json(
      razorpayEvent("refund.processed", {
        refund: {
          entity: {
            id: "rfnd_rzp_001",
            entity: "refund",
            amount: 500,
            currency: "INR",
            payment_id: "pay_rzp_001",
            notes: [],
            status: "processed",
            created_at: 1751400000,
          },
        },
        payment: { entity: razorpayPayment() },
      }),
    ),
    expected: { transaction_id: "rfnd_rzp_001", refunded: true, amount: 5, datafast_visitor_id: VISITOR },
  },
  // The first charge of a subscription also fires payment.captured: recorded from subscription.charged.
  ignored: {
    body: json(razorpayEvent("payment.captured", { payment: { entity: razorpayPayment({ invoice_id: "inv_1" }) } })),
  },
  inCurrency: (minor, currency) => ({
    body: json(
      razorpayEvent("payment.captured", {
        payment: { entity: razorpayPayment({ amount: minor, currency, id: `pay_rzp_${currency}` }) },
      }),
    ),
    expected: { amount: major(minor, exponentOf(currency)), currency },
  }),
  lifecycle: [
    {
      label: "subscription.activated",
      body: json(razorpayEvent("subscription.activated", { subscription: { entity: razorpaySubscription() } })),
      goals: [{ name: "subscription_started", metadata: { plan: "plan_rzp_monthly", subscription_id: "sub_rzp_1" } }],
    },
    {
      label: "subscription.cancelled",
      body: json(
        razorpayEvent("subscription.cancelled", {
          subscription: { entity: razorpaySubscription({ status: "cancelled" }) },
        }),
      ),
      goals: [{ name: "subscription_ended", metadata: { plan: "plan_rzp_monthly", subscription_id: "sub_rzp_1" } }],
    },
    {
      label: "payment.failed",
      body: json(
        razorpayEvent("payment.failed", {
          payment: { entity: razorpayPayment({ id: "pay_rzp_f", status: "failed" }) },
        }),
      ),
      goals: [{ name: "payment_failed", metadata: { amount: "19.99", currency: "INR", transaction_id: "pay_rzp_f" } }],
    },
    {
      label: "payment.dispute.created",
      body: json(
        razorpayEvent("payment.dispute.created", {
          payment: { entity: razorpayPayment() },
          dispute: {
            entity: { id: "disp_rzp_1", entity: "dispute", amount: 1999, currency: "INR", reason_code: "chargeback" },
          },
        }),
      ),
      goals: [
        {
          name: "dispute_opened",
          metadata: { amount: "19.99", currency: "INR", transaction_id: "pay_rzp_001", reason: "chargeback" },
        },
      ],
    },
  ],
  withoutMetadata: {
    body: json(
      razorpayEvent("payment.captured", {
        payment: { entity: razorpayPayment({ id: "pay_rzp_anon", notes: [], email: null, customer_id: null }) },
      }),
    ),
    expected: {
      amount: 19.99,
      currency: "INR",
      transaction_id: "pay_rzp_anon",
      renewal: false,
      timestamp: "2025-07-01T08:53:20.000Z",
    },
  },
};

// ---------------------------------------------------------------- paystack

const paystackCharge = (data: Record<string, unknown> = {}) => ({
  event: "charge.success",
  data: {
    id: 302961,
    domain: "test",
    status: "success",
    reference: "ref_pstk_001",
    amount: 1999,
    currency: "NGN",
    channel: "card",
    paid_at: "2025-08-01T10:00:00.000Z",
    created_at: "2025-08-01T09:59:00.000Z",
    metadata: { datafast_visitor_id: VISITOR },
    customer: {
      id: 68324,
      first_name: "Chinua",
      last_name: "Achebe",
      email: "buyer@example.com",
      customer_code: "CUS_pstk_1",
    },
    plan: {},
    ...data,
  },
});

const paystack: ProviderCase = {
  ...scheme("paystack", "PAYSTACK_SECRET_KEY", signsBodyOnly),
  payment: {
    body: json(paystackCharge()),
    expected: {
      amount: 19.99,
      currency: "NGN",
      transaction_id: "ref_pstk_001",
      datafast_visitor_id: VISITOR,
      email: "buyer@example.com",
      name: "Chinua Achebe",
      customer_id: "CUS_pstk_1",
      timestamp: "2025-08-01T10:00:00.000Z",
    },
  },
  // Paystack marks no renewal: a plan's recurring charge is recorded by its reference, renewal unset.
  // Its metadata arrives as a JSON string here, as some SDKs send it.
  renewal: {
    body: json(
      paystackCharge({
        reference: "ref_pstk_002",
        plan: { plan_code: "PLN_monthly" },
        metadata: JSON.stringify({ custom_fields: [{ variable_name: "datafast_visitor_id", value: VISITOR }] }),
      }),
    ),
    expected: { transaction_id: "ref_pstk_002", datafast_visitor_id: VISITOR },
  },
  refund: {
    body: json({
      event: "refund.processed",
      data: {
        status: "processed",
        transaction_reference: "ref_pstk_001",
        refund_reference: "rfd_pstk_001",
        amount: "500",
        currency: "NGN",
        processor: "mpgs_zen",
        customer: { first_name: "Chinua", last_name: "Achebe", email: "buyer@example.com" },
        integration: 123456,
        domain: "test",
      },
    }),
    expected: { transaction_id: "refund_rfd_pstk_001", refunded: true, amount: 5, currency: "NGN" },
  },
  ignored: { body: json({ event: "transfer.success", data: { reference: "t1", amount: 100 } }) },
  inCurrency: (minor, currency) => ({
    body: json(paystackCharge({ amount: minor, currency, reference: `ref_pstk_${currency}` })),
    expected: { amount: major(minor, exponentOf(currency)), currency },
  }),
  withoutMetadata: {
    body: json(paystackCharge({ reference: "ref_pstk_anon", metadata: "", customer: null })),
    expected: {
      amount: 19.99,
      currency: "NGN",
      transaction_id: "ref_pstk_anon",
      timestamp: "2025-08-01T10:00:00.000Z",
    },
  },
};

// ---------------------------------------------------------------- gumroad

export const gumroadPing = (fields: Record<string, string> = {}) =>
  new URLSearchParams({
    seller_id: "seller_1",
    product_id: "prod_1",
    product_name: "Ebook",
    permalink: "ebook",
    sale_id: "sale_gum_001",
    sale_timestamp: "2025-09-01T10:00:00Z",
    order_number: "524459",
    email: "buyer@example.com",
    full_name: "Ada Lovelace",
    purchaser_id: "purch_gum_1",
    price: "1999",
    currency: "usd",
    quantity: "1",
    is_recurring_charge: "false",
    refunded: "false",
    test: "false",
    "url_params[datafast_visitor_id]": VISITOR,
    "url_params[utm_source]": "newsletter",
    ...fields,
  }).toString();

const gumroad: ProviderCase = {
  ...scheme(
    "gumroad",
    "GUMROAD_WEBHOOK_TOKEN",
    { signsTimestamp: false, signsBody: false, multipleSignatures: false },
    "application/x-www-form-urlencoded",
  ),
  payment: {
    body: gumroadPing(),
    expected: {
      amount: 19.99,
      currency: "USD",
      transaction_id: "sale_gum_001",
      renewal: false,
      refunded: false,
      datafast_visitor_id: VISITOR,
      email: "buyer@example.com",
      name: "Ada Lovelace",
      customer_id: "purch_gum_1",
      timestamp: "2025-09-01T10:00:00.000Z",
    },
  },
  renewal: {
    body: gumroadPing({ sale_id: "sale_gum_002", is_recurring_charge: "true", subscription_id: "sub_gum_1" }),
    expected: { transaction_id: "sale_gum_002", renewal: true },
  },
  refund: {
    body: gumroadPing({ resource_name: "refund", refunded: "true" }),
    expected: { transaction_id: "refund_sale_gum_001", refunded: true, amount: 19.99 },
  },
  ignored: { body: gumroadPing({ resource_name: "cancellation", cancelled: "true" }) },
  withoutMetadata: {
    body: new URLSearchParams({
      sale_id: "sale_gum_anon",
      sale_timestamp: "2025-09-01T10:00:00Z",
      price: "1999",
      currency: "usd",
      is_recurring_charge: "false",
      refunded: "false",
    }).toString(),
    expected: {
      amount: 19.99,
      currency: "USD",
      transaction_id: "sale_gum_anon",
      renewal: false,
      refunded: false,
      timestamp: "2025-09-01T10:00:00.000Z",
    },
  },
};

// ---------------------------------------------------------------- revenuecat

/** RevenueCat's documented INITIAL_PURCHASE sample, with a datafast_visitor_id attribute. */
const revenueCatEvent = (event: Record<string, unknown> = {}) => ({
  api_version: "1.0",
  event: {
    aliases: ["$RCAnonymousID:8069238d6049ce87cc529853916d624c"],
    app_id: "1234567890",
    app_user_id: "user_rc_42",
    country_code: "US",
    currency: "USD",
    entitlement_ids: ["pro_cat"],
    environment: "PRODUCTION",
    event_timestamp_ms: 1591121855319,
    expiration_at_ms: 1591726653000,
    id: "CD489E0E-5D73-4D4D-A6E5-7F2A8B1D0C11",
    is_family_share: false,
    original_transaction_id: "1530000000000000",
    period_type: "NORMAL",
    price: 2.49,
    price_in_purchased_currency: 2.49,
    product_id: "onemonth_no_trial",
    purchased_at_ms: 1591121853000,
    store: "APP_STORE",
    subscriber_attributes: {
      $email: { updated_at_ms: 1662955084635, value: "buyer@example.com" },
      datafast_visitor_id: { updated_at_ms: 1662955084635, value: VISITOR },
    },
    takehome_percentage: 0.7,
    transaction_id: "170000869511114",
    type: "INITIAL_PURCHASE",
    ...event,
  },
});

const revenuecat: ProviderCase = {
  ...scheme("revenuecat", "REVENUECAT_WEBHOOK_AUTH", signsNothing),
  payment: {
    body: json(revenueCatEvent()),
    expected: {
      amount: 2.49,
      currency: "USD",
      transaction_id: "170000869511114",
      renewal: false,
      is_free_trial: false,
      datafast_visitor_id: VISITOR,
      email: "buyer@example.com",
      customer_id: "user_rc_42",
      timestamp: "2020-06-02T18:17:33.000Z",
    },
  },
  renewal: {
    body: json(revenueCatEvent({ type: "RENEWAL", transaction_id: "170000869511115" })),
    expected: { transaction_id: "170000869511115", renewal: true, amount: 2.49 },
  },
  // The store refunded the purchase: CANCELLATION with CUSTOMER_SUPPORT and a negative price.
  refund: {
    body: json(
      revenueCatEvent({
        type: "CANCELLATION",
        cancel_reason: "CUSTOMER_SUPPORT",
        price: -2.49,
        price_in_purchased_currency: -2.49,
      }),
    ),
    expected: {
      transaction_id: "refund_170000869511114",
      refunded: true,
      amount: 2.49,
      timestamp: "2020-06-02T18:17:35.319Z",
    },
  },
  ignored: { body: json(revenueCatEvent({ type: "CANCELLATION", cancel_reason: "UNSUBSCRIBE" })) },
  inCurrency: (minor, currency) => {
    const amount = major(minor, exponentOf(currency));
    return {
      body: json(revenueCatEvent({ price_in_purchased_currency: amount, currency, transaction_id: `rc_${currency}` })),
      expected: { amount, currency },
    };
  },
  lifecycle: [
    {
      label: "a paid INITIAL_PURCHASE",
      body: json(revenueCatEvent()),
      goals: [
        {
          name: "subscription_started",
          metadata: { plan: "onemonth_no_trial", amount: "2.49", currency: "USD", transaction_id: "170000869511114" },
        },
      ],
    },
    {
      label: "a trial's INITIAL_PURCHASE",
      body: json(revenueCatEvent({ period_type: "TRIAL", price: 0, price_in_purchased_currency: 0 })),
      goals: [{ name: "trial_started", metadata: { amount: "0", currency: "USD", transaction_id: "170000869511114" } }],
    },
    {
      label: "a trial converting (RENEWAL, is_trial_conversion)",
      body: json(revenueCatEvent({ type: "RENEWAL", is_trial_conversion: true, transaction_id: "170000869511116" })),
      goals: [
        {
          name: "subscription_started",
          metadata: { plan: "onemonth_no_trial", amount: "2.49", currency: "USD", transaction_id: "170000869511116" },
        },
      ],
    },
    {
      label: "a CANCELLATION (UNSUBSCRIBE)",
      body: json(revenueCatEvent({ type: "CANCELLATION", cancel_reason: "UNSUBSCRIBE" })),
      goals: [
        {
          name: "subscription_cancelled",
          metadata: { plan: "onemonth_no_trial", subscription_id: "1530000000000000", reason: "UNSUBSCRIBE" },
        },
      ],
    },
    {
      label: "an EXPIRATION",
      body: json(revenueCatEvent({ type: "EXPIRATION", expiration_reason: "UNSUBSCRIBE" })),
      goals: [
        {
          name: "subscription_ended",
          metadata: { plan: "onemonth_no_trial", subscription_id: "1530000000000000", reason: "UNSUBSCRIBE" },
        },
      ],
    },
    {
      label: "a BILLING_ISSUE",
      body: json(revenueCatEvent({ type: "BILLING_ISSUE", grace_period_expiration_at_ms: 1591726653000 })),
      goals: [{ name: "payment_failed", metadata: { plan: "onemonth_no_trial", subscription_id: "1530000000000000" } }],
    },
  ],
  withoutMetadata: {
    body: json(revenueCatEvent({ transaction_id: "rc_anon", subscriber_attributes: {}, app_user_id: null })),
    expected: {
      amount: 2.49,
      currency: "USD",
      transaction_id: "rc_anon",
      renewal: false,
      is_free_trial: false,
      timestamp: "2020-06-02T18:17:33.000Z",
    },
  },
};

// ---------------------------------------------------------------- paypal

const paypalIdentity = paypalSigningIdentity();
const PAYPAL_CERTIFICATE = "CERT-360caa42-fca2a594-a5cafa77";
providerApis.paypalCertificates.set(PAYPAL_CERTIFICATE, paypalIdentity.certificate);
/** Where deliveries say PayPal's certificate is: the stand-in, the origin of PAYPAL_API_URL. */
export const paypalCertUrl = `${providerApis.url}/v1/notifications/certs/${PAYPAL_CERTIFICATE}`;
export const paypalSigning: PayPalSigning = { privateKey: paypalIdentity.privateKey, certUrl: paypalCertUrl };

/** PayPal's documented PAYMENT.CAPTURE.COMPLETED sample, the visitor id in `custom_id`. */
const paypalCapture = (resource: Record<string, unknown> = {}, event: Record<string, unknown> = {}) => ({
  id: "WH-58D329510W468432D-8HN650336L201105X",
  create_time: "2019-02-14T21:50:07.940Z",
  resource_type: "capture",
  event_type: "PAYMENT.CAPTURE.COMPLETED",
  summary: "Payment completed for $ 30.0 USD",
  resource: {
    amount: { currency_code: "USD", value: "30.00" },
    seller_protection: { status: "ELIGIBLE", dispute_categories: ["ITEM_NOT_RECEIVED"] },
    final_capture: true,
    seller_receivable_breakdown: {
      gross_amount: { currency_code: "USD", value: "30.00" },
      paypal_fee: { currency_code: "USD", value: "1.54" },
      net_amount: { currency_code: "USD", value: "28.46" },
    },
    custom_id: VISITOR,
    create_time: "2019-02-14T21:49:58Z",
    update_time: "2019-02-14T21:49:58Z",
    id: "27M47624FP291604U",
    status: "COMPLETED",
    ...resource,
  },
  event_version: "1.0",
  resource_version: "2.0",
  ...event,
});

/** PayPal's subscription notification (its BILLING.SUBSCRIPTION.ACTIVATED sample, trimmed). */
const paypalSubscription = (type: string, resource: Record<string, unknown> = {}) => ({
  id: "WH-77687562XN25889J8-8Y6T55435R66168T6",
  create_time: "2018-12-19T22:20:32.000Z",
  resource_type: "subscription",
  event_type: type,
  resource: {
    id: "I-BW452GLLEP1G",
    plan_id: "P-5ML4271244454362WXNWU5NQ",
    status: "ACTIVE",
    custom_id: VISITOR,
    subscriber: { email_address: "buyer@example.com" },
    ...resource,
  },
  event_version: "1.0",
  resource_version: "2.0",
});

const paypal: ProviderCase = {
  ...scheme("paypal", "PAYPAL_WEBHOOK_ID", { ...signsBodyOnly, signsTimestamp: true }, "application/json", {
    paypal: paypalSigning,
  }),
  payment: {
    body: json(paypalCapture()),
    expected: {
      amount: 30,
      currency: "USD",
      transaction_id: "27M47624FP291604U",
      datafast_visitor_id: VISITOR,
      timestamp: "2019-02-14T21:49:58.000Z",
    },
  },
  // PayPal's documented PAYMENT.SALE.COMPLETED sample: a subscription's charge (no renewal marker).
  renewal: {
    body: json({
      id: "WH-2WR32451HC0233532-67976317FL4543714",
      event_version: "1.0",
      create_time: "2016-04-27T21:40:55Z",
      resource_type: "sale",
      event_type: "PAYMENT.SALE.COMPLETED",
      summary: "A payment of 1.54 USD was made",
      resource: {
        id: "80021663DE681814L",
        state: "completed",
        amount: { total: "1.54", currency: "USD", details: { subtotal: "1.54" } },
        payment_mode: "INSTANT_TRANSFER",
        billing_agreement_id: "I-PE7JWXKGVN0R",
        custom_id: VISITOR,
        create_time: "2016-04-27T21:40:27Z",
        update_time: "2016-04-27T21:40:55Z",
      },
    }),
    expected: {
      transaction_id: "80021663DE681814L",
      amount: 1.54,
      customer_id: "I-PE7JWXKGVN0R",
      datafast_visitor_id: VISITOR,
    },
  },
  // PayPal's documented PAYMENT.CAPTURE.REFUNDED sample.
  refund: {
    body: json({
      id: "WH-1GE84257G0350133W-6RW800890C634293G",
      create_time: "2018-08-15T19:14:04.543Z",
      resource_type: "refund",
      event_type: "PAYMENT.CAPTURE.REFUNDED",
      summary: "A $ 0.99 USD capture payment was refunded",
      resource: {
        amount: { currency_code: "USD", value: "0.99" },
        update_time: "2018-08-15T12:13:29-07:00",
        create_time: "2018-08-15T12:13:29-07:00",
        id: "1Y107995YT783435V",
        status: "COMPLETED",
      },
    }),
    expected: {
      transaction_id: "refund_1Y107995YT783435V",
      refunded: true,
      amount: 0.99,
      timestamp: "2018-08-15T19:13:29.000Z",
    },
  },
  lifecycle: [
    {
      label: "BILLING.SUBSCRIPTION.ACTIVATED",
      body: json(paypalSubscription("BILLING.SUBSCRIPTION.ACTIVATED")),
      goals: [
        {
          name: "subscription_started",
          metadata: { plan: "P-5ML4271244454362WXNWU5NQ", subscription_id: "I-BW452GLLEP1G" },
        },
      ],
    },
    {
      label: "BILLING.SUBSCRIPTION.CANCELLED",
      body: json(paypalSubscription("BILLING.SUBSCRIPTION.CANCELLED", { status: "CANCELLED" })),
      goals: [
        {
          name: "subscription_ended",
          metadata: { plan: "P-5ML4271244454362WXNWU5NQ", subscription_id: "I-BW452GLLEP1G" },
        },
      ],
    },
    {
      label: "BILLING.SUBSCRIPTION.PAYMENT.FAILED",
      body: json(paypalSubscription("BILLING.SUBSCRIPTION.PAYMENT.FAILED")),
      goals: [
        { name: "payment_failed", metadata: { plan: "P-5ML4271244454362WXNWU5NQ", subscription_id: "I-BW452GLLEP1G" } },
      ],
    },
  ],
  ignored: {
    body: json({ id: "WH-1", event_type: "CHECKOUT.ORDER.APPROVED", resource: { id: "5O190127TN364715T" } }),
  },
  inCurrency: (minor, currency) => {
    const exponent = exponentOf(currency);
    return {
      body: json(
        paypalCapture({
          id: `CAPTURE${currency}`,
          amount: { currency_code: currency, value: major(minor, exponent).toFixed(exponent) },
        }),
      ),
      expected: { amount: major(minor, exponent), currency },
    };
  },
  withoutMetadata: {
    body: json(paypalCapture({ id: "9ANONYMOUS0000000", custom_id: null })),
    expected: {
      amount: 30,
      currency: "USD",
      transaction_id: "9ANONYMOUS0000000",
      timestamp: "2019-02-14T21:49:58.000Z",
    },
  },
};

// ---------------------------------------------------------------- mollie

/**
 * A payment as Mollie's `GET /v2/payments/{id}` returns it (its documented sample), put on the
 * API stand-in; the delivery is only `id=<payment id>`.
 */
export function molliePayment(fields: Record<string, unknown> = {}): string {
  const payment = {
    resource: "payment",
    id: "tr_7UhSN1zuXS",
    mode: "live",
    createdAt: "2018-03-20T09:13:37+00:00",
    amount: { value: "10.00", currency: "EUR" },
    description: "Order #12345",
    method: "ideal",
    metadata: { order_id: "12345", datafast_visitor_id: VISITOR },
    status: "paid",
    paidAt: "2018-03-20T09:14:37+00:00",
    amountRefunded: { value: "0.00", currency: "EUR" },
    locale: "nl_NL",
    countryCode: "NL",
    profileId: "pfl_QkEhN94Ba",
    sequenceType: "oneoff",
    customerId: "cst_8wmqcHMN4U",
    redirectUrl: "https://webshop.example.org/order/12345/",
    webhookUrl: "https://functions.example/api/webhooks/mollie",
    ...fields,
  };
  providerApis.molliePayments.set(payment.id, payment);
  return `id=${payment.id}`;
}

/** Mollie's documented refund sample, as embedded in its payment. */
export const mollieRefund = (fields: Record<string, unknown> = {}) => ({
  resource: "refund",
  id: "re_4qqhO89gsT",
  amount: { currency: "EUR", value: "5.95" },
  status: "refunded",
  createdAt: "2018-03-21T17:09:02+00:00",
  paymentId: "tr_WDqYK6vllg",
  ...fields,
});

const mollie: ProviderCase = {
  provider: "mollie",
  secretName: "MOLLIE_API_KEY",
  signsTimestamp: false,
  // Nothing is signed, but the id in the body is looked up with the key: a changed id is unknown.
  signsBody: true,
  multipleSignatures: false,
  verifiedByApi: true,
  // "Signed with another secret" is a payment of the account that key belongs to.
  request: (body, headers = {}, options = {}) => {
    const id = new URLSearchParams(body).get("id");
    if (id) providerApis.mollieOwners.set(id, options.secret ?? secrets.MOLLIE_API_KEY);
    return post("mollie", body, { "content-type": "application/x-www-form-urlencoded", ...headers });
  },
  payment: {
    body: molliePayment(),
    expected: {
      amount: 10,
      currency: "EUR",
      transaction_id: "tr_7UhSN1zuXS",
      renewal: false,
      datafast_visitor_id: VISITOR,
      customer_id: "cst_8wmqcHMN4U",
      timestamp: "2018-03-20T09:14:37.000Z",
    },
  },
  renewal: {
    body: molliePayment({ id: "tr_3RkSN1zuPE", sequenceType: "recurring", mandateId: "mdt_h3gAaD5zP" }),
    expected: { transaction_id: "tr_3RkSN1zuPE", renewal: true, amount: 10 },
  },
  // Mollie calls the payment's webhook when its refund is done: the payment is sent again (DataFast
  // deduplicates it) with the refund under the refund's own id.
  refund: {
    body: molliePayment({
      id: "tr_WDqYK6vllg",
      amountRefunded: { value: "5.95", currency: "EUR" },
      _embedded: { refunds: [mollieRefund()] },
    }),
    expected: { transaction_id: "re_4qqhO89gsT", refunded: true, amount: 5.95, currency: "EUR" },
    alsoRecords: ["tr_WDqYK6vllg"],
  },
  lifecycle: [
    {
      label: "a failed payment",
      body: molliePayment({
        id: "tr_failedGoal1",
        status: "failed",
        paidAt: null,
        failedAt: "2018-03-20T09:14:37+00:00",
      }),
      goals: [
        { name: "payment_failed", metadata: { amount: "10", currency: "EUR", transaction_id: "tr_failedGoal1" } },
      ],
    },
  ],
  ignored: { body: molliePayment({ id: "tr_9xpGNe2Sbb", status: "expired", paidAt: null }) },
  inCurrency: (minor, currency) => {
    const exponent = exponentOf(currency);
    return {
      body: molliePayment({
        id: `tr_${currency}1`,
        amount: { value: major(minor, exponent).toFixed(exponent), currency },
      }),
      expected: { amount: major(minor, exponent), currency },
    };
  },
  withoutMetadata: {
    body: molliePayment({ id: "tr_an0nymous", metadata: null, customerId: null }),
    expected: {
      amount: 10,
      currency: "EUR",
      transaction_id: "tr_an0nymous",
      renewal: false,
      timestamp: "2018-03-20T09:14:37.000Z",
    },
  },
};

// ---------------------------------------------------------------- chargebee

/** Chargebee's documented payment_succeeded sample, the visitor id in a subscription custom field. */
const chargebeeEvent = (
  transaction: Record<string, unknown> = {},
  content: Record<string, unknown> = {},
  event: Record<string, unknown> = {},
) => ({
  id: "ev_16BPgETyVrQbiGhA",
  occurred_at: 1702647783,
  source: "admin_console",
  object: "event",
  api_version: "v2",
  event_type: "payment_succeeded",
  webhook_status: "not_configured",
  content: {
    transaction: {
      id: "txn_AzZhUGSPAkLskJQo",
      customer_id: "__test__KyVnHhSBWl7eY2bl",
      subscription_id: "__test__KyVnHhSBWl7eY2bl",
      payment_method: "card",
      gateway: "chargebee",
      type: "payment",
      date: 1702647783,
      exchange_rate: 1,
      amount: 1000,
      status: "success",
      object: "transaction",
      currency_code: "USD",
      base_currency_code: "USD",
      ...transaction,
    },
    invoice: { id: "__demo_inv__1", recurring: true, status: "paid", total: 1000, first_invoice: true },
    customer: {
      id: "__test__KyVnHhSBWl7eY2bl",
      first_name: "John",
      last_name: "Doe",
      email: "buyer@example.com",
      object: "customer",
    },
    subscription: { id: "__test__KyVnHhSBWl7eY2bl", status: "active", cf_datafast_visitor_id: VISITOR },
    ...content,
  },
  ...event,
});

/** Chargebee's subscription events (product catalog 2.0): the subscription with its items. */
const chargebeeSubscriptionEvent = (type: string, subscription: Record<string, unknown> = {}) => ({
  id: "ev_16BPgETyVrQbiGhB",
  occurred_at: 1702647783,
  object: "event",
  api_version: "v2",
  event_type: type,
  content: {
    subscription: {
      id: "__test__KyVnHhSBWl7eY2bl",
      status: "active",
      cf_datafast_visitor_id: VISITOR,
      subscription_items: [{ item_price_id: "pro-USD-monthly", item_type: "plan", quantity: 1 }],
      ...subscription,
    },
    customer: { id: "__test__KyVnHhSBWl7eY2bl", email: "buyer@example.com", object: "customer" },
  },
});

const chargebee: ProviderCase = {
  ...scheme("chargebee", "CHARGEBEE_WEBHOOK_PASSWORD", signsNothing, "application/json", {
    username: settings.CHARGEBEE_WEBHOOK_USERNAME,
  }),
  payment: {
    body: json(chargebeeEvent()),
    expected: {
      amount: 10,
      currency: "USD",
      transaction_id: "txn_AzZhUGSPAkLskJQo",
      renewal: false,
      datafast_visitor_id: VISITOR,
      email: "buyer@example.com",
      name: "John Doe",
      customer_id: "__test__KyVnHhSBWl7eY2bl",
      timestamp: "2023-12-15T13:43:03.000Z",
    },
  },
  renewal: {
    body: json(
      chargebeeEvent({ id: "txn_16BPgETyVrQbj1" }, { invoice: { id: "__demo_inv__2", first_invoice: false } }),
    ),
    expected: { transaction_id: "txn_16BPgETyVrQbj1", renewal: true, amount: 10 },
  },
  // payment_refunded carries the refund's own transaction.
  refund: {
    body: json(
      chargebeeEvent(
        { id: "txn_16BPgETyVrRfd2", type: "refund", amount: 450 },
        { invoice: null },
        { event_type: "payment_refunded" },
      ),
    ),
    expected: { transaction_id: "txn_16BPgETyVrRfd2", refunded: true, amount: 4.5, datafast_visitor_id: VISITOR },
  },
  lifecycle: [
    {
      label: "subscription_created (in_trial)",
      body: json(chargebeeSubscriptionEvent("subscription_created", { status: "in_trial" })),
      goals: [
        { name: "trial_started", metadata: { plan: "pro-USD-monthly", subscription_id: "__test__KyVnHhSBWl7eY2bl" } },
      ],
    },
    {
      label: "subscription_created (active)",
      body: json(chargebeeSubscriptionEvent("subscription_created")),
      goals: [
        {
          name: "subscription_started",
          metadata: { plan: "pro-USD-monthly", subscription_id: "__test__KyVnHhSBWl7eY2bl" },
        },
      ],
    },
    {
      label: "subscription_cancellation_scheduled",
      body: json(chargebeeSubscriptionEvent("subscription_cancellation_scheduled", { status: "non_renewing" })),
      goals: [
        {
          name: "subscription_cancelled",
          metadata: { plan: "pro-USD-monthly", subscription_id: "__test__KyVnHhSBWl7eY2bl" },
        },
      ],
    },
    {
      label: "subscription_cancelled",
      body: json(chargebeeSubscriptionEvent("subscription_cancelled", { status: "cancelled" })),
      goals: [
        {
          name: "subscription_ended",
          metadata: { plan: "pro-USD-monthly", subscription_id: "__test__KyVnHhSBWl7eY2bl" },
        },
      ],
    },
    {
      label: "payment_failed",
      body: json(chargebeeEvent({ id: "txn_failed_1", status: "failure" }, {}, { event_type: "payment_failed" })),
      goals: [
        {
          name: "payment_failed",
          metadata: {
            subscription_id: "__test__KyVnHhSBWl7eY2bl",
            transaction_id: "txn_failed_1",
            amount: "10",
            currency: "USD",
          },
        },
      ],
    },
  ],
  ignored: { body: json(chargebeeEvent({}, {}, { event_type: "subscription_cancelled" })) },
  inCurrency: (minor, currency) => ({
    body: json(chargebeeEvent({ id: `txn_${currency}1`, amount: minor, currency_code: currency })),
    expected: { amount: major(minor, exponentOf(currency)), currency },
  }),
  withoutMetadata: {
    body: json(
      chargebeeEvent({ id: "txn_anon1", customer_id: null }, { customer: null, subscription: null, invoice: null }),
    ),
    expected: { amount: 10, currency: "USD", transaction_id: "txn_anon1", timestamp: "2023-12-15T13:43:03.000Z" },
  },
};

// ---------------------------------------------------------------- fastspring

/** FastSpring's documented order.completed sample, the visitor id in the order's `tags`. */
const fastSpringOrder = (data: Record<string, unknown> = {}) => ({
  id: "qOKbdDwWTG-TS6Yv5Q9DTA",
  processed: false,
  created: 1426560444800,
  type: "order.completed",
  live: false,
  data: {
    order: "nvBQmBmNQ-eBRT4SpwoV5A",
    id: "nvBQmBmNQ-eBRT4SpwoV5A",
    reference: "FUR150317-4457-94105",
    completed: true,
    changed: 1426560444800,
    live: false,
    currency: "USD",
    payoutCurrency: "USD",
    total: 59.99,
    totalDisplay: "$59.99",
    totalInPayoutCurrency: 59.99,
    tax: 0,
    subtotal: 59.99,
    account: {
      id: "uKj7izZdR5yxELY8Ah45GQ",
      account: "uKj7izZdR5yxELY8Ah45GQ",
      contact: { first: "John", last: "Doe", email: "buyer@example.com", company: null, phone: null },
    },
    customer: { first: "John", last: "Doe", email: "buyer@example.com", company: null, phone: null },
    tags: { datafast_visitor_id: VISITOR },
    items: [{ product: "furious-falcon", quantity: 1, subtotal: 59.99 }],
    ...data,
  },
});

/** A FastSpring subscription event: the subscription, its tags copied from the order. */
const fastSpringSubscription = (type: string, data: Record<string, unknown> = {}) => ({
  id: `evt_${type}`,
  type,
  live: false,
  processed: false,
  created: 1426560444900,
  data: {
    id: "sub_fs_1",
    subscription: "sub_fs_1",
    active: true,
    state: "active",
    product: "furious-falcon-monthly",
    currency: "USD",
    price: 10,
    account: "uKj7izZdR5yxELY8Ah45GQ",
    tags: { datafast_visitor_id: VISITOR },
    ...data,
  },
});

const fastspring: ProviderCase = {
  ...scheme("fastspring", "FASTSPRING_WEBHOOK_SECRET", signsBodyOnly),
  payment: {
    body: json({ events: [fastSpringOrder()] }),
    expected: {
      amount: 59.99,
      currency: "USD",
      transaction_id: "nvBQmBmNQ-eBRT4SpwoV5A",
      datafast_visitor_id: VISITOR,
      email: "buyer@example.com",
      name: "John Doe",
      customer_id: "uKj7izZdR5yxELY8Ah45GQ",
      timestamp: "2015-03-17T02:47:24.800Z",
    },
  },
  // FastSpring's documented subscription.charge.completed sample: a rebill is its own order.
  renewal: {
    body: json({
      events: [
        {
          id: "6dO8aGRCTp2kKNq6-B3Y3w",
          type: "subscription.charge.completed",
          live: false,
          data: {
            currency: "USD",
            total: 10.0,
            status: "successful",
            timestamp: 1542239788941,
            sequence: 2,
            subscription: { id: "4PRjtG1ySRenhTqhKKM9Zg", tags: { datafast_visitor_id: VISITOR } },
            order: { id: "LbZy3m8jSU2q2oO3hDXB9g", reference: "COM181114-1929-54120" },
            account: "uKj7izZdR5yxELY8Ah45GQ",
          },
        },
      ],
    }),
    expected: { transaction_id: "LbZy3m8jSU2q2oO3hDXB9g", renewal: true, amount: 10, datafast_visitor_id: VISITOR },
  },
  // FastSpring's documented return.created sample.
  refund: {
    body: json({
      events: [
        {
          id: "sKdBL0LsS4KJ2Rqh8vGI3Q",
          type: "return.created",
          live: false,
          data: {
            return: "2dTGjlPgSeOt8EaAO_ZZBQ",
            reference: "KEV170427-3223-97106R",
            completed: true,
            changed: 1493336009519,
            live: false,
            account: "uKj7izZdR5yxELY8Ah45GQ",
            currency: "USD",
            payoutCurrency: "USD",
            totalReturn: 59.99,
            totalReturnInPayoutCurrency: 59.99,
            original: {
              id: "nvBQmBmNQ-eBRT4SpwoV5A",
              order: "nvBQmBmNQ-eBRT4SpwoV5A",
              reference: "FUR150317-4457-94105",
            },
            reason: "Duplicate Order",
            type: "RETURN",
          },
        },
      ],
    }),
    expected: { transaction_id: "refund_2dTGjlPgSeOt8EaAO_ZZBQ", refunded: true, amount: 59.99 },
  },
  lifecycle: [
    {
      label: "subscription.activated and subscription.canceled in one batch",
      body: json({
        events: [
          fastSpringSubscription("subscription.activated"),
          fastSpringSubscription("subscription.canceled", { state: "canceled" }),
        ],
      }),
      goals: [
        { name: "subscription_started", metadata: { plan: "furious-falcon-monthly", subscription_id: "sub_fs_1" } },
        { name: "subscription_cancelled", metadata: { plan: "furious-falcon-monthly", subscription_id: "sub_fs_1" } },
      ],
    },
    {
      label: "subscription.activated in a trial",
      body: json({ events: [fastSpringSubscription("subscription.activated", { state: "trial" })] }),
      goals: [{ name: "trial_started", metadata: { plan: "furious-falcon-monthly", subscription_id: "sub_fs_1" } }],
    },
    {
      label: "subscription.charge.failed",
      body: json({
        events: [
          {
            id: "evt_fs_failed",
            type: "subscription.charge.failed",
            data: {
              currency: "USD",
              total: 10.0,
              status: "failed",
              timestamp: 1542239788941,
              subscription: { id: "sub_fs_1", tags: { datafast_visitor_id: VISITOR } },
              order: { id: "ord_fs_failed" },
            },
          },
        ],
      }),
      goals: [{ name: "payment_failed", metadata: { amount: "10", currency: "USD", transaction_id: "ord_fs_failed" } }],
    },
    {
      label: "subscription.deactivated",
      body: json({ events: [fastSpringSubscription("subscription.deactivated", { state: "deactivated" })] }),
      goals: [
        { name: "subscription_ended", metadata: { plan: "furious-falcon-monthly", subscription_id: "sub_fs_1" } },
      ],
    },
  ],
  ignored: {
    body: json({ events: [{ id: "ev1", type: "subscription.canceled", data: { id: "4PRjtG1ySRenhTqhKKM9Zg" } }] }),
  },
  inCurrency: (minor, currency) => {
    const amount = major(minor, exponentOf(currency));
    return {
      body: json({ events: [fastSpringOrder({ id: `fs_${currency}`, total: amount, currency })] }),
      expected: { amount, currency },
    };
  },
  withoutMetadata: {
    body: json({ events: [fastSpringOrder({ id: "fs_anon", tags: null, account: null, customer: null })] }),
    expected: {
      amount: 59.99,
      currency: "USD",
      transaction_id: "fs_anon",
      timestamp: "2015-03-17T02:47:24.800Z",
    },
  },
};

// ---------------------------------------------------------------- square

/** Square's documented payment.updated sample, the visitor id in the payment's `reference_id`. */
const squarePayment = (payment: Record<string, unknown> = {}, event: Record<string, unknown> = {}) => ({
  merchant_id: "6SSW7HV8K2ST5",
  type: "payment.updated",
  event_id: "6a8f5f28-54a1-4eb0-a98a-3111513fd4fc",
  created_at: "2020-11-22T21:16:51.198Z",
  data: {
    type: "payment",
    id: "hYy9pRFVxpDsO1FB05SunFWUe9JZY",
    object: {
      payment: {
        amount_money: { amount: 100, currency: "USD" },
        approved_money: { amount: 100, currency: "USD" },
        created_at: "2020-11-22T21:16:51.086Z",
        id: "hYy9pRFVxpDsO1FB05SunFWUe9JZY",
        location_id: "S8GWD5R9QB376",
        order_id: "03O3USaPaAaFnI6kkwB1JxGgBsUZY",
        reference_id: VISITOR,
        buyer_email_address: "buyer@example.com",
        customer_id: "JDKYHBWT1D4F8MFH63DBMEN8Y4",
        source_type: "CARD",
        status: "COMPLETED",
        total_money: { amount: 100, currency: "USD" },
        updated_at: "2020-11-22T21:16:51.198Z",
        version: 1,
        ...payment,
      },
    },
  },
  ...event,
});

/** Square's documented refund.updated sample. */
export const squareRefund = (refund: Record<string, unknown> = {}) => ({
  merchant_id: "6SSW7HV8K2ST5",
  type: "refund.updated",
  event_id: "4b8e5c91-9f81-4de8-9e2b-1fd5e1e2a0a5",
  created_at: "2020-02-06T22:14:24.034Z",
  data: {
    type: "refund",
    id: "KkAkhdMsgzn59SM8A89WgKwekxLZY_ptNXqk2rbKpLfJ8ZvKtNDGlstEKBYzRsngSvkYYaJ",
    object: {
      refund: {
        amount_money: { amount: 100, currency: "USD" },
        created_at: "2020-02-06T22:14:19.405Z",
        id: "KkAkhdMsgzn59SM8A89WgKwekxLZY_ptNXqk2rbKpLfJ8ZvKtNDGlstEKBYzRsngSvkYYaJ",
        location_id: "NAQ1FHV6ZJ8YV",
        order_id: "haOyDuHiqtAXMk0d8pDKXpL7Jg4F",
        payment_id: "KkAkhdMsgzn59SM8A89WgKwekxLZY",
        status: "COMPLETED",
        updated_at: "2020-02-06T22:14:24.024Z",
        version: 10,
        ...refund,
      },
    },
  },
});

const square: ProviderCase = {
  ...scheme("square", "SQUARE_WEBHOOK_SIGNATURE_KEY", signsBodyOnly, "application/json", {
    notificationUrl: settings.SQUARE_WEBHOOK_URL,
  }),
  payment: {
    body: json(squarePayment()),
    expected: {
      amount: 1,
      currency: "USD",
      transaction_id: "hYy9pRFVxpDsO1FB05SunFWUe9JZY",
      datafast_visitor_id: VISITOR,
      email: "buyer@example.com",
      customer_id: "JDKYHBWT1D4F8MFH63DBMEN8Y4",
      timestamp: "2020-11-22T21:16:51.086Z",
    },
  },
  // Square marks no renewal: a subscription's invoice payment is a payment like any other.
  renewal: {
    body: json(squarePayment({ id: "R2B3Z8WMVt3EAmzYWLZvz7Y69EbZY", total_money: { amount: 1500, currency: "USD" } })),
    expected: { transaction_id: "R2B3Z8WMVt3EAmzYWLZvz7Y69EbZY", amount: 15 },
  },
  refund: {
    body: json(squareRefund()),
    expected: {
      transaction_id: "KkAkhdMsgzn59SM8A89WgKwekxLZY_ptNXqk2rbKpLfJ8ZvKtNDGlstEKBYzRsngSvkYYaJ",
      refunded: true,
      amount: 1,
      timestamp: "2020-02-06T22:14:24.024Z",
    },
  },
  ignored: { body: json(squarePayment({ status: "APPROVED" }, { type: "payment.created" })) },
  inCurrency: (minor, currency) => ({
    body: json(
      squarePayment({
        id: `sq_${currency}`,
        amount_money: { amount: minor, currency },
        total_money: { amount: minor, currency },
      }),
    ),
    expected: { amount: major(minor, exponentOf(currency)), currency },
  }),
  withoutMetadata: {
    body: json(squarePayment({ id: "sq_anon", reference_id: null, buyer_email_address: null, customer_id: null })),
    expected: {
      amount: 1,
      currency: "USD",
      transaction_id: "sq_anon",
      timestamp: "2020-11-22T21:16:51.086Z",
    },
  },
};

export const providerCases: ProviderCase[] = [
  standard,
  dodo,
  whop,
  paddle,
  creem,
  shopify,
  razorpay,
  paystack,
  gumroad,
  revenuecat,
  paypal,
  mollie,
  chargebee,
  fastspring,
  square,
];

/** Seconds past the default 5-minute window: a replay. */
export const staleTimestamp = () => nowSeconds() - 301;
