import type { CallAddressConfig, FaultStepConfig } from '../inventory/faultSteps.js';
import fc from 'fast-check';
import type { Scenario } from '../scenario/index.js';
import type { StreamLists } from './streamSource.js';

/**
 * fast-check arbitraries over the simulator's fate.
 *
 * A run asks its questions in a fixed order, and a ListSource answers the i-th question with
 * the i-th list entry (modulo the question's range) and 0 once the list runs out. 0 is always
 * the unsurprising answer, so a list of mostly zeros is a calm run with a little chaos, and
 * fast-check's shrinking (shorter lists, entries toward 0) removes chaos until only the
 * choices that matter are left.
 */
export interface ChoiceListOptions {
  /** Longest list (default 400): answers past it are 0. */
  readonly maxLength?: number;
  /** Chance in percent that an entry is a surprise rather than 0 (default 20). */
  readonly surprisePercent?: number;
  /** Largest surprise value (default 2000); each question takes it modulo its range. */
  readonly maxValue?: number;
}

export function choiceListArb(o: ChoiceListOptions = {}): fc.Arbitrary<number[]> {
  const surprise = o.surprisePercent ?? 20;
  if (!(surprise >= 0 && surprise <= 100)) throw new RangeError(`choiceListArb: surprisePercent must be in [0, 100], got ${surprise}`);
  const maxLength = o.maxLength ?? 400;
  const entry = fc.oneof(
    { weight: 100 - surprise, arbitrary: fc.constant(0) },
    { weight: surprise, arbitrary: fc.nat(o.maxValue ?? 2000) },
  );
  // size 'max': lengths spread over [0, maxLength]; fast-check's default would stop at ~10
  // entries, i.e. chaos only in the first few questions of a run.
  return fc.array(entry, { maxLength, size: 'max' });
}

/**
 * One choice list per stream (see StreamListSource). The network stream asks most questions
 * (a delay per message, plus drop and duplicate chances), so its list is the longest; the
 * schedule stream's list only with `schedule` (the windowed timing model).
 */
export function streamListsArb(o: ChoiceListOptions = {}, schedule = false): fc.Arbitrary<StreamLists> {
  const max = o.maxLength ?? 400;
  const list = (maxLength: number) => choiceListArb({ ...o, maxLength });
  const streams = {
    network: list(max),
    faults: list(Math.max(1, Math.ceil(max / 8))),
    workload: list(Math.max(1, Math.ceil(max / 8))),
    payment: list(Math.max(1, Math.ceil(max / 8))),
  };
  // The windowed timing model asks which ready event fires next at almost every event: a
  // list as long as the network's. (The sampled model never asks, so none is drawn there.)
  return schedule ? fc.record({ ...streams, schedule: list(max) }) : fc.record(streams);
}

/**
 * Swarm testing: each property run also perturbs the scenario, always *within what the
 * scenario allows*: fewer orders, less stock, and each kind of fault the scenario enables
 * switched on (at the scenario's own rate) or off. A fault the scenario does not enable
 * is never switched on. Every knob shrinks toward less: fewer orders, less stock, faults off.
 */
export interface SwarmKnobs {
  /** Orders kept: the generator's count, or the first N explicit orders. */
  readonly orders: number;
  /** Stock per item, in the order of `scenario.items`. */
  readonly stock: readonly number[];
  readonly faults: FaultToggles;
  /** Which of the scenario's explicit fault steps are kept (true) or removed. */
  readonly steps: readonly boolean[];
}

export interface FaultToggles {
  readonly dropRequest: boolean;
  readonly dropReply: boolean;
  readonly duplicate: boolean;
  readonly paymentFail: boolean;
  readonly randomPauses: boolean;
  readonly clockSkew: boolean;
}

export const FAULT_TOGGLE_NAMES: readonly (keyof FaultToggles)[] = ['dropRequest', 'dropReply', 'duplicate', 'paymentFail', 'randomPauses', 'clockSkew'];

/** Which fault kinds the scenario enables at all (the swarm may only switch these). */
export function enabledFaults(s: Scenario): FaultToggles {
  return {
    dropRequest: s.network.dropRequestPerMille > 0,
    dropReply: s.network.dropReplyPerMille > 0,
    duplicate: s.network.duplicatePerMille > 0,
    paymentFail: s.payment.failPerMille > 0,
    randomPauses: s.faults.randomPauses.perMille > 0 && s.faults.randomPauses.durationMsMax > 0,
    clockSkew: s.faults.clockSkew.offsetMsMax > 0 || s.faults.clockSkew.driftPpmMax > 0,
  };
}

