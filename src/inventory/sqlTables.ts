import { InputError } from '../errors.js';
import type { SqlConfig } from './worldConfig.js';
import type { TableSpec } from './sql/types.js';

/** PostgreSQL's default deadlock_timeout (1 s). */
export const DEADLOCK_TIMEOUT_MS_DEFAULT = 1000;

/** What a scenario may say about its SQL tables: every field optional. */
export interface SqlInput {
  readonly tables?: readonly TableSpec[];
  readonly stock?: { readonly table?: string; readonly key?: string; readonly column?: string };
  readonly reservations?: { readonly table: string; readonly item: string; readonly qty: string } | null;
  readonly deadlockTimeoutMs?: number;
}

/**
 * The SQL server's configuration for a scenario: its tables, with the stock table's rows made
 * from the scenario's items (one row per item: key = the item id, stock column = its stock) so
 * that the SQL counter and the unit ledger start equal. The stock table is declared by default
 * as `items (id text primary key, stock int4 not null)`. A declared stock table's own rows are
 * refused: the scenario's `items` are its rows.
 */
export function resolveSqlConfig(items: ReadonlyArray<{ readonly id: string; readonly stock: number }>, input: SqlInput = {}): SqlConfig {
  const stock = { table: input.stock?.table ?? 'items', key: input.stock?.key ?? 'id', column: input.stock?.column ?? 'stock' };
  const declared = input.tables ?? [];
  const tables: TableSpec[] = [];
  let found = false;
  for (const t of declared) {
    if (t.name !== stock.table) {
      tables.push(t);
      continue;
    }
    found = true;
    for (const c of [stock.key, stock.column]) if (!t.columns.some((col) => col.name === c)) throw new InputError(`sql.tables: the stock table "${t.name}" has no column "${c}" (sql.stock names it)`, 'BAD_TABLE');
    const rows = items.map((it) => ({ [stock.key]: it.id, [stock.column]: it.stock }));
    // Rows written out by oversold itself (a resolved scenario in a replay file) are the items' own: accepted.
    const same = t.rows !== undefined && t.rows.length === rows.length && t.rows.every((r, i) => r[stock.key] === rows[i][stock.key] && Number(r[stock.column]) === rows[i][stock.column]);
    if (t.rows && t.rows.length > 0 && !same) throw new InputError(`sql.tables: the stock table "${t.name}" takes its rows from the scenario's items; remove its "rows"`, 'BAD_TABLE');
    tables.push({ ...t, rows: t.rows && same ? t.rows : rows });
  }
  if (!found) {
    tables.unshift({
      name: stock.table,
      columns: [{ name: stock.key, type: 'text' }, { name: stock.column, type: 'int4', notNull: true }],
      primaryKey: [stock.key],
      rows: items.map((it) => ({ [stock.key]: it.id, [stock.column]: it.stock })),
    });
  }
  const reservations = input.reservations ?? null;
  if (reservations) {
    const t = tables.find((x) => x.name === reservations.table);
    if (!t) throw new InputError(`sql.reservations: no table "${reservations.table}" in sql.tables`, 'BAD_TABLE');
    for (const c of [reservations.item, reservations.qty]) if (!t.columns.some((col) => col.name === c)) throw new InputError(`sql.reservations: table "${t.name}" has no column "${c}"`, 'BAD_TABLE');
  }
  return { tables, stock, reservations, deadlockTimeoutMs: input.deadlockTimeoutMs ?? DEADLOCK_TIMEOUT_MS_DEFAULT };
}

/**
 * The configuration with the stock table's rows made from `items` again: the world's items are
 * the truth (a swarm or a shrink may change the stock after the scenario was resolved).
 */
export function withStockRows(config: SqlConfig, items: ReadonlyArray<{ readonly id: string; readonly stock: number }>): SqlConfig {
  const { table, key, column } = config.stock;
  return { ...config, tables: config.tables.map((t) => (t.name !== table ? t : { ...t, rows: items.map((it) => ({ [key]: it.id, [column]: it.stock })) })) };
}
