import { Sim, type RandomCrashes, type RandomPauses, type RunLimits, type StopReason } from '../sim/world.js';
import type { NetworkConfig } from '../sim/network.js';
import type { ChoiceSource } from '../sim/choice.js';
import type { PushObserver, ReadyRule, TimingModel } from '../sim/kernel.js';
import { ChoiceScheduler, EARLIEST, type Scheduler } from '../sim/scheduler.js';
import type { AccessLog } from '../sim/access.js';
import type { InstantDB } from './instantDb.js';
import type { LockService } from './lockService.js';
import type { PaymentLedger } from './payment.js';
import type { Replica } from './replica.js';
import type { Strategy, StrategyOptions } from './strategy.js';
import type { WorldConfig } from './worldConfig.js';
import type { LegacyHit } from './faultSteps.js';
import { DomainNotes } from './domainNotes.js';
import { routesOf, wireNodes, type ServiceNodes } from './wiring.js';
import { StrategyContexts } from './strategyContext.js';
import { OrderLifecycle, type OrderRecord } from './orderLifecycle.js';
import { scheduleFaults } from './faultTimeline.js';
import { scheduleWorkload } from './workload.js';
import { appServerNames } from './nodeNames.js';
import { resolveSqlConfig, withStockRows } from './sqlTables.js';
import { followCommittedStock } from './sqlLedger.js';
import type { SqlServerNode } from './sqlNode.js';
import { mapPacked } from '../sim/packed.js';

// The world's vocabulary lives in the files of its concepts; these names are its surface.
export type { WorldConfig, WorkloadConfig, PaymentConfig, FaultsConfig, SqlConfig } from './worldConfig.js';
export type { CallAddressConfig, MessageAddressConfig, FaultStepConfig, LegacyHit } from './faultSteps.js';
export type { OrderRecord, OrderStatus } from './orderLifecycle.js';

export interface WorldOptions {
  readonly source: ChoiceSource;
  readonly strategy: Strategy;
  readonly options: StrategyOptions;
  /** Strategies talk to InstantDB in-process instead of NetworkLagDB (the seeds' control). */
  readonly instantDb?: boolean;
  readonly keepTrace?: boolean;
  readonly recordChoices?: boolean;
  /** How delays are decided (default: sampled). */
  readonly timing?: TimingModel;
  /** Which ready event fires next (default: the earliest; the windowed model asks the schedule stream). */
  readonly scheduler?: Scheduler | null;
  /** Which pending events the scheduler sees (sim/kernel.ts ReadyRule): 'any' for the exhaustive explorer. */
  readonly readyRule?: ReadyRule;
  /** Told of every event pushed (sim/kernel.ts PushObserver): the exhaustive explorer. */
  readonly onPush?: PushObserver | null;
  /** Told what each event touched (sim/access.ts): the exhaustive explorer. */
  readonly access?: AccessLog | null;
  /** Translating an old file: told which message each `nth` step hit. */
  readonly onLegacyHit?: LegacyHit;
}

/**
 * The inventory world on top of the kernel, put together from its rooms: the nodes wired
 * (wiring.ts: app servers, the primary, its replicas, the lock service, the payment provider),
 * the fault timeline (faultTimeline.ts), the workload (workload.ts) and the orders' lifecycle
 * (orderLifecycle.ts). What the invariants judge (JudgedState) is read off its fields.
 */
export class InventoryWorld {
  readonly sim: Sim;
  readonly nodes: ServiceNodes;
  readonly db: InstantDB;
  readonly locks: LockService;
  readonly payments: PaymentLedger;
  orders: OrderRecord[];
  /** Each recover that threw (or was not a generator): a strategy-error finding. */
  recoverErrors: ReadonlyArray<{ readonly app: string; readonly error: string }>;
  readonly apps: readonly string[];
  readonly replicas: readonly string[];
  readonly replicaNodes: readonly Replica[];
  /** The SQL server (null in worlds without SQL). */
  readonly sql: SqlServerNode | null;
  private readonly lifecycle: OrderLifecycle;

  constructor(
    readonly config: WorldConfig,
    public opts: WorldOptions,
  ) {
    const fixed = fixedPartsOf(config);
    const sim = (this.sim = new Sim({
      source: opts.source,
      network: fixed.network,
      randomPauses: fixed.randomPauses,
      ...(fixed.randomCrashes === null ? {} : { randomCrashes: fixed.randomCrashes }),
      keepTrace: opts.keepTrace,
      recordChoices: opts.recordChoices,
      timing: opts.timing,
      scheduler: opts.scheduler,
      readyRule: opts.readyRule,
      onPush: opts.onPush,
      access: opts.access,
    }));
    const notes = new DomainNotes(sim);
    const sqlConfig = config.sql ? withStockRows(config.sql, config.items) : opts.strategy.sql === true ? resolveSqlConfig(config.items) : null;
    const nodes = (this.nodes = wireNodes(sim, config, notes, opts.onLegacyHit, sqlConfig));
    this.sql = nodes.sql;
    this.db = nodes.db.db;
    this.locks = nodes.lock.locks;
    this.payments = nodes.payment.payments;
    this.apps = mapPacked(nodes.apps, (n) => n.name);
    this.replicaNodes = nodes.replicas;
    this.replicas = mapPacked(nodes.replicas, (r) => r.name);
    const contexts = new StrategyContexts(routesOf(sim, nodes, config.topology.readFrom), this.db, opts.options, opts.instantDb === true, notes, nodes.sql);
    const lifecycle = (this.lifecycle = new OrderLifecycle(sim, opts.strategy, contexts, notes));
    if (nodes.sql !== null) followCommittedStock(nodes.sql, this.db, (owner) => lifecycle.byId(owner)?.order, notes);
    for (const app of nodes.apps) lifecycle.watch(app);
    this.orders = lifecycle.records;
    this.recoverErrors = lifecycle.recoverErrors;
    this.scheduleRun();
    const s = opts.scheduler ?? null;
    this.resettable = this.sql === null && sim.access === null && (opts.onPush ?? null) === null && (s === null || s === EARLIEST || s instanceof ChoiceScheduler) && (opts.readyRule ?? 'windows') === 'windows' && opts.onLegacyHit === undefined;
  }

