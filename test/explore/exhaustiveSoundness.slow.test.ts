// The reduction is sound: on configurations small enough for the full search (2 orders), DPOR
// with sleep sets and --no-reduction reach the same verdict and the same set of final states,
// under the timed semantics (the default). Generated small scenarios (fast-check) for every
// built-in strategy, the SQL ones included.
//
// Every generated case is compared: the generator only makes configurations whose full search
// finishes. Under the timed semantics the clocks of two nodes are unrelated, so the full search
// runs every interleaving of the two orders' events at their app servers, whatever the times:
// about C(n1 + n2, n1) executions for orders of n1 and n2 events. What keeps it small is the
// number of events each order gets to fire, so the scenario's time limit is short (40-60 ms,
// messages 10-20 or 10-40 ms): the first order is `gapMs` further along, the second fires a few
// events, and the two still meet at the database (or the SQL server, the lock service, the
// payment provider), where their windows overlap. A run cut by the time limit
// is judged as it stands (an order still in flight has no answer yet), the same way in both
// searches. No database tick falls inside the limit (dbTickMs > maxTimeMs): a tick at the
// primary is one more event to interleave with everything at every app server. Both searches
// run with `checkReleases`: no event becomes enabled through a firing at another node unless
// DPOR records it (execution.ts), or the case throws.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { expectSameAsFull } from './sameAsFull.js';
import { loadSqlParser, parseScenario, searchSchedules, STRATEGIES, formatProblem, type Scenario } from '../../src/index.js';

/** A full search that reaches this many executions would not be small: the case fails. */
const CAP = 6000;
/** Generated configurations per built-in strategy. */
const RUNS_PER_STRATEGY = 2;

// Every built-in strategy includes the SQL ones (the sql node, its statements and timers).
beforeAll(() => loadSqlParser());

interface Config {
  readonly stock: number;
  readonly gapMs: number;
  readonly maxTimeMs: number;
  readonly delayMsMax: number;
  readonly timeoutMs: number;
  readonly drops: number;
  /** Both orders on app1 (their events there ordered by its clock) or one per app server. */
  readonly sameApp: boolean;
}

// leaseMs 25 (wall-clock-expiry's lease in its app servers' clocks): short enough for its
// clock reads to decide within these time limits (a second order at 20 ms reaps the first's
// reservation, due at 25 ms, by its own clock only if it reads past 25 ms); the default 3 s never
// would, and the property would not see what a clock read returns.
function scenarioOf(strategy: string, c: Config): Scenario {
  const r = parseScenario(JSON.stringify({
    name: 'soundness', seed: 1,
    items: [{ id: 'vase', stock: c.stock }],
    topology: { appServers: c.sameApp ? 1 : 2, dbTickMs: 1000 },
    network: { delayMsMin: 10, delayMsMax: c.delayMsMax },
    workload: { orders: [{ atMs: 0, app: 'app1', item: 'vase' }, { atMs: c.gapMs, app: c.sameApp ? 'app1' : 'app2', item: 'vase' }] },
    strategy: { name: strategy, options: { timeoutMs: c.timeoutMs, retries: 1, leaseTicks: 2, leaseMs: 25, lockAttempts: 2, conflictRetries: 1, persistAttempts: 2, backoffMs: 20 } },
    limits: { maxTimeMs: c.maxTimeMs, maxEvents: 400 },
    timing: 'windowed',
  }), 'soundness.json');
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r.scenario;
}

// Messages take 10 ms at least, so a time limit of 40-60 ms lets each order fire at most a few
// events, and a lost request (a choice at every request) only with the shorter limits. Half the
// timeouts (30 ms) are shorter than a round trip (20-80 ms), so a timeout races its reply:
// docs/exploration.md, "A timeout that races its reply".
const configArb: fc.Arbitrary<Config> = fc.record({
  stock: fc.integer({ min: 1, max: 2 }),
  gapMs: fc.constantFrom(0, 10, 20),
  maxTimeMs: fc.constantFrom(40, 50, 60),
  delayMsMax: fc.constantFrom(20, 40),
  timeoutMs: fc.constantFrom(1000, 30),
  drops: fc.constantFrom(0, 0, 1),
  sameApp: fc.boolean(),
})
  .map((c) => (c.drops > 0 ? { ...c, maxTimeMs: Math.min(c.maxTimeMs, 50) } : c))
  // A timeout that fires is one more event (and a retry more): short ones with short messages only.
  .map((c) => (c.timeoutMs < 1000 ? { ...c, delayMsMax: 20, maxTimeMs: Math.min(c.maxTimeMs, 50) } : c));

