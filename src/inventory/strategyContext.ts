import { sleep } from '../sim/process.js';
import type { SimNode } from '../sim/node.js';
import { InstantDBClient, NetworkLagDB, NetworkLocks, NetworkPayment, type Routes } from './clients.js';
import type { InstantDB } from './instantDb.js';
import type { DomainNotes } from './domainNotes.js';
import type { Order } from './types.js';
import type { OrderContext, RecoveryContext, StrategyOptions } from './strategy.js';
import { NetworkSql, NoSqlServer, type SqlClient } from './sqlClient.js';
import type { SqlServerNode } from './sqlNode.js';

/** A world without a SQL server: every order's ctx.sql (it keeps no state, so one serves all). */
const NO_SQL_SERVER: SqlClient = Object.freeze(new NoSqlServer());

/**
 * What a strategy's placeOrder and recover are handed: clients for the database, the payment
 * provider and the lock service (over the network, or the in-process InstantDB for the seeds'
 * control), sleep, the app server's local clock, ids and notes. A new client a strategy may
 * talk through (ctx.sql, ...) is one more field here.
 */
export class StrategyContexts {
  constructor(
    private readonly routes: Routes,
    private readonly db: InstantDB,
    private readonly options: StrategyOptions,
    /** Strategies talk to InstantDB in-process instead of NetworkLagDB. */
    private readonly instantDb: boolean,
    private readonly notes: DomainNotes,
    private readonly sqlServer: SqlServerNode | null = null,
  ) {}

  /** Each process's SQL client, by origin, until the process ends (its connections then close). Made by the first (worlds with SQL only). */
  private sqlClients: Map<string, NetworkSql> | null = null;

  private sqlFor(origin: string): SqlClient {
    if (this.sqlServer === null) return NO_SQL_SERVER;
    const c = new NetworkSql(this.sqlServer, origin, this.options.sqlTimeoutMs);
    (this.sqlClients ??= new Map()).set(origin, c);
    return c;
  }

  /** Each app server's ctx.localTime, by node: one function per node, not one per order (made by the first order). */
  private clocks: Map<SimNode, () => number> | null = null;

  private clockOf(node: SimNode): () => number {
    const clocks = (this.clocks ??= new Map());
    let clock = clocks.get(node);
    if (clock === undefined) {
      clock = () => node.localTime();
      clocks.set(node, clock);
    }
    return clock;
  }

  /** A process ended or was lost with its app server: its connections still in a transaction are dropped. */
  ended(origin: string): void {
    if (this.sqlClients === null) return;
    const c = this.sqlClients.get(origin);
    if (c === undefined) return;
    this.sqlClients.delete(origin);
    c.closeAll();
  }

  /** `origin`: what the process's calls are identified by (the order id; "o1#2" for its redelivery). */
  forOrder(node: SimNode, order: Order, origin: string = order.id): OrderContext {
    const o = this.options;
    let n = 0;
    return {
      order,
      options: o,
      db: this.instantDb ? new InstantDBClient(this.db, order.id, node.name) : new NetworkLagDB(this.routes, order.id, node.name, o.timeoutMs),
      payment: new NetworkPayment(this.routes, order.id, o.timeoutMs),
      locks: new NetworkLocks(this.routes, order.id, o.timeoutMs),
      sql: this.sqlFor(origin),
      sleep,
      localTime: this.clockOf(node),
      newId: (purpose) => `${order.id}-${purpose}-${++n}`,
      log: (what, data) => this.notes.note(node.name, `note:${what}`, order.id, data ?? {}),
    };
  }

  forRecovery(node: SimNode, origin: string = `recover-${node.name}`): RecoveryContext {
    const o = this.options;
    const owner = `recover-${node.name}`;
    return {
      app: node.name,
      options: o,
      db: this.instantDb ? new InstantDBClient(this.db, owner, node.name) : new NetworkLagDB(this.routes, owner, node.name, o.timeoutMs),
      payment: new NetworkPayment(this.routes, owner, o.timeoutMs),
      locks: new NetworkLocks(this.routes, owner, o.timeoutMs),
      sql: this.sqlFor(origin),
      sleep,
      log: (what, data) => this.notes.note(node.name, `note:${what}`, undefined, data ?? {}),
    };
  }
}
