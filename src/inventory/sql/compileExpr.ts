/**
 * Expressions: PostgreSQL's parse tree -> the compiled form. Anything outside the subset is
 * a `Refusal` naming the construct; parameter types are inferred from their context, as
 * PostgreSQL infers them (`stock >= $1` makes $1 an int4), because `pg` sends parameters as
 * text and the server decides what they are.
 */
import type { TableDef } from './catalog.js';
import type { AggFn, CmpOp, Expr } from './compiled.js';
import type { PgNode } from './parse.js';
import { intLiteral, parseDecimal, type ArithOp, type ColumnType, type Val } from './values.js';

/** Thrown inside the compiler only; compileStatement turns it into an error value. */
export class Refusal {
  constructor(
    readonly sqlstate: string,
    readonly message: string,
  ) {}
}

export const refuse = (construct: string): never => {
  throw new Refusal('0A000', `${construct} is not in oversold's SQL subset`);
};

export interface ExprScope {
  readonly table?: TableDef;
  /** Names a column may be qualified with: the table name and its alias. */
  readonly qualifiers: readonly string[];
  readonly paramTypes: (ColumnType | undefined)[];
  /** Where aggregates may appear (a SELECT's target list); undefined elsewhere. */
  readonly aggregates?: Extract<Expr, { k: 'agg' }>[];
  /** Set while compiling an aggregate's argument (no nesting). */
  readonly inAggregate?: boolean;
}

const CMP: Record<string, CmpOp> = { '=': '=', '<>': '<>', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };
const ARITH: Record<string, ArithOp> = { '+': '+', '-': '-', '*': '*', '/': '/', '%': '%' };

const TYPE_NAMES: Record<string, ColumnType> = {
  int4: 'int4', int: 'int4', integer: 'int4', int8: 'int8', bigint: 'int8', numeric: 'numeric', decimal: 'numeric',
  text: 'text', varchar: 'text', bool: 'bool', boolean: 'bool',
};

export function typeName(node: PgNode): ColumnType {
  const names: string[] = (node.names ?? []).map((n: PgNode) => n.String?.sval);
  const last = names[names.length - 1];
  const t = TYPE_NAMES[last];
  if (!t || node.arrayBounds) return refuse(`the type ${names.filter((n) => n !== 'pg_catalog').join('.')}${node.arrayBounds ? '[]' : ''}`);
  return t;
}

export function constValue(c: PgNode): Val {
  if (c.isnull) return null;
  if (c.ival !== undefined) return intLiteral(BigInt(c.ival.ival ?? 0));
  if (c.fval !== undefined) {
    const text: string = c.fval.fval;
    if (/^[0-9]+$/.test(text)) return intLiteral(BigInt(text));
    return parseDecimal(text) ?? refuse(`the number ${text}`);
  }
  if (c.sval !== undefined) return c.sval.sval ?? '';
  if (c.boolval !== undefined) return c.boolval.boolval === true;
  return refuse('this constant');
}

/** The type an expression has, where the compiler can tell (for parameter inference). */
export function exprType(e: Expr, scope: ExprScope): ColumnType | undefined {
  switch (e.k) {
    case 'const':
      if (e.v === null) return undefined;
      return typeof e.v === 'string' ? undefined : typeof e.v === 'boolean' ? 'bool' : e.v.type;
    case 'param':
      return scope.paramTypes[e.n - 1];
    case 'col':
      return scope.table!.columns[e.i].type;
    case 'arith': {
      const a = exprType(e.a, scope);
      const b = exprType(e.b, scope);
      if (a === 'numeric' || b === 'numeric') return 'numeric';
      if (a === 'int8' || b === 'int8') return 'int8';
      return a ?? b;
    }
    case 'neg':
      return exprType(e.a, scope);
    case 'cast':
      return e.type;
    case 'coalesce':
      return e.type ?? commonType(e.args.map((x) => exprType(x, scope)));
    case 'agg':
      return e.fn === 'count' ? 'int8' : e.fn === 'sum' ? (exprType(e.arg!, scope) === 'int4' ? 'int8' : 'numeric') : e.arg ? exprType(e.arg, scope) : undefined;
    default:
      return 'bool';
  }
}

/** PostgreSQL's select_common_type for this subset: numbers widen (int4 < int8 < numeric); otherwise the first known type. */
function commonType(types: readonly (ColumnType | undefined)[]): ColumnType | undefined {
  const known = types.filter((t): t is ColumnType => t !== undefined);
  const rank = (t: ColumnType) => ['int4', 'int8', 'numeric'].indexOf(t);
  if (known.length > 0 && known.every((t) => rank(t) >= 0)) return known.reduce((a, b) => (rank(b) > rank(a) ? b : a));
  return known[0];
}