function words(strategy: string, c: Config): string {
  return `${strategy} stock ${c.stock} gap ${c.gapMs} limit ${c.maxTimeMs} delay<=${c.delayMsMax} timeout ${c.timeoutMs} drops ${c.drops}${c.sameApp ? ' same app' : ''}`;
}

describe('DPOR with sleep sets = the full search, on 2-order scenarios (fast-check, timed semantics)', () => {
  it('every generated case is compared: same verdict and same final states; at least 30 % have several final states and DPOR strictly fewer executions', () => {
    const strategies = [...STRATEGIES.keys()];
    let generated = 0;
    let compared = 0;
    let interesting = 0;
    const violated = new Set<string>();
    const cases: string[] = [];
    for (const [i, name] of strategies.entries()) {
      const strategy = STRATEGIES.get(name)!;
      fc.assert(
        fc.property(configArb, (c) => {
          generated++;
          const s = scenarioOf(name, c);
          const full = searchSchedules(s, strategy, { reduction: false, keepGoing: true, maxExecutions: CAP, bounds: { drops: c.drops }, checkReleases: true });
          const dpor = searchSchedules(s, strategy, { reduction: true, keepGoing: true, bounds: { drops: c.drops }, checkReleases: true });
          const line = `${words(name, c)}: ${full.executions} -> ${dpor.executions} executions (+${dpor.blocked} blocked), ${full.finalStates.length} final states${full.found === null ? '' : ', violated'}`;
          cases.push(line);
          // The generator promises a full search that finishes: a case that does not is a failure
          // of the generator, not a case to skip.
          expect(full.exhausted, `${line}: the full search did not finish (${full.boundedBy})`).toBe(true);
          expect(dpor.exhausted, line).toBe(true);
          compared++;
          expect(dpor.found !== null, line).toBe(full.found !== null);
          expect(dpor.finalStates, line).toEqual(full.finalStates);
          expect(dpor.executions, line).toBeLessThanOrEqual(full.executions);
          if (full.found !== null) violated.add(name);
          if (full.finalStates.length > 1 && dpor.executions < full.executions) interesting++;
        }),
        // One seed per strategy, so adding a strategy does not reshuffle the others' cases.
        { numRuns: RUNS_PER_STRATEGY, seed: 13 + i },
      );
    }
    console.log(`generated ${generated}, compared ${compared}, interesting ${interesting} (several final states and DPOR strictly fewer executions); a violation in ${violated.size} strategies\n${cases.join('\n')}`);
    expect(generated).toBe(strategies.length * RUNS_PER_STRATEGY);
    expect(compared).toBe(generated);
    expect(interesting / generated).toBeGreaterThanOrEqual(0.3);
    // The verdicts compared are not all "holds": some generated cases break an invariant.
    expect(violated.size).toBeGreaterThan(0);
  }, 600_000);
});

// A clock read under the explorer returns the firing event's earliest time given its causal
// past (execution.ts clockMs), the same in every order DPOR treats as equivalent. These cases
// are the ones where reading the kernel's label instead (the largest lower window end fired so
// far, raised by the other order's events) made the full search reach final states DPOR did not
// (3 vs 2, 7 vs 5, 4 vs 3 ...: docs/notes/wallclock-mismatch.md).
describe('wall-clock-expiry: what its clock reads does not depend on the interleaving', () => {
  const base: Config = { stock: 1, gapMs: 20, maxTimeMs: 40, delayMsMax: 20, timeoutMs: 1000, drops: 0, sameApp: false };
  const cases: Config[] = [
    base,
    { ...base, drops: 1 },
    { ...base, delayMsMax: 40 },
    { ...base, delayMsMax: 40, drops: 1 },
    { ...base, maxTimeMs: 60 },
    { ...base, maxTimeMs: 60, delayMsMax: 40 },
  ];
  it.each(cases.map((c) => [words('wall-clock-expiry', c), c] as const))('%s: DPOR reaches the full search\'s final states', (_words, c) => {
    const s = scenarioOf('wall-clock-expiry', c);
    const strategy = STRATEGIES.get('wall-clock-expiry')!;
    const full = searchSchedules(s, strategy, { reduction: false, keepGoing: true, maxExecutions: CAP, bounds: { drops: c.drops } });
    const dpor = searchSchedules(s, strategy, { reduction: true, keepGoing: true, bounds: { drops: c.drops } });
    expect(full.exhausted).toBe(true);
    expect(dpor.exhausted).toBe(true);
    expect(dpor.found !== null).toBe(full.found !== null);
    expect(dpor.finalStates).toEqual(full.finalStates);
    // The clock decides something here: more than one outcome.
    expect(full.finalStates.length).toBeGreaterThan(1);
  });
});

