/**
 * Statement executors: generators that yield a Wait when a row lock blocks them and return
 * the statement's result. The engine keeps a blocked generator and resumes it when a
 * transaction it waits for ends, so a statement continues exactly where it stopped, with the
 * snapshot it started with (PostgreSQL's behaviour: the statement does not restart).
 */
import type { TableDef } from './catalog.js';
import type { Expr, Scan, Stmt, Target } from './compiled.js';
import { concurrentUpdate, failure, uniqueViolation } from './errors.js';
import { evaluate, qualifies, type EvalEnv } from './eval.js';
import type { ExecCtx, Wait } from './execCtx.js';
import { addVersion, indexKey, visible, type Heap, type Version } from './heap.js';
import { acquireRow } from './rowLocks.js';
import type { Row, SqlFailure, SqlResult } from './types.js';
import { arith, compareVals, EvalError, isNum, num, toColumn, toJs, valKey, type Num, type Val } from './values.js';

type Exec = Generator<Wait, SqlResult, void>;

export function rowKey(def: TableDef, values: readonly Val[]): string {
  return def.pk.map((i) => toJs(values[i])).join(',');
}

function heapOf(ctx: ExecCtx, def: TableDef): Heap {
  return ctx.heaps.get(def.name)!;
}

/**
 * The versions the statement's snapshot sees that satisfy the WHERE, in heap order. A
 * primary-key lookup examines only versions with those keys (an index scan); anything else
 * examines every version (a sequential scan). Serializable transactions take SIRead locks and
 * check each examined version for a conflict out, as PostgreSQL's scans do.
 */
function candidates(ctx: ExecCtx, scan: Scan): Version[] | SqlFailure {
  const def = scan.table;
  const heap = heapOf(ctx, def);
  const ssi = ctx.tx.isolation === 'serializable' && ctx.ssi.isSerializable(ctx.tx.id);
  let examined: readonly Version[] = heap.versions;
  if (scan.keys) {
    // An index scan: only the versions the primary-key index holds for these keys.
    const seen = new Set<string>();
    const hits: Version[] = [];
    for (const k of scan.keys) {
      const vals = k.map((e, j) => toColumn(evaluate(e, { params: ctx.params }), def.columns[def.pk[j]].type));
      if (vals.some((v) => v === null)) continue;
      const ik = indexKey(vals, def.pk.map((_, j) => j));
      if (seen.has(ik)) continue;
      seen.add(ik);
      ctx.access.reads.push({ table: def.name, key: vals.map(toJs).join(',') });
      hits.push(...(heap.indexes[0].get(ik) ?? []));
    }
    examined = hits.sort((a, b) => a.pos - b.pos);
  } else {
    ctx.access.predicates.push({ table: def.name, where: scan.whereText, columns: scan.whereColumns });
    if (ssi) ctx.ssi.lockRelation(ctx.tx.id, def.name);
  }
  const out: Version[] = [];
  const visibleKeys: string[] = [];
  // Versions appended by this statement are past `n` and invisible to it anyway.
  const n = examined.length;
  for (let i = 0; i < n; i++) {
    const v = examined[i];
    const vis = visible(v, ctx.viewer, ctx.txs);
    if (vis && scan.keys) visibleKeys.push(rowKey(def, v.values));
    if (ssi) {
      const f = ctx.ssi.conflictOut(ctx.tx.id, v, vis);
      if (f) return f;
    }
    if (vis && qualifies(scan.where, { row: v.values, params: ctx.params })) out.push(v);
  }
  if (!scan.keys) for (const v of out) ctx.access.reads.push({ table: def.name, key: rowKey(def, v.values) });
  // PostgreSQL's index scan locks the tuples it returns (visible and satisfying the index key).
  else if (ssi) ctx.ssi.lockKeyLookup(ctx.tx.id, def.name, [...new Set(visibleKeys)]);
  return out;
}

function project(targets: readonly Target[], env: EvalEnv): Row {
  const row: Row = {};
  for (const t of targets) row[t.name] = toJs(evaluate(t.e, env));
  return row;
}