/** Gives every untyped parameter among `es` the type of its typed siblings. */
function unify(es: readonly Expr[], scope: ExprScope, fallback?: ColumnType): void {
  let t: ColumnType | undefined;
  for (const e of es) t ??= exprType(e, scope);
  t ??= fallback;
  if (!t) return;
  for (const e of es) assignParam(e, t, scope);
}

export function assignParam(e: Expr, t: ColumnType, scope: ExprScope): void {
  if (e.k === 'param' && scope.paramTypes[e.n - 1] === undefined) scope.paramTypes[e.n - 1] = t;
}

function column(fields: PgNode[], scope: ExprScope): Expr {
  const names = fields.map((f) => (f.A_Star ? '*' : f.String?.sval));
  if (names.includes('*')) return refuse('* outside a SELECT list');
  if (!scope.table) return refuse('a column outside a table');
  let name: string;
  if (names.length === 1) name = names[0];
  else if (names.length === 2) {
    if (!scope.qualifiers.includes(names[0])) throw new Refusal('42P01', `missing FROM-clause entry for table "${names[0]}"`);
    name = names[1];
  } else return refuse(`the column reference ${names.join('.')}`);
  const i = scope.table.colIndex.get(name);
  if (i === undefined) throw new Refusal('42703', `column "${name}" does not exist`);
  return { k: 'col', i, name };
}

function aggregate(f: PgNode, fn: AggFn, scope: ExprScope): Expr {
  if (!scope.aggregates) throw new Refusal('42803', `aggregate functions are not allowed in ${scope.inAggregate ? 'an aggregate' : 'this place'}`);
  if (scope.inAggregate) throw new Refusal('42803', 'aggregate function calls cannot be nested');
  if (f.agg_distinct) refuse(`${fn.toUpperCase()}(DISTINCT ...)`);
  if (f.agg_filter) refuse('FILTER on an aggregate');
  if (f.agg_order) refuse('ORDER BY inside an aggregate');
  const args: PgNode[] = f.args ?? [];
  let arg: Expr | undefined;
  if (f.agg_star) {
    if (fn !== 'count') throw new Refusal('42809', `${fn}(*) must be used with count`);
  } else {
    if (args.length !== 1) return refuse(`${fn} with ${args.length} arguments`);
    arg = compileExpr(args[0], { ...scope, inAggregate: true, aggregates: undefined });
  }
  const agg = { k: 'agg' as const, fn, arg, slot: scope.aggregates.length };
  scope.aggregates.push(agg);
  return agg;
}

export function compileExpr(node: PgNode, scope: ExprScope): Expr {
  const [type] = Object.keys(node);
  const n = node[type];
  switch (type) {
    case 'A_Const':
      return { k: 'const', v: constValue(n) };
    case 'ParamRef':
      if (n.number < 1) refuse('a parameter numbered below 1');
      while (scope.paramTypes.length < n.number) scope.paramTypes.push(undefined);
      return { k: 'param', n: n.number };
    case 'ColumnRef':
      return column(n.fields, scope);
    case 'TypeCast': {
      const a = compileExpr(n.arg, scope);
      const t = typeName(n.typeName);
      assignParam(a, t, scope);
      return { k: 'cast', a, type: t };
    }
    case 'BoolExpr': {
      const args = (n.args as PgNode[]).map((x) => compileExpr(x, scope));
      for (const a of args) assignParam(a, 'bool', scope);
      if (n.boolop === 'AND_EXPR') return { k: 'and', args };
      if (n.boolop === 'OR_EXPR') return { k: 'or', args };
      return { k: 'not', a: args[0] };
    }
    case 'NullTest':
      return { k: 'isnull', a: compileExpr(n.arg, scope), negated: n.nulltesttype === 'IS_NOT_NULL' };
    case 'CoalesceExpr': {
      const args = (n.args as PgNode[]).map((x) => compileExpr(x, scope));
      unify(args, scope);
      return { k: 'coalesce', args, type: commonType(args.map((x) => exprType(x, scope))) };
    }
    case 'FuncCall': {
      const name: string = n.funcname.map((f: PgNode) => f.String?.sval).filter((s: string) => s !== 'pg_catalog').join('.');
      if (n.over) refuse('a window function');
      if (name === 'sum' || name === 'count' || name === 'min' || name === 'max') return aggregate(n, name, scope);
      if (name === 'coalesce') return compileExpr({ CoalesceExpr: { args: n.args } }, scope);
      return refuse(`the function ${name}()`);
    }
    case 'A_Expr':
      return operator(n, scope);
    case 'SubLink':
      return refuse('a subquery');
    case 'CaseExpr':
      return refuse('CASE');
    default:
      return refuse(`the expression ${type}`);
  }
}

