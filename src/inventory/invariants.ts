import type { StopReason } from '../sim/world.js';
import type { OrderRecord } from './orderLifecycle.js';
import type { ReservationState } from './dbTypes.js';
import { qtyByItem, unitId } from './types.js';
import { formatThrownAt, userFrame } from './thrownAt.js';
import { emptyArray } from '../sim/untracked.js';

export const INVARIANTS = [
  'no-oversell', 'unique-units', 'conservation', 'acknowledged-is-sold', 'no-leak', 'charged-once', 'liveness', 'strategy-error',
] as const;
export type InvariantName = (typeof INVARIANTS)[number];

/** One broken invariant, explained: who, which units, and one sentence a person understands. */
export interface Violation {
  readonly invariant: InvariantName;
  readonly message: string;
  readonly orders: readonly string[];
  readonly units: readonly string[];
  /**
   * strategy-error only: what the first failing placeOrder threw (an Error keeps the user's
   * stack; CounterexampleError carries it as its `cause`). Not part of any hash or file.
   */
  readonly cause?: unknown;
}

/** One item's unit ledger at the primary, as far as the invariants read it. */
export interface JudgedItem {
  readonly id: string;
  readonly initial: number;
  /** The counter strategies read and write. */
  readonly stock: number;
  /** owners[n] = orders that took unit n (1-based; index 0 unused). */
  readonly owners: ReadonlyArray<readonly string[]>;
  /** reservedBy[n] = reservation holding unit n, or null. */
  readonly reservedBy: ReadonlyArray<string | null>;
  /** Units sold below zero (a SQL counter taken negative): they balance the books but exist nowhere. Absent: 0. */
  readonly phantomUnits?: number;
}

/** A reservation as no-leak judges it. The lease fields are absent in hand-built states. */
export interface JudgedReservation {
  readonly id?: string;
  readonly order: string;
  readonly units: readonly string[];
  readonly state: ReservationState;
  /** Fencing token: the primary's sequence number when it was granted. */
  readonly token?: number;
  readonly expiresAtSeq?: number;
  /** Wall-clock reservations only: no lease at the primary, nothing there expires it. */
  readonly clientDeadlineMs?: number;
}

/**
 * What the invariants judge: the primary's ledgers, the payment provider's charges and the
 * order records. An InventoryWorld is one; a test builds one by hand, so that each invariant
 * can be checked on a constructed state without running the simulator.
 */
export interface JudgedState {
  readonly db: {
    readonly items: ReadonlyMap<string, JudgedItem>;
    readonly reservations: ReadonlyMap<string, JudgedReservation>;
    /** The primary's sequence number at the end (leases are counted in it); absent in hand-built states. */
    readonly seq?: number;
  };
  readonly payments: { readonly charges: ReadonlyArray<{ readonly chargeId: string; readonly order: string; readonly refunded: boolean }> };
  readonly orders: readonly OrderRecord[];
  /** Each app server's recover that threw: a strategy-error finding (absent: none). */
  readonly recoverErrors?: ReadonlyArray<{ readonly app: string; readonly error: string }>;
}

/** Judges a finished run. Pure: reads the world, changes nothing. */
export function checkInvariants(world: JudgedState, stop: StopReason): Violation[] {
  const out: Violation[] = [];
  const answers = new Map<string, OrderRecord>();
  for (const r of world.orders) answers.set(r.order.id, r);
  noOversell(world, out);
  uniqueUnits(world, out);
  conservation(world, out);
  // The cheap verdict first (no allocation per unit); the words only when it does not hold.
  if (!acknowledgedIsSoldHolds(world, answers)) acknowledgedIsSold(world, answers, out);
  if (stop === 'quiet') noLeak(world, out);
  else leakBehindLimit(world, answers, stop, out);
  chargedOnce(world, answers, stop, out);
  liveness(world, stop, out);
  return out;
}