  /**
   * Whether reset() may turn this world into the next run's: everything it holds between runs
   * is wiring that reset() keeps or state that it rewrites. Not with a SQL server (its tables,
   * sessions and locks), an access log, a push observer, a scheduler that keeps state of its
   * own (PCT's priorities, the exhaustive explorer's) or readyRule 'any' (the explorer's), nor
   * while translating an old file (its hits). The earliest-first and the choice scheduler keep nothing between picks.
   */
  readonly resettable: boolean;

  /**
   * A world reset instead of a rebuild: the next run of the same config, strategy and options,
   * with fate from `source`. What does not change between runs stays (the nodes and their
   * handlers, the routes, each order's clients' factory, the links' delays, the resolved
   * options); every per-run field goes back to what the constructor made (kernel, network,
   * rpc table, nodes, the primary's ledger, the replicas, the lock service, the payment
   * provider, the orders), and the fault timeline and the workload are scheduled again, asking
   * the same questions in the same order as a new world. The same trace, to the hash
   * (test/inventory/worldReset.test.ts compares a reset world with a new one field by field).
   * The last run's result keeps its own orders, trace and violations; its `world` is this one.
   */
  reset(source: ChoiceSource): void {
    if (!this.resettable) throw new Error('InventoryWorld.reset: this world holds state a reset does not rewrite (SQL, an access log, an observer, a scheduler or a legacy translation)');
    const { config, nodes, lifecycle } = this;
    this.opts = { ...this.opts, source };
    this.sim.reset(source);
    nodes.db.reset(config.items);
    for (const r of nodes.replicas) r.reset(config.items);
    nodes.lock.reset();
    nodes.payment.reset();
    lifecycle.reset();
    this.orders = lifecycle.records;
    this.recoverErrors = lifecycle.recoverErrors;
    this.scheduleRun();
  }

  /** What starts a run, for a new world and a reset one alike: the fault timeline, then the workload (the same questions in the same order). */
  private scheduleRun(): void {
    scheduleFaults(this.sim, this.config.faults, this.nodes, this.opts.onLegacyHit);
    scheduleWorkload(this.sim, this.config.workload, this.apps, this.lifecycle);
  }

  /** Runs the kernel until quiet or a limit; orders still pending then get their reason. */
  runUntilQuiet(limits: RunLimits): StopReason {
    const stop = this.sim.runUntilQuiet(limits);
    this.lifecycle.settle(stop, limits);
    return stop;
  }
}

/** What the kernel is given that depends on the config alone: read-only, shared by its runs. */
interface FixedParts {
  readonly network: NetworkConfig;
  readonly randomPauses: RandomPauses;
  readonly randomCrashes: RandomCrashes | null;
}

const FIXED = new WeakMap<WorldConfig, FixedParts>();

/**
 * The config's network (per-link delays keyed `from->to`) and random pauses (the nodes they
 * strike) in the kernel's terms, built once per config: every run of a sweep used to build
 * them again. Safe to share because the kernel only reads them, and a config is a value that
 * nothing changes once runs start (the explorers change copies).
 */
function fixedPartsOf(config: WorldConfig): FixedParts {
  let f = FIXED.get(config);
  if (f === undefined) {
    const links = new Map(config.network.links.map((l) => [`${l.from}->${l.to}`, { delayMsMin: l.delayMsMin, delayMsMax: l.delayMsMax }]));
    const pauseNodes = config.faults.randomPauses.nodes;
    f = {
      network: { ...config.network, links },
      randomPauses: {
        ...config.faults.randomPauses,
        // Default: random pauses strike the app servers (GC pauses in the strategies' processes).
        nodes: new Set(pauseNodes.length > 0 ? pauseNodes : appServerNames(config.topology.appServers)),
      },
      // Only app servers crash at random (their state is what a crash loses; docs/exploration.md, "Crashes").
      randomCrashes: config.faults.randomCrashes === undefined ? null : { ...config.faults.randomCrashes, nodes: new Set(appServerNames(config.topology.appServers)) },
    };
    FIXED.set(config, f);
  }
  return f;
}
