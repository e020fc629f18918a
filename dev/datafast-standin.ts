import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { isDeepStrictEqual } from "node:util";

/** A request as the stand-in received it. */
interface ReceivedRequest {
  method: string;
  url: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
}

/**
 * What the stand-in does with one request instead of behaving like DataFast. `afterRecording`
 * plays the ambiguous failure: DataFast recorded the payment, but its answer never arrived.
 */
type Fault =
  | { status: number; body?: string; headers?: Record<string, string> }
  | { hang: true; afterRecording?: boolean }
  | { reset: true; afterRecording?: boolean }
  | { delayMs: number }
  /** DataFast handles the request, but its answer arrives cut short (not JSON, whatever the status). */
  | { garbled: true };

/** A transaction_id posted again, answered as a duplicate: DataFast keeps the first version. */
interface DuplicateSend {
  transaction_id: string;
  /** What this send carried. */
  resent: Record<string, unknown>;
  /** Whether that differs from the kept payment: a second version of it, dropped. */
  differs: boolean;
}

export interface DataFastStandIn {
  /** Base URL to use as DATAFAST_API_URL. */
  url: string;
  /** Every request received, in order. */
  requests: ReceivedRequest[];
  /** Recorded payments by transaction_id (the first body DataFast kept for it). */
  payments: Map<string, Record<string, unknown>>;
  /** Every send of a transaction_id already recorded, in order. */
  duplicates: DuplicateSend[];
  /**
   * Every goal recorded, in order. Each send is a new goal: whether DataFast deduplicates goals is
   * not documented, so the stand-in plays the case that counts them twice.
   */
  goals: Record<string, unknown>[];
  /** Chooses a fault for a request (1-based count of all requests so far); undefined behaves normally. */
  fault: ((request: ReceivedRequest, count: number) => Fault | undefined) | undefined;
  close(): Promise<void>;
}

export interface StandInOptions {
  /** Keys accepted as `Authorization: Bearer <key>`; a function so a test can rotate them. */
  acceptKey: (key: string) => boolean;
  /**
   * Visitor ids DataFast has never seen: a payment is answered 400 "First event not found", a goal
   * 404 (DataFast's create-goal docs: "the visitor has no prior pageviews").
   */
  unknownVisitor?: (visitorId: string) => boolean;
  /**
   * Off: every send is recorded as new, never answered as a duplicate. For the benchmark, which
   * sends the same payment thousands of times and measures the recording path.
   */
  deduplicate?: boolean;
  port?: number;
}

/**
 * A loopback stand-in for DataFast's `POST /api/v1/payments` and `POST /api/v1/goals` that behaves
 * like the real one where it matters here: bearer key check, required fields, the error envelope,
 * dedupe by transaction_id, and a 404 for a goal of a visitor it never saw. Tests, the benchmark
 * and `npm start`'s sandbox all use it.
 */
export async function startDataFastStandIn(options: StandInOptions): Promise<DataFastStandIn> {
  const sockets = new Set<Socket>();
  const standIn: DataFastStandIn = {
    url: "",
    requests: [],
    payments: new Map(),
    duplicates: [],
    goals: [],
    fault: undefined,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };

  const server = createServer(async (req, res) => {
    const body = await readAll(req);
    const request: ReceivedRequest = {
      method: req.method ?? "",
      url: req.url ?? "",
      authorization: req.headers.authorization,
      contentType: req.headers["content-type"],
      body,
    };
    standIn.requests.push(request);
    const fault = standIn.fault?.(request, standIn.requests.length);
    if (fault && ("hang" in fault || "reset" in fault)) {
      if (fault.afterRecording) answer(request);
      // A hung request is left open; close() destroys its socket.
      if ("reset" in fault) req.socket.destroy();
      return;
    }
    if (fault && "delayMs" in fault) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault && "status" in fault) {
      res.writeHead(fault.status, { "content-type": "application/json", ...fault.headers });
      return res.end(fault.body ?? JSON.stringify(envelope(fault.status, "Injected fault")));
    }
    const [status, payload] = answer(request);
    const text = JSON.stringify(payload);
    res.writeHead(status, { "content-type": "application/json" });
    res.end(fault && "garbled" in fault ? text.slice(0, text.length >> 1) : text);
  });

  /** DataFast's own behaviour: the status and JSON body it answers with. */
  function answer(request: ReceivedRequest): [number, unknown] {
    const path = new URL(request.url, "http://standin").pathname;
    const endpoint = { "/api/v1/payments": recordPayment, "/api/v1/goals": recordGoal }[path];
    if (request.method !== "POST" || !endpoint) return [404, envelope(404, "Not found")];
    const key = /^Bearer (.+)$/.exec(request.authorization ?? "")?.[1];
    if (!key || !options.acceptKey(key)) return [401, envelope(401, "Invalid API key")];
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(request.body);
    } catch {
      return [400, envelope(400, "Invalid JSON")];
    }
    return endpoint(body);
  }

  function recordPayment(payment: Record<string, unknown>): [number, unknown] {
    const { amount, currency, transaction_id: id, datafast_visitor_id: visitor } = payment;
    if (typeof amount !== "number" || amount < 0 || typeof currency !== "string" || typeof id !== "string") {
      return [400, envelope(400, "Missing required parameters: amount, currency, transaction_id")];
    }
    if (typeof visitor === "string" && options.unknownVisitor?.(visitor)) {
      return [400, envelope(400, `First event not found for visitor ${visitor}`)];
    }
    const kept = options.deduplicate === false ? undefined : standIn.payments.get(id);
    if (kept) {
      standIn.duplicates.push({ transaction_id: id, resent: payment, differs: !isDeepStrictEqual(kept, payment) });
      // DataFast's reply to a duplicate is undocumented (its docs say only that transaction_id is
      // "used for idempotency"): the stand-in plays the conventional one, 409 in DataFast's error
      // envelope. The function reads a 2xx whose message says "duplicate" or "already" the same way.
      return [409, envelope(409, `A payment with transaction_id ${id} already exists`)];
    }
    standIn.payments.set(id, payment);
    return [200, { message: "Payment recorded and attributed successfully", transaction_id: id }];
  }

  /** DataFast's create-goal checks that matter here: the visitor, a name, a visitor with a pageview. */
  function recordGoal(goal: Record<string, unknown>): [number, unknown] {
    const { datafast_visitor_id: visitor, name } = goal;
    if (typeof visitor !== "string" || typeof name !== "string" || !/^[a-z0-9_:-]{1,64}$/.test(name)) {
      return [400, envelope(400, "Missing or invalid parameters: datafast_visitor_id, name")];
    }
    if (options.unknownVisitor?.(visitor)) return [404, envelope(404, "Visitor has no pageviews on this website")];
    standIn.goals.push(goal);
    const eventId = standIn.goals.length.toString(16).padStart(24, "0");
    return [200, { status: "success", data: [{ message: "Custom event created successfully", eventId }] }];
  }

  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  standIn.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  return standIn;
}

