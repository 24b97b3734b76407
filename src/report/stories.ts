import type { TraceEvent } from '../sim/trace.js';
import { joinAnd } from '../inventory/invariants.js';
import { itemOfUnit, num, str, unitsOf, type DomainEvent, type Indexed, type MessageView, type TraceIndex } from './traceIndex.js';
import { behindAt, claimPhrase, firstAnswer, isClaim, pauseBetween, readBefore, replyFate, step, type Step } from './phrases.js';
import { plural } from './plural.js';

/** The anomaly classes a violation is sorted into (DDIA chapter 8 vocabulary). */
export type AnomalyClass =
  | 'lost-update'
  | 'stale-read'
  | 'double-apply'
  | 'zombie-write'
  | 'leaked-reservation'
  | 'double-charge'
  | 'unknown-outcome'
  | 'duplicate-refusal'
  | 'charge-without-sale'
  | 'other';

/** What a detector found: the class, the causal chain, and the event where it went wrong. */
export interface Story {
  readonly anomaly: AnomalyClass;
  /** Overrides the class's title (fallbacks say what kind of "other"). */
  readonly title?: string;
  readonly steps: Step[];
  readonly conclusion: string;
  /** The orders the chain is about (at most a few: the ones a person should follow). */
  readonly orders: string[];
  readonly units: string[];
  readonly firstBadIndex: number | null;
}

type Claim = Indexed<DomainEvent>;

function claims(ix: TraceIndex): Claim[] {
  return ix.domain((w) => w.startsWith('db:')).filter(isClaim);
}

function byIndex(steps: Array<Step | null>): Step[] {
  const seen = new Set<number>();
  const out: Step[] = [];
  for (const s of steps) {
    if (s === null || seen.has(s.index)) continue;
    seen.add(s.index);
    out.push(s);
  }
  return out.sort((a, b) => a.index - b.index);
}

/**
 * Two orders took the same unit: the first unit (in trace order of its second claim) that
 * another order had already claimed. `only` restricts it to the violation's units; `second`
 * picks which claim may be the second one (conservation wants the write that moved stock up).
 */
export function collisionStory(ix: TraceIndex, only: ReadonlySet<string>, second: (c: Claim) => boolean = () => true): Story | null {
  // The first claims of each unit by distinct orders (two suffice to name a collision).
  const firstClaims = new Map<string, Claim[]>();
  for (const c of claims(ix)) {
    for (const u of unitsOf(c)) {
      const list = firstClaims.get(u) ?? [];
      const prior = list.find((p) => p.order !== c.order);
      if (prior && (only.size === 0 || only.has(u)) && second(c)) return pairStory(ix, prior, c, u);
      if (list.length < 2 && !list.some((p) => p.order === c.order)) firstClaims.set(u, [...list, c]);
    }
  }
  return null;
}

/** The first claim that moved a counter up (an absolute write over newer stock), with its collision. */
export function upWriteStory(ix: TraceIndex): Story | null {
  return collisionStory(ix, new Set(), (c) => {
    const from = num(c.data.from);
    const to = num(c.data.to);
    return from !== undefined && to !== undefined && to > from;
  });
}

function ownersOf(ix: TraceIndex, unit: string): string[] {
  const out: string[] = [];
  for (const c of claims(ix)) if (unitsOf(c).includes(unit) && c.order && !out.includes(c.order)) out.push(c.order);
  return out;
}

