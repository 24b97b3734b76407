import type { AccessLog } from '../sim/access.js';
import type { InstantDB } from './instantDb.js';
import { decodeRequest } from './dbRequests.js';

/**
 * The footprint of one event at the primary, for the explorer's independence relation
 * (docs/exploration.md, "Partial-order reduction"). Objects of the node `db`:
 *
 * - `item:X`: the item's counter, version, fencing token and units. A read reads it (a read
 *   with a fencing token writes it: it raises the item's highest token); a counter operation
 *   that commits writes it; one that is refused read it.
 * - `seq`: the sequence number. Every commit adds one (`i`: two commits of different items
 *   commute, each still gets its own number and nobody saw which); a read returns it (`r`).
 * - `book`: the reservations. A commit and the ticker look at which are held (`r`).
 * - `log`: the commit log replicas apply in order (written by every commit when replicas listen:
 *   the order of log entries is the order replicas see).
 * - `req:CALL|ID`: the stored outcome of a request id (a retry is answered from it).
 *
 * Described only while no reservation is held (then no commit can expire one and the ticker
 * is idle): a reservation held makes every commit and every tick able to expire it, and
 * reserve, confirm, release and the listing of reservations work on the book itself; those
 * events, crashes, restarts and pauses stay dependent on every event at the primary.
 */
export interface DbBefore {
  readonly seq: number;
  readonly held: boolean;
}

export function anyHeld(db: InstantDB): boolean {
  for (const r of db.reservations.values()) if (r.state === 'held') return true;
  return false;
}

export function dbBefore(db: InstantDB): DbBefore {
  return { seq: db.seq, held: anyHeld(db) };
}

/** Tells the log what handling one request did at `node`, when it can be told exactly. */
export function describeDbRequest(log: AccessLog, node: string, db: InstantDB, call: string, body: unknown, before: DbBefore): void {
  if (before.held || typeof body !== 'object' || body === null) return;
  const fields = body as Readonly<Record<string, unknown>>;
  const touch = (mode: 'r' | 'w' | 'i', object: string): void => log.touch(mode, node, object);
  if (typeof fields.requestId === 'string') touch('w', `req:${call}|${fields.requestId}`);
  const req = decodeRequest(call, fields, db.items);
  touch('r', 'book');
  if ('kind' in req) {
    const committed = db.seq > before.seq;
    switch (req.kind) {
      case 'read':
        touch('r', 'seq');
        touch(req.token === undefined ? 'r' : 'w', `item:${req.item}`);
        break;
      case 'write':
      case 'cas':
      case 'fenced-write':
        counterOp(touch, [req.item], committed, db);
        break;
      case 'decrement':
        counterOp(touch, req.lines.map((l) => l.item), committed, db);
        break;
      case 'cas-many':
      case 'fenced-write-many':
        counterOp(touch, req.writes.map((w) => w.item), committed, db);
        break;
      default:
        // reserve, confirm, release, reservations: the book itself.
        return;
    }
  }
  log.describe(node);
}

function counterOp(touch: (mode: 'r' | 'w' | 'i', object: string) => void, items: readonly string[], committed: boolean, db: InstantDB): void {
  for (const it of items) touch(committed ? 'w' : 'r', `item:${it}`);
  if (!committed) return;
  touch('i', 'seq');
  if (db.onCommit !== null) touch('w', 'log');
}

/** The primary's tick: a blind increment of `seq` while nothing is held (nothing to expire, nothing to re-arm). */
export function describeDbTick(log: AccessLog, node: string, before: DbBefore): void {
  if (before.held) return;
  log.touch('i', node, 'seq');
  log.touch('r', node, 'book');
  log.touch('w', node, 'ticker');
  log.describe(node);
}
