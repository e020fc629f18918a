/** The part of Deno's global that the Deno and Supabase entries use (the deno CLI has the full types). */
declare namespace Deno {
  const env: { toObject(): Record<string, string> };
  function serve(options: { port?: number }, handler: (request: Request) => Promise<Response>): unknown;
}