function pairStory(ix: TraceIndex, a: Claim, b: Claim, unit: string): Story {
  const A = a.order!;
  const B = b.order!;
  const item = itemOfUnit(unit);
  const owners = ownersOf(ix, unit);
  const rest = owners.filter((o) => o !== A && o !== B);
  const more = rest.length === 0 ? '' : rest.length <= 3 ? ` (and ${joinAnd(rest)})` : ` (and ${plural(rest.length, 'more order')}: ${rest.slice(0, 3).join(', ')}, …)`;
  const conclusion = `${unit} went to ${A} and ${B}${more}`;
  const base = { orders: [A, B], units: [unit] };
  const lapseB = leaseLapse(ix, B, b.index);
  const lapseA = lapseB ? null : leaseLapse(ix, A, a.index);
  if (lapseB || lapseA) {
    const zombie = lapseB ? b : a;
    const other = lapseB ? a : b;
    const lapse = (lapseB ?? lapseA)!;
    const steps = byIndex([...lapse.steps, step(other, claimPhrase(ix, other)), step(zombie, zombiePhrase(ix, zombie))]);
    return { anomaly: 'zombie-write', steps, conclusion, ...base, firstBadIndex: zombie.index };
  }
  const readA = readBefore(ix, A, item, a.index, a);
  const readB = readBefore(ix, B, item, b.index, b);
  const claimA = step(a, claimPhrase(ix, a));
  const claimB = step(b, claimPhrase(ix, b));
  if (readB && readB.index > a.index && behindAt(ix, readB.index) > 0) {
    const steps = byIndex([claimA, readB, claimB]);
    return { anomaly: 'stale-read', steps, conclusion: `${conclusion}: ${B} never saw ${A}'s write`, ...base, firstBadIndex: b.index };
  }
  return { anomaly: 'lost-update', steps: byIndex([readA, readB, claimA, claimB]), conclusion: `${conclusion}: each wrote as if alone, so ${B}'s write erased ${A}'s`, ...base, firstBadIndex: b.index };
}

function zombiePhrase(ix: TraceIndex, c: Claim): string {
  return c.what === 'db:confirm-unfenced' ? claimPhrase(ix, c) : `${claimPhrase(ix, c)}, its lease already over`;
}

/** A write by an order whose lease had lapsed, when no second owner of its units shows it (yet). */
export function zombieStory(ix: TraceIndex): Story | null {
  for (const c of claims(ix)) {
    const lapse = leaseLapse(ix, c.order!, c.index);
    if (!lapse) continue;
    const units = unitsOf(c);
    return {
      anomaly: 'zombie-write',
      steps: byIndex([...lapse.steps, step(c, zombiePhrase(ix, c))]),
      conclusion: `${units.join(', ')} went back into stock when ${c.order}'s lease ended, and ${c.order} took ${units.length === 1 ? 'it' : 'them'} anyway: the counter and the units disagree`,
      orders: [c.order!],
      units,
      firstBadIndex: c.index,
    };
  }
  return null;
}

/**
 * Did `order` lose the right to write before its claim at `claimIndex`? A lock lease that
 * expired, or a reservation that expired or was reaped, between the grant and the claim.
 */
function leaseLapse(ix: TraceIndex, order: string, claimIndex: number): { steps: Step[] } | null {
  const node = ix.orderNode.get(order) ?? '';
  const grant = ix.domain('lock:lock', order).filter((g) => g.index < claimIndex).at(-1);
  if (grant) {
    const token = num(grant.data.token);
    const expired = ix.domain('lock:lease-expired', order).find((x) => x.index > grant.index && x.index < claimIndex && num(x.data.token) === token);
    if (expired) {
      const name = str(grant.data.name) ?? 'the lock';
      const next = ix.domain('lock:lock').find((g) => g.index > expired.index && g.index < claimIndex && g.order !== order && str(g.data.name) === str(grant.data.name));
      return {
        steps: byIndex([
          step(grant, `${order} got lock ${name} (token ${token}) at ${grant.t} ms`),
          pauseBetween(ix, node, grant.index, claimIndex),
          step(expired, `${order}'s lease (token ${token}) expired at ${expired.t} ms`),
          next ? step(next, `${next.order} got lock ${name} (token ${num(next.data.token)}) at ${next.t} ms`) : null,
        ]),
      };
    }
  }
  const reserve = ix.domain('db:reserve', order).filter((r) => r.index < claimIndex).at(-1);
  if (reserve) {
    const id = str(reserve.data.reservationId);
    const lapse = ix.domain((w) => w === 'db:expire' || w === 'db:reap').find((x) => x.index > reserve.index && x.index < claimIndex && str(x.data.reservationId) === id);
    if (lapse) {
      const how = lapse.what === 'db:reap'
        ? `reaped at ${lapse.t} ms by ${str(lapse.data.reaper) ?? 'another order'}, whose clock said ${num(lapse.data.reaperNowMs)} ms, past its ${num(lapse.data.deadlineMs)} ms deadline`
        : `expired at ${lapse.t} ms`;
      return {
        steps: byIndex([
          step(reserve, `${order} reserved ${unitsOf(reserve).join(', ')} (${id}) at ${reserve.t} ms`),
          pauseBetween(ix, node, reserve.index, claimIndex),
          step(lapse, `${order}'s reservation was ${how}`),
        ]),
      };
    }
  }
  return null;
}

