// SQL in the simulator (issue 15/16): ctx.sql over the network to the SQL server node, the
// unit ledger following committed stock, and the SQL strategies on their scenarios.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlParser } from '../../src/inventory/sql/parse.js';
import { loadScenario, parseScenario, type Scenario } from '../../src/scenario/index.js';
import { builtinStrategy, runOnce } from '../../src/explore/run.js';
import { checkStrategy } from '../../src/explore/check.js';
import { defineStrategy } from '../../src/inventory/strategy.js';
import { SqlSubsetError } from '../../src/inventory/sqlNode.js';
import { cli } from '../helpers/cli.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

beforeAll(() => loadSqlParser());

function library(name: string): Scenario {
  const r = loadScenario(name);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.scenario;
}

function scenario(extra: Record<string, unknown> = {}): Scenario {
  const r = parseScenario(JSON.stringify({
    items: [{ id: 'vase', stock: 1 }],
    topology: { appServers: 2 },
    workload: { orders: [{ atMs: 0, app: 'app1', item: 'vase' }, { atMs: 10, app: 'app2', item: 'vase' }] },
    sql: {},
    ...extra,
  }), 'sql-test.json');
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.scenario;
}

const SAFE = ['sql-guarded-decrement', 'sql-for-update', 'sql-repeatable-read-retry', 'sql-serializable-retry', 'sql-repeatable-read-no-retry', 'sql-serializable-no-retry', 'sql-sum-then-insert-serializable'];
const UNSAFE = ['sql-read-then-write', 'sql-unguarded-decrement', 'sql-for-update-autocommit', 'sql-sum-then-insert-repeatable-read', 'sql-reduced-flag'];
const SEEDS = 30; // seeds 1..200: test/strategies/sql.slow.test.ts

describe('SQL strategies on their scenarios', () => {
  it.each(SAFE)(`%s holds every invariant on seeds 1..${SEEDS}`, (name) => {
    const sc = library(name);
    for (let seed = 1; seed <= SEEDS; seed++) {
      const r = runOnce(sc, { seed });
      expect(r.violations.map((v) => v.message), `seed ${seed}`).toEqual([]);
      expect(r.stop).toBe('quiet');
    }
  });

  it.each(UNSAFE)(`%s violates its expect on seeds 1..${SEEDS}`, (name) => {
    const sc = library(name);
    const want = sc.expect!.violations as string[];
    for (let seed = 1; seed <= SEEDS; seed++) {
      const got = runOnce(sc, { seed }).violations.map((v) => v.invariant);
      for (const w of want) expect(got, `seed ${seed}`).toContain(w);
    }
  });

  it.each(SAFE)('%s holds in the windowed timing model too (seeds 1..10: the schedule a choice)', (name) => {
    const sc = library(name);
    for (let seed = 1; seed <= 10; seed++) {
      const r = runOnce(sc, { seed, timing: 'windowed' });
      expect(r.violations.map((v) => v.message), `seed ${seed}`).toEqual([]);
      expect(r.stop).toBe('quiet');
    }
  });

  it('the unguarded decrement oversells while the books balance (stock below zero, conservation holds)', () => {
    const r = runOnce(library('sql-unguarded-decrement'));
    expect(r.violations.map((v) => v.invariant)).not.toContain('conservation');
    const vase = r.world.db.items.get('vase')!;
    expect(vase.stock).toBeLessThan(0);
    expect(vase.phantomUnits).toBe(-vase.stock);
    expect(r.world.sql!.engine.committedRows('items')).toEqual([{ id: 'vase', stock: vase.stock }]);
  });

  it('a redelivered order reduces twice under the read-before, set-after flag: o1 holds two vases', () => {
    const r = runOnce(library('sql-reduced-flag'));
    const owners = r.world.db.items.get('vase')!.owners.flat();
    expect(owners.filter((o) => o === 'o1')).toHaveLength(2);
    expect(r.violations.map((v) => v.message).join(' ')).toContain('o1 ordered 1 × vase but holds 2');
  });

  it('retry-less isolation loses orders (goodput below 1) where retrying sells every vase', () => {
    expect(runOnce(library('sql-serializable-no-retry')).goodput).toBeLessThan(1);
    expect(runOnce(library('sql-serializable-retry')).goodput).toBe(1);
  });

  it('check shrinks the read-then-write oversell to two transactions on one vase', () => {
    const c = checkStrategy(library('sql-read-then-write'), builtinStrategy('sql-read-then-write'), { numRuns: 100 });
    expect(c.found).toBe(true);
    const ce = c.counterexample!;
    expect(ce.scenario.items).toEqual([{ id: 'vase', stock: 1 }]);
    expect(ce.run.orders.placed).toBe(2);
    expect(ce.run.orderRecords.length).toBe(2);
    expect(ce.violations.map((v) => v.invariant)).toContain('no-oversell');
  });
});

