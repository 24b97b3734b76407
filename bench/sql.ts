/**
 * `npx tsx bench/sql.ts`: the SQL engine's statements/s, variants side by side in one
 * process, interleaved over rounds (the machine is shared and noisy: read the ratios).
 * Results: docs/sql.md, "Speed". No test asserts on these numbers.
 */
import { loadSqlParser, SqlEngine, type TableSpec } from '../src/inventory/sql/index.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const TABLES: TableSpec[] = [
  {
    name: 'items',
    columns: [{ name: 'id', type: 'text' }, { name: 'stock', type: 'int4' }],
    primaryKey: ['id'],
    rows: [{ id: 'vase', stock: 1_000_000 }, { id: 'lamp', stock: 10 }],
  },
];
const GUARDED = 'UPDATE items SET stock = stock - $2 WHERE id = $1 AND stock >= $2 RETURNING stock';

/** One engine, `txs` transactions of BEGIN, SELECT ... FOR UPDATE, guarded UPDATE, COMMIT. */
function longRun(txs: number, vacuumEveryTxs: number): number {
  const e = new SqlEngine({ tables: TABLES, vacuumEveryTxs });
  const t0 = performance.now();
  for (let i = 0; i < txs; i++) {
    const s = `s${i % 3}`;
    e.execute(s, 'BEGIN');
    e.execute(s, 'SELECT stock FROM items WHERE id = $1 FOR UPDATE', ['vase']);
    e.execute(s, GUARDED, ['vase', 1]);
    e.execute(s, 'COMMIT');
  }
  return (txs * 4 * 1000) / (performance.now() - t0);
}

/** A fresh engine per simulated run, as a sweep makes them: 10 autocommit guarded decrements each. */
function freshEngines(runs: number): number {
  const t0 = performance.now();
  for (let r = 0; r < runs; r++) {
    const e = new SqlEngine({ tables: TABLES });
    for (let j = 0; j < 10; j++) e.execute('a', GUARDED, ['lamp', 1]);
  }
  return (runs * 10 * 1000) / (performance.now() - t0);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

await loadSqlParser();
longRun(500, 32);
freshEngines(500);
const results: Record<string, number[]> = { 'one engine, 5000 txs, vacuum every 32': [], 'one engine, 5000 txs, no vacuum': [], 'fresh engine per run of 10': [] };
for (let round = 0; round < ROUNDS; round++) {
  results['one engine, 5000 txs, vacuum every 32'].push(longRun(5000, 32));
  results['one engine, 5000 txs, no vacuum'].push(longRun(5000, 0));
  results['fresh engine per run of 10'].push(freshEngines(2000));
}
const base = median(results['one engine, 5000 txs, vacuum every 32']);
for (const [name, xs] of Object.entries(results)) {
  console.log(`${name.padEnd(40)} ${Math.round(median(xs)).toString().padStart(8)} statements/s   x${(median(xs) / base).toFixed(2)}`);
}
