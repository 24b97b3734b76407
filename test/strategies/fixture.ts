/**
 * Resolved scenarios for the strategy tests and the strategy bench, built as objects (the
 * resolved-object twins of scenarios/*.json). `chaosScenario()` is the twin of
 * scenarios/flash-sale-chaos.json: test/strategies/chaosFile.test.ts keeps the two equal.
 */
import type { RunnableScenario } from '../../src/explore/run.js';
import type { FaultStepConfig } from '../../src/inventory/world.js';

type Section<K extends keyof RunnableScenario> = Partial<RunnableScenario[K]>;

/** Per-section overrides: each given section is merged over the default one (one level deep). */
export interface Overrides {
  name?: string;
  seed?: number;
  timing?: RunnableScenario['timing'];
  items?: RunnableScenario['items'];
  topology?: Section<'topology'>;
  network?: Section<'network'>;
  payment?: Section<'payment'>;
  workload?: RunnableScenario['workload'];
  faults?: Partial<Omit<RunnableScenario['faults'], 'randomPauses' | 'clockSkew'>> & {
    randomPauses?: Partial<RunnableScenario['faults']['randomPauses']>;
    clockSkew?: Partial<RunnableScenario['faults']['clockSkew']>;
  };
  strategy?: Section<'strategy'>;
  limits?: Section<'limits'>;
}

/** The calm flash sale: 10 vases, 15 orders from 3 app servers within 200 ms, no faults. */
export const CALM: RunnableScenario = {
  name: 'flash-sale',
  seed: 1,
  items: [{ id: 'vase', stock: 10 }],
  topology: { appServers: 3, replicas: [{ lagMsMin: 0, lagMsMax: 300 }], readFrom: 'replicas', dbTickMs: 100 },
  network: { delayMsMin: 50, delayMsMax: 200, dropRequestPerMille: 0, dropReplyPerMille: 0, duplicatePerMille: 0, reorderPerMille: 1000, links: [] },
  payment: { delayMsMin: 20, delayMsMax: 100, failPerMille: 0 },
  workload: { generate: { count: 15, windowMs: 200, item: 'vase', qty: 1, apps: ['app1', 'app2', 'app3'] } },
  faults: {
    untilMs: null,
    randomPauses: { perMille: 0, durationMsMin: 0, durationMsMax: 0, nodes: [] },
    clockSkew: { offsetMsMax: 0, driftPpmMax: 0 },
    steps: [],
  },
  strategy: { name: 'naive', options: {} },
  limits: { maxEvents: 200_000, maxTimeMs: 600_000 },
  timing: 'sampled',
};

export function scenario(o: Overrides = {}, base: RunnableScenario = CALM): RunnableScenario {
  return {
    name: o.name ?? base.name,
    seed: o.seed ?? base.seed,
    items: o.items ?? base.items,
    topology: { ...base.topology, ...o.topology },
    network: { ...base.network, ...o.network },
    payment: { ...base.payment, ...o.payment },
    workload: o.workload ?? base.workload,
    faults: {
      ...base.faults,
      ...o.faults,
      randomPauses: { ...base.faults.randomPauses, ...o.faults?.randomPauses },
      clockSkew: { ...base.faults.clockSkew, ...o.faults?.clockSkew },
    },
    strategy: { ...base.strategy, ...o.strategy },
    limits: { ...base.limits, ...o.limits },
    timing: o.timing ?? base.timing,
  };
}

/** Lease in ms of the primary's (and the lock service's) time: leaseTicks x dbTickMs. */
export const LEASE_MS = 60 * 100;

export const CHAOS_STEPS: readonly FaultStepConfig[] = [
  // A stop-the-world pause longer than any lease, early, while orders are in flight.
  { kind: 'pause', node: 'app2', atMs: 250, durationMs: 8000 },
  // app1 cut off from the database side for a second.
  { kind: 'partition', a: ['app1'], b: ['db', 'replica1', 'lock', 'payment'], atMs: 600, healAtMs: 1600, direction: 'both' },
  // app3 dies mid-sale and comes back empty-handed.
  { kind: 'crash', node: 'app3', atMs: 450, restartAtMs: 2500 },
];

/**
 * The chaos flash sale: the calm one plus every Chapter 8 fault at once, for 5 s of virtual
 * time, then a healed network until quiet.
 */
export const CHAOS: RunnableScenario = scenario({
  name: 'flash-sale-chaos',
  strategy: { name: 'reservation', options: {} },
  network: { dropRequestPerMille: 60, dropReplyPerMille: 60, duplicatePerMille: 60 },
  payment: { failPerMille: 100 },
  workload: { generate: { count: 15, windowMs: 500, item: 'vase', qty: 1, apps: ['app1', 'app2', 'app3'] } },
  faults: {
    untilMs: 5000,
    randomPauses: { perMille: 30, durationMsMin: 500, durationMsMax: 3 * LEASE_MS, nodes: [] },
    clockSkew: { offsetMsMax: 5000, driftPpmMax: 1000 },
    steps: CHAOS_STEPS,
  },
});

export function chaosScenario(o: Overrides = {}): RunnableScenario {
  return scenario(o, CHAOS);
}
