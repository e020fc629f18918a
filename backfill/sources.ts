import { creem } from "./creem.ts";
import { dodo } from "./dodo.ts";
import { gumroad } from "./gumroad.ts";
import { paddle } from "./paddle.ts";
import { paystack } from "./paystack.ts";
import { razorpay } from "./razorpay.ts";
import { shopify } from "./shopify.ts";
import type { Source } from "./source.ts";
import { whop } from "./whop.ts";

/** Every provider the backfill can list, by its `--provider` name (the webhook route's name too). */
export const sources: Record<string, Source> = { razorpay, paddle, paystack, dodo, shopify, gumroad, creem, whop };
