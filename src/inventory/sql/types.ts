/**
 * The engine's public vocabulary: table specifications, statement results and SQL errors as
 * values, and the access report (rows read and written, predicates evaluated) that a
 * partial-order reduction can reason about.
 */
import type { ColumnType, JsVal } from './values.js';

export type Isolation = 'read committed' | 'repeatable read' | 'serializable';
export const ISOLATIONS: readonly Isolation[] = ['read committed', 'repeatable read', 'serializable'];

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  readonly notNull?: boolean;
  /** Used when an INSERT omits the column; null when absent. */
  readonly default?: JsVal;
}

/** A table: columns, a primary key (required: rows are named by it), unique keys, initial rows. */
export interface TableSpec {
  readonly name: string;
  readonly columns: readonly ColumnSpec[];
  readonly primaryKey: readonly string[];
  readonly unique?: readonly (readonly string[])[];
  readonly rows?: readonly Readonly<Record<string, JsVal>>[];
}

export type Row = Record<string, JsVal>;

export type SqlCommand = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE' | 'BEGIN' | 'COMMIT' | 'ROLLBACK' | 'SET';

/** A statement's result, shaped like `pg`'s Result (command, rowCount, rows, fields). */
export interface SqlRows {
  readonly ok: true;
  readonly command: SqlCommand;
  /** null for commands without a row count (BEGIN, COMMIT, SET), as `pg` reports them. */
  readonly rowCount: number | null;
  readonly rows: readonly Row[];
  readonly fields: readonly string[];
  /** Notices PostgreSQL would send as WARNING (e.g. "there is no transaction in progress"). */
  readonly warning?: string;
}

export type SqlErrorKind =
  | 'deadlock'
  | 'lock_timeout'
  | 'timeout'
  | 'canceled'
  | 'unique_violation'
  | 'not_null_violation'
  | 'serialization_failure'
  | 'in_failed_transaction'
  | 'invalid_transaction_state'
  | 'unsupported'
  | 'syntax'
  | 'undefined_table'
  | 'undefined_column'
  | 'data_exception';

/** A SQL error as a value: the kind, PostgreSQL's SQLSTATE and its message. */
export interface SqlFailure {
  readonly ok: false;
  readonly error: SqlErrorKind;
  readonly sqlstate: string;
  readonly message: string;
}

export type SqlResult = SqlRows | SqlFailure;

/** A row named by its table and primary key (the key's values joined by ","). */
export interface RowRef {
  readonly table: string;
  readonly key: string;
}

/** A predicate a statement evaluated over a table (a scan that is not a primary-key lookup). */
export interface PredicateRead {
  readonly table: string;
  /** The WHERE clause as the engine understood it; "true" for a scan without one. */
  readonly where: string;
  /** Columns the predicate reads: a write that changes none of them (and inserts or deletes no row) cannot change its answer. */
  readonly columns: readonly string[];
}

/** What one statement touched: for a DPOR explorer's independence relation. */
export interface Access {
  readonly reads: RowRef[];
  readonly writes: RowRef[];
  readonly locks: RowRef[];
  readonly predicates: PredicateRead[];
}

export function emptyAccess(): Access {
  return { reads: [], writes: [], locks: [], predicates: [] };
}
