import { execFileSync } from "node:child_process";
import { createPrivateKey, type KeyObject } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A PayPal-style signing identity made on this machine: an RSA key and a self-signed X.509
 * certificate for it, by the `openssl` CLI (node:crypto reads certificates but cannot make one).
 * The tests and the local server serve the certificate where PAYPAL_API_URL points.
 */
export function paypalSigningIdentity(days = 2): { privateKey: KeyObject; certificate: string } {
  const dir = mkdtempSync(join(tmpdir(), "paypal-cert-"));
  try {
    const [key, cert] = [join(dir, "key.pem"), join(dir, "cert.pem")];
    execFileSync(
      "openssl",
      [
        ...["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert],
        ...["-subj", "/CN=messageverificationcerts.paypal.com", "-days", String(days)],
      ],
      { stdio: "pipe" },
    );
    return { privateKey: createPrivateKey(readFileSync(key)), certificate: readFileSync(cert, "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
