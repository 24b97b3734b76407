import { SqlEngine, type EngineOptions, type StepOutcome } from '../../../src/inventory/sql/engine.js';
import type { SqlFailure, SqlRows, TableSpec } from '../../../src/inventory/sql/types.js';

export const ITEMS: TableSpec = {
  name: 'items',
  columns: [
    { name: 'id', type: 'text' },
    { name: 'stock', type: 'int4', notNull: true },
    { name: 'price', type: 'numeric', default: '9.50' },
    { name: 'sold', type: 'int8', default: 0 },
    { name: 'reduced', type: 'bool', default: false },
  ],
  primaryKey: ['id'],
  rows: [
    { id: 'vase', stock: 1 },
    { id: 'lamp', stock: 5 },
  ],
};

export const KV: TableSpec = {
  name: 'kv',
  columns: [
    { name: 'id', type: 'int4' },
    { name: 'v', type: 'int4' },
  ],
  primaryKey: ['id'],
  rows: [
    { id: 1, v: 10 },
    { id: 2, v: 20 },
  ],
};

export function engine(options: Partial<EngineOptions> = {}): SqlEngine {
  return new SqlEngine({ tables: [ITEMS, KV], ...options });
}

/** Runs a statement that must finish at once and succeed. */
export function ok(e: SqlEngine, session: string, sql: string, ...params: unknown[]): SqlRows {
  const out = e.execute(session, sql, params);
  if (out.status !== 'done') throw new Error(`${session}: ${sql} blocked`);
  if (!out.result.ok) throw new Error(`${session}: ${sql} failed: ${out.result.sqlstate} ${out.result.message}`);
  return out.result;
}

/** Runs a statement that must finish at once and fail. */
export function err(e: SqlEngine, session: string, sql: string, ...params: unknown[]): SqlFailure {
  const out = e.execute(session, sql, params);
  if (out.status !== 'done') throw new Error(`${session}: ${sql} blocked`);
  if (out.result.ok) throw new Error(`${session}: ${sql} succeeded: ${JSON.stringify(out.result)}`);
  return out.result;
}

export function blocks(e: SqlEngine, session: string, sql: string, ...params: unknown[]): StepOutcome {
  const out = e.execute(session, sql, params);
  if (out.status !== 'blocked') throw new Error(`${session}: ${sql} did not block: ${JSON.stringify(out)}`);
  return out;
}
