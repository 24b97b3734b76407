/**
 * Faults seen to strike, above the kernel: which faults a scenario enables (and claims), where
 * the domain's faults strike (a declined charge, a skewed clock, a stale replica read, the
 * steps aimed at charges, replica entries and deliveries), and how runs add up into tallies
 * that merge exactly.
 */
import { describe, expect, it } from 'vitest';
import { faultMarksOf, stepMark } from '../../src/inventory/faultMarks.js';
import { runOnce } from '../../src/explore/run.js';
import { addTally, emptyTally, mergeTallies, sweepInline } from '../../src/explore/sweep.js';
import { addRunFaults, emptyFaultTally, faultRows, neverStruck, rowsOf } from '../../src/explore/marks.js';
import { inlineScenario, libraryScenario } from '../helpers/scenarios.js';

const base = { items: [{ id: 'vase', stock: 2 }], workload: { orders: [{ atMs: 0, app: 'app1', lines: [{ item: 'vase', qty: 1 }] }] } };

describe('the faults a scenario enables', () => {
  it('none in a calm scenario', () => {
    expect(faultMarksOf(inlineScenario(base))).toEqual([]);
  });

  it('one per chance fault turned on, in a fixed order, each naming the field that enables it', () => {
    const s = inlineScenario({
      ...base,
      network: { dropRequestPerMille: 1, dropReplyPerMille: 2, duplicatePerMille: 3 },
      payment: { failPerMille: 4 },
      faults: { randomPauses: { perMille: 5, durationMsMax: 100 }, clockSkew: { driftPpmMax: 7 } },
      topology: { replicas: [{ lagMsMin: 1, lagMsMax: 9 }] },
    });
    expect(faultMarksOf(s).map((m) => [m.id, m.fault, m.step, m.enabledBy, m.claimed])).toEqual([
      ['drop-request', 'drop-request', null, 'network.dropRequestPerMille', true],
      ['drop-reply', 'drop-reply', null, 'network.dropReplyPerMille', true],
      ['duplicate', 'duplicate', null, 'network.duplicatePerMille', true],
      ['random-pause', 'random-pause', null, 'faults.randomPauses', true],
      ['clock-skew', 'clock-skew', null, 'faults.clockSkew', true],
      ['decline', 'decline', null, 'payment.failPerMille', true],
      ['replica-lag', 'replica-lag', null, 'topology.replicas', true],
    ]);
  });

  it('random pauses need a chance; clock skew an offset or a drift', () => {
    const ids = (faults: Record<string, unknown>) => faultMarksOf(inlineScenario({ ...base, faults })).map((m) => m.id);
    expect(ids({ randomPauses: { perMille: 0, durationMsMax: 10 } })).toEqual([]);
    expect(ids({ clockSkew: { offsetMsMax: 1 } })).toEqual(['clock-skew']);
  });

  it('replica lag: enabled when a replica can lag or a step delays it; claimed only when it lags at least a little always', () => {
    const lag = (replicas: unknown[], steps: unknown[] = []) => faultMarksOf(inlineScenario({ ...base, topology: { replicas }, faults: { steps } })).filter((m) => m.id === 'replica-lag').map((m) => m.claimed);
    expect(lag([])).toEqual([]);
    expect(lag([{ lagMsMin: 0, lagMsMax: 0 }])).toEqual([]);
    expect(lag([{ lagMsMin: 0, lagMsMax: 0 }], [{ kind: 'delay-replica', replica: 'replica1', entry: 1, extraMs: 5 }])).toEqual([false]);
    expect(lag([{ lagMsMin: 0, lagMsMax: 300 }])).toEqual([false]);
    expect(lag([{ lagMsMin: 0, lagMsMax: 300 }, { lagMsMin: 1, lagMsMax: 2 }])).toEqual([true]);
  });

  it('one per step, by its index in faults.steps, after the chance faults', () => {
    const s = libraryScenario('flash-sale-chaos');
    const steps = faultMarksOf(s).filter((m) => m.step !== null);
    expect(steps.map((m) => [m.id, m.fault, m.step, m.enabledBy, m.claimed])).toEqual([
      ['faults.steps[0]', 'pause', 0, 'faults.steps[0]', true],
      ['faults.steps[1]', 'partition', 1, 'faults.steps[1]', true],
      ['faults.steps[2]', 'crash', 2, 'faults.steps[2]', true],
    ]);
    expect(stepMark(7)).toBe('faults.steps[7]');
  });
});

