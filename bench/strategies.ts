/**
 * Every built-in strategy over a seed sweep of a scenario (default: the chaos flash sale).
 *
 *   npx tsx bench/strategies.ts [--seeds 1000] [scenarios/flash-sale-chaos.json]
 *
 * Prints, per strategy: runs, runs with violations, the first failing seed and what it broke,
 * every invariant broken in the sweep (with how many runs broke it), mean goodput (placed ÷
 * min(orders, stock)), p50/p99 virtual latency over every answered order of the sweep, orders
 * left unanswered (crashed mid-order) per run, and wall time.
 */
import { runOnce, percentile, type RunnableScenario } from '../src/explore/run.js';
import { STRATEGIES } from '../src/inventory/strategies/index.js';
import { loadScenarioFile, formatProblem } from '../src/scenario/index.js';

function parseArgs(argv: string[]): { seeds: number; file: string } {
  let seeds = 1000;
  let file = 'scenarios/flash-sale-chaos.json';
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--seeds') seeds = Number(argv[++i]);
    else file = argv[i];
  }
  if (!Number.isInteger(seeds) || seeds < 1) throw new Error('--seeds needs a positive integer');
  return { seeds, file };
}

const { seeds, file } = parseArgs(process.argv.slice(2));
const loaded = loadScenarioFile(file);
if (!loaded.ok) {
  for (const p of loaded.problems) console.error(formatProblem(p));
  process.exit(2);
}
const sc = loaded.scenario as unknown as RunnableScenario;

const rows: string[][] = [['strategy', 'safe', 'runs', 'violating', 'first failing seed', 'invariants broken (runs)', 'goodput', 'p50 ms', 'p99 ms', 'unanswered/run', 'wall ms']];
for (const s of STRATEGIES.values()) {
  const t0 = performance.now();
  let bad = 0;
  let first = '-';
  let goodput = 0;
  let unknown = 0;
  const broken = new Map<string, number>();
  const latencies: number[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const r = runOnce(sc, { seed, strategy: s });
    goodput += r.goodput;
    unknown += r.orders.unknown;
    for (const o of r.orderRecords) if (o.status === 'answered' && o.endMs !== null) latencies.push(o.endMs - o.startMs);
    if (r.violations.length === 0) continue;
    bad++;
    if (first === '-') first = `${seed} (${r.violations.map((v) => v.invariant).join(', ')})`;
    for (const v of new Set(r.violations.map((x) => x.invariant))) broken.set(v, (broken.get(v) ?? 0) + 1);
  }
  latencies.sort((a, b) => a - b);
  rows.push([
    s.name,
    s.safe ? 'yes' : 'no',
    String(seeds),
    String(bad),
    first,
    [...broken].map(([k, n]) => `${k} ${n}`).join(', ') || '-',
    (goodput / seeds).toFixed(3),
    String(latencies.length ? percentile(latencies, 50) : 0),
    String(latencies.length ? percentile(latencies, 99) : 0),
    (unknown / seeds).toFixed(2),
    String(Math.round(performance.now() - t0)),
  ]);
}

const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
console.log(`${sc.name}: ${seeds} seeds per strategy (${file})\n`);
rows.forEach((r, i) => {
  console.log(`| ${r.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`);
  if (i === 0) console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
});