/** An order that holds more units than it asked for: one request applied twice. */
export function doubleApplyStory(ix: TraceIndex, orders: readonly string[]): Story | null {
  const byOrder = new Map<string, Claim[]>();
  for (const c of claims(ix)) {
    if (orders.length > 0 && !orders.includes(c.order!)) continue;
    byOrder.set(c.order!, [...(byOrder.get(c.order!) ?? []), c]);
  }
  for (const [order, cs] of byOrder) {
    const items = new Map<string, Claim[]>();
    for (const c of cs) for (const u of unitsOf(c)) items.set(itemOfUnit(u), [...(items.get(itemOfUnit(u)) ?? []).filter((x) => x !== c), c]);
    for (const [item, list] of items) {
      const units = [...new Set(list.flatMap((c) => unitsOf(c).filter((u) => itemOfUnit(u) === item)))];
      const qty = ix.orderQty(order, item);
      if (list.length < 2 || units.length <= qty) continue;
      return twiceStory(ix, order, item, qty, units, list[0], list[1]);
    }
  }
  return null;
}

function twiceStory(ix: TraceIndex, order: string, item: string, qty: number, units: string[], first: Claim, second: Claim): Story {
  const m1 = ix.requestOf(first.index);
  const m2 = ix.requestOf(second.index);
  const call = m1?.call ?? first.what.replace(/^db:/, '');
  const steps: Array<Step | null> = [step(first, claimPhrase(ix, first))];
  let how = 'the same request was applied twice';
  let title: string | undefined;
  if (m1 && m2 && m1.rpc === m2.rpc) {
    title = 'double apply of a duplicated request';
    const dup = m2.duplicate ? m2 : m1;
    steps.push({ index: dup.sendIndex, t: dup.sentMs, text: `the network duplicated ${order}'s ${call} request at ${dup.sentMs} ms` });
    how = 'a duplicated request was applied twice';
  } else if (m1) {
    steps.push(...replyFate(ix, m1.rpc, order));
    if (m2) steps.push({ index: m2.sendIndex, t: m2.sentMs, text: `${order} sent its ${call} again at ${m2.sentMs} ms (rpc ${m2.rpc}), with nothing to tell the primary it was a retry` });
    how = 'a retry was applied as a new request';
  }
  steps.push(step(second, claimPhrase(ix, second)));
  return {
    anomaly: 'double-apply',
    ...(title ? { title } : {}),
    steps: byIndex(steps),
    conclusion: `${order} ordered ${qty} × ${item} but holds ${units.length} (${units.join(', ')}): ${how}`,
    orders: [order],
    units,
    firstBadIndex: second.index,
  };
}

/**
 * An order told something other than ORDER_PLACED that owns units. What it was told follows
 * from what reached it first for the call that took them: its timeout ("unknown" taken for
 * "failed"), or the refusal of the network's duplicate of that very request (the original
 * had taken the units; the copy found none left and its answer came back first). Neither in
 * the trace: the answer and the ledger disagree for another reason, said as such.
 */
export function unknownOutcomeStory(ix: TraceIndex, orders: readonly string[]): Story | null {
  for (const order of orders) {
    const result = ix.domain('order-result', order)[0];
    const answer = result ? str(result.data.answer) : undefined;
    if (!result || answer === 'ORDER_PLACED') continue;
    const mine = claims(ix).filter((c) => c.order === order);
    if (mine.length === 0) continue;
    const first = mine[0];
    const units = [...new Set(mine.flatMap((c) => unitsOf(c)))];
    const sold = `${order} was told ${answer} but ${units.join(', ')} ${units.length === 1 ? 'was' : 'were'} sold to it`;
    const told = step(result, `${order} answered ${answer} at ${result.t} ms`);
    const base = { orders: [order], units, firstBadIndex: result.index };
    const m = ix.requestOf(first.index);
    const got = m ? firstAnswer(ix, m.rpc) : null;
    if (m && got?.kind === 'timeout') {
      return {
        anomaly: 'unknown-outcome',
        steps: byIndex([step(first, claimPhrase(ix, first)), ...replyFate(ix, m.rpc, order), told]),
        conclusion: `${sold}: a timeout means "unknown", not "failed"`,
        ...base,
      };
    }
    if (m && got?.kind === 'reply' && got.reply.copy !== m.copy) {
      const dup = duplicateRefusal(ix, order, m, got.reply);
      if (dup) return { anomaly: 'duplicate-refusal', steps: byIndex([step(first, claimPhrase(ix, first)), ...dup.steps, told]), conclusion: `${sold}: ${dup.conclusion}`, ...base };
    }
    const reply = got?.kind === 'reply' ? got.reply : null;
    return {
      anomaly: 'other',
      title: 'answer and ledger disagree',
      steps: byIndex([
        step(first, claimPhrase(ix, first)),
        reply ? { index: reply.endIndex!, t: reply.endMs!, text: `the ${reply.call} reply reached ${order} at ${reply.endMs} ms` } : null,
        told,
      ]),
      conclusion: sold,
      ...base,
    };
  }
  return null;
}

