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

/**
 * Compresses the 16 big-endian words at `words[offset]` into `state`. Every sum is cut back to
 * 32 bits as it goes (`| 0`), so V8 keeps the whole round in int32 registers (FIPS 180-4, 6.2.2).
 */
function compress(state: Int32Array, words: Int32Array, offset: number): void {
  for (let i = 0; i < 16; i++) W[i] = words[offset + i]!;
  for (let i = 16; i < 64; i++) {
    const w15 = W[i - 15]!;
    const w2 = W[i - 2]!;
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    W[i] = (((s0 + s1) | 0) + ((W[i - 16]! + W[i - 7]!) | 0)) | 0;
  }
  let a = state[0]!, b = state[1]!, c = state[2]!, d = state[3]!, e = state[4]!, f = state[5]!, g = state[6]!, h = state[7]!;
  let t1 = 0;
  // Eight rounds per turn, each writing its new `e` into the old `d` and its new `a` into the
  // old `h`: the letters rotate through the eight variables instead of being moved every round.
  for (let i = 0; i < 64; i += 8) {
    t1 = ((((h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7)))) | 0) + ((((e & f) ^ (~e & g)) + ((K[i]! + W[i]!) | 0)) | 0)) | 0);
    d = (d + t1) | 0;
    h = (t1 + ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) ^ (a & c) ^ (b & c)))) | 0;
    t1 = ((((g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7)))) | 0) + ((((d & e) ^ (~d & f)) + ((K[i + 1]! + W[i + 1]!) | 0)) | 0)) | 0);
    c = (c + t1) | 0;
    g = (t1 + ((((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10))) + ((h & a) ^ (h & b) ^ (a & b)))) | 0;
    t1 = ((((f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7)))) | 0) + ((((c & d) ^ (~c & e)) + ((K[i + 2]! + W[i + 2]!) | 0)) | 0)) | 0);
    b = (b + t1) | 0;
    f = (t1 + ((((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) + ((g & h) ^ (g & a) ^ (h & a)))) | 0;
    t1 = ((((e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7)))) | 0) + ((((b & c) ^ (~b & d)) + ((K[i + 3]! + W[i + 3]!) | 0)) | 0)) | 0);
    a = (a + t1) | 0;
    e = (t1 + ((((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) + ((f & g) ^ (f & h) ^ (g & h)))) | 0;
    t1 = ((((d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7)))) | 0) + ((((a & b) ^ (~a & c)) + ((K[i + 4]! + W[i + 4]!) | 0)) | 0)) | 0);
    h = (h + t1) | 0;
    d = (t1 + ((((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) + ((e & f) ^ (e & g) ^ (f & g)))) | 0;
    t1 = ((((c + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7)))) | 0) + ((((h & a) ^ (~h & b)) + ((K[i + 5]! + W[i + 5]!) | 0)) | 0)) | 0);
    g = (g + t1) | 0;
    c = (t1 + ((((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) + ((d & e) ^ (d & f) ^ (e & f)))) | 0;
    t1 = ((((b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7)))) | 0) + ((((g & h) ^ (~g & a)) + ((K[i + 6]! + W[i + 6]!) | 0)) | 0)) | 0);
    f = (f + t1) | 0;
    b = (t1 + ((((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) + ((c & d) ^ (c & e) ^ (d & e)))) | 0;
    t1 = ((((a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7)))) | 0) + ((((f & g) ^ (~f & h)) + ((K[i + 7]! + W[i + 7]!) | 0)) | 0)) | 0);
    e = (e + t1) | 0;
    a = (t1 + ((((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) + ((b & c) ^ (b & d) ^ (c & d)))) | 0;
  }
  state[0] = (state[0]! + a) | 0; state[1] = (state[1]! + b) | 0; state[2] = (state[2]! + c) | 0; state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0; state[5] = (state[5]! + f) | 0; state[6] = (state[6]! + g) | 0; state[7] = (state[7]! + h) | 0;
}

const encoder = new TextEncoder();

/** Two hex digits per byte value: four look-ups instead of `toString(16).padStart(8, '0')`. */
const HEX2 = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** HMAC-SHA256 under one salt, cut to its first 8 hex digits. */
export class PlaceholderMac {
  private readonly inner = new Int32Array(8);
  private readonly outer = new Int32Array(8);
  private readonly state = new Int32Array(8);
  /** The message padded to whole blocks, as big-endian words: written straight from the text's characters. */
  private words = new Int32Array(64);
  /** The outer hash's one block: the inner digest (words 0–7), then fixed padding for 64 + 32 bytes. */
  private readonly outerBlock = new Int32Array(16);
  /** UTF-8 bytes of a message that is not all ASCII. */
  private bytes = new Uint8Array(256);

