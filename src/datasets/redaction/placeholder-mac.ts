/**
 * The placeholder MAC: the first 32 bits of HMAC-SHA256(salt, message), bit for bit what
 * `createHmac('sha256', salt)` gives (tests compare them), computed in JavaScript.
 *
 * Why not `node:crypto`: a dense 20 MB text has hundreds of thousands of distinct values, and
 * one `createHmac` per value costs ~2 µs of call overhead (key import, stream object, hex
 * digest) against ~0.5 µs of hashing. Here the salt's inner and outer pad blocks are hashed
 * once per salt (the HMAC "midstates"), so one value costs the compression of its own block or
 * two plus one outer block, with no allocation but the result. Keeping HMAC-SHA256 (rather than a
 * cheaper keyed hash) keeps every placeholder already written in a dataset valid: the same value
 * still maps to the same token under the same salt. The salt stays a secret key; 32 bits of an
 * HMAC do not reveal the value (a guess can be checked only with the salt).
 */
import { createHash } from 'node:crypto';

/** SHA-256 round constants: the first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
const K = new Int32Array(64);
/** SHA-256 initial state: the same of the square roots of the first 8 primes. */
const IV = new Int32Array(8);
{
  const primes: number[] = [];
  for (let n = 2; primes.length < 64; n++) if (primes.every((p) => n % p !== 0)) primes.push(n);
  const frac32 = (x: number): number => Math.floor((x - Math.floor(x)) * 2 ** 32) | 0;
  primes.forEach((p, i) => {
    K[i] = frac32(Math.cbrt(p));
    if (i < 8) IV[i] = frac32(Math.sqrt(p));
  });
}

const W = new Int32Array(64);

/** Compresses the 64-byte block at `bytes[offset]` into `state`. */
function compress(state: Int32Array, bytes: Uint8Array, offset: number): void {
  for (let i = 0; i < 16; i++) {
    const o = offset + 4 * i;
    W[i] = (bytes[o]! << 24) | (bytes[o + 1]! << 16) | (bytes[o + 2]! << 8) | bytes[o + 3]!;
  }
  for (let i = 16; i < 64; i++) {
    const w15 = W[i - 15]!;
    const w2 = W[i - 2]!;
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    W[i] = (W[i - 16]! + s0 + W[i - 7]! + s1) | 0;
  }
  let a = state[0]!, b = state[1]!, c = state[2]!, d = state[3]!, e = state[4]!, f = state[5]!, g = state[6]!, h = state[7]!;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i]! + W[i]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
  }
  state[0] = (state[0]! + a) | 0; state[1] = (state[1]! + b) | 0; state[2] = (state[2]! + c) | 0; state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0; state[5] = (state[5]! + f) | 0; state[6] = (state[6]! + g) | 0; state[7] = (state[7]! + h) | 0;
}

const encoder = new TextEncoder();

/** HMAC-SHA256 under one salt, cut to its first 8 hex digits. */
export class PlaceholderMac {
  private readonly inner = new Int32Array(8);
  private readonly outer = new Int32Array(8);
  private readonly state = new Int32Array(8);
  private buf = new Uint8Array(256);

  /** `salt` is the HMAC key as text (UTF-8), as `createHmac('sha256', salt)` takes it. */
  constructor(salt: string) {
    let key: Uint8Array = encoder.encode(salt);
    if (key.length > 64) key = createHash('sha256').update(key).digest();
    const pad = new Uint8Array(64);
    for (const [midstate, byte] of [[this.inner, 0x36], [this.outer, 0x5c]] as const) {
      for (let i = 0; i < 64; i++) pad[i] = (key[i] ?? 0) ^ byte;
      midstate.set(IV);
      compress(midstate, pad, 0);
    }
  }

  /** The first 8 hex digits of HMAC-SHA256(salt, message). */
  hex8(message: string): string {
    return this.finish(this.encode(message, '', false));
  }

  /** `hex8(prefix + "\0" + value)` without building that string. */
  hex8Joined(prefix: string, value: string): string {
    return this.finish(this.encode(prefix, value, true));
  }

  /** Writes `a` (then NUL and `b` when `joined`) as UTF-8 at the start of the buffer; returns the length. */
  private encode(a: string, b: string, joined: boolean): number {
    const max = (a.length + b.length) * 3 + 73;
    if (this.buf.length < max) this.buf = new Uint8Array(2 * max);
    const buf = this.buf;
    // ASCII, by far the common case, is copied byte by byte: cheaper than a TextEncoder call.
    let n = 0;
    for (let i = 0; i < a.length; i++) {
      const c = a.charCodeAt(i);
      if (c > 0x7f) return encoder.encodeInto(joined ? `${a}\0${b}` : a, buf).written;
      buf[n++] = c;
    }
    if (!joined) return n;
    buf[n++] = 0;
    for (let i = 0; i < b.length; i++) {
      const c = b.charCodeAt(i);
      if (c > 0x7f) return encoder.encodeInto(`${a}\0${b}`, buf).written;
      buf[n++] = c;
    }
    return n;
  }

  // Plain loops rather than fill()/set(): for a block or two, builtin calls cost more than the work.
  private finish(len: number): string {
    const buf = this.buf;
    const total = Math.ceil((len + 9) / 64) * 64;
    buf[len] = 0x80;
    for (let i = len + 1; i < total; i++) buf[i] = 0;
    writeBitLength(buf, total, 64 + len);
    const s = this.state;
    for (let i = 0; i < 8; i++) s[i] = this.inner[i]!;
    for (let o = 0; o < total; o += 64) compress(s, buf, o);
    // Outer hash: pad block (midstate) then the 32-byte inner digest in one final block.
    for (let i = 0; i < 8; i++) {
      const w = s[i]!;
      buf[4 * i] = w >>> 24; buf[4 * i + 1] = w >>> 16; buf[4 * i + 2] = w >>> 8; buf[4 * i + 3] = w;
      s[i] = this.outer[i]!;
    }
    buf[32] = 0x80;
    for (let i = 33; i < 64; i++) buf[i] = 0;
    writeBitLength(buf, 64, 64 + 32);
    compress(s, buf, 0);
    return (s[0]! >>> 0).toString(16).padStart(8, '0');
  }
}

/** Writes `bytes * 8` as the last 8 bytes of the block ending at `end` (lengths stay below 2^53). */
function writeBitLength(buf: Uint8Array, end: number, bytes: number): void {
  const bits = bytes * 8;
  const hi = Math.floor(bits / 2 ** 32);
  for (let i = 0; i < 4; i++) {
    buf[end - 8 + i] = hi >>> (24 - 8 * i);
    buf[end - 4 + i] = bits >>> (24 - 8 * i);
  }
}