export function orderCountOf(s: Scenario): number {
  return 'orders' in s.workload ? s.workload.orders.length : s.workload.generate.count;
}

/** The knobs that leave the scenario exactly as written. */
export function identityKnobs(s: Scenario): SwarmKnobs {
  return { orders: orderCountOf(s), stock: s.items.map((it) => it.stock), faults: enabledFaults(s), steps: s.faults.steps.map(() => true) };
}

export function swarmArb(s: Scenario): fc.Arbitrary<SwarmKnobs> {
  const n = orderCountOf(s);
  const enabled = enabledFaults(s);
  const toggle = (on: boolean) => (on ? fc.boolean() : fc.constant(false));
  return fc.record({
    orders: fc.integer({ min: Math.min(1, n), max: n }),
    stock: fc.tuple(...s.items.map((it) => fc.integer({ min: Math.min(1, it.stock), max: it.stock }))),
    faults: fc.record({
      dropRequest: toggle(enabled.dropRequest),
      dropReply: toggle(enabled.dropReply),
      duplicate: toggle(enabled.duplicate),
      paymentFail: toggle(enabled.paymentFail),
      randomPauses: toggle(enabled.randomPauses),
      clockSkew: toggle(enabled.clockSkew),
    }),
    steps: fc.tuple(...s.faults.steps.map(() => fc.boolean())),
  });
}

/**
 * The scenario with the knobs applied: a new object, the input untouched. Knobs outside what
 * the scenario allows are clamped back into it (a hand-edited replay cannot enable a fault).
 */
export function applySwarm(s: Scenario, k: SwarmKnobs): Scenario {
  const out = structuredClone(s) as Scenario;
  const n = orderCountOf(s);
  const orders = clampInt(k.orders, 0, n);
  if ('orders' in out.workload) out.workload.orders = out.workload.orders.slice(0, orders);
  else out.workload.generate.count = orders;
  out.items.forEach((it, i) => (it.stock = clampInt(k.stock[i] ?? it.stock, 0, it.stock)));
  const f = k.faults;
  if (!f.dropRequest) out.network.dropRequestPerMille = 0;
  if (!f.dropReply) out.network.dropReplyPerMille = 0;
  if (!f.duplicate) out.network.duplicatePerMille = 0;
  if (!f.paymentFail) out.payment.failPerMille = 0;
  if (!f.randomPauses) out.faults.randomPauses.perMille = 0;
  if (!f.clockSkew) {
    out.faults.clockSkew.offsetMsMax = 0;
    out.faults.clockSkew.driftPpmMax = 0;
  }
  out.faults.steps = out.faults.steps.filter((_, i) => k.steps[i] !== false);
  return out;
}

/** One line: what the swarm changed, e.g. "2 of 15 orders; stock vase 1 of 10; faults on: drop-reply (20‰)". */
export function describeKnobs(s: Scenario, k: SwarmKnobs): string {
  const parts: string[] = [];
  const n = orderCountOf(s);
  parts.push(`${k.orders} of ${n} orders`);
  parts.push(`stock ${s.items.map((it, i) => `${it.id} ${k.stock[i]}${k.stock[i] === it.stock ? '' : ` of ${it.stock}`}`).join(', ')}`);
  const enabled = enabledFaults(s);
  const names: Record<keyof FaultToggles, string> = {
    dropRequest: 'drop-request', dropReply: 'drop-reply', duplicate: 'duplicate', paymentFail: 'payment-fail', randomPauses: 'random pauses', clockSkew: 'clock skew',
  };
  const rates: Record<keyof FaultToggles, string> = {
    dropRequest: `${s.network.dropRequestPerMille}‰`,
    dropReply: `${s.network.dropReplyPerMille}‰`,
    duplicate: `${s.network.duplicatePerMille}‰`,
    paymentFail: `${s.payment.failPerMille}‰`,
    randomPauses: `${s.faults.randomPauses.perMille}‰, up to ${s.faults.randomPauses.durationMsMax} ms`,
    clockSkew: `±${s.faults.clockSkew.offsetMsMax} ms, ±${s.faults.clockSkew.driftPpmMax} ppm`,
  };
  const on = FAULT_TOGGLE_NAMES.filter((f) => k.faults[f]).map((f) => `${names[f]} (${rates[f]})`);
  const off = FAULT_TOGGLE_NAMES.filter((f) => enabled[f] && !k.faults[f]).map((f) => names[f]);
  parts.push(on.length > 0 ? `faults on: ${on.join(', ')}` : 'no random faults');
  if (off.length > 0 && on.length > 0) parts.push(`off: ${off.join(', ')}`);
  if (s.faults.steps.length > 0) {
    const kept = s.faults.steps.map((st, i) => (k.steps[i] ? `#${i + 1} ${describeStep(st)}` : null)).filter((x): x is string => x !== null);
    parts.push(kept.length > 0 ? `fault steps kept: ${kept.join(', ')}` : `fault steps: none of ${s.faults.steps.length} kept`);
  }
  return parts.join('; ');
}

