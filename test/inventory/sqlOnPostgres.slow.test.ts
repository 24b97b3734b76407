// The same SQL against a real PostgreSQL (a throw-away cluster): a strategy that uses only
// ctx.sql, ctx.sleep and ctx.log runs unchanged there, and `replay --pg` drives a simulated
// read-then-write oversell step for step on the real server, which shows the same anomaly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres.js';
import { loadSqlParser } from '../../src/inventory/sql/parse.js';
import { tableSql } from '../../src/inventory/sql/catalog.js';
import { runOrdersOnPostgres } from '../../src/inventory/sqlOnPostgres.js';
import { replayOnPostgres } from '../../src/explore/replayPg.js';
import { loadScenario, type Scenario } from '../../src/scenario/index.js';
import { runOnce } from '../../src/explore/run.js';
import example from '../../examples/sql-strategy.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli.js';

let server: TestPostgres | undefined;
let why = '';

beforeAll(async () => {
  await loadSqlParser();
  const s = await startTestPostgres();
  if ('error' in s) {
    why = s.error;
    if (process.env.CI === 'true') throw new Error(`PostgreSQL could not start under CI: ${s.error}`);
    return;
  }
  server = s;
}, 300_000);

afterAll(() => server?.stop());

function library(name: string): Scenario {
  const r = loadScenario(name);
  if (!r.ok) throw new Error(name);
  return r.scenario;
}

async function freshItems(url: string, stock: number): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query('DROP TABLE IF EXISTS items');
  for (const q of tableSql({ name: 'items', columns: [{ name: 'id', type: 'text' }, { name: 'stock', type: 'int4', notNull: true }], primaryKey: ['id'], rows: [{ id: 'vase', stock }] })) await c.query(q);
  return c;
}

describe('SQL strategies against a real PostgreSQL', () => {
  it('the example strategy holds in the simulator', () => {
    const r = runOnce(library('sql-for-update'), { strategy: example });
    expect(r.violations).toEqual([]);
    expect(r.orders.placed).toBe(2);
  });

  it('runs unchanged on PostgreSQL through pg: 4 concurrent orders for 1 vase, exactly one placed', async (ctx) => {
    if (!server) return ctx.skip(why);
    const c = await freshItems(server.url, 1);
    try {
      const orders = [1, 2, 3, 4].map((n) => ({ id: `o${n}`, app: 'app1', atMs: 0, lines: [{ item: 'vase', qty: 1 }] }));
      const out = await runOrdersOnPostgres(example, orders, { connectionString: server.url });
      expect(out.every((o) => o.error === null)).toBe(true);
      expect(out.filter((o) => o.answer === 'ORDER_PLACED')).toHaveLength(1);
      expect(out.filter((o) => o.answer === 'OUT_OF_STOCK')).toHaveLength(3);
      expect((await c.query('SELECT stock FROM items')).rows).toEqual([{ stock: 0 }]);
    } finally {
      await c.end();
    }
  }, 60_000);

  it('replay --pg: the read-then-write oversell found in simulation happens on PostgreSQL, statement for statement', async (ctx) => {
    if (!server) return ctx.skip(why);
    const run = runOnce(library('sql-read-then-write'), { keepTrace: true });
    expect(run.violations.map((v) => v.invariant)).toContain('no-oversell');
    const r = await replayOnPostgres(run, server.url);
    expect(r.schedule.steps.length).toBeGreaterThan(10);
    expect(r.disagreements).toEqual([]);
    // The same lost update: PostgreSQL's stock says fewer vases went than orders were placed.
    const stock = Number(r.postgres.tables.items[0].stock);
    expect(stock).toBe(run.world.db.items.get('vase')!.stock);
    expect(2 - stock).toBeLessThan(run.orders.placed);
  }, 120_000);

  it('oversold replay FILE --pg URL says PostgreSQL gave every statement the same outcome (and --json carries it)', async (ctx) => {
    if (!server) return ctx.skip(why);
    const dir = mkdtempSync(join(tmpdir(), 'oversold-replay-pg-'));
    try {
      const file = join(dir, 'rtw.json');
      expect((await cli(['run', 'sql-read-then-write', '--record', file])).code).toBe(1);
      const r = await cli(['replay', file, '--pg', server.url]);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/PostgreSQL: \d+ statements in the simulated order, every outcome the same/);
      const j = await cli(['replay', file, '--pg', server.url, '--json']);
      const out = JSON.parse(j.stdout) as { postgres: { disagreements: unknown[]; statements: number; attempts: number } };
      expect(out.postgres.disagreements).toEqual([]);
      // A racy run (o2's COMMIT wakes o4 and o5 at once): another run when PostgreSQL lets o5 win.
      expect(out.postgres.attempts).toBeGreaterThanOrEqual(1);
      expect(out.postgres.attempts).toBeLessThanOrEqual(5);
      expect(out.postgres.statements).toBeGreaterThan(10);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
