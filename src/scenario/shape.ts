// Facts read off a resolved scenario that more than one layer asks: how many orders it has,
// which kinds of random fault it enables. The swarm (explore/arbitraries.ts) switches these
// kinds on and off; report/knobs.ts says in words what it switched.
import type { Scenario } from './schema.js';

/** One switch per kind of random fault a scenario can enable. */
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

/** Orders of the scenario: its explicit list, or how many the generator makes. */
export function orderCountOf(s: Scenario): number {
  return 'orders' in s.workload ? s.workload.orders.length : s.workload.generate.count;
}

/** Orders a run of the scenario places: all of them but the ones `workload.leaveOut` names. */
export function placedOrderCountOf(s: Scenario): number {
  const n = orderCountOf(s);
  const left = new Set((s.workload.leaveOut ?? []).filter((id) => Number(id.slice(1)) <= n));
  return n - left.size;
}

