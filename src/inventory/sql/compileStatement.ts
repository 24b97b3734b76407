/**
 * Statements: PostgreSQL's parse tree -> the compiled form, validating the documented
 * subset. Every refusal is one line naming the construct ("JOIN is not in oversold's SQL
 * subset"); SQLSTATE 0A000 (feature_not_supported), or PostgreSQL's own code where the
 * statement is wrong in PostgreSQL too (an unknown column is 42703 there and here).
 */
import type { TableDef } from './catalog.js';
import type { Compiled, Expr, KeyLookup, LockMode, Scan, Stmt, Target } from './compiled.js';
import { assignParam, compileExpr, exprColumns, Refusal, refuse, showExpr, type ExprScope } from './compileExpr.js';
import { failure } from './errors.js';
import { parseStatements, type PgNode } from './parse.js';
import type { Isolation, SqlFailure } from './types.js';
import { fromJs, type ColumnType } from './values.js';

export type Tables = ReadonlyMap<string, TableDef>;

export function compile(text: string, tables: Tables): Compiled | SqlFailure {
  const parsed = parseStatements(text);
  if (!Array.isArray(parsed)) return parsed;
  if (parsed.length === 0) return failure('syntax', '42601', 'an empty query is not in oversold\'s SQL subset');
  if (parsed.length > 1) return failure('unsupported', '0A000', "several statements in one query are not in oversold's SQL subset (send one at a time)");
  const paramTypes: (ColumnType | undefined)[] = [];
  try {
    const stmt = statement(parsed[0], tables, paramTypes);
    return { stmt, paramTypes: paramTypes.map((t) => t ?? 'text') };
  } catch (e) {
    if (e instanceof Refusal) {
      const kind = e.sqlstate === '42703' ? 'undefined_column' : e.sqlstate === '42P01' ? 'undefined_table' : e.sqlstate === '0A000' ? 'unsupported' : 'syntax';
      return failure(kind, e.sqlstate, e.message);
    }
    throw e;
  }
}

function statement(node: PgNode, tables: Tables, paramTypes: (ColumnType | undefined)[]): Stmt {
  const [type] = Object.keys(node);
  const n = node[type];
  switch (type) {
    case 'TransactionStmt':
      return transaction(n);
    case 'VariableSetStmt':
      return variableSet(n);
    case 'SelectStmt':
      return select(n, tables, paramTypes);
    case 'UpdateStmt':
      return update(n, tables, paramTypes);
    case 'DeleteStmt':
      return del(n, tables, paramTypes);
    case 'InsertStmt':
      return insert(n, tables, paramTypes);
    default:
      return refuse(STATEMENT_NAMES[type] ?? `the statement ${type.replace(/Stmt$/, '').toUpperCase()}`);
  }
}

const STATEMENT_NAMES: Record<string, string> = {
  CreateStmt: 'CREATE TABLE (tables are declared in the scenario)',
  LockStmt: 'LOCK TABLE',
  VariableShowStmt: 'SHOW',
  TruncateStmt: 'TRUNCATE',
  MergeStmt: 'MERGE',
  ExplainStmt: 'EXPLAIN',
  CopyStmt: 'COPY',
};

function isolationOf(options: PgNode[] | undefined): Isolation | undefined {
  let iso: Isolation | undefined;
  for (const o of options ?? []) {
    const d = o.DefElem;
    if (d.defname === 'transaction_isolation') {
      const level: string = d.arg.A_Const.sval.sval;
      // PostgreSQL runs READ UNCOMMITTED as READ COMMITTED.
      iso = level === 'read uncommitted' ? 'read committed' : (level as Isolation);
    } else if (d.defname === 'transaction_read_only') refuse('READ ONLY / READ WRITE');
    else if (d.defname === 'transaction_deferrable') refuse('DEFERRABLE');
    else refuse(`the transaction option ${d.defname}`);
  }
  return iso;
}

function transaction(n: PgNode): Stmt {
  switch (n.kind) {
    case 'TRANS_STMT_BEGIN':
    case 'TRANS_STMT_START':
      return { kind: 'begin', isolation: isolationOf(n.options) };
    case 'TRANS_STMT_COMMIT':
      if (n.chain) refuse('COMMIT AND CHAIN');
      return { kind: 'commit' };
    case 'TRANS_STMT_ROLLBACK':
      if (n.chain) refuse('ROLLBACK AND CHAIN');
      return { kind: 'rollback' };
    case 'TRANS_STMT_SAVEPOINT':
    case 'TRANS_STMT_RELEASE':
    case 'TRANS_STMT_ROLLBACK_TO':
      return refuse('SAVEPOINT');
    default:
      return refuse('two-phase commit');
  }
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };

