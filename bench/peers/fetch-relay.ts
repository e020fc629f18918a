// Peer (a): DataFast's own docs example (https://datafa.st/docs/api-create-payment), as a Web
// handler (Vercel/Netlify call shape). Deliberately as minimal as the example: no auth of the
// caller, no validation, no retries, no timeout, no logging. The only change is reading the URL
// from DATAFAST_API_URL so it can be pointed at the loopback stand-in.

export default {
  async fetch(request: Request): Promise<Response> {
    try {
      await fetch(`${process.env.DATAFAST_API_URL ?? "https://datafa.st/api/v1"}/payments`, {
        method: "POST",
        headers: {
          Authorization: `Bearer ${process.env.DATAFAST_API_KEY}`,
          "Content-Type": "application/json",
        },
        body: JSON.stringify(await request.json()),
      });
      return new Response("Payment tracked", { status: 200 });
    } catch (error) {
      console.error("Error tracking payment:", error);
      return new Response("Failed to track payment", { status: 500 });
    }
  },
};
