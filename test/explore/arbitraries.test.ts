import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applySwarm, choiceListArb, identityKnobs, streamListsArb, swarmArb } from '../../src/explore/arbitraries.js';
import { enabledFaults, orderCountOf } from '../../src/scenario/shape.js';
import { StreamListSource } from '../../src/explore/streamSource.js';
import { parseScenario, type Scenario } from '../../src/scenario/index.js';
import { runOnce, builtinStrategy } from '../../src/explore/run.js';
import { ListSource } from '../../src/sim/sources.js';
import { chaos, flashSale } from './helpers.js';

/** Chaos with some fault kinds switched off, to check the swarm never switches them on. */
function variants(): Scenario[] {
  const base = chaos();
  const off = (patch: (s: Scenario) => void) => {
    const s = structuredClone(base);
    patch(s);
    return s;
  };
  return [
    base,
    flashSale(),
    off((s) => (s.network.dropReplyPerMille = 0)),
    off((s) => {
      s.network.duplicatePerMille = 0;
      s.faults.randomPauses.perMille = 0;
      s.faults.clockSkew = { offsetMsMax: 0, driftPpmMax: 0 };
      s.payment.failPerMille = 0;
    }),
  ];
}

describe('swarm perturbations', () => {
  it('stay within what the scenario allows: never a fault it does not enable, never more orders or stock', () => {
    for (const s of variants()) {
      fc.assert(
        fc.property(swarmArb(s), (k) => {
          const p = applySwarm(s, k);
          const before = enabledFaults(s);
          const after = enabledFaults(p);
          for (const f of Object.keys(before) as Array<keyof typeof before>) if (!before[f]) expect(after[f]).toBe(false);
          expect(p.network.dropRequestPerMille === 0 || p.network.dropRequestPerMille === s.network.dropRequestPerMille).toBe(true);
          expect(p.network.dropReplyPerMille).toBeLessThanOrEqual(s.network.dropReplyPerMille);
          expect(p.network.duplicatePerMille).toBeLessThanOrEqual(s.network.duplicatePerMille);
          expect(p.payment.failPerMille).toBeLessThanOrEqual(s.payment.failPerMille);
          expect(p.faults.randomPauses.perMille).toBeLessThanOrEqual(s.faults.randomPauses.perMille);
          expect(p.faults.clockSkew.offsetMsMax).toBeLessThanOrEqual(s.faults.clockSkew.offsetMsMax);
          expect(orderCountOf(p)).toBeLessThanOrEqual(orderCountOf(s));
          p.items.forEach((it, i) => expect(it.stock).toBeLessThanOrEqual(s.items[i].stock));
          expect(p.faults.steps.length).toBeLessThanOrEqual(s.faults.steps.length);
          // Still a valid scenario.
          expect(parseScenario(JSON.stringify(p), 'p.json').ok).toBe(true);
        }),
        { numRuns: 100, seed: 42 },
      );
    }
  });

  it('leaves the input untouched, and identity knobs reproduce it exactly', () => {
    const s = chaos();
    const copy = structuredClone(s);
    applySwarm(s, { orders: 1, stock: [1], faults: { dropRequest: false, dropReply: false, duplicate: false, paymentFail: false, randomPauses: false, clockSkew: false }, steps: [false, false, false] });
    expect(s).toEqual(copy);
    expect(applySwarm(s, identityKnobs(s))).toEqual(s);
  });

  it('clamps hand-edited knobs back into the scenario (a replay cannot enable a fault)', () => {
    const s = flashSale();
    const p = applySwarm(s, { orders: 999, stock: [999], faults: { dropRequest: true, dropReply: true, duplicate: true, paymentFail: true, randomPauses: true, clockSkew: true }, steps: [] });
    expect(orderCountOf(p)).toBe(orderCountOf(s));
    expect(p.items[0].stock).toBe(s.items[0].stock);
    expect(enabledFaults(p)).toEqual(enabledFaults(s));
  });
});

describe('choice lists', () => {
  it('are mostly zeros and span up to maxLength', () => {
    const lists = fc.sample(choiceListArb({ maxLength: 400 }), { numRuns: 200, seed: 3 });
    const all = lists.flat();
    const zeros = all.filter((v) => v === 0).length / all.length;
    expect(zeros).toBeGreaterThan(0.7);
    expect(zeros).toBeLessThan(0.9);
    expect(Math.max(...lists.map((l) => l.length))).toBeGreaterThan(300);
  });

  it('an empty list is the calm run: the same as all zeros, every order answered', () => {
    const s = chaos();
    const calm = runOnce(s, { strategy: builtinStrategy('reservation'), source: new ListSource([]) });
    const zeros = runOnce(s, { strategy: builtinStrategy('reservation'), source: new StreamListSource({ network: [0, 0, 0], workload: [0] }) });
    expect(zeros.traceHash).toBe(calm.traceHash);
  });

  it('a stream list source answers each stream from its own list, modulo the range, 0 past the end', () => {
    const src = new StreamListSource({ network: [5, 7], workload: [3] });
    expect(src.answer({ stream: 'network', kind: 'delay', max: 10 })).toBe(5);
    expect(src.answer({ stream: 'workload', kind: 'arrival', max: 10 })).toBe(3);
    expect(src.answer({ stream: 'network', kind: 'drop-reply', max: 1 })).toBe(1);
    expect(src.answer({ stream: 'network', kind: 'delay', max: 10 })).toBe(0);
    expect(src.answer({ stream: 'faults', kind: 'pause', max: 10 })).toBe(0);
  });

  it('stream lists are valid sources for any strategy: every run ends', () => {
    const s = chaos();
    for (const lists of fc.sample(streamListsArb(), { numRuns: 20, seed: 9 })) {
      const r = runOnce(s, { strategy: builtinStrategy('lock-fencing'), source: new StreamListSource(lists) });
      expect(['quiet', 'time-limit', 'event-limit']).toContain(r.stop);
    }
  });
});