// A timeout that races its reply (docs/exploration.md): the reproductions the property found when
// its timeouts were all longer than a round trip, each once a known gap (DPOR reached 6 of 8 and 11
// of 12 final states). Now the same final states and verdict as the full search. naive's full
// search reaches 10 since a timeout takes its place at its caller only: the 2 others had o2's
// last reply in flight at the limit, which a schedule now delivers by the limit instead (the
// server's events are no longer forced after o1's timeout; "What is observed at the end").
describe('a timeout that races its reply (timed semantics): DPOR = the full search', () => {
  // strategy, configuration, final states of the full search.
  const cases: Array<[string, Config, number]> = [
    ['conditional-decrement', { stock: 1, gapMs: 0, maxTimeMs: 40, delayMsMax: 20, timeoutMs: 30, drops: 0, sameApp: false }, 8],
    ['naive', { stock: 1, gapMs: 10, maxTimeMs: 50, delayMsMax: 20, timeoutMs: 30, drops: 0, sameApp: false }, 10],
  ];
  it.each(cases)('%s: every final state of the full search, the same verdict', (name, c, fullStates) => {
    const s = scenarioOf(name, c);
    const strategy = STRATEGIES.get(name)!;
    const full = searchSchedules(s, strategy, { reduction: false, keepGoing: true, maxExecutions: CAP, checkReleases: true });
    const dpor = searchSchedules(s, strategy, { reduction: true, keepGoing: true, checkReleases: true });
    expect(full.exhausted).toBe(true);
    expect(full.finalStates.length).toBe(fullStates);
    expectSameAsFull(full, dpor, words(name, c));
  });
});

// A clock read is a `clock-read` choice between the earliest and the latest time the reading
// event's causal past allows (execution.ts clockMs). explore-small-wall-clock-expiry with one
// pause (the pause may last up to the time limit: the scenario gives no pause lengths): a paused
// app server's lease check reads late and fails in 3 final states that earliest-only readings
// never reached (5 -> 2 with DPOR; docs/notes/wallclock-mismatch.md). Both searches reach them.
describe('wall-clock-expiry: a clock read after a long pause may be late', () => {
  function library(patch: Record<string, unknown>): Scenario {
    const j = JSON.parse(readFileSync('scenarios/explore-small-wall-clock-expiry.json', 'utf8')) as Record<string, unknown>;
    const r = parseScenario(JSON.stringify({ ...j, ...patch }), 'explore-small-wall-clock-expiry.json');
    if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
    return r.scenario;
  }
  const strategy = STRATEGIES.get('wall-clock-expiry')!;

  it('pauses at app2 only, limit 1 s: DPOR reaches the full search\'s 2 final states (1 with earliest-only readings: o2 FAILED after its late lease check)', () => {
    const s = library({ limits: { maxTimeMs: 1000 }, faults: { randomPauses: { perMille: 0, durationMsMin: 0, durationMsMax: 0, nodes: ['app2'] } } });
    const full = searchSchedules(s, strategy, { reduction: false, keepGoing: true, maxExecutions: CAP, bounds: { pauses: 1 }, checkReleases: true });
    const dpor = searchSchedules(s, strategy, { reduction: true, keepGoing: true, bounds: { pauses: 1 }, checkReleases: true });
    console.log(`late reads, app2 paused: full ${full.executions} executions, DPOR ${dpor.executions} (+${dpor.blocked} blocked), ${full.finalStates.length} final states`);
    expect(full.exhausted).toBe(true);
    expect(full.finalStates.length).toBe(2);
    expectSameAsFull(full, dpor, 'late reads, app2 paused');
  });

  it('the library scenario, one pause: DPOR reaches 5 final states (2 with earliest-only readings; the full search, 40 948 executions, the same 5: bench/clockReads.ts)', () => {
    const dpor = searchSchedules(library({}), strategy, { reduction: true, keepGoing: true, bounds: { pauses: 1 } });
    expect(dpor.exhausted).toBe(true);
    expect(dpor.finalStates.length).toBe(5);
  });
});
