import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** A request as the stand-in received it. */
export interface ReceivedRequest {
  method: string;
  url: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
}

/** What the stand-in does with one request instead of behaving like DataFast. */
export type Fault =
  | { status: number; body?: string; headers?: Record<string, string> }
  | { hang: true }
  | { reset: true }
  | { delayMs: number };

export interface DataFastStandIn {
  /** Base URL to use as DATAFAST_API_URL. */
  url: string;
  /** Every request received, in order. */
  requests: ReceivedRequest[];
  /** Recorded payments by transaction_id (the first body DataFast kept for it). */
  payments: Map<string, Record<string, unknown>>;
  /** Chooses a fault for a request (1-based count of all requests so far); undefined behaves normally. */
  fault: ((request: ReceivedRequest, count: number) => Fault | undefined) | undefined;
  close(): Promise<void>;
}

export interface StandInOptions {
  /** Keys accepted as `Authorization: Bearer <key>`; a function so a test can rotate them. */
  acceptKey: (key: string) => boolean;
  /** Visitor ids DataFast has never seen (answered like DataFast: 400 "First event not found"). */
  unknownVisitor?: (visitorId: string) => boolean;
  port?: number;
}

/**
 * A loopback stand-in for DataFast's `POST /api/v1/payments` that behaves like the real one where
 * it matters here: bearer key check, required fields, the error envelope, and dedupe by
 * transaction_id. Tests, the benchmark and `npm start`'s sandbox all use it.
 */
export async function startDataFastStandIn(options: StandInOptions): Promise<DataFastStandIn> {
  const sockets = new Set<Socket>();
  const standIn: DataFastStandIn = {
    url: "",
    requests: [],
    payments: new Map(),
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
    if (fault && "hang" in fault) return;
    if (fault && "reset" in fault) return req.socket.destroy();
    if (fault && "delayMs" in fault) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault && "status" in fault) {
      res.writeHead(fault.status, { "content-type": "application/json", ...fault.headers });
      return res.end(fault.body ?? JSON.stringify(envelope(fault.status, "Injected fault")));
    }
    const [status, payload] = answer(request);
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(payload));
  });

  /** DataFast's own behaviour: the status and JSON body it answers with. */
  function answer(request: ReceivedRequest): [number, unknown] {
    const path = new URL(request.url, "http://standin").pathname;
    if (request.method !== "POST" || path !== "/api/v1/payments") return [404, envelope(404, "Not found")];
    const key = /^Bearer (.+)$/.exec(request.authorization ?? "")?.[1];
    if (!key || !options.acceptKey(key)) return [401, envelope(401, "Invalid API key")];
    let payment: Record<string, unknown>;
    try {
      payment = JSON.parse(request.body);
    } catch {
      return [400, envelope(400, "Invalid JSON")];
    }
    const { amount, currency, transaction_id: id, datafast_visitor_id: visitor } = payment;
    if (typeof amount !== "number" || amount < 0 || typeof currency !== "string" || typeof id !== "string") {
      return [400, envelope(400, "Missing required parameters: amount, currency, transaction_id")];
    }
    if (typeof visitor === "string" && options.unknownVisitor?.(visitor)) {
      return [400, envelope(400, `First event not found for visitor ${visitor}`)];
    }
    if (!standIn.payments.has(id)) standIn.payments.set(id, payment);
    return [200, { message: "Payment recorded and attributed successfully", transaction_id: id }];
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