function rowsResult(command: 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE', count: number, rows: Row[], fields: readonly Target[]): SqlResult {
  return { ok: true, command, rowCount: count, rows, fields: fields.map((t) => t.name) };
}

function sortVersions(vs: Version[], orderBy: readonly { e: Expr; desc: boolean }[], params: readonly Val[]): Version[] {
  if (orderBy.length === 0) return vs;
  const keyed = vs.map((v, i) => ({ v, i, keys: orderBy.map((o) => evaluate(o.e, { row: v.values, params })) }));
  keyed.sort((a, b) => {
    for (let j = 0; j < orderBy.length; j++) {
      const x = a.keys[j];
      const y = b.keys[j];
      // PostgreSQL sorts NULLs last ascending (first descending).
      const c = x === null && y === null ? 0 : x === null ? 1 : y === null ? -1 : compareVals(x, y);
      if (c !== 0) return orderBy[j].desc ? -c : c;
    }
    return a.i - b.i;
  });
  return keyed.map((k) => k.v);
}

function* select(ctx: ExecCtx, s: Extract<Stmt, { kind: 'select' }>): Exec {
  const found = candidates(ctx, s.scan);
  if (!Array.isArray(found)) return found;
  let limit = Infinity;
  if (s.limit) {
    const l = evaluate(s.limit, { params: ctx.params });
    if (l !== null) limit = Number((toColumn(l, 'int8') as Num).v);
  }
  if (s.aggregates.length > 0) {
    const aggs = s.aggregates.map((a) => aggregate(a, found, ctx.params));
    const rows = limit >= 1 ? [project(s.targets, { params: ctx.params, aggs })] : [];
    return rowsResult('SELECT', rows.length, rows, s.targets);
  }
  const ordered = sortVersions(found, s.orderBy, ctx.params);
  const out: Row[] = [];
  for (const v0 of ordered) {
    if (out.length >= limit) break;
    let v = v0;
    if (s.lock) {
      const got = yield* acquireRow(ctx, v0, s.lock, s.scan.where, true);
      if (got === 'skip') continue;
      if (!('heap' in got)) return got;
      v = got;
      ctx.access.locks.push({ table: s.scan.table.name, key: rowKey(s.scan.table, v.values) });
    }
    out.push(project(s.targets, { row: v.values, params: ctx.params }));
  }
  return rowsResult('SELECT', out.length, out, s.targets);
}

function aggregate(a: Extract<Expr, { k: 'agg' }>, rows: readonly Version[], params: readonly Val[]): Val {
  if (a.fn === 'count' && !a.arg) return num('int8', BigInt(rows.length));
  let acc: Val = null;
  let count = 0n;
  for (const v of rows) {
    const x = evaluate(a.arg!, { row: v.values, params });
    if (x === null) continue;
    count++;
    if (a.fn === 'sum') {
      if (!isNum(x)) throw new EvalError('42883', 'function sum(text) does not exist');
      // sum(int4) is int8, sum(int8) and sum(numeric) are numeric, as in PostgreSQL.
      const widened: Num = x.type === 'int4' ? num('int8', x.v) : num('numeric', x.v, x.scale);
      acc = acc === null ? widened : arith('+', acc as Num, widened);
    } else if (a.fn === 'min' || a.fn === 'max') {
      if (acc === null || (a.fn === 'min' ? compareVals(x, acc) < 0 : compareVals(x, acc) > 0)) acc = x;
    }
  }
  return a.fn === 'count' ? num('int8', count) : acc;
}

function notNull(def: TableDef, values: readonly Val[]): SqlFailure | undefined {
  for (let i = 0; i < def.columns.length; i++) {
    const c = def.columns[i];
    if (values[i] === null && (c.notNull || def.pk.includes(i))) {
      return failure('not_null_violation', '23502', `null value in column "${c.name}" of relation "${def.name}" violates not-null constraint`);
    }
  }
  return undefined;
}

type UniqueOutcome = 'ok' | { readonly skip: true } | SqlFailure;