function durationMs(arg: PgNode, name: string): number {
  const c = arg.A_Const;
  if (c?.ival !== undefined) return c.ival.ival ?? 0;
  const text: string | undefined = c?.sval?.sval;
  const m = text === undefined ? null : /^\s*(\d+)\s*(us|ms|s|min|h|d)?\s*$/.exec(text);
  if (!m) throw new Refusal('22023', `invalid value for parameter "${name}": ${text === undefined ? '?' : `"${text}"`}`);
  return Math.floor(Number(m[1]) * UNIT_MS[m[2] ?? 'ms']);
}

function variableSet(n: PgNode): Stmt {
  if (n.kind === 'VAR_SET_MULTI' && n.name === 'TRANSACTION') {
    const iso = isolationOf(n.args);
    if (!iso) refuse('SET TRANSACTION without ISOLATION LEVEL');
    return { kind: 'set-isolation', isolation: iso! };
  }
  const name: string = n.name;
  if (name !== 'lock_timeout' && name !== 'statement_timeout') return refuse(`SET ${name ?? n.kind}`);
  if (n.kind === 'VAR_SET_DEFAULT' || n.kind === 'VAR_RESET') return { kind: 'set', name, ms: null, local: n.is_local === true };
  if (n.kind !== 'VAR_SET_VALUE' || (n.args ?? []).length !== 1) return refuse(`this form of SET ${name}`);
  return { kind: 'set', name, ms: durationMs(n.args[0], name), local: n.is_local === true };
}

function relation(rv: PgNode, tables: Tables): { table: TableDef; qualifiers: string[] } {
  if (!rv.RangeVar) {
    if (rv.JoinExpr) refuse('JOIN');
    if (rv.RangeSubselect) refuse('a subquery in FROM');
    if (rv.RangeFunction) refuse('a function in FROM');
    refuse('this FROM item');
  }
  const r = rv.RangeVar;
  if (r.schemaname && r.schemaname !== 'public') refuse(`the schema ${r.schemaname}`);
  if (r.inh === false) refuse('ONLY');
  const table = tables.get(r.relname);
  if (!table) throw new Refusal('42P01', `relation "${r.relname}" does not exist`);
  const qualifiers = r.alias ? [r.alias.aliasname] : [r.relname];
  return { table, qualifiers };
}

function targetName(e: Expr): string {
  if (e.k === 'col') return e.name;
  if (e.k === 'agg') return e.fn;
  if (e.k === 'coalesce') return 'coalesce';
  if (e.k === 'cast') return e.a.k === 'col' || e.a.k === 'agg' ? targetName(e.a) : e.type === 'int4' ? 'int4' : e.type;
  return '?column?';
}

function targets(list: PgNode[] | undefined, scope: ExprScope): Target[] {
  const out: Target[] = [];
  for (const t of list ?? []) {
    const r = t.ResTarget;
    const fields: PgNode[] | undefined = r.val?.ColumnRef?.fields;
    if (fields && fields[fields.length - 1].A_Star) {
      if (fields.length > 1) {
        const q = fields[0].String?.sval;
        if (!scope.qualifiers.includes(q)) throw new Refusal('42P01', `missing FROM-clause entry for table "${q}"`);
      }
      scope.table!.columns.forEach((c, i) => out.push({ name: c.name, e: { k: 'col', i, name: c.name } }));
      continue;
    }
    const e = compileExpr(r.val, scope);
    out.push({ name: r.name ?? targetName(e), e });
  }
  return out;
}

/** Primary-key equalities in a conjunctive WHERE: `pk = x` (or `pk IN (...)` for a one-column key). */
function keyLookup(where: Expr | undefined, table: TableDef): KeyLookup | undefined {
  if (!where) return undefined;
  const conj = where.k === 'and' ? where.args : [where];
  const single = (e: Expr) => e.k === 'const' || e.k === 'param';
  const eq = new Map<number, Expr[]>();
  for (const c of conj) {
    if (c.k === 'cmp' && c.op === '=') {
      if (c.a.k === 'col' && single(c.b)) eq.set(c.a.i, [c.b]);
      else if (c.b.k === 'col' && single(c.a)) eq.set(c.b.i, [c.a]);
    } else if (c.k === 'in' && !c.negated && c.a.k === 'col' && c.list.every(single)) {
      eq.set(c.a.i, [...c.list]);
    }
  }
  if (!table.pk.every((i) => eq.has(i))) return undefined;
  if (table.pk.length === 1) return eq.get(table.pk[0])!.map((x) => [x]);
  if (!table.pk.every((i) => eq.get(i)!.length === 1)) return undefined;
  return [table.pk.map((i) => eq.get(i)![0])];
}

function scan(rel: { table: TableDef; qualifiers: string[] }, whereNode: PgNode | undefined, scope: ExprScope): Scan {
  const where = whereNode ? compileExpr(whereNode, scope) : undefined;
  if (where) assignParam(where, 'bool', scope);
  return {
    table: rel.table,
    where,
    keys: keyLookup(where, rel.table),
    whereText: where ? showExpr(where) : 'true',
    whereColumns: [...exprColumns(where)],
  };
}