function envelope(code: number, message: string) {
  return { status: "error", error: { code, message } };
}

async function readAll(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** The faults `randomFaults` injects, in the order their rates are laid out on [0, 1). */
const faultKinds = ["status500", "status502", "rateLimited", "hang", "reset", "garbled", "slow"] as const;
type FaultKind = (typeof faultKinds)[number];

export interface RandomFaultOptions {
  seed: number;
  /** Chance of each fault per request (together at most 1); the other requests are answered normally. */
  rates: Partial<Record<FaultKind, number>>;
  /** The `Retry-After` seconds a 429 carries: one of these, drawn per fault. */
  retryAfterSeconds: readonly number[];
  /** A slow answer is delayed by a time drawn from this range (ms), then answered normally. */
  slowMs: readonly [number, number];
}

export interface RandomFaults {
  /** The stand-in's `fault` hook. */
  fault: NonNullable<DataFastStandIn["fault"]>;
  /** Faults injected so far, by kind. */
  injected: Record<FaultKind, number>;
}

/**
 * Faults at the given rates, reproducible: each request's draw is seeded by (seed, its body, how
 * many times that body came before), so a payment meets the same faults on every run, whatever
 * order concurrent requests arrive in.
 */
export function randomFaults(options: RandomFaultOptions): RandomFaults {
  const seen = new Map<string, number>();
  const injected = Object.fromEntries(faultKinds.map((kind) => [kind, 0])) as Record<FaultKind, number>;
  const fault = (request: ReceivedRequest): Fault | undefined => {
    const repeat = (seen.get(request.body) ?? 0) + 1;
    seen.set(request.body, repeat);
    const random = mulberry32(fnv1a(`${options.seed}\n${repeat}\n${request.body}`));
    let draw = random();
    for (const kind of faultKinds) {
      const rate = options.rates[kind] ?? 0;
      if (draw < rate) {
        injected[kind] += 1;
        return faultOf(kind, random, options);
      }
      draw -= rate;
    }
    return undefined;
  };
  return { fault, injected };
}

function faultOf(kind: FaultKind, random: () => number, options: RandomFaultOptions): Fault {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  switch (kind) {
    case "status500":
      return { status: 500 };
    case "status502":
      // What a load balancer in front of DataFast answers: HTML, not DataFast's envelope.
      return {
        status: 502,
        body: "<html><body><h1>502 Bad Gateway</h1></body></html>",
        headers: { "content-type": "text/html" },
      };
    case "rateLimited":
      return {
        status: 429,
        headers: { "retry-after": String(pick(options.retryAfterSeconds)) },
        // The 429 body a client of the live API reported; `reset` is an epoch time in ms.
        body: JSON.stringify({ limit: 60, remaining: 0, reset: Date.now() + 60_000 }),
      };
    case "hang":
      return { hang: true, afterRecording: random() < 0.5 };
    case "reset":
      return { reset: true, afterRecording: random() < 0.5 };
    case "garbled":
      return { garbled: true };
    case "slow": {
      const [min, max] = options.slowMs;
      return { delayMs: Math.round(min + random() * (max - min)) };
    }
  }
}

/** A small, well-known seeded PRNG (uniform on [0, 1)); Math.random cannot be seeded. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** 32-bit FNV-1a: turns a request's identity into a PRNG seed. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
