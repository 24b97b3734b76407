// The SQL server's tables (`sql`): present only in scenarios whose strategies speak SQL.
// Its checks that need the whole section (a primary key naming a column, the stock table's
// columns) run after parsing (checkSql), and the engine validates the rows it loads.
import { z } from 'zod';
import { COLUMN_TYPES } from '../inventory/sql/values.js';
import { InputError } from '../errors.js';
import { SqlEngine } from '../inventory/sql/engine.js';
import { resolveSqlConfig } from '../inventory/sqlTables.js';
import { ms } from './fields.js';
import type { CheckReporter } from './report.js';

const SQL_NAME = /^[a-z_][a-z0-9_]*$/;
const sqlName = () => z.string().min(1).max(63).regex(SQL_NAME, { error: 'a lower-case SQL name: letters, digits and "_", starting with a letter or "_"' });
const sqlValue = z.union([z.number().int(), z.string().max(1000), z.boolean(), z.null()]);

const columnSchema = z.strictObject({
  name: sqlName().describe('Column name.'),
  type: z.enum(COLUMN_TYPES).describe('int4, int8, numeric, text or bool (values come back as `pg` returns them: int8 and numeric as strings).'),
  notNull: z.boolean().optional().describe('NOT NULL.'),
  default: sqlValue.optional().describe('Used when an INSERT leaves the column out; null when absent.'),
});

const tableSchema = z.strictObject({
  name: sqlName().describe('Table name.'),
  columns: z.array(columnSchema).min(1).max(64).describe('Columns, in order.'),
  primaryKey: z.array(sqlName()).min(1).max(8).describe('Primary key columns (required: rows are named by it).'),
  unique: z.array(z.array(sqlName()).min(1).max(8)).max(8).optional().describe('Unique keys, each a list of columns.'),
  rows: z.array(z.record(sqlName(), sqlValue)).max(10_000).optional()
    .describe('Initial rows (column -> value). The stock table takes its rows from `items` instead.'),
});

export const sqlSchema = z.strictObject({
  tables: z.array(tableSchema).max(32).default([])
    .describe('Tables besides the stock table, or the stock table declared with more columns. Default: only `items (id text primary key, stock int4 not null)`, one row per item.'),
  stock: z.strictObject({
    table: sqlName().default('items').describe('The table holding each item\'s stock.'),
    key: sqlName().default('id').describe('Its column holding the item id (the primary key).'),
    column: sqlName().default('stock').describe('Its column holding the stock.'),
  }).prefault({}).describe('Which column is the stock of an item: the unit ledger (unique-units, conservation) follows its committed values.'),
  reservations: z.strictObject({
    table: sqlName().describe('The table of reservation rows.'),
    item: sqlName().describe('Its column naming the item reserved.'),
    qty: sqlName().describe('Its column holding the quantity reserved.'),
  }).nullable().default(null).describe('Where a strategy keeps reservations as rows: they count against the stock (an item\'s counter is stock - sum(qty)). null: no such table.'),
  deadlockTimeoutMs: ms().default(1000).describe('PostgreSQL\'s deadlock_timeout: how long a statement waits for a lock before the server checks for a deadlock.'),
});

export type SqlSection = z.output<typeof sqlSchema>;

/** Cross-field checks of `sql`: the tables must load (keys name columns, rows fit their types), the stock and reservation columns exist. */
export function checkSql(items: ReadonlyArray<{ id: string; stock: number }>, sql: SqlSection | undefined, report: CheckReporter): void {
  if (sql === undefined) return;
  try {
    const config = resolveSqlConfig(items, sql);
    // The engine's own checks (keys, types, NOT NULL, duplicate keys) without the parser: no statement runs.
    new SqlEngine({ tables: config.tables });
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    report(['sql'], 'tables the SQL server can load', e.message);
  }
}
