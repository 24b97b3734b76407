import type { Sim } from '../sim/world.js';
import { Hooks, type SimNode } from '../sim/node.js';
import { InstantDB } from './instantDb.js';
import { Ticker } from './ticker.js';
import type { Replica } from './replica.js';
import { prefixer, type DomainNotes } from './domainNotes.js';
import { SERVICE_NODES } from './nodeNames.js';
import { dbBefore, describeDbRequest, describeDbTick } from './dbAccess.js';

/** 'db:' + an operation, each string made once (domainNotes.ts). */
const dbOp = prefixer('db');

/**
 * The primary database server: the node `db` holding the storage engine (InstantDB). Every
 * request is applied atomically in the event that delivers it; committed changes are shipped
 * to the replicas in commit order. A SQL server node sits beside this one as a node of its own.
 */
export class DbNode {
  readonly node: SimNode;
  readonly db: InstantDB;
  readonly ticker: Ticker;

  constructor(sim: Sim, items: ReadonlyArray<{ readonly id: string; readonly stock: number }>, tickMs: number, notes: DomainNotes) {
    this.node = sim.addNode(SERVICE_NODES.db, 'db');
    const db = (this.db = new InstantDB(items));
    // The primary ticks its sequence number only while reservations are held, so runs go quiet.
    const log = sim.access;
    const name = this.node.name;
    log?.refine(name);
    const tick = log === null ? () => db.tick() : () => {
      const before = dbBefore(db);
      db.tick();
      describeDbTick(log, name, before);
    };
    const ticker = (this.ticker = new Ticker(this.node, tickMs, () => db.heldCount() > 0, tick));
    this.node.handler = log === null
      ? (call, body) => {
        const out = db.apply(call, body);
        ticker.arm();
        return out;
      }
      // Under explore: the same, and what it touched (dbAccess.ts).
      : (call, body) => {
        const before = dbBefore(db);
        const out = db.apply(call, body);
        ticker.arm();
        describeDbRequest(log, name, db, call, body, before);
        return out;
      };
    // A crash discards the pending tick timer (it belongs to the old incarnation); the
    // restarted primary keeps its committed data and must resume ticking, or held
    // reservations would never expire.
    this.node.hooks = new Hooks(undefined, () => ticker.rearm());
    // A local first (src/sim/untracked.ts): V8 puts a function literal assigned straight to a property in the old generation.
    const onEvent: InstantDB['onEvent'] = (e) => notes.note(SERVICE_NODES.db, dbOp(e.op), e.order, e.detail);
    db.onEvent = onEvent;
  }

  /** A world reset: the stock as at the start, no tick armed (the node itself is reset by the Sim). */
  reset(items: ReadonlyArray<{ readonly id: string; readonly stock: number }>): void {
    this.db.reset(items);
    this.ticker.reset();
  }

  /** Ships every committed change to these replicas, in commit order. */
  replicateTo(replicas: readonly Replica[]): void {
    if (replicas.length === 0) return;
    // A local first (src/sim/untracked.ts): V8 puts a function literal assigned straight to a property in the old generation.
    const onCommit: InstantDB['onCommit'] = (e) => {
      for (const r of replicas) r.committed(e);
    };
    this.db.onCommit = onCommit;
  }
}
