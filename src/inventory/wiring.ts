import type { Sim } from '../sim/world.js';
import type { SimNode } from '../sim/node.js';
import { DbNode } from './dbNode.js';
import { LockNode } from './lockNode.js';
import { PaymentNode } from './paymentNode.js';
import { Replica } from './replica.js';
import type { DomainNotes } from './domainNotes.js';
import type { Routes } from './clients.js';
import type { WorldConfig } from './worldConfig.js';
import type { LegacyHit } from './faultSteps.js';
import { appName, replicaName, SERVICE_NODES } from './nodeNames.js';
import { SqlServerNode } from './sqlNode.js';
import type { SqlConfig } from './worldConfig.js';
import { mapPacked } from '../sim/packed.js';

/** Every node of the inventory service, by role. */
export interface ServiceNodes {
  readonly apps: readonly SimNode[];
  readonly db: DbNode;
  /** The SQL server, in worlds with SQL (the scenario's `sql`, or a strategy that speaks it). */
  readonly sql: SqlServerNode | null;
  readonly replicas: readonly Replica[];
  readonly lock: LockNode;
  readonly payment: PaymentNode;
}

/**
 * Adds the topology's nodes to the simulation in a fixed order (app servers, the primary, the
 * SQL server when the world has SQL, its replicas, the lock service, the payment provider) and connects the primary's log to
 * the replicas. App servers get no handler: their work is
 * the orders' processes (orderLifecycle.ts).
 */
export function wireNodes(sim: Sim, config: WorldConfig, notes: DomainNotes, onLegacyHit: LegacyHit | undefined, sqlConfig: SqlConfig | null = null): ServiceNodes {
  const apps: SimNode[] = [];
  for (let i = 1; i <= config.topology.appServers; i++) apps.push(sim.addNode(appName(i), 'app'));
  const db = new DbNode(sim, config.items, config.topology.dbTickMs, notes);
  const sql = sqlConfig === null ? null : new SqlServerNode(sim, sqlConfig, notes);
  const replicas = mapPacked(config.topology.replicas, (lag, i) => new Replica(sim, replicaName(i + 1), lag, config.items, db.db, notes));
  db.replicateTo(replicas);
  const lock = new LockNode(sim, config.topology.dbTickMs, notes);
  const payment = new PaymentNode(sim, config.payment, notes, onLegacyHit);
  return { apps, db, sql, replicas, lock, payment };
}

/**
 * Where clients send what. A replica read goes to the only replica, or to the one a choice
 * picks, asked about the read the current process is about to make (its next attempt).
 */
export function routesOf(sim: Sim, nodes: ServiceNodes, readFrom: WorldConfig['topology']['readFrom']): Routes {
  const replicas = mapPacked(nodes.replicas, (r) => r.name);
  const replicaFor = (): string => {
    const k = replicas.length;
    if (k === 1) return replicas[0];
    const p = sim.current;
    const about = { type: 'call', process: p === null ? '' : p.origin, call: 'read', attempt: p === null ? 1 : p.peekAttempt('read') } as const;
    return replicas[sim.choices.ask({ stream: 'network', kind: 'replica', max: k - 1, about })];
  };
  return new RouteTable(readFrom === 'replicas' && replicas.length > 0, replicaFor);
}

/**
 * The routes: a class, not a literal, as they live as long as their world, and a pretenured
 * one would keep its world alive in every scavenge until a full GC (src/sim/untracked.ts).
 */
class RouteTable implements Routes {
  readonly primary = SERVICE_NODES.db;
  readonly payment = SERVICE_NODES.payment;
  readonly lock = SERVICE_NODES.lock;
  readonly readFromReplicas: boolean;
  readonly replicaFor: () => string;

  constructor(readFromReplicas: boolean, replicaFor: () => string) {
    this.readFromReplicas = readFromReplicas;
    this.replicaFor = replicaFor;
  }
}
