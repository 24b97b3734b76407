import { sleep } from '../sim/process.js';
import type { SimNode } from '../sim/node.js';
import { InstantDBClient, NetworkLagDB, NetworkLocks, NetworkPayment, type Routes } from './clients.js';
import type { InstantDB } from './instantDb.js';
import type { DomainNotes } from './domainNotes.js';
import type { Order } from './types.js';
import type { OrderContext, RecoveryContext, StrategyOptions } from './strategy.js';

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
  ) {}

  forOrder(node: SimNode, order: Order): OrderContext {
    const o = this.options;
    let n = 0;
    return {
      order,
      options: o,
      db: this.instantDb ? new InstantDBClient(this.db, order.id, node.name) : new NetworkLagDB(this.routes, order.id, node.name, o.timeoutMs),
      payment: new NetworkPayment(this.routes, order.id, o.timeoutMs),
      locks: new NetworkLocks(this.routes, order.id, o.timeoutMs),
      sleep,
      localTime: () => node.localTime(),
      newId: (purpose) => `${order.id}-${purpose}-${++n}`,
      log: (what, data) => this.notes.note(node.name, `note:${what}`, order.id, data ?? {}),
    };
  }

  forRecovery(node: SimNode): RecoveryContext {
    const o = this.options;
    const owner = `recover-${node.name}`;
    return {
      app: node.name,
      options: o,
      db: this.instantDb ? new InstantDBClient(this.db, owner, node.name) : new NetworkLagDB(this.routes, owner, node.name, o.timeoutMs),
      payment: new NetworkPayment(this.routes, owner, o.timeoutMs),
      locks: new NetworkLocks(this.routes, owner, o.timeoutMs),
      sleep,
      log: (what, data) => this.notes.note(node.name, `note:${what}`, undefined, data ?? {}),
    };
  }
}
