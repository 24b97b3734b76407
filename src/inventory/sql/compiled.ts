/** The compiled statement form: what the executor runs, bound to the engine's tables. */
import type { TableDef } from './catalog.js';
import type { Isolation } from './types.js';
import type { ArithOp, ColumnType, Val } from './values.js';

export type CmpOp = '=' | '<>' | '<' | '<=' | '>' | '>=';
export type AggFn = 'sum' | 'count' | 'min' | 'max';

export type Expr =
  | { readonly k: 'const'; readonly v: Val }
  | { readonly k: 'param'; readonly n: number }
  | { readonly k: 'col'; readonly i: number; readonly name: string }
  | { readonly k: 'cmp'; readonly op: CmpOp; readonly a: Expr; readonly b: Expr }
  | { readonly k: 'arith'; readonly op: ArithOp; readonly a: Expr; readonly b: Expr }
  | { readonly k: 'neg'; readonly a: Expr }
  | { readonly k: 'and' | 'or'; readonly args: readonly Expr[] }
  | { readonly k: 'not'; readonly a: Expr }
  | { readonly k: 'in'; readonly a: Expr; readonly list: readonly Expr[]; readonly negated: boolean }
  | { readonly k: 'between'; readonly a: Expr; readonly lo: Expr; readonly hi: Expr; readonly negated: boolean }
  | { readonly k: 'isnull'; readonly a: Expr; readonly negated: boolean }
  | { readonly k: 'cast'; readonly a: Expr; readonly type: ColumnType }
  /** `type`: the arguments' common type (int4 < int8 < numeric), as PostgreSQL resolves it. */
  | { readonly k: 'coalesce'; readonly args: readonly Expr[]; readonly type?: ColumnType }
  /** An aggregate: its value is computed over the matching rows and read from slot `slot`. */
  | { readonly k: 'agg'; readonly fn: AggFn; readonly arg?: Expr; readonly slot: number };

export interface Target {
  readonly name: string;
  readonly e: Expr;
}

/** Row-lock strengths, weakest first (PostgreSQL's FOR KEY SHARE .. FOR UPDATE). */
export type LockMode = 'key share' | 'share' | 'no key update' | 'update';

/** A WHERE that names rows by primary key (`id = $1`, `id IN (1, 2)`): one key tuple per row. */
export type KeyLookup = readonly (readonly Expr[])[];

export interface Scan {
  readonly table: TableDef;
  readonly where?: Expr;
  /** Set when the WHERE pins the whole primary key: a point lookup, not a predicate read. */
  readonly keys?: KeyLookup;
  /** The WHERE as text, for access reports. */
  readonly whereText: string;
  readonly whereColumns: readonly string[];
}

export type Stmt =
  | { readonly kind: 'begin'; readonly isolation?: Isolation }
  | { readonly kind: 'commit' }
  | { readonly kind: 'rollback' }
  | { readonly kind: 'set-isolation'; readonly isolation: Isolation }
  | { readonly kind: 'set'; readonly name: 'lock_timeout' | 'statement_timeout'; readonly ms: number | null; readonly local: boolean }
  | {
      readonly kind: 'select';
      readonly scan: Scan;
      readonly targets: readonly Target[];
      readonly aggregates: readonly Extract<Expr, { k: 'agg' }>[];
      readonly lock?: LockMode;
      readonly orderBy: readonly { readonly e: Expr; readonly desc: boolean }[];
      readonly limit?: Expr;
    }
  | {
      readonly kind: 'update';
      readonly scan: Scan;
      readonly sets: readonly { readonly i: number; readonly e: Expr }[];
      readonly returning: readonly Target[];
    }
  | { readonly kind: 'delete'; readonly scan: Scan; readonly returning: readonly Target[] }
  | {
      readonly kind: 'insert';
      readonly table: TableDef;
      /** Per VALUES row, one expression per table column (defaults filled in). */
      readonly rows: readonly (readonly Expr[])[];
      /** ON CONFLICT DO NOTHING: the unique keys it covers (all of them without a conflict target). */
      readonly onConflictNothing?: readonly number[];
      readonly returning: readonly Target[];
    };

export interface Compiled {
  readonly stmt: Stmt;
  /** Inferred type of each $n (index n-1), as PostgreSQL infers it from the context. */
  readonly paramTypes: readonly ColumnType[];
}

/** Statements that take no snapshot (PostgreSQL's "utility" statements in this subset). */
export function isControl(s: Stmt): boolean {
  return s.kind === 'begin' || s.kind === 'commit' || s.kind === 'rollback' || s.kind === 'set-isolation' || s.kind === 'set';
}
