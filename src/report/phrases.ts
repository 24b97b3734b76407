import type { EventRef } from './eventRef.js';
import { num, str, unitsOf, type DomainEvent, type Indexed, type MessageView, type TraceIndex } from './traceIndex.js';

/** One link of a causal chain: what happened, when, and where in the trace. */
export interface Step {
  readonly index: number;
  readonly t: number;
  readonly text: string;
  /** The event that shows the claim, by identity (filled in by explainOne). */
  readonly event?: EventRef;
}

export function step(e: { index: number; t: number }, text: string): Step {
  return { index: e.index, t: e.t, text };
}

/** Domain operations at the primary that hand units to an order. */
export const CLAIM_OPS: ReadonlySet<string> = new Set(['db:write', 'db:decrement', 'db:cas', 'db:fenced-write', 'db:confirm', 'db:confirm-unfenced']);

export function isClaim(e: DomainEvent): boolean {
  return CLAIM_OPS.has(e.what) && e.order !== undefined && unitsOf(e).length > 0;
}

/** "o1 wrote 9 at 385 ms", "o3's decrement took vase#10 at 140 ms", ... */
export function claimPhrase(ix: TraceIndex, e: Indexed<DomainEvent>): string {
  const o = e.order ?? '?';
  const units = unitsOf(e).join(', ');
  const from = num(e.data.from);
  const to = num(e.data.to);
  const item = str(e.data.item) ?? '';
  switch (e.what) {
    case 'db:write':
    case 'db:cas':
    case 'db:fenced-write': {
      const verb = e.what === 'db:write' ? 'wrote' : e.what === 'db:cas' ? 'compare-and-set' : 'fenced-wrote';
      const token = e.what === 'db:fenced-write' && num(e.data.token) !== undefined ? ` with token ${num(e.data.token)}` : '';
      const seen = to !== undefined ? to + ix.orderQty(o, item) : undefined;
      const over = from !== undefined && seen !== undefined && from !== seen ? ` (the counter already said ${from})` : '';
      return `${o} ${verb} ${ix.stockOf(item)}=${to ?? '?'}${token} at ${e.t} ms${over}, taking ${units}`;
    }
    case 'db:decrement':
      return `${o}'s decrement took ${units} at ${e.t} ms`;
    case 'db:confirm':
      return `${o} confirmed ${str(e.data.reservationId) ?? 'its reservation'} (${units}) at ${e.t} ms`;
    case 'db:confirm-unfenced':
      return `${o} confirmed ${str(e.data.reservationId) ?? 'its reservation'} (${units}) at ${e.t} ms although it was ${str(e.data.was) ?? 'no longer held'}, and the primary believed it`;
    default:
      return `${o} ${e.what.replace(/^db:/, '')} ${units} at ${e.t} ms`;
  }
}

/**
 * The last read an order made of an item before trace index `before`, in words: where from,
 * how far behind, what it saw (replica reads say; a primary read is inferred from the write).
 */
export function readBefore(ix: TraceIndex, order: string, item: string, before: number, claim?: Indexed<DomainEvent>): Step | null {
  let best: MessageView | null = null;
  for (const m of ix.messages.values()) {
    if (m.reply || m.call !== 'read' || m.order !== order || m.outcome !== 'delivered' || m.endIndex === null || m.endIndex >= before) continue;
    if (best === null || m.endIndex > best.endIndex!) best = m;
  }
  if (best === null) return null;
  const at = best.endIndex!;
  const next = ix.events[at + 1];
  if (next && next.type === 'domain' && next.what === 'replica-read' && next.node === best.to) {
    const stock = num(next.data.stock);
    const behind = (num(next.data.primarySeq) ?? 0) - (num(next.data.appliedSeq) ?? 0);
    const lag = behind > 0 ? `${behind} write${behind === 1 ? '' : 's'} behind` : 'up to date';
    return { index: at + 1, t: next.t, text: `${order} read ${ix.stockOf(item)}=${stock ?? '?'} from ${best.to} (${lag}) at ${next.t} ms` };
  }
  const to = claim ? num(claim.data.to) : undefined;
  const seen = to !== undefined && claim?.what !== 'db:decrement' ? `=${to + ix.orderQty(order, item)}` : '';
  return { index: at, t: best.endMs!, text: `${order} read ${ix.stockOf(item)}${seen} from ${best.to} at ${best.endMs} ms` };
}