const LOCKS: Record<string, LockMode> = {
  LCS_FORKEYSHARE: 'key share',
  LCS_FORSHARE: 'share',
  LCS_FORNOKEYUPDATE: 'no key update',
  LCS_FORUPDATE: 'update',
};

function select(n: PgNode, tables: Tables, paramTypes: (ColumnType | undefined)[]): Stmt {
  if (n.op && n.op !== 'SETOP_NONE') refuse(n.op.replace('SETOP_', ''));
  if (n.withClause) refuse('WITH');
  if (n.valuesLists) refuse('a VALUES list as a query');
  if (n.intoClause) refuse('SELECT INTO');
  if (n.distinctClause) refuse('DISTINCT');
  if (n.groupClause) refuse('GROUP BY');
  if (n.havingClause) refuse('HAVING');
  if (n.windowClause) refuse('WINDOW');
  if (n.limitOffset) refuse('OFFSET');
  const from: PgNode[] = n.fromClause ?? [];
  if (from.length === 0) refuse('SELECT without FROM');
  if (from.length > 1) refuse('a SELECT over several tables');
  const rel = relation(from[0], tables);
  const aggregates: Extract<Expr, { k: 'agg' }>[] = [];
  const scope: ExprScope = { table: rel.table, qualifiers: rel.qualifiers, paramTypes };
  const s = scan(rel, n.whereClause, scope);
  const list = targets(n.targetList, { ...scope, aggregates });
  let lock: LockMode | undefined;
  for (const l of n.lockingClause ?? []) {
    const c = l.LockingClause;
    if (c.waitPolicy === 'LockWaitSkip') refuse('SKIP LOCKED');
    if (c.waitPolicy === 'LockWaitError') refuse('NOWAIT');
    for (const r of c.lockedRels ?? []) {
      if (!rel.qualifiers.includes(r.RangeVar?.relname)) throw new Refusal('42P01', `relation "${r.RangeVar?.relname}" in FOR UPDATE clause not found in FROM clause`);
    }
    const m = LOCKS[c.strength];
    if (!lock || rank(m) > rank(lock)) lock = m;
  }
  if (lock && aggregates.length > 0) throw new Refusal('0A000', `FOR ${lock.toUpperCase()} is not allowed with aggregate functions`);
  const orderBy = (n.sortClause ?? []).map((sb: PgNode) => {
    const b = sb.SortBy;
    if (b.useOp) refuse('ORDER BY ... USING');
    if (b.sortby_nulls && b.sortby_nulls !== 'SORTBY_NULLS_DEFAULT') refuse('NULLS FIRST / NULLS LAST');
    return { e: compileExpr(b.node, scope), desc: b.sortby_dir === 'SORTBY_DESC' };
  });
  if (aggregates.length > 0 && orderBy.length > 0) refuse('ORDER BY with aggregates');
  let limit: Expr | undefined;
  if (n.limitCount) {
    if (n.limitOption === 'LIMIT_OPTION_WITH_TIES') refuse('FETCH ... WITH TIES');
    limit = compileExpr(n.limitCount, scope);
    assignParam(limit, 'int8', scope);
  }
  if (aggregates.length > 0) {
    for (const t of list) if (usesColumnOutsideAggregate(t.e)) throw new Refusal('42803', `column "${firstColumn(t.e)}" must appear in the GROUP BY clause or be used in an aggregate function`);
  }
  return { kind: 'select', scan: s, targets: list, aggregates, lock, orderBy, limit };
}

function rank(m: LockMode): number {
  return ['key share', 'share', 'no key update', 'update'].indexOf(m);
}

function usesColumnOutsideAggregate(e: Expr): boolean {
  if (e.k === 'agg') return false;
  if (e.k === 'col') return true;
  return childExprs(e).some(usesColumnOutsideAggregate);
}

function firstColumn(e: Expr): string {
  if (e.k === 'col') return e.name;
  for (const c of childExprs(e)) {
    const f = firstColumn(c);
    if (f) return f;
  }
  return '';
}

function childExprs(e: Expr): Expr[] {
  switch (e.k) {
    case 'cmp':
    case 'arith':
      return [e.a, e.b];
    case 'neg':
    case 'not':
    case 'isnull':
    case 'cast':
      return [e.a];
    case 'and':
    case 'or':
    case 'coalesce':
      return [...e.args];
    case 'in':
      return [e.a, ...e.list];
    case 'between':
      return [e.a, e.lo, e.hi];
    default:
      return [];
  }
}