function noOversell(world: JudgedState, out: Violation[]): void {
  for (const it of world.db.items.values()) {
    // The verdict first, without a list (most runs of most strategies hold it); the orders only when it breaks.
    if (placedQty(world.orders, it.id, null) <= it.initial) continue;
    // A copy, not a literal: it lives as long as the run's result (src/sim/untracked.ts).
    const placed = emptyArray<string>();
    const qty = placedQty(world.orders, it.id, placed);
    const initial = it.initial;
    const id = it.id;
    let message: string | null = null;
    out.push({
      invariant: 'no-oversell',
      // Words only when read: a sweep of a broken strategy judges every run, reads one.
      get message() {
        return (message ??= `${placed.length} ${placed.length === 1 ? 'order' : 'orders'} (${qty} × ${id}) were told ORDER_PLACED, but only ${initial} ${initial === 1 ? 'was' : 'were'} in stock: ${qty - initial} sold that ${qty - initial === 1 ? 'does' : 'do'} not exist.`);
      },
      orders: placed,
      units: [],
    });
  }
}

/** Units of `item` told ORDER_PLACED; `placed` (if given) gets each such order once, however many lines of its cart name the item. */
function placedQty(orders: readonly OrderRecord[], item: string, placed: string[] | null): number {
  let qty = 0;
  for (const r of orders) {
    if (r.answer !== 'ORDER_PLACED') continue;
    let mine = 0;
    for (const l of r.order.lines) if (l.item === item) mine += l.qty;
    if (mine === 0) continue;
    qty += mine;
    if (placed !== null) placed.push(r.order.id);
  }
  return qty;
}

function uniqueUnits(world: JudgedState, out: Violation[]): void {
  for (const it of world.db.items.values()) {
    // The verdict: units with two different owners (most units have at most one: judged
    // before anything is built), from the highest unit down.
    let doubled: number[] | null = null;
    for (let n = it.initial; n >= 1; n--) {
      const owners = it.owners[n];
      if (owners.length < 2) continue;
      const first = owners[0];
      // A copy, not a literal: the verdict's words read it after the run (src/sim/untracked.ts).
      if (owners.some((o) => o !== first)) (doubled ??= emptyArray()).push(n);
    }
    if (doubled === null) continue;
    const units = doubled.map((n) => unitId(it.id, n));
    // The words and the orders (in people's order) only when read.
    let told: { message: string; orders: string[] } | null = null;
    const tell = (): { message: string; orders: string[] } => (told ??= uniqueUnitsWords(it, doubled, units));
    out.push({
      invariant: 'unique-units',
      get message() {
        return tell().message;
      },
      get orders() {
        return tell().orders;
      },
      units,
    });
  }
}

/** unique-units in words: the first three units sold twice and to whom, the orders involved (sorted per unit). */
function uniqueUnitsWords(it: JudgedItem, doubled: readonly number[], units: readonly string[]): { message: string; orders: string[] } {
  const orders = new Set<string>();
  const phrases: string[] = [];
  for (const n of doubled) {
    const owners = sortIds([...new Set(it.owners[n])]);
    for (const o of owners) orders.add(o);
    if (phrases.length < 3) phrases.push(`${unitId(it.id, n)} went to ${listSome(owners, 4)}`);
  }
  const more = units.length > phrases.length ? ` (and ${units.length - phrases.length} more unit${units.length - phrases.length === 1 ? '' : 's'} sold twice)` : '';
  return { message: `${phrases.join('; ')}${more}.`, orders: [...orders] };
}

function conservation(world: JudgedState, out: Violation[]): void {
  for (const it of world.db.items.values()) {
    let sold = 0;
    let reserved = 0;
    for (let n = 1; n <= it.initial; n++) {
      if (it.owners[n].length > 0) sold++;
      else if (it.reservedBy[n] !== null) reserved++;
    }
    // Units sold below zero (SQL's unguarded decrement) are in the counter's books too.
    const available = it.initial - sold - reserved - (it.phantomUnits ?? 0);
    if (it.stock !== available) {
      out.push({
        invariant: 'conservation',
        message: `the ${it.id} counter says ${it.stock} left, but the units say ${available} (${it.initial} in stock, ${sold} sold, ${reserved} reserved): ${it.stock > available ? 'a write put back stock that had already been sold' : 'stock was taken that no order holds'}.`,
        orders: [],
        units: [],
      });
    }
  }
}

