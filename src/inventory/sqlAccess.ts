import type { AccessLog } from '../sim/access.js';
import type { StatementShape } from './sql/engine.js';
import type { Access, Isolation, RowRef, SqlResult } from './sql/types.js';

/**
 * The footprint of one event at the SQL server, for the explorer's independence relation
 * (docs/exploration.md, "explore and SQL": the relation written down and argued). Objects:
 *
 * - `row:T:key`: a row, by table and primary key. A key lookup reads it; an UPDATE, DELETE,
 *   INSERT or a row lock (FOR UPDATE, an UPDATE's own) writes it; a COMMIT or ROLLBACK writes
 *   every row its block wrote or locked (it makes them visible, or frees their locks).
 * - `table:T`: a predicate read (a scan that is not a primary-key lookup, SUM/COUNT with a
 *   WHERE) reads it; every write to T, and every COMMIT or ROLLBACK of a block that wrote T,
 *   increments it (`i`: writes of different rows commute with each other, not with a predicate).
 * - `heap:T`: written by every write to T once some statement scanned T (then the heap order
 *   that scan returns rows in depends on the order of the writes; see AccessLog.observe).
 * - `session:S`: the connection's own state (its open block, its settings, its statement count).
 * - `xids`: transaction ids, handed out in order and only ever compared for equality (`i`).
 *
 * Described (fine-grained) only when one statement of one session ran to the end in this
 * event, succeeded, and ran at READ COMMITTED (or is BEGIN, SET or the end of a READ
 * COMMITTED block), with no other statement woken or started. Everything else (a wait for a
 * row lock, a statement a COMMIT woke, a failure and the abort it causes, REPEATABLE READ and
 * SERIALIZABLE: their snapshot and SSI bookkeeping look at every commit, server timers, a
 * disconnect, a crash) stays dependent on every event at the server.
 */
export interface SqlEventRecord {
  readonly session: string;
  readonly text: string;
  /** The isolation the statement ran at (its block's, or the default for autocommit). */
  readonly isolation: Isolation;
  readonly shape: StatementShape;
  /** The rows the session's block had written or locked before this statement (`table:key`). */
  readonly txRows: readonly string[];
  /** Every statement answered in the event. */
  readonly answers: Array<{ readonly session: string; readonly result: SqlResult; readonly access: Access }>;
  /** The statement waited for a row lock. */
  waited: boolean;
  /** Another statement finished or started in the same event (woken by a commit, or queued). */
  woke: boolean;
}

export function sessionObject(session: string): string {
  return `session:${session}`;
}

export function rowName(r: RowRef): string {
  return `${r.table}:${r.key}`;
}

function tableOfRow(row: string): string {
  return row.slice(0, row.indexOf(':'));
}

/** Tells the log what the event did at `node`, when it can be told exactly; otherwise nothing (dependent on everything there). */
export function describeSqlEvent(log: AccessLog, node: string, r: SqlEventRecord): void {
  if (r.waited || r.woke || r.answers.length !== 1) return;
  const a = r.answers[0];
  if (a.session !== r.session || !a.result.ok || r.isolation !== 'read committed' || r.shape.kind === null) return;
  if ((r.shape.kind === 'insert' || r.shape.kind === 'update') && r.shape.extraUniqueKeys) return;
  const touch = (mode: 'r' | 'w' | 'i', object: string): void => log.touch(mode, node, object);
  touch('w', sessionObject(r.session));
  switch (r.shape.kind) {
    case 'set':
    case 'set-isolation':
      break;
    case 'begin':
      touch('i', 'xids');
      break;
    case 'commit':
    case 'rollback':
      for (const row of r.txRows) {
        touch('w', `row:${row}`);
        touch('i', `table:${tableOfRow(row)}`);
      }
      break;
    default: {
      const acc = a.access;
      touch('i', 'xids');
      for (const x of acc.reads) touch('r', `row:${rowName(x)}`);
      for (const p of acc.predicates) touch('r', `table:${p.table}`);
      for (const x of [...acc.writes, ...acc.locks]) touch('w', `row:${rowName(x)}`);
      for (const x of acc.writes) {
        touch('i', `table:${x.table}`);
        if (log.isObserved(`${node}/heap:${x.table}`)) touch('w', `heap:${x.table}`);
      }
    }
  }
  log.describe(node);
}
