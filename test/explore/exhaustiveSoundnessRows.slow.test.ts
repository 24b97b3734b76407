// Row- and item-level independence is sound: on generated 2-order scenarios with two items
// (so two rows of the SQL stock table), DPOR under the fine relation (events at the primary
// and at the SQL server commute when their items, rows and tables do) and the full search
// reach the same verdict and the same set of final states. Every built-in strategy, the SQL
// ones included; the orders are for two items or for the same one, with or without a replica
// (whose commit log orders every commit). The full search is capped; a case whose full
// search does not finish under the cap is counted, not compared.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadSqlParser, parseScenario, searchSchedules, STRATEGIES, formatProblem, type Scenario } from '../../src/index.js';
import { compareWithFull } from './sameAsFull.js';

const CAP = 1000;

beforeAll(() => loadSqlParser());

interface Config {
  readonly strategy: string;
  readonly stock: number;
  /** The second order's item: another item (another row) or the same one. */
  readonly second: 'lamp' | 'vase';
  readonly gapMs: number;
  readonly delayMsMax: number;
  readonly timeoutMs: number;
  readonly drops: number;
  readonly replicas: number;
}

function scenarioOf(c: Config): Scenario {
  const r = parseScenario(JSON.stringify({
    name: 'soundness-rows', seed: 1,
    items: [{ id: 'vase', stock: c.stock }, { id: 'lamp', stock: 1 }],
    topology: { appServers: 2, dbTickMs: 1000, replicas: Array.from({ length: c.replicas }, () => ({ lagMsMin: 10, lagMsMax: 40 })) },
    network: { delayMsMin: 10, delayMsMax: c.delayMsMax },
    workload: { orders: [{ atMs: 0, app: 'app1', item: 'vase' }, { atMs: c.gapMs, app: 'app2', item: c.second }] },
    strategy: { name: c.strategy, options: { timeoutMs: c.timeoutMs, retries: 1, leaseTicks: 2, lockAttempts: 2, conflictRetries: 1, persistAttempts: 2, backoffMs: 50 } },
    limits: { maxTimeMs: 1500, maxEvents: 400 },
    timing: 'windowed',
  }), 'soundness-rows.json');
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r.scenario;
}

// The row- and item-level relation applies under the untimed-causal semantics (under timed, the
// default, each node keeps one local clock and stays one resource): this test pins that relation.
const UNTIMED = { semantics: 'untimed-causal' } as const;

const sqlStrategies = [...STRATEGIES.keys()].filter((k) => k.startsWith('sql-'));
// Counter strategies small enough with two items for the full search: the primary's items.
const counterStrategies = ['conditional-decrement', 'compare-and-set', 'naive', 'locked-replica-read'];

const configArb: fc.Arbitrary<Config> = fc.record({
  // A third of the cases any strategy, a third a SQL one (rows), a third a counter one (items).
  strategy: fc.oneof(fc.constantFrom(...STRATEGIES.keys()), fc.constantFrom(...sqlStrategies), fc.constantFrom(...counterStrategies)),
  stock: fc.integer({ min: 1, max: 2 }),
  second: fc.constantFrom('lamp' as const, 'lamp' as const, 'vase' as const),
  gapMs: fc.constantFrom(0, 10, 40),
  delayMsMax: fc.constantFrom(20, 60),
  timeoutMs: fc.constantFrom(1000, 1000, 1000, 90),
  drops: fc.constantFrom(0, 0, 1),
  replicas: fc.constantFrom(0, 0, 1),
});

describe('DPOR over rows and items = the full search, on 2-item scenarios (fast-check)', () => {
  it('same verdict and same final states; DPOR strictly fewer executions in most cases with several final states', () => {
    let compared = 0;
    let interesting = 0;
    let finer = 0;
    let tooBig = 0;
    const cases: string[] = [];
    fc.assert(
      fc.property(configArb, (c) => {
        const s = scenarioOf(c);
        const strategy = STRATEGIES.get(c.strategy)!;
        // The reduced search is the fine relation (rows and items, the default independence).
        const r = compareWithFull(s, strategy, { drops: c.drops }, CAP, UNTIMED);
        if (r === null) {
          tooBig++;
          return;
        }
        const { full, reduced: rows } = r;
        const nodes = searchSchedules(s, strategy, { ...UNTIMED, reduction: true, keepGoing: true, bounds: { drops: c.drops }, independence: 'nodes' });
        compared++;
        if (r.interesting) interesting++;
        if (rows.executions + rows.blocked < nodes.executions + nodes.blocked) finer++;
        cases.push(`${c.strategy} stock ${c.stock} second ${c.second} gap ${c.gapMs} delay<=${c.delayMsMax} timeout ${c.timeoutMs} drops ${c.drops} replicas ${c.replicas}: full ${full.executions}, nodes ${nodes.executions} (+${nodes.blocked}), rows ${rows.executions} (+${rows.blocked}) executions, ${full.finalStates.length} final states`);
      }),
      { numRuns: 40, seed: 29 },
    );
    console.log(`compared ${compared}, interesting ${interesting}, rows < nodes in ${finer}, too big for the full search ${tooBig}\n${cases.join('\n')}`);
    expect(compared).toBeGreaterThanOrEqual(10);
    expect(interesting / compared).toBeGreaterThanOrEqual(0.3);
    // The finer relation is exercised: it saves executions over the node-level one somewhere.
    expect(finer).toBeGreaterThan(0);
  });
});