/**
 * acknowledged-is-sold's verdict without its words: true when acknowledgedIsSold() would
 * find nothing. It counts units per order in one array instead of building a map of unit
 * lists (that was a tenth of the bytes a naive run allocates), and says false (let the full
 * check decide and explain) at anything unusual: a unit held by an order not of this run, or
 * two records with one id.
 */
function acknowledgedIsSoldHolds(world: JudgedState, answers: ReadonlyMap<string, OrderRecord>): boolean {
  const orders = world.orders;
  if (answers.size !== orders.length) return false;
  const index = new Map<OrderRecord, number>();
  for (let i = 0; i < orders.length; i++) index.set(orders[i], i);
  const held: number[] = new Array<number>(orders.length);
  for (const it of world.db.items.values()) {
    held.fill(0);
    for (let n = 1; n <= it.initial; n++) {
      const owners = it.owners[n];
      for (let j = 0; j < owners.length; j++) {
        const o = owners[j];
        // Once per order per unit, as the full check's Set does.
        if (j > 0 && owners.indexOf(o) < j) continue;
        const r = answers.get(o);
        if (r === undefined) return false;
        held[index.get(r)!]++;
      }
    }
    for (let i = 0; i < orders.length; i++) {
      const r = orders[i];
      let qty = 0;
      let named = false;
      for (const l of r.order.lines) {
        if (l.item !== it.id) continue;
        named = true;
        qty += l.qty;
      }
      // The full check only looks at the items an order's lines name.
      if (!named) continue;
      const h = held[i];
      if (h > qty) return false;
      if (r.answer === 'ORDER_PLACED' && h < qty) return false;
      if (r.status === 'answered' && r.answer !== 'ORDER_PLACED' && h > 0) return false;
    }
  }
  return true;
}

function acknowledgedIsSold(world: JudgedState, answers: ReadonlyMap<string, OrderRecord>, out: Violation[]): void {
  // units held per order, per item
  const held = new Map<string, Map<string, string[]>>();
  const strangers: string[] = [];
  for (const it of world.db.items.values()) {
    for (let n = 1; n <= it.initial; n++) {
      for (const o of new Set(it.owners[n])) {
        if (!answers.has(o)) strangers.push(unitId(it.id, n));
        const m = held.get(o) ?? new Map<string, string[]>();
        const list = m.get(it.id) ?? [];
        list.push(unitId(it.id, n));
        m.set(it.id, list);
        held.set(o, m);
      }
    }
  }
  const bad: Array<{ order: string; units: string[]; phrase: string }> = [];
  for (const r of world.orders) {
    const mine = held.get(r.order.id);
    const all: string[] = [];
    // Per item, over all lines: a cart may name one item on several lines.
    for (const [item, qty] of qtyByItem(r.order.lines)) {
      const units = mine?.get(item) ?? [];
      all.push(...units);
      if (units.length > qty) {
        bad.push({ order: r.order.id, units, phrase: `${r.order.id} ordered ${qty} × ${item} but holds ${units.length} (${units.join(', ')})` });
      } else if (r.answer === 'ORDER_PLACED' && units.length < qty) {
        bad.push({ order: r.order.id, units, phrase: `${r.order.id} was told ORDER_PLACED but holds ${units.length === 0 ? `no ${item}` : `only ${units.join(', ')}`}` });
      }
    }
    if (r.status === 'answered' && r.answer !== 'ORDER_PLACED' && all.length > 0) {
      bad.push({ order: r.order.id, units: all, phrase: `${r.order.id} was told ${r.answer} but ${all.join(', ')} ${all.length === 1 ? 'was' : 'were'} sold to it` });
    }
  }
  if (strangers.length > 0) bad.push({ order: '', units: strangers, phrase: `${strangers.join(', ')} ${strangers.length === 1 ? 'is' : 'are'} sold to no order of this run` });
  if (bad.length === 0) return;
  const shown = bad.slice(0, 3).map((b) => b.phrase);
  const more = bad.length > 3 ? ` (and ${bad.length - 3} more)` : '';
  out.push({
    invariant: 'acknowledged-is-sold',
    message: `${shown.join('; ')}${more}.`,
    orders: bad.map((b) => b.order).filter((o) => o !== ''),
    units: bad.flatMap((b) => b.units),
  });
}

