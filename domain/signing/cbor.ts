/**
 * A minimal CBOR decoder (RFC 8949) for COSE keys: unsigned and negative integers, byte and text strings,
 * arrays, maps, and the simple values false/true/null. Definite lengths only: a COSE_Key in WebAuthn
 * attested credential data is always encoded that way (CTAP2 canonical CBOR).
 */

/** A decoded CBOR value. Maps keep their keys' types (COSE uses integer labels). */
export type CborValue = number | string | Uint8Array | boolean | null | CborValue[] | Map<number | string, CborValue>;

/** Thrown on anything outside the subset above, or on truncated input. */
export class CborError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CborError';
  }
}

const MAX_DEPTH = 8;

/** Decodes one CBOR item; returns it and the offset just after it. */
export function decodeCbor(bytes: Uint8Array, offset = 0): { value: CborValue; end: number } {
  let pos = offset;
  const byte = (): number => {
    if (pos >= bytes.length) throw new CborError('truncated CBOR');
    return bytes[pos++]!;
  };
  const argument = (info: number): number => {
    if (info < 24) return info;
    const size = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : 0;
    if (size === 0) throw new CborError(`unsupported CBOR length encoding ${info}`);
    let n = 0;
    for (let i = 0; i < size; i++) n = n * 256 + byte();
    if (!Number.isSafeInteger(n)) throw new CborError('CBOR integer too large');
    return n;
  };
  const item = (depth: number): CborValue => {
    if (depth > MAX_DEPTH) throw new CborError('CBOR nested too deeply');
    const head = byte();
    const major = head >> 5;
    const info = head & 31;
    if (major === 7) {
      if (info === 20) return false;
      if (info === 21) return true;
      if (info === 22) return null;
      throw new CborError(`unsupported CBOR simple value ${info}`);
    }
    const n = argument(info);
    switch (major) {
      case 0:
        return n;
      case 1:
        return -1 - n;
      case 2:
      case 3: {
        if (pos + n > bytes.length) throw new CborError('truncated CBOR');
        const data = bytes.subarray(pos, pos + n);
        pos += n;
        return major === 2 ? data : new TextDecoder('utf-8', { fatal: true }).decode(data);
      }
      case 4: {
        const out: CborValue[] = [];
        for (let i = 0; i < n; i++) out.push(item(depth + 1));
        return out;
      }
      case 5: {
        const out = new Map<number | string, CborValue>();
        for (let i = 0; i < n; i++) {
          const k = item(depth + 1);
          if (typeof k !== 'number' && typeof k !== 'string') throw new CborError('CBOR map key is not int or text');
          if (out.has(k)) throw new CborError(`duplicate CBOR map key ${k}`);
          out.set(k, item(depth + 1));
        }
        return out;
      }
      default:
        throw new CborError(`unsupported CBOR major type ${major}`);
    }
  };
  const value = item(0);
  return { value, end: pos };
}
