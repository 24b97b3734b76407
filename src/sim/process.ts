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

export function* sleep(ms: number): Proc<void> {
  yield { type: 'sleep', ms };
}

/** Sleeps between `minMs` and `maxMs`; how long is fate's to decide (a `kind` choice of `stream`, or a window). */
export function* sleepBetween(minMs: number, maxMs: number, stream: Stream, kind: ChoiceKind): Proc<void> {
  yield { type: 'sleep', ms: minMs, msMax: maxMs, stream, kind };
}

export function* rpc<T>(to: string, call: string, body: unknown, timeoutMs: number): Proc<RpcResult<T>> {
  return (yield { type: 'rpc', to, call, body, timeoutMs }) as RpcResult<T>;
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