function noLeak(world: JudgedState, out: Violation[]): void {
  const units: string[] = [];
  const orders: string[] = [];
  for (const res of world.db.reservations.values()) {
    if (res.state !== 'held') continue;
    units.push(...res.units);
    orders.push(res.order);
  }
  if (units.length === 0) return;
  out.push({
    invariant: 'no-leak',
    message: `${joinAnd(units)} ${units.length === 1 ? 'is' : 'are'} still reserved (by ${joinAnd(orders)}) after the run went quiet: nothing will ever sell ${units.length === 1 ? 'it' : 'them'}.`,
    orders,
    units,
  });
}

/**
 * A run stopped by a limit is not judged on leases it had no time to run out, but a
 * reservation that nothing will ever end is a leak whatever stopped the run: its order is
 * over (answered, crashed, failed), so nobody will confirm or release it, and the primary
 * will not expire it (no lease there, or the lease already past). Says what is held, by
 * whom, since when (the sequence number of the grant) and why nobody is left.
 */
function leakBehindLimit(world: JudgedState, answers: ReadonlyMap<string, OrderRecord>, stop: StopReason, out: Violation[]): void {
  const units: string[] = [];
  const orders: string[] = [];
  const phrases: string[] = [];
  const seq = world.db.seq;
  for (const res of world.db.reservations.values()) {
    if (res.state !== 'held') continue;
    const rec = answers.get(res.order);
    const over = rec !== undefined && rec.status !== 'pending' && !(rec.reason ?? '').startsWith('still running');
    const noLease = res.clientDeadlineMs !== undefined;
    const leasePast = res.expiresAtSeq !== undefined && seq !== undefined && res.expiresAtSeq <= seq;
    if (!over || !(noLease || leasePast)) continue;
    units.push(...res.units);
    orders.push(res.order);
    if (phrases.length >= 3) continue;
    const since = res.token !== undefined ? ` since seq ${res.token}` : '';
    const lease = noLease ? `no lease at the primary (a deadline of ${res.clientDeadlineMs} ms on ${res.order}'s own clock)` : `its lease past (seq ${res.expiresAtSeq}, now ${seq})`;
    const gone = rec.status === 'answered' ? `${res.order} answered ${rec.answer}` : rec.reason ?? `${res.order} is over`;
    phrases.push(`${joinAnd(res.units)} held by ${res.order}${res.id ? ` (${res.id}${since})` : since}, ${lease}; ${gone}`);
  }
  if (units.length === 0) return;
  const more = orders.length > phrases.length ? ` (and ${orders.length - phrases.length} more)` : '';
  out.push({
    invariant: 'no-leak',
    message: `${phrases.join('; ')}${more}: the run hit its ${stop === 'event-limit' ? 'event' : 'virtual-time'} limit with ${units.length === 1 ? 'it' : 'them'} still reserved, and nothing will ever sell ${units.length === 1 ? 'it' : 'them'}.`,
    orders,
    units,
  });
}

