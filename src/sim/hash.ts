/**
 * A stable 64-bit hash (two 32-bit multiply-xor lanes) fed incrementally with integers,
 * strings and plain JSON-like values. Used for trace hashes: equal traces give equal hashes
 * in every process and on every machine, because only 32-bit integer arithmetic is involved
 * and values are visited in insertion order. It hashes values structurally instead of via
 * JSON.stringify, which was the kernel's largest cost (docs/benchmarks.md).
 */
export class StableHash {
  /**
   * 0xdeadbeef as the int32 it is used as (`^` and Math.imul read it so): the same hash. The
   * lanes only ever hold int32s, and V8 keeps an int32 field as a small integer in place; the
   * double 0xdeadbeef (above 2^31) made h1 a boxed double field, converted on every load and
   * store (docs/benchmarks.md, round 6).
   */
  private h1 = 0xdeadbeef | 0;
  private h2 = 0x41c6ce57;

  /** Back to the state of a new hash (a world reset: the next run hashes from the start). */
  reset(): void {
    this.h1 = 0xdeadbeef | 0;
    this.h2 = 0x41c6ce57;
  }

  int(x: number): void {
    this.h1 = Math.imul(this.h1 ^ x, 2654435761);
    this.h2 = Math.imul(this.h2 ^ x, 1597334677);
  }

  number(x: number): void {
    if ((x | 0) === x) {
      // An int32 (times, counters, stock; -0 too): the high word of a safe integer below
      // 2^31 in magnitude is its sign, without the double division below.
      this.int(x | 0);
      this.int(x >> 31);
    } else if (Number.isSafeInteger(x)) {
      this.int(x | 0);
      this.int(Math.floor(x / 4294967296) | 0);
    } else {
      this.string(String(x));
    }
  }

  string(s: string): void {
    // Trace strings are short (keys, node names, order ids): hashing the characters directly
    // is cheaper than looking them up in a cache (measured: docs/benchmarks.md).
    let h1 = this.h1 ^ s.length;
    let h2 = this.h2;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    this.h1 = Math.imul(h1 ^ 0x9e, 2654435761);
    this.h2 = Math.imul(h2 ^ 0x9e, 1597334677);
  }

  /** Any JSON-like value: objects by their keys in insertion order. */
  value(v: unknown): void {
    switch (typeof v) {
      case 'number':
        this.int(1);
        this.number(v);
        return;
      case 'string':
        this.int(2);
        this.string(v);
        return;
      case 'boolean':
        this.int(v ? 3 : 4);
        return;
      case 'undefined':
        this.int(5);
        return;
      case 'object':
        if (v === null) {
          this.int(6);
        } else if (Array.isArray(v)) {
          this.int(7);
          this.int(v.length);
          for (const x of v) this.value(x);
        } else {
          this.int(8);
          let n = 0;
          for (const k in v) {
            this.string(k);
            this.value((v as Record<string, unknown>)[k]);
            n++;
          }
          this.int(n);
        }
        return;
      default:
        this.string(String(v));
    }
  }

  /**
   * A trace event: its values in insertion order, without its keys (an event's type fixes its
   * shape, and the type is its second value). Nested objects are hashed with their keys.
   */
  event(e: object): void {
    let n = 0;
    for (const k in e) {
      this.value((e as Record<string, unknown>)[k]);
      n++;
    }
    this.int(n);
  }

  /** Plain text (kept for hashing lines of files). */
  update(text: string): void {
    this.int(9);
    this.string(text);
  }

  digest(): string {
    let h1 = this.h1;
    let h2 = this.h2;
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return hex16(h2, h1);
  }
}

/** Lower-case hex digits by value. */
const HEX = '0123456789abcdef';

/**
 * `hi` then `lo` as 8 lower-case hex digits each (what `(x >>> 0).toString(16).padStart(8,
 * '0')` twice gives): Number's radix conversion is a call into the runtime, and a sweep asks
 * for one digest per run (0.7 % of a flash-sale-chaos run; docs/benchmarks.md, round 6).
 */
function hex16(hi: number, lo: number): string {
  return HEX[(hi >>> 28) & 15] + HEX[(hi >>> 24) & 15] + HEX[(hi >>> 20) & 15] + HEX[(hi >>> 16) & 15]
    + HEX[(hi >>> 12) & 15] + HEX[(hi >>> 8) & 15] + HEX[(hi >>> 4) & 15] + HEX[hi & 15]
    + HEX[(lo >>> 28) & 15] + HEX[(lo >>> 24) & 15] + HEX[(lo >>> 20) & 15] + HEX[(lo >>> 16) & 15]
    + HEX[(lo >>> 12) & 15] + HEX[(lo >>> 8) & 15] + HEX[(lo >>> 4) & 15] + HEX[lo & 15];
}

export function hashLines(lines: readonly string[]): string {
  const h = new StableHash();
  for (const l of lines) h.update(l);
  return h.digest();
}
