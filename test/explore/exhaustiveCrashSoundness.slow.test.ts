// The reduction stays sound with crashes: on configurations small enough for the full search,
// DPOR with sleep sets and --no-reduction reach the same verdict and the same set of final
// states when up to one app server crashes (at every message's arrival, its restart anywhere
// after). Generated small scenarios (fast-check) over the built-in counter strategies; a case
// whose full search does not finish under the cap is counted, not compared.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseScenario, STRATEGIES, formatProblem, type Scenario } from '../../src/index.js';
import { compareWithFull } from './sameAsFull.js';

const CAP = 2500;

interface Config {
  readonly strategy: string;
  readonly orders: number;
  readonly stock: number;
  readonly gapMs: number;
  readonly delayMsMax: number;
}

function scenarioOf(c: Config): Scenario {
  const orders = [{ atMs: 0, app: 'app1', item: 'vase' }, { atMs: c.gapMs, app: 'app2', item: 'vase' }].slice(0, c.orders);
  const r = parseScenario(JSON.stringify({
    name: 'crash-soundness', seed: 1,
    items: [{ id: 'vase', stock: c.stock }],
    topology: { appServers: 2, dbTickMs: 1000 },
    network: { delayMsMin: 10, delayMsMax: c.delayMsMax },
    workload: { orders },
    strategy: { name: c.strategy, options: { timeoutMs: 1000, retries: 1, leaseTicks: 2, lockAttempts: 2, conflictRetries: 1, persistAttempts: 2, backoffMs: 50 } },
    limits: { maxTimeMs: 1500, maxEvents: 400 },
    timing: 'windowed',
  }), 'crash-soundness.json');
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r.scenario;
}

// wall-clock-expiry decides from `ctx.localTime()`, the clock label, which depends on the
// interleaving (the largest lower window end fired so far): two equivalent orders can read
// different values, so DPOR's equivalence and the proof do not cover it ("what a strategy
// computes from its clock readings" is listed as not covered). With one crash, 2 orders, stock
// 1, gap 40 ms, delays <= 20 ms, the full search reaches 6 final states and DPOR 5, before the
// lookahead as after it (without the crash both reach 1); that case was too big for the full
// search until the lookahead. The clock label as the cause is a reading, not yet shown.
const COUNTER = [...STRATEGIES.values()].filter((s) => s.sql !== true && s.name !== 'wall-clock-expiry').map((s) => s.name);

const configArb: fc.Arbitrary<Config> = fc.record({
  strategy: fc.constantFrom(...COUNTER),
  orders: fc.constantFrom(1, 1, 2),
  stock: fc.integer({ min: 1, max: 2 }),
  gapMs: fc.constantFrom(0, 10, 40),
  delayMsMax: fc.constantFrom(20, 60),
});

describe('DPOR with sleep sets = the full search with one crash (fast-check)', () => {
  it('same verdict and same final states; the crash struck in every case compared', () => {
    let compared = 0;
    let tooBig = 0;
    const cases: string[] = [];
    fc.assert(
      fc.property(configArb, (c) => {
        const s = scenarioOf(c);
        const strategy = STRATEGIES.get(c.strategy)!;
        const r = compareWithFull(s, strategy, { crashes: 1 }, CAP);
        if (r === null) {
          tooBig++;
          return;
        }
        const { full, reduced: dpor } = r;
        compared++;
        expect(full.faults.find((f) => f.fault === 'random-crash')!.struckRuns).toBeGreaterThan(0);
        cases.push(`${c.strategy} ${c.orders} order(s) stock ${c.stock} gap ${c.gapMs} delay<=${c.delayMsMax}: ${full.executions} -> ${dpor.executions} executions (+${dpor.blocked} blocked), ${full.finalStates.length} final states`);
      }),
      { numRuns: 25, seed: 7 },
    );
    console.log(`compared ${compared}, too big for the full search ${tooBig}\n${cases.join('\n')}`);
    expect(compared).toBeGreaterThanOrEqual(8);
  });
});