/** The steps that show a duplicate's refusal reaching the caller before the original's answer. */
function duplicateRefusal(ix: TraceIndex, order: string, original: MessageView, reply: MessageView): { steps: Step[]; conclusion: string } | null {
  const copy = ix.requestsOf(original.rpc).find((r) => r.copy === reply.copy);
  if (!copy || !copy.duplicate) return null;
  const refused = ix.effectsOf(copy.msg).find((e) => e.what.endsWith('-refused'));
  const own = ix.repliesTo(original.rpc).find((r) => r.copy === original.copy);
  const ownFate = own === undefined ? 'its own reply never came'
    : own.outcome === 'delivered' ? `its own reply came only at ${own.endMs} ms`
    : own.outcome === 'dropped' ? `its own reply was lost at ${own.endMs ?? own.sentMs} ms`
    : 'its own reply was still on its way';
  const steps: Array<Step | null> = [
    { index: copy.sendIndex, t: copy.sentMs, text: `the network duplicated ${order}'s ${copy.call} request at ${copy.sentMs} ms` },
    refused ? step(refused, `the duplicate reached ${copy.to} at ${refused.t} ms and was refused (${refusalReason(refused)}): the original had already been applied`) : null,
    { index: reply.endIndex!, t: reply.endMs!, text: `${order} got the duplicate's ${refused ? 'refusal' : 'answer'} at ${reply.endMs} ms; ${ownFate}` },
  ];
  return { steps: steps.filter((x): x is Step => x !== null), conclusion: `it took the answer to the network's copy of its request for the answer to its own` };
}

function refusalReason(e: DomainEvent): string {
  const stock = num(e.data.stock);
  if (stock !== undefined) return `${str(e.data.item) ?? 'stock'}: ${stock} left`;
  const version = num(e.data.version);
  if (version !== undefined) return `version ${num(e.data.expectedVersion) ?? '?'} expected, ${version} found`;
  const highest = num(e.data.highestToken);
  if (highest !== undefined) return `token ${num(e.data.token) ?? '?'} older than ${highest}`;
  return str(e.data.reason) ?? 'refused';
}

/** Two live charges for one order. */
export function doubleChargeStory(ix: TraceIndex, orders: readonly string[]): Story | null {
  const charges = ix.domain('payment:charge');
  for (const order of orders) {
    const mine = charges.filter((c) => c.order === order);
    if (mine.length < 2) continue;
    const requests = [...ix.messages.values()].filter((m) => !m.reply && m.call === 'charge' && m.order === order).sort((a, b) => a.sendIndex - b.sendIndex);
    const steps: Array<Step | null> = mine.slice(0, 2).map((c) => step(c, `payment charged ${order} (${str(c.data.chargeId) ?? '?'}) at ${c.t} ms`));
    const [r1, r2] = requests;
    if (r1) steps.push({ index: r1.sendIndex, t: r1.sentMs, text: `${order} asked payment to charge at ${r1.sentMs} ms` });
    if (r1 && r2 && r1.rpc === r2.rpc) {
      steps.push({ index: r2.sendIndex, t: r2.sentMs, text: `the network duplicated the charge request at ${r2.sentMs} ms` });
    } else if (r1) {
      steps.push(...replyFate(ix, r1.rpc, order));
      if (r2) steps.push({ index: r2.sendIndex, t: r2.sentMs, text: `${order} charged again at ${r2.sentMs} ms (a retry the provider could not recognise)` });
    }
    const ids = mine.map((c) => str(c.data.chargeId) ?? '?');
    return {
      anomaly: 'double-charge',
      steps: byIndex(steps),
      conclusion: `${order} was charged ${mine.length} times (${ids.join(', ')})`,
      orders: [order],
      units: [],
      firstBadIndex: mine[1].index,
    };
  }
  return null;
}