function returning(n: PgNode, scope: ExprScope): Target[] {
  const list = n.returningClause?.exprs ?? n.returningList;
  if (n.returningClause?.options?.length) refuse('RETURNING WITH (OLD/NEW)');
  return targets(list, scope);
}

function update(n: PgNode, tables: Tables, paramTypes: (ColumnType | undefined)[]): Stmt {
  if (n.withClause) refuse('WITH');
  if (n.fromClause?.length) refuse('UPDATE ... FROM');
  const rel = relation({ RangeVar: n.relation }, tables);
  const scope: ExprScope = { table: rel.table, qualifiers: rel.qualifiers, paramTypes };
  const sets = (n.targetList as PgNode[]).map((t) => {
    const r = t.ResTarget;
    if (r.indirection) refuse('assignment to part of a column');
    if (r.val?.MultiAssignRef) refuse('SET (a, b) = (...)');
    const i = rel.table.colIndex.get(r.name);
    if (i === undefined) throw new Refusal('42703', `column "${r.name}" of relation "${rel.table.name}" does not exist`);
    const e: Expr = r.val?.SetToDefault ? defaultExpr(rel.table, i) : compileExpr(r.val, scope);
    assignParam(e, rel.table.columns[i].type, scope);
    return { i, e };
  });
  const s = scan(rel, n.whereClause, scope);
  if (n.whereClause?.CurrentOfExpr) refuse('WHERE CURRENT OF');
  return { kind: 'update', scan: s, sets, returning: returning(n, scope) };
}

function del(n: PgNode, tables: Tables, paramTypes: (ColumnType | undefined)[]): Stmt {
  if (n.withClause) refuse('WITH');
  if (n.usingClause?.length) refuse('DELETE ... USING');
  const rel = relation({ RangeVar: n.relation }, tables);
  const scope: ExprScope = { table: rel.table, qualifiers: rel.qualifiers, paramTypes };
  return { kind: 'delete', scan: scan(rel, n.whereClause, scope), returning: returning(n, scope) };
}

function defaultExpr(table: TableDef, i: number): Expr {
  const d = table.columns[i].default;
  return { k: 'const', v: d === undefined ? null : fromJs(d) };
}

function insert(n: PgNode, tables: Tables, paramTypes: (ColumnType | undefined)[]): Stmt {
  if (n.withClause) refuse('WITH');
  const rel = relation({ RangeVar: n.relation }, tables);
  const table = rel.table;
  const scope: ExprScope = { table: undefined, qualifiers: [], paramTypes };
  const sel = n.selectStmt?.SelectStmt;
  if (!sel) return refuse('INSERT ... DEFAULT VALUES');
  if (!sel.valuesLists) refuse('INSERT ... SELECT');
  const cols: number[] = n.cols
    ? (n.cols as PgNode[]).map((c) => {
        const i = table.colIndex.get(c.ResTarget.name);
        if (i === undefined) throw new Refusal('42703', `column "${c.ResTarget.name}" of relation "${table.name}" does not exist`);
        if (c.ResTarget.indirection) refuse('assignment to part of a column');
        return i;
      })
    : table.columns.map((_, i) => i);
  const rows = (sel.valuesLists as PgNode[]).map((l) => {
    const items: PgNode[] = l.List.items;
    if (items.length > cols.length) throw new Refusal('42601', 'INSERT has more expressions than target columns');
    if (n.cols && items.length < cols.length) throw new Refusal('42601', 'INSERT has more target columns than expressions');
    const row: Expr[] = table.columns.map((_, i) => defaultExpr(table, i));
    items.forEach((it, j) => {
      const i = cols[j];
      const e = it.SetToDefault ? defaultExpr(table, i) : compileExpr(it, scope);
      assignParam(e, table.columns[i].type, scope);
      row[i] = e;
    });
    return row;
  });
  let onConflictNothing: number[] | undefined;
  const oc = n.onConflictClause;
  if (oc) {
    if (oc.action !== 'ONCONFLICT_NOTHING') refuse('ON CONFLICT DO UPDATE');
    if (oc.infer?.conname) refuse('ON CONFLICT ON CONSTRAINT');
    if (oc.infer?.whereClause) refuse('ON CONFLICT ... WHERE');
    const elems: PgNode[] = oc.infer?.indexElems ?? [];
    if (elems.length === 0) onConflictNothing = table.uniques.map((_, k) => k);
    else {
      const want = elems.map((e) => table.colIndex.get(e.IndexElem?.name)).sort();
      const k = table.uniques.findIndex((u) => [...u.cols].sort().join() === want.join());
      if (k < 0) throw new Refusal('42P10', 'there is no unique or exclusion constraint matching the ON CONFLICT specification');
      onConflictNothing = [k];
    }
  }
  return { kind: 'insert', table, rows, onConflictNothing, returning: returning(n, { table, qualifiers: rel.qualifiers, paramTypes }) };
}