/**
 * PostgreSQL's _bt_check_unique: a live version with the same key is a violation; one whose
 * inserter or deleter is still in flight makes us wait for it and look again. With ON
 * CONFLICT DO NOTHING a conflict skips the row, unless (REPEATABLE READ and above) the
 * conflicting row is invisible to our snapshot: then 40001, as ExecCheckTupleVisible does.
 */
function* checkUnique(ctx: ExecCtx, def: TableDef, values: readonly Val[], changedKeys: readonly number[], doNothing?: readonly number[]): Generator<Wait, UniqueOutcome, void> {
  const heap = heapOf(ctx, def);
  const me = ctx.tx.id;
  restart: for (;;) {
    for (const k of changedKeys) {
      const u = def.uniques[k];
      if (u.cols.some((i) => values[i] === null)) continue;
      for (const v of heap.indexes[k].get(indexKey(values, u.cols)) ?? []) {
        if (v.xmin !== me) {
          const st = ctx.txs.statusOf(v.xmin);
          if (st === 'aborted') continue;
          if (st === 'active') {
            yield { on: [v.xmin] };
            continue restart;
          }
        }
        if (v.xmax !== 0 && ctx.txs.statusOf(v.xmax) !== 'aborted') {
          if (v.xmax === me) continue;
          if (ctx.txs.statusOf(v.xmax) === 'active') {
            yield { on: [v.xmax] };
            continue restart;
          }
          continue; // deleted or replaced by a committed transaction: dead
        }
        if (doNothing?.includes(k)) {
          if (ctx.tx.isolation !== 'read committed' && v.xmin !== me && !visible(v, ctx.viewer, ctx.txs)) return concurrentUpdate(false);
          return { skip: true };
        }
        // PostgreSQL checks the index page for a conflict in before it reports the duplicate,
        // so that an SSI failure is not masked by the unique violation (_bt_check_unique).
        if (u.primary) {
          const f = ctx.ssi.conflictIn(ctx.tx.id, def.name, { changed: [], indexInsert: true });
          if (f) return f;
        }
        return uniqueViolation(u.name);
      }
    }
    return 'ok';
  }
}

function appendVersion(ctx: ExecCtx, heap: Heap, values: readonly Val[]): Version {
  ctx.tx.wrote = true;
  return addVersion(heap, { values, xmin: ctx.tx.id, cmin: ctx.cid, xmax: 0, cmax: 0, lockers: [] });
}

function* insert(ctx: ExecCtx, s: Extract<Stmt, { kind: 'insert' }>): Exec {
  const def = s.table;
  const heap = heapOf(ctx, def);
  const out: Row[] = [];
  let count = 0;
  const allKeys = def.uniques.map((_, k) => k);
  for (const exprs of s.rows) {
    const values = exprs.map((e, i) => toColumn(evaluate(e, { params: ctx.params }), def.columns[i].type));
    const nn = notNull(def, values);
    if (nn) return nn;
    // Order as in PostgreSQL: ON CONFLICT's pre-check, then the heap insert (a relation-level
    // SSI check), then the index insert (the unique check, then the index-page SSI check).
    if (s.onConflictNothing) {
      const pre = yield* checkUnique(ctx, def, values, allKeys, s.onConflictNothing);
      if (pre !== 'ok') {
        if ('skip' in pre) continue;
        return pre;
      }
    }
    const heapCheck = ctx.ssi.conflictIn(ctx.tx.id, def.name, { changed: [], indexInsert: false });
    if (heapCheck) return heapCheck;
    const u = yield* checkUnique(ctx, def, values, allKeys, s.onConflictNothing);
    if (u !== 'ok') {
      if ('skip' in u) continue;
      return u;
    }
    const key = rowKey(def, values);
    const f = ctx.ssi.conflictIn(ctx.tx.id, def.name, { changed: [], indexInsert: true });
    if (f) return f;
    const v = appendVersion(ctx, heap, values);
    ctx.access.writes.push({ table: def.name, key });
    count++;
    if (s.returning.length > 0) out.push(project(s.returning, { row: v.values, params: ctx.params }));
  }
  return rowsResult('INSERT', count, out, s.returning);
}