/**
 * An order charged once, never refunded, that holds no units and was not told ORDER_PLACED:
 * the charge, then what kept the sale from happening (the claim refused or its reservation
 * lost), then what the order answered, in words.
 */
export function chargeWithoutSaleStory(ix: TraceIndex, orders: readonly string[]): Story | null {
  for (const order of orders) {
    const charge = ix.domain('payment:charge', order)[0];
    if (!charge) continue;
    const id = str(charge.data.chargeId) ?? '?';
    const refunded = ix.domain('payment:refund', order).some((r) => str(r.data.chargeId) === id);
    if (refunded) continue;
    const amount = num(charge.data.amount);
    const steps: Array<Step | null> = [step(charge, `payment charged ${order}${amount !== undefined ? ` ${amount}` : ''} (${id}) at ${charge.t} ms`)];
    const lost = ix.domain((w) => /^db:.*-refused$/.test(w) || w === 'db:expire' || w === 'db:reap' || w === 'db:release', order)[0];
    if (lost) steps.push(step(lost, lostPhrase(order, lost)));
    const node = ix.orderNode.get(order) ?? '';
    const crash = ix.find((e, i) => e.type === 'crash' && e.node === node && i > charge.index)[0];
    const result = ix.domain('order-result', order)[0];
    if (crash && (!result || crash.index < result.index)) steps.push(step(crash, `${node} crashed at ${crash.t} ms, before ${order} could sell or refund`));
    else if (result) steps.push(step(result, `${order} answered ${str(result.data.answer) ?? '?'} at ${result.t} ms without a refund`));
    return {
      anomaly: 'charge-without-sale',
      steps: byIndex(steps),
      conclusion: `${order} paid (${id}) for nothing: it got no units and its money was never refunded`,
      orders: [order],
      units: [],
      firstBadIndex: (result ?? crash ?? charge).index,
    };
  }
  return null;
}

function lostPhrase(order: string, e: Indexed<DomainEvent>): string {
  const what = e.what.replace(/^db:/, '');
  if (what === 'expire') return `${order}'s reservation ${str(e.data.reservationId) ?? ''} expired at ${e.t} ms, its units back in stock`.replace('  ', ' ');
  if (what === 'reap') return `${order}'s reservation ${str(e.data.reservationId) ?? ''} was reaped at ${e.t} ms`.replace('  ', ' ');
  if (what === 'release') return `${order} released its reservation at ${e.t} ms`;
  return `the primary refused ${order}'s ${what.replace(/-refused$/, '')} at ${e.t} ms (${refusalReason(e)})`;
}

/** Reservations still held at the end: what kept them from being confirmed, released or expired. */
export function leakStory(ix: TraceIndex, orders: readonly string[], units: readonly string[]): Story | null {
  const order = orders[0];
  if (order === undefined) return null;
  const reserve = ix.domain('db:reserve', order).filter((r) => units.length === 0 || unitsOf(r).some((u) => units.includes(u))).at(-1);
  if (!reserve) return null;
  // Held to the end means nothing confirmed, released, expired or reaped it afterwards.
  const id = str(reserve.data.reservationId);
  const ended = ix.domain((w) => w === 'db:confirm' || w === 'db:release' || w === 'db:expire' || w === 'db:reap')
    .some((e) => e.index > reserve.index && str(e.data.reservationId) === id);
  if (ended) return null;
  const node = ix.orderNode.get(order) ?? '';
  const steps: Array<Step | null> = [];
  const wallClock = num(reserve.data.clientDeadlineMs) !== undefined;
  const lease = wallClock ? `no lease at the primary: its expiry waits for an app server's clock (deadline ${num(reserve.data.clientDeadlineMs)} ms)` : `lease until seq ${num(reserve.data.expiresAtSeq)}`;
  steps.push(step(reserve, `${order} reserved ${unitsOf(reserve).join(', ')} (${str(reserve.data.reservationId) ?? '?'}) at ${reserve.t} ms, ${lease}`));
  const after = (i: number) => i > reserve.index;
  const crash = ix.find((e, i) => e.type === 'crash' && e.node === node && after(i))[0];
  if (crash) steps.push(step(crash, `${node} crashed at ${crash.t} ms, forgetting it`));
  for (const m of ix.messages.values()) {
    if (m.reply || m.order !== order || (m.call !== 'confirm' && m.call !== 'release') || m.outcome !== 'dropped' || !after(m.sendIndex)) continue;
    steps.push({ index: m.endIndex ?? m.sendIndex, t: m.endMs ?? m.sentMs, text: `${order}'s ${m.call} was dropped (${m.dropReason ?? 'lost'}) at ${m.endMs ?? m.sentMs} ms` });
  }
  const result = ix.domain('order-result', order)[0];
  if (result) steps.push(step(result, `${order} answered ${str(result.data.answer) ?? '?'} at ${result.t} ms without giving the units back`));
  const held = units.length > 0 ? units : unitsOf(reserve);
  const cause = steps.length > 1 ? steps[1] : steps[0];
  return {
    anomaly: 'leaked-reservation',
    steps: byIndex(steps),
    conclusion: `${held.join(', ')} ${held.length === 1 ? 'stays' : 'stay'} reserved with nobody left to sell ${held.length === 1 ? 'it' : 'them'}`,
    orders: [order],
    units: [...held],
    firstBadIndex: cause!.index,
  };
}