describe('the SQL server node', () => {
  it('notes every statement with its access report (rows read and written, predicates)', () => {
    const r = runOnce(scenario({ strategy: { name: 'sql-guarded-decrement' } }), { keepTrace: true });
    const stmts = (r.trace ?? []).filter((e) => e.type === 'domain' && e.what === 'sql:statement');
    expect(stmts.length).toBe(2);
    const first = stmts[0] as { node: string; data: Record<string, any> };
    expect(first.node).toBe('sql');
    expect(first.data.access.writes).toEqual([{ table: 'items', key: 'vase' }]);
    expect(first.data.command).toBe('UPDATE');
  });

  it('a statement that waits for a row lock is answered when the holder commits, in simulated time', () => {
    const r = runOnce(scenario({ strategy: { name: 'sql-for-update' } }), { keepTrace: true });
    expect((r.trace ?? []).some((e) => e.type === 'domain' && e.what === 'sql:wait')).toBe(true);
    expect(r.orders).toEqual({ placed: 1, outOfStock: 1, failed: 0, unknown: 0 });
  });

  it('a lost reply to COMMIT is an unknown outcome: the order is not answered FAILED', () => {
    const sc = scenario({
      strategy: { name: 'sql-for-update' },
      workload: { orders: [{ atMs: 0, app: 'app1', item: 'vase' }] },
      faults: { steps: [{ kind: 'drop-reply', call: 'sql-commit', order: 'o1', attempt: 1 }] },
      limits: { maxTimeMs: 100_000 },
    });
    const r = runOnce(sc);
    expect(r.orders.unknown).toBe(1);
    // It did commit: the vase is o1's, though o1 never heard so.
    expect(r.world.db.items.get('vase')!.owners[1]).toEqual(['o1']);
  });

  it('lock_timeout is a timer at the server: the waiting statement fails with 55P03', () => {
    const seen: unknown[] = [];
    const strategy = defineStrategy({
      name: 'lock-timeout', summary: 'x', safe: false, sql: true,
      *placeOrder(ctx) {
        const tx = yield* ctx.sql.begin();
        yield* tx.query("SET LOCAL lock_timeout = '50ms'");
        const r = yield* tx.query('SELECT stock FROM items WHERE id = $1 FOR UPDATE', ['vase']);
        seen.push(r.ok ? 'ok' : r.sqlstate);
        yield* ctx.sleep(1000);
        yield* tx.commit();
        return 'FAILED';
      },
    });
    runOnce(scenario(), { strategy });
    expect(seen).toEqual(['ok', '55P03']);
  });

  it('a deadlock is broken by the deadlock_timeout timer: one transaction gets 40P01', () => {
    const seen: string[] = [];
    const strategy = defineStrategy({
      name: 'deadlock', summary: 'x', safe: false, sql: true,
      *placeOrder(ctx) {
        const [a, b] = ctx.order.id === 'o1' ? ['vase', 'lamp'] : ['lamp', 'vase'];
        const tx = yield* ctx.sql.begin();
        yield* tx.query('UPDATE items SET stock = stock - 1 WHERE id = $1', [a]);
        yield* ctx.sleep(500);
        const r = yield* tx.query('UPDATE items SET stock = stock - 1 WHERE id = $1', [b]);
        seen.push(r.ok ? 'ok' : r.sqlstate);
        yield* (r.ok ? tx.commit() : tx.rollback());
        return 'FAILED';
      },
    });
    runOnce(scenario({ items: [{ id: 'vase', stock: 1 }, { id: 'lamp', stock: 1 }] }), { strategy });
    expect([...seen].sort()).toEqual(['40P01', 'ok']);
  });

  it('a statement outside the subset stops the run: bad input naming the construct and the statement', () => {
    const strategy = defineStrategy({
      name: 'join', summary: 'x', safe: false, sql: true,
      *placeOrder(ctx) {
        yield* ctx.sql.query('SELECT * FROM items a JOIN items b ON a.id = b.id');
        return 'FAILED';
      },
    });
    expect(() => runOnce(scenario(), { strategy })).toThrow(SqlSubsetError);
    expect(() => runOnce(scenario(), { strategy })).toThrow(/JOIN is not in oversold's SQL subset: "SELECT \* FROM items a JOIN/);
  });

  it('a SQL run records a replay file that replays to the same trace (the resolved sql section loads again)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oversold-sql-replay-'));
    try {
      const file = join(dir, 'rtw.json');
      expect((await cli(['run', 'sql-read-then-write', '--record', file])).code).toBe(1);
      const r = await cli(['replay', file]);
      expect(r.stdout).toContain('matches the recording');
      expect(r.code).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is deterministic: the same seed gives the same trace hash', () => {
    const sc = library('sql-read-then-write');
    expect(runOnce(sc, { seed: 7 }).traceHash).toBe(runOnce(sc, { seed: 7 }).traceHash);
  });
});