function* update(ctx: ExecCtx, s: Extract<Stmt, { kind: 'update' }>): Exec {
  const def = s.scan.table;
  const heap = heapOf(ctx, def);
  const found = candidates(ctx, s.scan);
  if (!Array.isArray(found)) return found;
  const keyCols = new Set(def.uniques.flatMap((u) => u.cols));
  // Changing a key column takes FOR UPDATE; any other update takes FOR NO KEY UPDATE.
  const mode = s.sets.some((x) => keyCols.has(x.i)) ? 'update' : 'no key update';
  const out: Row[] = [];
  let count = 0;
  for (const v0 of found) {
    const got = yield* acquireRow(ctx, v0, mode, s.scan.where, false);
    if (got === 'skip') continue;
    if (!('heap' in got)) return got;
    const old = got;
    const values = [...old.values];
    for (const set of s.sets) values[set.i] = toColumn(evaluate(set.e, { row: old.values, params: ctx.params }), def.columns[set.i].type);
    const nn = notNull(def, values);
    if (nn) return nn;
    const oldKey = rowKey(def, old.values);
    const newKey = rowKey(def, values);
    // heap_update's SSI check (tuple, page, relation) comes before the index inserts.
    const heapCheck = ctx.ssi.conflictIn(ctx.tx.id, def.name, { changed: [oldKey], indexInsert: false });
    if (heapCheck) return heapCheck;
    // heap_update stamps the old version first; the new key's index entries (and their unique
    // check, which may wait) come after, so others already wait for us meanwhile.
    old.xmax = ctx.tx.id;
    old.cmax = ctx.cid;
    ctx.tx.wrote = true;
    const changed = def.uniques.map((u, k) => (u.cols.some((i) => valKey(values[i]) !== valKey(old.values[i])) ? k : -1)).filter((k) => k >= 0);
    if (changed.length > 0) {
      const u = yield* checkUnique(ctx, def, values, changed);
      if (u !== 'ok') return 'skip' in u ? failure('data_exception', 'XX000', 'unexpected ON CONFLICT in UPDATE') : u;
    }
    if (oldKey !== newKey) {
      const f = ctx.ssi.conflictIn(ctx.tx.id, def.name, { changed: [], indexInsert: true });
      if (f) return f;
    }
    const nv = appendVersion(ctx, heap, values);
    old.next = nv;
    ctx.access.writes.push({ table: def.name, key: oldKey });
    if (newKey !== oldKey) ctx.access.writes.push({ table: def.name, key: newKey });
    count++;
    if (s.returning.length > 0) out.push(project(s.returning, { row: nv.values, params: ctx.params }));
  }
  return rowsResult('UPDATE', count, out, s.returning);
}

function* del(ctx: ExecCtx, s: Extract<Stmt, { kind: 'delete' }>): Exec {
  const def = s.scan.table;
  const found = candidates(ctx, s.scan);
  if (!Array.isArray(found)) return found;
  const out: Row[] = [];
  let count = 0;
  for (const v0 of found) {
    const got = yield* acquireRow(ctx, v0, 'update', s.scan.where, false);
    if (got === 'skip') continue;
    if (!('heap' in got)) return got;
    const key = rowKey(def, got.values);
    const f = ctx.ssi.conflictIn(ctx.tx.id, def.name, { changed: [key], indexInsert: false });
    if (f) return f;
    got.xmax = ctx.tx.id;
    got.cmax = ctx.cid;
    ctx.tx.wrote = true;
    ctx.access.writes.push({ table: def.name, key });
    count++;
    if (s.returning.length > 0) out.push(project(s.returning, { row: got.values, params: ctx.params }));
  }
  return rowsResult('DELETE', count, out, s.returning);
}

/** Runs a data statement (SELECT, INSERT, UPDATE, DELETE). */
export function execData(ctx: ExecCtx, s: Stmt): Exec {
  switch (s.kind) {
    case 'select':
      return select(ctx, s);
    case 'insert':
      return insert(ctx, s);
    case 'update':
      return update(ctx, s);
    case 'delete':
      return del(ctx, s);
    default:
      throw new Error(`execData: ${s.kind} is not a data statement`);
  }
}
