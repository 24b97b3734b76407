/**
 * Processes are generator coroutines. A process yields *effects* (sleep, rpc) and the kernel
 * alone decides when to resume it, so nothing runs in the microtask queue and the order of
 * execution is a pure function of the event queue. `yield*` on the helpers below reads like
 * `await`:
 *
 *   const r = yield* rpc<Stock>('db', 'read', { item: 'vase' }, 500);
 *   if (!r.ok) ... // r.error === 'timeout': outcome unknown, the request may have been applied
 */
import type { ChoiceKind, Stream } from './choice.js';

export type Effect =
  | {
      readonly type: 'sleep';
      readonly ms: number;
      /**
       * A sleep that takes between `ms` and `msMax` (a provider's processing time): a choice of
       * `stream`/`kind` in the sampled timing model, a window in the windowed one.
       */
      readonly msMax?: number;
      readonly stream?: Stream;
      readonly kind?: ChoiceKind;
    }
  | {
      readonly type: 'rpc';
      readonly to: string;
      readonly call: string;
      readonly body: unknown;
      readonly timeoutMs: number;
    };

/** A process body: yields effects, returns T. */
export type Proc<T> = Generator<Effect, T, unknown>;

/**
 * The result of a remote call is a value, never an exception. A timeout means "no answer in
 * time", not "it failed": the receiver may have applied the request and lost the reply.
 */
export type RpcResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: 'timeout' };

/**
 * A helper's call as one object: the effect the process yields, the iterator that `yield*`
 * drives, and that iterator's results, all at once. A generator helper (`function* rpc`)
 * cost a generator object, an effect literal and two iterator results per call: the largest
 * share of a run's garbage after queue entries (docs/benchmarks.md). `yield*` reads `done`
 * and `value` off each result before asking again, so one object can be every result.
 *
 * Its `type` is the effect's only once `yield*` has started it: a call yielded without the
 * star (`yield ctx.db.read(...)`) is an object with a `next` and no known effect type, as a
 * generator was, and is refused with the same words (node.ts).
 */
abstract class Call {
  done = false;
  /** Until `yield*` first asks: undefined; then itself (its effect); then the answer that ended it. */
  value: unknown = undefined;

  next(input?: unknown): this {
    // Not started while neither done nor its own effect (no `started` field: 8 bytes a call).
    if (!this.done && this.value !== this) {
      this.value = this;
    } else {
      this.done = true;
      this.value = input;
    }
    return this;
  }

  return(value?: unknown): this {
    this.done = true;
    this.value = value;
    return this;
  }

  throw(e: unknown): never {
    this.done = true;
    throw e;
  }

  [Symbol.iterator](): this {
    return this;
  }
}

// `type` is a getter, not a field (8 bytes a call): started is when its value is itself.
class SleepCall extends Call {
  get type(): string {
    return this.value === this ? 'sleep' : 'sleep-unstarted';
  }
  constructor(
    readonly ms: number,
    readonly msMax: number | undefined,
    readonly stream: Stream | undefined,
    readonly kind: ChoiceKind | undefined,
  ) {
    super();
  }
}

class RpcCall extends Call {
  get type(): string {
    return this.value === this ? 'rpc' : 'rpc-unstarted';
  }
  constructor(
    readonly to: string,
    readonly call: string,
    readonly body: unknown,
    readonly timeoutMs: number,
  ) {
    super();
  }
}

/**
 * A process body written out by hand: an iterator that is its own every result, as a call is.
 * A handler may answer with one where it would answer with a generator (world.ts accepts
 * both): a generator object with its register file per request is more than such a body
 * needs when its steps are few and fixed (the payment provider's charge).
 */
export abstract class HandProc<T> {
  done = false;
  value: unknown = undefined;

  abstract next(input?: unknown): IteratorResult<Effect, T>;

  [Symbol.iterator](): this {
    return this;
  }
}

export function sleep(ms: number): Proc<void> {
  return new SleepCall(ms, undefined, undefined, undefined) as unknown as Proc<void>;
}

/** Sleeps between `minMs` and `maxMs`; how long is fate's to decide (a `kind` choice of `stream`, or a window). */
export function sleepBetween(minMs: number, maxMs: number, stream: Stream, kind: ChoiceKind): Proc<void> {
  return new SleepCall(minMs, maxMs, stream, kind) as unknown as Proc<void>;
}

export function rpc<T>(to: string, call: string, body: unknown, timeoutMs: number): Proc<RpcResult<T>> {
  return new RpcCall(to, call, body, timeoutMs) as unknown as Proc<RpcResult<T>>;
}

/**
 * How a process ended: its return value, or what it threw (a finding, not a crash). `error`
 * is the words (they enter the trace); `thrown` is the value itself, kept so that the finding
 * can point at the line of the user's code that threw (never hashed, never compared).
 */
export type ProcessExit<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string; readonly thrown?: unknown };

export function describeThrown(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  // JSON.stringify has no words for these ("threw undefined" said nothing).
  if (typeof e === 'symbol') return `threw ${e.toString()}`;
  if (typeof e === 'bigint') return `threw ${e}n`;
  if (e === undefined) return 'threw undefined';
  if (typeof e === 'function') return `threw a function ${e.name || '(anonymous)'}`;
  try {
    return `threw ${JSON.stringify(e)}`;
  } catch {
    return 'threw a non-serialisable value';
  }
}