/** ORDER_PLACED answers beyond the stock, when no double claim explains them. */
export function oversellStory(ix: TraceIndex, orders: readonly string[], message: string): Story | null {
  const placed = ix.domain('order-result').filter((e) => e.data.answer === 'ORDER_PLACED' && e.order !== undefined && orders.includes(e.order));
  if (placed.length === 0) return null;
  const last = placed[placed.length - 1];
  const steps = placed.slice(-3).map((e) => step(e, `${e.order} was told ORDER_PLACED at ${e.t} ms`));
  return { anomaly: 'other', title: 'oversold', steps, conclusion: message.replace(/\.$/, ''), orders: placed.slice(-2).map((e) => e.order!), units: [], firstBadIndex: last.index };
}

const FALLBACK_TITLES: Readonly<Record<string, string>> = {
  liveness: 'no progress',
  'strategy-error': 'strategy error',
  'charged-once': 'charge without a sale',
  'acknowledged-is-sold': 'answer and ledger disagree',
};

/** Whatever the detectors did not recognise: the first order's own events, in words. */
export function fallbackStory(ix: TraceIndex, invariant: string, orders: readonly string[], message: string): Story {
  const order = orders[0];
  const steps: Step[] = [];
  if (order !== undefined) {
    const mine = ix.find((e) =>
      // A strategy error's order-error repeats the process-error's words: one of them is enough.
      (e.type === 'domain' && e.order === order && (/^(db|lock|payment):/.test(e.what) || e.what === 'order-result' || (e.what === 'order-error' && invariant !== 'strategy-error'))) ||
      (e.type === 'timeout' && e.order === order) ||
      (e.type === 'drop' && e.order === order) ||
      (e.type === 'process-error' && e.process.endsWith(` ${order}`)));
    for (const e of mine) steps.push(step(e, describeEvent(e)));
  }
  const shown = steps.length > 6 ? [...steps.slice(0, 2), ...steps.slice(-4)] : steps;
  return {
    anomaly: 'other',
    title: FALLBACK_TITLES[invariant] ?? 'unclassified',
    steps: shown,
    conclusion: invariant === 'strategy-error' && steps.length > 0 ? `${order} got no answer: a bug in the strategy's code, not a race` : message.replace(/\.$/, ''),
    orders: order === undefined ? [] : [order],
    units: [],
    firstBadIndex: shown.length > 0 ? shown[shown.length - 1].index : null,
  };
}

/** A trace event in a few words (fallback chains, hover texts). */
export function describeEvent(e: TraceEvent): string {
  switch (e.type) {
    case 'domain': {
      const data = Object.entries(e.data).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
      return `${e.order ? `${e.order} ` : ''}${e.what}${data ? ` ${data}` : ''} at ${e.t} ms`;
    }
    case 'timeout':
      return `${e.order ?? e.node} timed out waiting for ${e.call} (rpc ${e.rpc}) at ${e.t} ms`;
    case 'drop':
      return `${e.from}→${e.to} ${e.call}${e.reply ? ' reply' : ''}${e.order ? ` of ${e.order}` : ''} dropped (${e.reason}) at ${e.t} ms`;
    case 'process-error':
      return `${e.process} on ${e.node} failed at ${e.t} ms: ${e.error}`;
    default:
      return `${e.type} at ${e.t} ms`;
  }
}
