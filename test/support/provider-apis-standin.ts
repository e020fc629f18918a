import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** What the stand-in does with one request instead of answering like the provider. */
type ProviderApiFault = { status: number; body?: string } | { hang: true };

interface ReceivedRequest {
  path: string;
  authorization: string | undefined;
}

/**
 * A loopback stand-in for the provider APIs the webhook functions call out to: Mollie's
 * `GET /v2/payments/{id}` (a payment is visible only to the API key of the account that owns it,
 * as on Mollie) and PayPal's `GET /v1/notifications/certs/{name}` (the test signing certificate).
 */
export interface ProviderApiStandIn {
  /** Base URL: MOLLIE_API_URL is `${url}/v2`, PAYPAL_API_URL is `url`. */
  url: string;
  /** Mollie payments by id, as the API returns them. */
  molliePayments: Map<string, Record<string, unknown>>;
  /** The API key of the account that owns each Mollie payment. */
  mollieOwners: Map<string, string>;
  /** PayPal certificates (PEM) by the last path segment of their URL. */
  paypalCertificates: Map<string, string>;
  requests: ReceivedRequest[];
  fault: ((request: ReceivedRequest) => ProviderApiFault | undefined) | undefined;
}

export async function startProviderApiStandIn(): Promise<ProviderApiStandIn> {
  const standIn: ProviderApiStandIn = {
    url: "",
    molliePayments: new Map(),
    mollieOwners: new Map(),
    paypalCertificates: new Map(),
    requests: [],
    fault: undefined,
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://stand-in");
    const request = { path: `${url.pathname}${url.search}`, authorization: req.headers.authorization };
    standIn.requests.push(request);
    const fault = standIn.fault?.(request);
    if (fault && "hang" in fault) return; // left open until the caller gives up
    const answer = (status: number, body: string, type = "application/json") => {
      res.writeHead(status, { "content-type": type }).end(body);
    };
    if (fault) return answer(fault.status, fault.body ?? "");
    const payment = /^\/v2\/payments\/([^/]+)$/.exec(url.pathname)?.[1];
    if (payment !== undefined) {
      const found = standIn.molliePayments.get(payment);
      const owner = standIn.mollieOwners.get(payment);
      if (found && req.headers.authorization === `Bearer ${owner}`) return answer(200, JSON.stringify(found));
      return answer(
        404,
        JSON.stringify({ status: 404, title: "Not Found", detail: `No payment exists with token ${payment}.` }),
      );
    }
    const certificate = /^\/v1\/notifications\/certs\/([^/]+)$/.exec(url.pathname)?.[1];
    const pem = certificate === undefined ? undefined : standIn.paypalCertificates.get(certificate);
    if (pem) return answer(200, pem, "application/x-pem-file");
    return answer(404, JSON.stringify({ name: "RESOURCE_NOT_FOUND", message: "Not found" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  // Started once per test file by the shared webhook cases and left to the test process's end.
  server.unref();
  const { port } = server.address() as AddressInfo;
  standIn.url = `http://127.0.0.1:${port}`;
  return standIn;
}