describe('the domain\'s faults strike where they take effect', () => {
  const struck = (s: ReturnType<typeof inlineScenario>, seed = 1) => runOnce(s, { seed }).faultsStruck;

  it('a charge declined by chance, and one declined by a step (the step, not the chance)', () => {
    const orders = [{ atMs: 0, app: 'app1', lines: [{ item: 'vase', qty: 1 }] }];
    const chance = inlineScenario({ ...base, workload: { orders }, strategy: { name: 'reservation' }, payment: { failPerMille: 1000 } });
    expect(struck(chance)).toEqual(['decline']);
    const step = inlineScenario({ ...base, workload: { orders }, strategy: { name: 'reservation' }, payment: { failPerMille: 1000 }, faults: { steps: [{ kind: 'payment-fail', order: 'o1' }] } });
    expect(struck(step)).toEqual(['faults.steps[0]']);
    // Aimed at a second charge o1 never makes: it never strikes.
    const never = inlineScenario({ ...base, workload: { orders }, strategy: { name: 'reservation' }, faults: { steps: [{ kind: 'payment-fail', order: 'o1', attempt: 2 }] } });
    expect(struck(never)).toEqual([]);
  });

  it('random clock skew strikes when some app server\'s clock is off; a clock step when it sets one off', () => {
    expect(struck(inlineScenario({ ...base, faults: { clockSkew: { offsetMsMax: 1000 } } }), 3)).toEqual(['clock-skew']);
    expect(struck(inlineScenario({ ...base, faults: { steps: [{ kind: 'clock', node: 'app1', offsetMs: 5 }] } }))).toEqual(['faults.steps[0]']);
    expect(struck(inlineScenario({ ...base, faults: { steps: [{ kind: 'clock', node: 'app1', offsetMs: 0, driftPpm: 0 }] } }))).toEqual([]);
  });

  it('replica lag strikes when a replica serves a read it has not caught up for', () => {
    expect(struck(libraryScenario('stale-replica-read'))).toEqual(['replica-lag']);
    // The same orders reading the primary: nobody reads the lagging replica.
    const primary = libraryScenario('stale-replica-read');
    primary.topology.readFrom = 'primary';
    expect(struck(primary)).toEqual([]);
  });

  it('a delay-replica step strikes when its entry is committed; one aimed past the log never does', () => {
    const s = (entry: number) => inlineScenario({
      ...base, topology: { replicas: [{ lagMsMin: 0, lagMsMax: 0 }], readFrom: 'primary' }, strategy: { name: 'conditional-decrement' },
      faults: { steps: [{ kind: 'delay-replica', replica: 'replica1', entry, extraMs: 50 }] },
    });
    expect(struck(s(1))).toEqual(['faults.steps[0]']);
    expect(struck(s(5))).toEqual([]);
  });

  it('timed steps: a pause and a crash strike as they start', () => {
    const steps = [
      { kind: 'pause', node: 'app1', atMs: 10, durationMs: 500 },
      { kind: 'crash', node: 'app2', atMs: 5 },
    ];
    const s = inlineScenario({ ...base, topology: { appServers: 2 }, faults: { steps } }, 'timed');
    expect(struck(s)).toEqual(['faults.steps[0]', 'faults.steps[1]']);
  });

  it('a pause inside a longer one takes no effect, and does not strike', () => {
    // The reply's delivery pauses app1 for 500 ms; the timed pause at 120 ms would end first.
    const steps = [
      { kind: 'pause', node: 'app1', onDelivery: { order: 'o1', call: 'decrement', reply: true }, durationMs: 500 },
      { kind: 'pause', node: 'app1', atMs: 120, durationMs: 100 },
    ];
    const s = inlineScenario({ ...base, strategy: { name: 'conditional-decrement' }, network: { delayMsMin: 50, delayMsMax: 50 }, faults: { steps } }, 'nested');
    expect(struck(s)).toEqual(['faults.steps[0]']);
  });

  it('a pause on delivery strikes when that message is delivered', () => {
    const s = (attempt: number) => inlineScenario({
      ...base, strategy: { name: 'conditional-decrement' },
      faults: { steps: [{ kind: 'pause', node: 'app1', onDelivery: { order: 'o1', call: 'decrement', reply: true, attempt }, durationMs: 50 }] },
    });
    expect(struck(s(1))).toEqual(['faults.steps[0]']);
    expect(struck(s(2))).toEqual([]);
  });

  it('steps aimed at calls carry their marks through the network', () => {
    const s = libraryScenario('lost-decrement-reply');
    expect(struck(s)).toEqual(['faults.steps[0]']);
  });
});