  /** `salt` is the HMAC key as text (UTF-8), as `createHmac('sha256', salt)` takes it. */
  constructor(salt: string) {
    let key: Uint8Array = encoder.encode(salt);
    if (key.length > 64) key = createHash('sha256').update(key).digest();
    const pad = new Int32Array(16);
    for (const [midstate, byte] of [[this.inner, 0x36], [this.outer, 0x5c]] as const) {
      for (let i = 0; i < 16; i++) {
        let w = 0;
        for (let j = 0; j < 4; j++) w = (w << 8) | ((key[4 * i + j] ?? 0) ^ byte);
        pad[i] = w;
      }
      midstate.set(IV);
      compress(midstate, pad, 0);
    }
    this.outerBlock[8] = 0x80000000 | 0;
    this.outerBlock[15] = (64 + 32) * 8;
  }

  /** The first 8 hex digits of HMAC-SHA256(salt, message). */
  hex8(message: string): string {
    return this.finish(this.encode(message, '', false));
  }

  /** `hex8(prefix + "\0" + value)` without building that string. */
  hex8Joined(prefix: string, value: string): string {
    return this.finish(this.encode(prefix, value, true));
  }

  /**
   * Writes `a` (then NUL and `b` when `joined`) as UTF-8 into the words, big-endian, zeroing
   * every word it reaches; returns the length in bytes. ASCII, by far the common case, goes
   * character by character; anything else through `TextEncoder`.
   */
  private encode(a: string, b: string, joined: boolean): number {
    const max = (a.length + b.length) * 3 + 73;
    if (this.words.length * 4 < max) this.words = new Int32Array(2 * Math.ceil(max / 4));
    const words = this.words;
    let n = 0;
    let w = 0;
    for (let i = 0; i < a.length; i++) {
      const c = a.charCodeAt(i);
      if (c > 0x7f) return this.encodeUtf8(joined ? `${a}\0${b}` : a);
      w = (w << 8) | c;
      if ((++n & 3) === 0) words[(n >> 2) - 1] = w;
    }
    if (joined) {
      w <<= 8;
      if ((++n & 3) === 0) words[(n >> 2) - 1] = w;
      for (let i = 0; i < b.length; i++) {
        const c = b.charCodeAt(i);
        if (c > 0x7f) return this.encodeUtf8(`${a}\0${b}`);
        w = (w << 8) | c;
        if ((++n & 3) === 0) words[(n >> 2) - 1] = w;
      }
    }
    // The partial last word, shifted to its high bytes (finish() ORs the 0x80 after it).
    if ((n & 3) !== 0) words[n >> 2] = w << (8 * (4 - (n & 3)));
    return n;
  }

  private encodeUtf8(message: string): number {
    if (this.bytes.length < message.length * 3) this.bytes = new Uint8Array(message.length * 6);
    const bytes = this.bytes;
    const n = encoder.encodeInto(message, bytes).written;
    const words = this.words;
    for (let i = 0; i < n >> 2; i++) words[i] = (bytes[4 * i]! << 24) | (bytes[4 * i + 1]! << 16) | (bytes[4 * i + 2]! << 8) | bytes[4 * i + 3]!;
    let w = 0;
    for (let i = n & ~3; i < n; i++) w = (w << 8) | bytes[i]!;
    if ((n & 3) !== 0) words[n >> 2] = w << (8 * (4 - (n & 3)));
    return n;
  }

  /** Pads the `len` bytes in the words, hashes them after the inner midstate, then the outer block. */
  private finish(len: number): string {
    const words = this.words;
    const total = Math.ceil((len + 9) / 64) * 16;
    // The 0x80 byte right after the message, in its word (which encode() left zero below it).
    const at = len >> 2;
    const shift = 24 - 8 * (len & 3);
    words[at] = (len & 3) === 0 ? 0x80000000 | 0 : words[at]! | (0x80 << shift);
    for (let i = at + 1; i < total; i++) words[i] = 0;
    const bits = (64 + len) * 8;
    words[total - 2] = Math.floor(bits / 2 ** 32);
    words[total - 1] = bits | 0;
    const s = this.state;
    for (let i = 0; i < 8; i++) s[i] = this.inner[i]!;
    for (let o = 0; o < total; o += 16) compress(s, words, o);
    const ob = this.outerBlock;
    for (let i = 0; i < 8; i++) {
      ob[i] = s[i]!;
      s[i] = this.outer[i]!;
    }
    compress(s, ob, 0);
    const h = s[0]!;
    return HEX2[(h >>> 24) & 0xff]! + HEX2[(h >>> 16) & 0xff]! + HEX2[(h >>> 8) & 0xff]! + HEX2[h & 0xff]!;
  }
}