function operator(n: PgNode, scope: ExprScope): Expr {
  const op: string = n.name?.[n.name.length - 1]?.String?.sval ?? '';
  switch (n.kind) {
    case 'AEXPR_OP': {
      if (!n.lexpr) {
        if (op === '-') {
          const a = compileExpr(n.rexpr, scope);
          if (a.k === 'const' && a.v !== null && typeof a.v === 'object') return { k: 'const', v: { ...a.v, v: -a.v.v } };
          return { k: 'neg', a };
        }
        if (op === '+') return compileExpr(n.rexpr, scope);
        return refuse(`the prefix operator ${op}`);
      }
      const a = compileExpr(n.lexpr, scope);
      const b = compileExpr(n.rexpr, scope);
      if (CMP[op]) {
        unify([a, b], scope);
        return { k: 'cmp', op: CMP[op], a, b };
      }
      if (ARITH[op]) {
        unify([a, b], scope, 'int4');
        return { k: 'arith', op: ARITH[op], a, b };
      }
      return refuse(`the operator ${op}`);
    }
    case 'AEXPR_IN': {
      const a = compileExpr(n.lexpr, scope);
      const items: PgNode[] = n.rexpr.List?.items ?? [];
      const list = items.map((x) => compileExpr(x, scope));
      unify([a, ...list], scope);
      return { k: 'in', a, list, negated: op === '<>' };
    }
    case 'AEXPR_BETWEEN':
    case 'AEXPR_NOT_BETWEEN': {
      const a = compileExpr(n.lexpr, scope);
      const [lo, hi] = (n.rexpr.List.items as PgNode[]).map((x) => compileExpr(x, scope));
      unify([a, lo, hi], scope);
      return { k: 'between', a, lo, hi, negated: n.kind === 'AEXPR_NOT_BETWEEN' };
    }
    case 'AEXPR_OP_ANY':
      return refuse('= ANY(...)');
    case 'AEXPR_LIKE':
    case 'AEXPR_ILIKE':
      return refuse('LIKE');
    default:
      return refuse(`the operator ${String(n.kind).replace(/^AEXPR_/, '')}`);
  }
}

/** The expression as SQL text (for access reports and messages). */
export function showExpr(e: Expr): string {
  switch (e.k) {
    case 'const':
      return e.v === null ? 'NULL' : typeof e.v === 'string' ? `'${e.v.replace(/'/g, "''")}'` : typeof e.v === 'boolean' ? String(e.v) : showNum(e.v);
    case 'param':
      return `$${e.n}`;
    case 'col':
      return e.name;
    case 'cmp':
    case 'arith':
      return `${wrap(e.a)} ${e.op} ${wrap(e.b)}`;
    case 'neg':
      return `-${wrap(e.a)}`;
    case 'and':
    case 'or':
      return e.args.map(wrap).join(` ${e.k.toUpperCase()} `);
    case 'not':
      return `NOT ${wrap(e.a)}`;
    case 'in':
      return `${wrap(e.a)}${e.negated ? ' NOT' : ''} IN (${e.list.map(showExpr).join(', ')})`;
    case 'between':
      return `${wrap(e.a)}${e.negated ? ' NOT' : ''} BETWEEN ${wrap(e.lo)} AND ${wrap(e.hi)}`;
    case 'isnull':
      return `${wrap(e.a)} IS ${e.negated ? 'NOT ' : ''}NULL`;
    case 'cast':
      return `${wrap(e.a)}::${e.type}`;
    case 'coalesce':
      return `COALESCE(${e.args.map(showExpr).join(', ')})`;
    case 'agg':
      return `${e.fn}(${e.arg ? showExpr(e.arg) : '*'})`;
  }
}

function showNum(v: { v: bigint; scale: number }): string {
  if (v.scale === 0) return v.v.toString();
  const s = (v.v < 0n ? -v.v : v.v).toString().padStart(v.scale + 1, '0');
  return `${v.v < 0n ? '-' : ''}${s.slice(0, -v.scale)}.${s.slice(-v.scale)}`;
}

function wrap(e: Expr): string {
  const s = showExpr(e);
  return e.k === 'and' || e.k === 'or' || e.k === 'cmp' || e.k === 'arith' || e.k === 'in' || e.k === 'between' ? `(${s})` : s;
}

/** Columns an expression reads. */
export function exprColumns(e: Expr | undefined, out: Set<string> = new Set()): Set<string> {
  if (!e) return out;
  switch (e.k) {
    case 'col':
      out.add(e.name);
      break;
    case 'cmp':
    case 'arith':
      exprColumns(e.a, out);
      exprColumns(e.b, out);
      break;
    case 'neg':
    case 'not':
    case 'isnull':
    case 'cast':
      exprColumns(e.a, out);
      break;
    case 'and':
    case 'or':
    case 'coalesce':
      for (const a of e.args) exprColumns(a, out);
      break;
    case 'in':
      exprColumns(e.a, out);
      for (const a of e.list) exprColumns(a, out);
      break;
    case 'between':
      exprColumns(e.a, out);
      exprColumns(e.lo, out);
      exprColumns(e.hi, out);
      break;
    case 'agg':
      exprColumns(e.arg, out);
      break;
  }
  return out;
}