/** A call by origin in words: "o7's confirm", "o7's confirm (attempt 2)", "recover-app2's release". */
export function callText(a: CallAddressConfig, call: string): string {
  const who = a.order ?? a.process ?? (a.nth !== undefined ? `the ${ordinal(a.nth)}` : '?');
  const attempt = a.attempt ?? 1;
  return a.nth !== undefined && a.order === undefined && a.process === undefined ? `${who} ${call}` : `${who}'s ${call}${attempt > 1 ? ` (attempt ${attempt})` : ''}`;
}

/** 1st, 2nd, 3rd, 4th, ..., 11th, 12th, 13th, 21st. */
export function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
  return `${n}${s}`;
}

/** A fault step in words, e.g. "pause app2 at 250 ms for 8000 ms", "drop-reply of o7's confirm (attempt 2)". */
export function describeStep(st: FaultStepConfig): string {
  switch (st.kind) {
    case 'pause':
      if (st.onDelivery !== undefined) {
        const m = st.onDelivery;
        return `pause ${st.node} for ${st.durationMs} ms on delivery of ${callText(m, m.call)}${m.reply ? ' reply' : ''}${m.copy > 0 ? (m.reply ? ' to the duplicate' : ' (duplicate)') : ''}`;
      }
      return `pause ${st.node} at ${st.atMs} ms for ${st.durationMs} ms`;
    case 'crash':
      return `crash ${st.node} at ${st.atMs} ms${st.restartAtMs === null ? '' : `, restart at ${st.restartAtMs} ms`}`;
    case 'partition':
      return `partition [${st.a.join(', ')}] ${st.direction === 'both' ? '|' : '->'} [${st.b.join(', ')}] from ${st.atMs} to ${st.healAtMs} ms`;
    case 'clock':
      return `clock of ${st.node} ${st.offsetMs >= 0 ? '+' : ''}${st.offsetMs} ms, ${st.driftPpm >= 0 ? '+' : ''}${st.driftPpm} ppm`;
    case 'delay-call':
      return `delay ${callText(st, st.call)} by ${st.extraMs} ms`;
    case 'delay-reply':
      return `delay the reply to ${callText(st, st.call)}${(st.copy ?? 0) > 0 ? `'s duplicate` : ''} by ${st.extraMs} ms`;
    case 'payment-fail':
      return `decline ${callText(st, 'charge')}${(st.copy ?? 0) > 0 ? ' (its duplicate)' : ''}`;
    case 'drop-reply':
      return `drop-reply of ${callText(st, st.call)}${(st.copy ?? 0) > 0 ? ' (the reply to its duplicate)' : ''}`;
    case 'delay-replica':
      return `delay ${st.replica}'s apply of log entry ${st.entry} by ${st.extraMs} ms`;
    case 'duplicate-request':
      return `duplicate-request ${callText(st, st.call)}${st.copyExtraMs > 0 ? `, the copy ${st.copyExtraMs} ms late` : ''}${st.copyReplyExtraMs > 0 ? `, the copy's reply ${st.copyReplyExtraMs} ms late` : ''}`;
    default:
      return `${st.kind} of ${callText(st, st.call)}`;
  }
}

function clampInt(v: number, lo: number, hi: number): number {
  const x = Number.isFinite(v) ? Math.trunc(v) : hi;
  return x < lo ? lo : x > hi ? hi : x;
}
