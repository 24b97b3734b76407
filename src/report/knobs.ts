import type { Scenario } from '../scenario/index.js';
import type { SwarmKnobs } from '../explore/arbitraries.js';
import { enabledFaults, orderCountOf, FAULT_TOGGLE_NAMES, type FaultToggles } from '../scenario/shape.js';
import { describeStep } from '../scenario/describeStep.js';

/** One line: what the swarm changed, e.g. "2 of 15 orders; stock vase 1 of 10; faults on: drop-reply (20‰)". */
export function describeKnobs(s: Scenario, k: SwarmKnobs): string {
  const parts: string[] = [];
  const n = orderCountOf(s);
  const left = (k.leaveOut ?? []).filter((id) => Number(id.slice(1)) <= k.orders);
  parts.push(left.length === 0 ? `${k.orders} of ${n} orders` : `${k.orders - left.length} of ${n} orders (left out: ${left.length <= 6 ? left.join(', ') : `${left.slice(0, 5).join(', ')} and ${left.length - 5} more`})`);
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
