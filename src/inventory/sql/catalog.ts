/**
 * Table definitions as the engine uses them: columns by index, the primary key and unique
 * keys with PostgreSQL's default constraint names (`items_pkey`, `r_order_id_key`), and the
 * CREATE TABLE text that builds the same table on a real server.
 */
import { InputError } from '../../errors.js';
import type { ColumnSpec, TableSpec } from './types.js';
import { COLUMN_TYPES } from './values.js';

export interface UniqueKey {
  readonly name: string;
  readonly cols: readonly number[];
  readonly primary: boolean;
}

export interface TableDef {
  readonly name: string;
  readonly columns: readonly ColumnSpec[];
  readonly colIndex: ReadonlyMap<string, number>;
  readonly pk: readonly number[];
  /** The primary key first, then unique keys in declaration order. */
  readonly uniques: readonly UniqueKey[];
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

/** Validates a spec: bad input is an InputError with one line (code BAD_TABLE, exit 2). */
export function defineTable(spec: TableSpec): TableDef {
  const where = `table "${spec.name}"`;
  if (!IDENT.test(spec.name)) throw new InputError(`${where}: a table name is lower-case letters, digits and _`, 'BAD_TABLE');
  if (spec.columns.length === 0) throw new InputError(`${where} has no columns`, 'BAD_TABLE');
  const colIndex = new Map<string, number>();
  spec.columns.forEach((c, i) => {
    if (!IDENT.test(c.name)) throw new InputError(`${where}: column name "${c.name}" is not lower-case letters, digits and _`, 'BAD_TABLE');
    if (colIndex.has(c.name)) throw new InputError(`${where}: column "${c.name}" is declared twice`, 'BAD_TABLE');
    if (!COLUMN_TYPES.includes(c.type)) throw new InputError(`${where}: column "${c.name}" has type "${c.type}"; use one of ${COLUMN_TYPES.join(', ')}`, 'BAD_TABLE');
    colIndex.set(c.name, i);
  });
  const cols = (names: readonly string[], what: string) =>
    names.map((n) => {
      const i = colIndex.get(n);
      if (i === undefined) throw new InputError(`${where}: ${what} names column "${n}", which the table does not have`, 'BAD_TABLE');
      return i;
    });
  if (spec.primaryKey.length === 0) throw new InputError(`${where} needs a primary key (rows are named by it)`, 'BAD_TABLE');
  const pk = cols(spec.primaryKey, 'the primary key');
  const uniques: UniqueKey[] = [{ name: `${spec.name}_pkey`, cols: pk, primary: true }];
  for (const u of spec.unique ?? []) {
    uniques.push({ name: `${spec.name}_${u.join('_')}_key`, cols: cols(u, 'a unique key'), primary: false });
  }
  return { name: spec.name, columns: spec.columns, colIndex, pk, uniques };
}

const SQL_TYPE: Record<string, string> = { int4: 'int4', int8: 'int8', numeric: 'numeric', text: 'text', bool: 'boolean' };

function literal(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return `'${String(v).replace(/'/g, "''")}'`;
}

/** CREATE TABLE and INSERT statements that build this table on a real PostgreSQL. */
export function tableSql(spec: TableSpec): string[] {
  const cols = spec.columns.map((c) => {
    const notNull = c.notNull || spec.primaryKey.includes(c.name) ? ' NOT NULL' : '';
    const def = c.default !== undefined ? ` DEFAULT ${literal(c.default)}` : '';
    return `${c.name} ${SQL_TYPE[c.type]}${notNull}${def}`;
  });
  cols.push(`PRIMARY KEY (${spec.primaryKey.join(', ')})`);
  for (const u of spec.unique ?? []) cols.push(`UNIQUE (${u.join(', ')})`);
  const out = [`CREATE TABLE ${spec.name} (${cols.join(', ')})`];
  for (const r of spec.rows ?? []) {
    const names = Object.keys(r);
    out.push(`INSERT INTO ${spec.name} (${names.join(', ')}) VALUES (${names.map((n) => literal(r[n])).join(', ')})`);
  }
  return out;
}
