/**
 * The placeholders of one redaction pass (`redactValue`): one MAC per distinct value nearby,
 * with a cache per kind that turns itself off where it does not pay.
 *
 * A dense text repeats some values (a support agent's phone number, a card) and not others
 * (every customer's e-mail). A cached miss costs more than the MAC it was meant to save: the
 * lookup, the insert, and entries that survive young-generation garbage collection only to be
 * dropped later. So each kind counts its hits; a full cache (`TOKEN_CACHE` entries) that saw
 * fewer than one hit in `MIN_HIT_RATE` lookups is dropped and the kind is computed directly for
 * the next `BYPASS` values, then cached again. The placeholders are the same either way: the
 * cache only decides how often the MAC runs.
 */
import type { Detector } from './redact-detectors.js';
import type { PlaceholderMac } from './placeholder-mac.js';

/**
 * Most placeholders kept per kind. Past this the cache starts afresh: repeats are mostly near
 * each other, and a map of a million entries costs more in lookups and garbage collection
 * than the MACs it saves.
 */
const TOKEN_CACHE = 1 << 16;
/** A full cache with fewer hits than one in this many lookups is not worth keeping. */
const MIN_HIT_RATE = 8;
/** Values computed without the cache before a kind tries caching again. */
const BYPASS = 4 * TOKEN_CACHE;

interface KindTokens {
  name: string;
  upper: string;
  byValue: Map<string, string>;
  /** Lookups and hits since the cache last started afresh. */
  lookups: number;
  hits: number;
  /** Values still to compute without the cache. */
  bypass: number;
}

export class PlaceholderTokens {
  private readonly kinds = new Map<string, KindTokens>();

  constructor(private readonly mac: PlaceholderMac) {}

  /** `<KIND_xxxxxxxx>` for `value` as found by `d` (normalized by `d` first). */
  tokenFor(d: Detector, value: string): string {
    let kind = this.kinds.get(d.kind);
    if (kind === undefined) this.kinds.set(d.kind, (kind = { name: d.kind, upper: d.kind.toUpperCase(), byValue: new Map(), lookups: 0, hits: 0, bypass: 0 }));
    if (kind.bypass > 0) {
      kind.bypass--;
      return this.compute(kind.name, d.normalize ? d.normalize(value) : value, kind.upper);
    }
    const byValue = kind.byValue;
    kind.lookups++;
    // Keyed by the value as found too, so a repeated value skips normalizing; sharing one map is
    // safe because normalizers are idempotent (a found value equal to a normalized one normalizes to it).
    let token = byValue.get(value);
    if (token !== undefined) {
      kind.hits++;
      return token;
    }
    const normalized = d.normalize ? d.normalize(value) : value;
    if (normalized !== value) token = byValue.get(normalized);
    if (token === undefined) {
      if (byValue.size >= TOKEN_CACHE) this.restart(kind);
      token = this.compute(kind.name, normalized, kind.upper);
      if (kind.bypass > 0) return token;
      byValue.set(normalized, token);
    } else kind.hits++;
    if (normalized !== value) byValue.set(value, token);
    return token;
  }

  /** The placeholder of a normalized value, always computed (secret-named keys: no cache). */
  compute(kind: string, normalized: string, upper = kind.toUpperCase()): string {
    return `<${upper}_${this.mac.hex8Joined(kind, normalized)}>`;
  }

  private restart(kind: KindTokens): void {
    if (kind.hits * MIN_HIT_RATE < kind.lookups) kind.bypass = BYPASS;
    kind.byValue = new Map();
    kind.lookups = 0;
    kind.hits = 0;
  }
}
