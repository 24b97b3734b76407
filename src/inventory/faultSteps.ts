import type { Message } from '../sim/network.js';

/**
 * Which call a fault step targets, by origin: the k-th call of a kind made by an order's
 * placeOrder (`order`) or by a named process (`process`, e.g. "recover-app2"). The same
 * message under every interleaving. `nth` (the nth call of the kind in global send order) is
 * only ever set when oversold translates an old scenario file (explore/legacySteps.ts).
 */
export interface CallAddressConfig {
  readonly order?: string;
  readonly process?: string;
  readonly attempt?: number;
  readonly nth?: number;
}

/** A message by origin: a call's request or reply, and which copy (0 the original, 1 the duplicate). */
export interface MessageAddressConfig extends CallAddressConfig {
  readonly call: string;
  readonly reply: boolean;
  readonly copy: number;
}

/** One scenario fault step, as the domain reads it (the scenario layer's FaultStep satisfies it). */
export type FaultStepConfig =
  | { readonly kind: 'pause'; readonly node: string; readonly atMs?: number; readonly onDelivery?: MessageAddressConfig; readonly durationMs: number }
  | { readonly kind: 'crash'; readonly node: string; readonly atMs: number; readonly restartAtMs: number | null }
  | { readonly kind: 'partition'; readonly a: readonly string[]; readonly b: readonly string[]; readonly atMs: number; readonly healAtMs: number; readonly direction: 'both' | 'a-to-b' }
  | { readonly kind: 'clock'; readonly node: string; readonly offsetMs: number; readonly driftPpm: number }
  | ({ readonly kind: 'drop-request'; readonly call: string } & CallAddressConfig)
  | ({ readonly kind: 'drop-reply'; readonly call: string; readonly copy?: number } & CallAddressConfig)
  | ({ readonly kind: 'duplicate-request'; readonly call: string; readonly copyExtraMs: number; readonly copyReplyExtraMs: number } & CallAddressConfig)
  | ({ readonly kind: 'delay-call'; readonly call: string; readonly extraMs: number } & CallAddressConfig)
  | ({ readonly kind: 'delay-reply'; readonly call: string; readonly extraMs: number; readonly copy?: number } & CallAddressConfig)
  | { readonly kind: 'delay-replica'; readonly replica: string; readonly entry: number; readonly extraMs: number }
  | ({ readonly kind: 'payment-fail'; readonly copy?: number } & CallAddressConfig);

/** The process an address names: its order id or its process name. */
export function originOf(a: CallAddressConfig): string {
  return a.order ?? a.process ?? '';
}

/** The key of a message by origin (for the steps addressed to it). */
export function messageKey(origin: string, call: string, attempt: number, reply: boolean, copy: number): string {
  return `${origin}|${call}|${attempt}|${reply ? 1 : 0}|${copy}`;
}

/** What an old `nth` step of a translated file hit: the message (or charge request) by origin. */
export type LegacyHit = (stepIndex: number, request: Message) => void;