function chargedOnce(world: JudgedState, answers: ReadonlyMap<string, OrderRecord>, stop: StopReason, out: Violation[]): void {
  // An order's live charge, or its charges once it has a second: an array per order (17
  // slots once pushed to) was a twentieth of a passing chaos run's garbage, and most orders
  // are charged once. Iterated in the same order as before: by each order's first live charge.
  const live = new Map<string, string | string[]>();
  for (const c of world.payments.charges) {
    if (c.refunded) continue;
    const had = live.get(c.order);
    if (had === undefined) live.set(c.order, c.chargeId);
    else if (typeof had === 'string') live.set(c.order, [had, c.chargeId]);
    else had.push(c.chargeId);
  }
  const phrases: string[] = [];
  const orders: string[] = [];
  for (const [order, charges] of live) {
    if (typeof charges !== 'string') {
      phrases.push(`${order} was charged ${charges.length} times (${charges.join(', ')})`);
      orders.push(order);
      continue;
    }
    if (stop !== 'quiet') continue;
    const rec = answers.get(order);
    if (rec?.answer !== 'ORDER_PLACED' && !holdsAnyUnit(world, order)) {
      phrases.push(`${order} was charged (${charges}) but got no vase and no refund`);
      orders.push(order);
    }
  }
  if (phrases.length === 0) return;
  const more = phrases.length > 3 ? ` (and ${phrases.length - 3} more)` : '';
  out.push({ invariant: 'charged-once', message: `${phrases.slice(0, 3).join('; ')}${more}.`, orders, units: [] });
}

function holdsAnyUnit(world: JudgedState, order: string): boolean {
  for (const it of world.db.items.values()) if (it.owners.some((o) => o.includes(order))) return true;
  return false;
}

function liveness(world: JudgedState, stop: StopReason, out: Violation[]): void {
  if (stop !== 'quiet') {
    const stuck = world.orders.filter((r) => r.status === 'unknown' && r.reason?.startsWith('still running')).map((r) => r.order.id);
    out.push({
      invariant: 'liveness',
      message: `the run did not go quiet: it hit its ${stop === 'event-limit' ? 'event' : 'virtual-time'} limit${stuck.length > 0 ? ` with ${joinAnd(stuck.slice(0, 5))}${stuck.length > 5 ? ' and others' : ''} still running (an endless retry or polling loop?)` : ''}.`,
      orders: stuck,
      units: [],
    });
  }
  const errors = world.orders.filter((r) => r.error !== null);
  const recoverErrors = world.recoverErrors ?? [];
  if (errors.length === 0 && recoverErrors.length > 0) {
    const first = recoverErrors[0];
    out.push({
      invariant: 'strategy-error',
      message: `${first.app}'s recover ${howRecoverFailed(first.error)}${recoverErrors.length > 1 ? ` (and ${recoverErrors.length - 1} more recover${recoverErrors.length === 2 ? '' : 's'} failed)` : ''}.`,
      orders: [],
      units: [],
    });
  }
  if (errors.length > 0) {
    const first = errors[0];
    const frame = userFrame(first.thrown);
    out.push({
      invariant: 'strategy-error',
      message: `${first.order.id}'s ${first.error}${frame ? formatThrownAt(frame) : ''}${errors.length > 1 ? ` (and ${errors.length - 1} more order${errors.length === 2 ? '' : 's'} failed the same way or worse)` : ''}.`,
      orders: errors.map((r) => r.order.id),
      units: [],
      ...(first.thrown !== undefined ? { cause: first.thrown } : {}),
    });
  }
}

function howRecoverFailed(error: string): string {
  return /^(threw|yielded|must|sent) /.test(error) ? error : `threw ${error}`;
}

/** "o1, o2 and o3", or "15 orders (o1, o2, o3 and 12 more)" past `most`. */
export function listSome(xs: readonly string[], most: number): string {
  if (xs.length <= most) return joinAnd(xs);
  return `${xs.length} different orders (${xs.slice(0, 3).join(', ')} and ${xs.length - 3} more)`;
}

/**
 * One collator for every comparison: `localeCompare` with options builds a collator per call
 * (38 % of a failing naive run), and `compare` of this one orders exactly as that call did.
 */
const ID_ORDER = new Intl.Collator('en', { numeric: true });

/** Sorts ids like o2 < o10 (number-aware), for messages people read. */
export function sortIds(xs: string[]): string[] {
  return xs.sort(ID_ORDER.compare);
}

export function joinAnd(xs: readonly string[]): string {
  if (xs.length <= 1) return xs[0] ?? '';
  return `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}
