/** The hashes webhook HMACs use, by their Web Crypto names. */
export type HmacHash = "SHA-256" | "SHA-512";

/**
 * Imported keys by hash and key bytes. A warm container verifies with the same few secrets request
 * after request, and importing a key costs about as much as the verification itself (issue 16).
 */
const keys = new Map<string, ReturnType<typeof crypto.subtle.importKey>>();
const MAX_CACHED_KEYS = 64;

function hmacKey(hash: HmacHash, key: Uint8Array) {
  const id = `${hash}:${String.fromCharCode(...key)}`;
  let cached = keys.get(id);
  if (!cached) {
    if (keys.size >= MAX_CACHED_KEYS) keys.clear();
    cached = crypto.subtle.importKey("raw", key, { name: "HMAC", hash }, false, ["verify"]);
    keys.set(id, cached);
  }
  return cached;
}

/**
 * Whether `signature` is the HMAC of `message` under `key` (not empty). Web Crypto's verify
 * compares in constant time; an undecodable signature (`undefined`) matches nothing.
 */
export async function hmacMatches(
  hash: HmacHash,
  key: Uint8Array,
  signature: Uint8Array | undefined,
  message: Uint8Array,
): Promise<boolean> {
  if (!signature) return false;
  return crypto.subtle.verify("HMAC", await hmacKey(hash, key), signature, message);
}
