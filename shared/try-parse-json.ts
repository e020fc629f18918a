/** The value `text` holds as JSON, or `undefined` when it is not JSON (which never parses to `undefined`). */
export function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