describe('tallies of faults struck', () => {
  it('count runs, not strikes; failing runs separately', () => {
    const t = emptyFaultTally();
    addRunFaults(t, ['a', 'b'], false);
    addRunFaults(t, ['a'], true);
    addRunFaults(t, [], true);
    expect(t).toEqual({ faultsStruck: { a: 2, b: 1 }, faultsStruckFailing: { a: 1 } });
  });

  it('rows: one per enabled fault with its counts (0 when it never struck); neverStruck: the claimed ones with none', () => {
    const s = libraryScenario('flash-sale');
    const rows = faultRows(s, { faultsStruck: { 'replica-lag': 3, 'not-enabled': 9 }, faultsStruckFailing: { 'replica-lag': 2 } });
    expect(rows.map((r) => [r.id, r.struckRuns, r.struckInFailingRuns, r.what])).toEqual([['replica-lag', 3, 2, 'stale replica reads (lag 0-300 ms)']]);
    const chaos = libraryScenario('flash-sale-chaos');
    const none = faultRows(chaos, emptyFaultTally());
    // Replica lag from 0 ms is a timing, not claimed: no warning for it.
    expect(neverStruck(none, 10).map((r) => r.id)).toEqual(['drop-request', 'drop-reply', 'duplicate', 'random-pause', 'clock-skew', 'decline', 'faults.steps[0]', 'faults.steps[1]', 'faults.steps[2]']);
    expect(neverStruck(none, 0)).toEqual([]);
    expect(rowsOf(none, { faultsStruck: { decline: 1 }, faultsStruckFailing: {} }).find((r) => r.id === 'decline')!.struckRuns).toBe(1);
  });

  it('a sweep\'s counts merge exactly, whatever the split', () => {
    const s = libraryScenario('flash-sale-chaos');
    const opts = { strategy: undefined };
    const whole = mergeTallies([sweepInline(s, { start: 1, count: 24, ...opts })]);
    const parts = mergeTallies([sweepInline(s, { start: 17, count: 8 }), sweepInline(s, { start: 1, count: 9 }), sweepInline(s, { start: 10, count: 7 })]);
    expect(parts).toEqual(whole);
    for (const [id, n] of Object.entries(whole.faultsStruck!)) {
      expect(n, id).toBeLessThanOrEqual(24);
      expect(whole.faultsStruckFailing![id] ?? 0).toBeLessThanOrEqual(n);
    }
    expect(Object.keys(whole.faultsStruck!)).toContain('faults.steps[2]');
    expect(Object.keys(whole.faultsStruck!)).toEqual([...Object.keys(whole.faultsStruck!)].sort());
  });

  it('a failing run counts in both', () => {
    const t = sweepInline(libraryScenario('lost-decrement-reply'), { start: 1, count: 3 });
    expect(t.faultsStruck).toEqual({ 'faults.steps[0]': 3 });
    expect(t.faultsStruckFailing).toEqual({ 'faults.steps[0]': 3 });
  });

  it('a tally without counts (an older result) makes the sum have none: counts that miss runs would mislead', () => {
    const t = sweepInline(libraryScenario('lost-decrement-reply'), { start: 1, count: 2 });
    const old = emptyTally();
    delete old.faultsStruck;
    delete old.faultsStruckFailing;
    const sum = addTally(addTally(emptyTally(), t), old);
    expect(sum.faultsStruck).toBeUndefined();
    expect(sum.faultsStruckFailing).toBeUndefined();
    expect(addTally(sum, t).faultsStruck).toBeUndefined();
  });
});
