import { fromBase64 } from "../bytes.ts";
import { childrenOf, type DerElement, DerError, readElement } from "./der.ts";

/** What is read of an X.509 certificate: its public key (DER SubjectPublicKeyInfo), when it is valid. */
export interface Certificate {
  subjectPublicKeyInfo: Uint8Array;
  /** Epoch ms. */
  validFrom: number;
  validTo: number;
}

const SEQUENCE = 0x30;
const VERSION = 0xa0; // [0] EXPLICIT, absent in version 1 certificates
const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;

/**
 * The first certificate of a PEM text (RFC 5280's TBSCertificate read only as far as the key).
 * Throws when it is not one. The signature on the certificate is not checked, as before: the
 * certificate is trusted for where it was fetched from (PayPal's own hosts, over https).
 */
export function readPemCertificate(pem: string): Certificate {
  const base64 = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+?)-----END CERTIFICATE-----/.exec(pem)?.[1];
  const der = base64 === undefined ? undefined : fromBase64(base64.replace(/\s+/g, ""));
  if (!der) throw new DerError("no PEM certificate");
  const certificate = expectTag(readElement(der, 0), SEQUENCE);
  const [tbs] = childrenOf(der, certificate);
  const fields = childrenOf(der, expectTag(tbs, SEQUENCE));
  // version?, serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo, …
  const rest = fields[0]?.tag === VERSION ? fields.slice(1) : fields;
  const [notBefore, notAfter] = childrenOf(der, expectTag(rest[3], SEQUENCE));
  const key = expectTag(rest[5], SEQUENCE);
  return {
    subjectPublicKeyInfo: der.slice(key.offset, key.end),
    validFrom: readTime(der, notBefore),
    validTo: readTime(der, notAfter),
  };
}

function expectTag(element: DerElement | undefined, tag: number): DerElement {
  if (element?.tag !== tag) throw new DerError(`expected tag ${tag}`);
  return element;
}

/** A UTCTime (`YYMMDDHHMMSSZ`, years 1950-2049) or GeneralizedTime (`YYYYMMDDHHMMSSZ`), as epoch ms. */
function readTime(der: Uint8Array, element: DerElement | undefined): number {
  const text = element && String.fromCharCode(...der.subarray(element.start, element.end));
  const match =
    element?.tag === UTC_TIME
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text ?? "")
      : element?.tag === GENERALIZED_TIME
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text ?? "")
        : null;
  if (!match) throw new DerError("bad time");
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = match.slice(1).map(Number);
  const fullYear = element?.tag === UTC_TIME ? (year < 50 ? 2000 + year : 1900 + year) : year;
  return Date.UTC(fullYear, month - 1, day, hour, minute, second);
}
