/**
 * Case file hashes kept packed: 32 bytes per SHA-256 hex digest in one growing buffer, read back
 * as the same hex string. A 64-character string costs 80 bytes of heap, and 100,000 of them were
 * a fifth of what a large run's plan held. Anything that is not 64 lowercase hex digits (an empty
 * hash: nothing to check) is kept as it is.
 */
const HEX = /^[0-9a-f]{64}$/;

export class PackedHashes {
  private bytes = Buffer.alloc(32 * 1024);
  private readonly odd = new Map<number, string>();
  private count = 0;

  /** Stores `hash`; returns its index. */
  add(hash: string): number {
    const i = this.count++;
    if (32 * this.count > this.bytes.length) {
      const grown = Buffer.alloc(this.bytes.length * 2);
      this.bytes.copy(grown);
      this.bytes = grown;
    }
    if (HEX.test(hash)) this.bytes.write(hash, 32 * i, 'hex');
    else this.odd.set(i, hash);
    return i;
  }

  /** The hash stored at `i`. */
  get(i: number): string {
    return this.odd.get(i) ?? this.bytes.toString('hex', 32 * i, 32 * i + 32);
  }
}
