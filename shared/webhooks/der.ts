/**
 * The little of DER (X.690) a certificate's public key and validity are read with: tag, length,
 * content. Bounded: every length is checked against the bytes it claims, lengths over 4 bytes are
 * refused, and each element read consumes at least two bytes, so any input ends in linear time.
 */

/** One element: `tag`, and where it starts (`offset`, its header) and its content lies. */
export interface DerElement {
  tag: number;
  offset: number;
  start: number;
  end: number;
}

export class DerError extends Error {}

/** The element at `offset`, which must end by `limit`. */
export function readElement(bytes: Uint8Array, offset: number, limit = bytes.length): DerElement {
  const tag = bytes[offset];
  const first = bytes[offset + 1];
  if (tag === undefined || first === undefined || offset + 2 > limit) throw new DerError("truncated");
  // High tag numbers (a 0x1f low part) appear nowhere a certificate is read here.
  if ((tag & 0x1f) === 0x1f) throw new DerError("unsupported tag");
  let start = offset + 2;
  let length = first;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4 || start + count > limit) throw new DerError("bad length");
    length = 0;
    for (const byte of bytes.subarray(start, start + count)) length = length * 256 + byte;
    start += count;
  }
  if (start + length > limit) throw new DerError("truncated");
  return { tag, offset, start, end: start + length };
}

/** The elements inside `parent`, in order. */
export function childrenOf(bytes: Uint8Array, parent: DerElement): DerElement[] {
  const children: DerElement[] = [];
  for (let offset = parent.start; offset < parent.end; ) {
    const child = readElement(bytes, offset, parent.end);
    children.push(child);
    offset = child.end;
  }
  return children;
}