/** Staleness of the replica read at `index`, or 0 for a primary read. */
export function behindAt(ix: TraceIndex, index: number): number {
  const e = ix.events[index];
  if (e.type !== 'domain' || e.what !== 'replica-read') return 0;
  return Math.max(0, (num(e.data.primarySeq) ?? 0) - (num(e.data.appliedSeq) ?? 0));
}

/** What a caller got first for an rpc: a reply (which copy it answers) or its timeout; null if neither. */
export type FirstAnswer =
  | { readonly kind: 'reply'; readonly reply: MessageView }
  | { readonly kind: 'timeout'; readonly timeout: Indexed }
  | null;

export function firstAnswer(ix: TraceIndex, rpc: number): FirstAnswer {
  const timeout = ix.find((e) => e.type === 'timeout' && e.rpc === rpc)[0];
  let reply: MessageView | null = null;
  for (const r of ix.repliesTo(rpc)) {
    if (r.outcome !== 'delivered' || r.endIndex === null) continue;
    if (reply === null || r.endIndex < reply.endIndex!) reply = r;
  }
  if (reply && (!timeout || reply.endIndex! < timeout.index)) return { kind: 'reply', reply };
  return timeout ? { kind: 'timeout', timeout } : null;
}

function dropText(r: MessageView): string {
  const why = r.dropReason === 'chance' ? 'lost by the network' : r.dropReason === 'step' ? 'dropped by a drop-reply step' : `dropped (${r.dropReason ?? 'unknown'})`;
  return `the reply was ${why} at ${r.endMs ?? r.sentMs} ms`;
}

/**
 * What became of an rpc's reply, in words: one step per event that shows it (the drop, the
 * timeout, a reply that came after the timeout). Claims only what the trace shows: no
 * "timed out" without a timeout event, no "lost" without a drop.
 */
export function replyFate(ix: TraceIndex, rpc: number, who: string): Step[] {
  const got = firstAnswer(ix, rpc);
  const replies = ix.repliesTo(rpc);
  const dropped = replies.find((r) => r.outcome === 'dropped');
  const dropStep = dropped ? { index: dropped.endIndex ?? dropped.sendIndex, t: dropped.endMs ?? dropped.sentMs, text: dropText(dropped) } : null;
  if (got?.kind !== 'timeout') return dropStep && got === null ? [dropStep] : [];
  const t = got.timeout;
  const call = t.type === 'timeout' ? `${t.call} ` : '';
  const out: Step[] = [];
  if (dropStep && dropStep.index < t.index) out.push(dropStep);
  out.push(step(t, `${who} timed out at ${t.t} ms waiting for the ${call}reply${dropStep ? ', not knowing it had been applied' : ''}`));
  const late = replies.find((r) => r.outcome === 'delivered' && r.endIndex !== null && r.endIndex > t.index);
  if (late) out.push({ index: late.endIndex!, t: late.endMs!, text: `the reply was slow: it arrived at ${late.endMs} ms, after the timeout` });
  return out;
}

/** The most recent pause of `node` that began in (after, before) trace indexes. */
export function pauseBetween(ix: TraceIndex, node: string, after: number, before: number): Step | null {
  const p = ix.find((e, i) => e.type === 'pause' && e.node === node && i > after && i < before).at(-1);
  if (!p || p.type !== 'pause') return null;
  return step(p, `${node} paused at ${p.t} ms for ${p.untilMs - p.t} ms (${p.cause})`);
}

