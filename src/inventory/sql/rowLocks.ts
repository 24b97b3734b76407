/**
 * Row locks and the waits they cause, as PostgreSQL's heap_lock_tuple / heap_update do them.
 * A statement that meets a row changed or locked (in a conflicting mode) by a transaction
 * still in flight WAITS for that transaction to end; the generator yields the transactions it
 * waits for and the engine resumes it when one of them commits or aborts. After the wait:
 *   - the other aborted: proceed on the same version;
 *   - the other committed an UPDATE/DELETE: at READ COMMITTED follow the update chain to the
 *     newest version and re-check the WHERE against it (EvalPlanQual), skipping a deleted
 *     row; at REPEATABLE READ / SERIALIZABLE fail with 40001 (first updater wins);
 *   - the other only held a lock: proceed.
 */
import type { Expr, LockMode } from './compiled.js';
import { concurrentUpdate } from './errors.js';
import { qualifies } from './eval.js';
import type { Version } from './heap.js';
import type { ExecCtx, Wait } from './execCtx.js';
import type { SqlFailure } from './types.js';

/** PostgreSQL's row-lock conflict table (explicit-locking.html, "Conflicting Row-Level Locks"). */
export function lockConflicts(held: LockMode, wanted: LockMode): boolean {
  if (held === 'update' || wanted === 'update') return true;
  if (held === 'key share' || wanted === 'key share') return false;
  // share vs share is fine; anything with no key update conflicts.
  return held === 'no key update' || wanted === 'no key update';
}

const RANK: Record<LockMode, number> = { 'key share': 0, share: 1, 'no key update': 2, update: 3 };

export type Acquired = Version | 'skip' | SqlFailure;

/**
 * Wait until `mode` can be taken on the row whose version `v0` the statement's snapshot saw.
 * Returns the version to act on (the newest, after EvalPlanQual), 'skip' (the row no longer
 * qualifies or was deleted), or a serialization failure. With `lockOnly`, records the lock.
 */
export function* acquireRow(ctx: ExecCtx, v0: Version, mode: LockMode, where: Expr | undefined, lockOnly: boolean): Generator<Wait, Acquired, void> {
  const me = ctx.tx.id;
  const txs = ctx.txs;
  let v = v0;
  let followed = false;
  for (;;) {
    if (v.xmax !== 0 && v.xmax !== me) {
      const st = txs.statusOf(v.xmax);
      if (st === 'active') {
        yield { on: [v.xmax] };
        continue;
      }
      if (st === 'committed') {
        if (ctx.tx.isolation !== 'read committed') return concurrentUpdate(v.next === undefined);
        if (!v.next) return 'skip';
        v = v.next;
        followed = true;
        continue;
      }
    }
    // Changed by this very statement (PostgreSQL's TM_SelfModified): leave it alone.
    if (v.xmax === me && v.cmax === ctx.cid) return 'skip';
    const blockers: number[] = [];
    for (const l of v.lockers) {
      if (l.tx !== me && txs.statusOf(l.tx) === 'active' && lockConflicts(l.mode, mode) && !blockers.includes(l.tx)) blockers.push(l.tx);
    }
    if (blockers.length > 0) {
      yield { on: blockers };
      continue;
    }
    v.lockers = v.lockers.filter((l) => txs.statusOf(l.tx) === 'active');
    // EvalPlanQual locks the newest version before it re-checks the WHERE, and keeps the
    // lock when the row no longer qualifies (PostgreSQL's ExecUpdate / ExecLockRows).
    if (lockOnly || followed) {
      const mine = v.lockers.find((l) => l.tx === me);
      if (!mine) v.lockers.push({ tx: me, mode });
      else if (RANK[mode] > RANK[mine.mode]) mine.mode = mode;
    }
    if (followed && !qualifies(where, { row: v.values, params: ctx.params })) return 'skip';
    return v;
  }
}
