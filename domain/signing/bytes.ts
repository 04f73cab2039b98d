/**
 * Byte helpers for signature verification. Pure JavaScript: this runs inside the workflow sandbox, where
 * neither Buffer nor Node's crypto exist, and must decode the same bytes on every replay.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function lookup(alphabet: string): Int16Array {
  const table = new Int16Array(128).fill(-1);
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
}
const STD = lookup(ALPHABET);
const URL = lookup(URL_ALPHABET);

function encode(bytes: Uint8Array, alphabet: string, pad: boolean): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += alphabet[(n >> 18) & 63]! + alphabet[(n >> 12) & 63]!;
    out += b === undefined ? (pad ? '=' : '') : alphabet[(n >> 6) & 63]!;
    out += c === undefined ? (pad ? '=' : '') : alphabet[n & 63]!;
  }
  return out;
}

function decode(text: string, table: Int16Array): Uint8Array | undefined {
  const s = text.replace(/=+$/, '');
  if (s.length % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    const v = code < 128 ? table[code]! : -1;
    if (v < 0) return undefined;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  // Leftover bits must be zero, so that one byte string has exactly one encoding.
  if ((acc & ((1 << bits) - 1)) !== 0) return undefined;
  return out;
}

/** Standard base64 (RFC 4648 §4); `pad: false` drops the trailing `=` as `ssh-keygen -l` prints fingerprints. */
export function toBase64(bytes: Uint8Array, pad = true): string {
  return encode(bytes, ALPHABET, pad);
}

/** base64url without padding (RFC 4648 §5), as WebAuthn encodes challenges and credential ids. */
export function toBase64Url(bytes: Uint8Array): string {
  return encode(bytes, URL_ALPHABET, false);
}

/** Decodes standard base64 (padding optional); undefined when the text is not base64. */
export function fromBase64(text: string): Uint8Array | undefined {
  return decode(text, STD);
}

/** Decodes base64url (padding optional); undefined when the text is not base64url. */
export function fromBase64Url(text: string): Uint8Array | undefined {
  return decode(text, URL);
}

/** Constant-shape byte comparison (no early exit, so timing says nothing about where two values differ). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Thrown by {@link SshReader} when a buffer ends early; callers turn it into their own stable reason. */
export class TruncatedError extends Error {
  constructor() {
    super('truncated');
    this.name = 'TruncatedError';
  }
}

/** Reads the SSH wire encoding (RFC 4251 §5): uint32 and length-prefixed `string`s. */
export class SshReader {
  private pos = 0;
  constructor(private readonly buf: Uint8Array) {}

  /** Bytes not yet read. */
  get remaining(): number {
    return this.buf.length - this.pos;
  }

  /** Reads `n` raw bytes. */
  bytes(n: number): Uint8Array {
    if (n < 0 || this.pos + n > this.buf.length) throw new TruncatedError();
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Reads a big-endian uint32. */
  uint32(): number {
    const b = this.bytes(4);
    return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  }

  /** Reads a length-prefixed byte string. */
  string(): Uint8Array {
    return this.bytes(this.uint32());
  }

  /** Reads a length-prefixed string as ASCII text (algorithm and namespace names). */
  text(): string {
    let s = '';
    for (const b of this.string()) s += String.fromCharCode(b);
    return s;
  }
}

/** Writes the SSH wire encoding: the signed-data blob of SSHSIG is built this way. */
export function sshString(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + data.length);
  new DataView(out.buffer).setUint32(0, data.length);
  out.set(data, 4);
  return out;
}
