/** The part of Bun's global that the Bun entry uses (the bun package's bun-types has the full types). */
declare namespace Bun {
  const env: Record<string, string | undefined>;
  function serve(options: { fetch(request: Request): Promise<Response> }): unknown;
}
