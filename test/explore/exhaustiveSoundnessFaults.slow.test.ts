// The reduction stays sound with lost requests, lost replies and process pauses, and with the
// search following race-reversing sequences (docs/exploration.md, "Partial-order reduction"):
// on configurations small enough for the full search, DPOR with sleep sets and --no-reduction
// reach the same verdict and the same set of final states. Generated 2-order scenarios
// (fast-check) over compare-and-set, conditional-decrement and naive (which oversells, so the
// verdicts compared are not all "holds"), each with up to one lost request, one lost reply and
// one pause (its length anywhere in a window that may outlast a timeout); a case whose full
// search does not finish under the cap is counted, not compared.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseScenario, STRATEGIES, formatProblem, type Scenario } from '../../src/index.js';
import { compareWithFull } from './sameAsFull.js';

const CAP = 3000;

interface Config {
  readonly strategy: string;
  readonly stock: number;
  readonly gapMs: number;
  readonly delayMsMax: number;
  readonly pauseMsMax: number;
  readonly drops: number;
  readonly lostReplies: number;
  readonly pauses: number;
}

function scenarioOf(c: Config): Scenario {
  const r = parseScenario(JSON.stringify({
    name: 'fault-soundness', seed: 1,
    items: [{ id: 'vase', stock: c.stock }],
    topology: { appServers: 2, dbTickMs: 1000 },
    network: { delayMsMin: 10, delayMsMax: c.delayMsMax },
    workload: { orders: [{ atMs: 0, app: 'app1', item: 'vase' }, { atMs: c.gapMs, app: 'app2', item: 'vase' }] },
    faults: { randomPauses: { durationMsMin: 1, durationMsMax: c.pauseMsMax } },
    strategy: { name: c.strategy, options: { timeoutMs: 200, conflictRetries: 1, persistAttempts: 2, backoffMs: 50 } },
    limits: { maxTimeMs: 1500, maxEvents: 400 },
    timing: 'windowed',
  }), 'fault-soundness.json');
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r.scenario;
}

const configArb: fc.Arbitrary<Config> = fc.record({
  strategy: fc.constantFrom('compare-and-set', 'compare-and-set', 'conditional-decrement', 'naive'),
  stock: fc.integer({ min: 1, max: 2 }),
  gapMs: fc.constantFrom(0, 10, 40),
  delayMsMax: fc.constantFrom(20, 60),
  pauseMsMax: fc.constantFrom(30, 300),
  drops: fc.constantFrom(0, 1),
  lostReplies: fc.constantFrom(0, 0, 1),
  pauses: fc.constantFrom(0, 1, 1),
});

describe('DPOR with sleep sets and guided reversals = the full search, with lost messages and pauses (fast-check)', () => {
  it('same verdict and same final states; most cases have several final states and DPOR runs strictly fewer executions', () => {
    let compared = 0;
    let interesting = 0;
    let tooBig = 0;
    const cases: string[] = [];
    fc.assert(
      fc.property(configArb, (c) => {
        const s = scenarioOf(c);
        const strategy = STRATEGIES.get(c.strategy)!;
        const bounds = { drops: c.drops, lostReplies: c.lostReplies, pauses: c.pauses };
        const r = compareWithFull(s, strategy, bounds, CAP);
        if (r === null) {
          tooBig++;
          return;
        }
        const { full, reduced: dpor } = r;
        compared++;
        if (r.interesting) interesting++;
        cases.push(`${c.strategy} stock ${c.stock} gap ${c.gapMs} delay<=${c.delayMsMax} pause<=${c.pauseMsMax} drops ${c.drops} lost replies ${c.lostReplies} pauses ${c.pauses}: ${full.executions} -> ${dpor.executions} executions (+${dpor.blocked} blocked), ${full.finalStates.length} final states`);
      }),
      { numRuns: 30, seed: 29 },
    );
    console.log(`compared ${compared}, interesting ${interesting}, too big for the full search ${tooBig}\n${cases.join('\n')}`);
    expect(compared).toBeGreaterThanOrEqual(10);
    expect(interesting / compared).toBeGreaterThanOrEqual(0.3);
  }, 1_800_000);
});
