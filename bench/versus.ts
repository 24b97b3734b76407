/**
 * Kernel throughput against another build, side by side in one process: flash-sale-chaos runs/s
 * (sampled timing, the default scheduler) of this checkout's dist/ and of another build's
 * dist/, rounds interleaved so the machine's drift hits both alike. For the acceptance point
 * "within 10 % of commit 78e50c7" (docs/benchmarks.md):
 *
 *   git worktree add /tmp/old 78e50c7 && (cd /tmp/old && npm ci && npm run build)
 *   npm run build && npx tsx bench/versus.ts --old /tmp/old [--seeds 2000] [--rounds 7]
 *
 * Both builds run the same seeds of their own copy of the scenario file. Their traces differ
 * (trace format 2 hashes more fields) but their runs are the same runs: same seeds, same
 * verdicts (checked here). Prints a markdown table.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { loadavg } from 'node:os';

const { values } = parseArgs({
  options: {
    old: { type: 'string', default: '/tmp/old' },
    seeds: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '7' },
    strategies: { type: 'string', default: 'reservation,naive,lock-lease' },
  },
});
const SEEDS = Number(values.seeds);
const ROUNDS = Number(values.rounds);
const ROOT = resolve(import.meta.dirname, '..');

interface Build {
  readonly name: string;
  readonly runOnce: (s: unknown, o: { seed: number; strategy: unknown }) => { verdict: string };
  readonly scenario: unknown;
  readonly strategy: (name: string) => unknown;
}

async function load(name: string, root: string): Promise<Build> {
  const api = await import(pathToFileURL(resolve(root, 'dist/index.js')).href);
  const r = api.loadScenarioFile(resolve(root, 'scenarios/flash-sale-chaos.json'));
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.problems[0])}`);
  return { name, runOnce: api.runOnce, scenario: r.scenario, strategy: (s: string) => api.builtinStrategy(s) };
}

/**
 * Runs per CPU-second of this process (user + system, every thread: the GC's helpers too), not
 * per wall second: on a machine shared with other jobs the wall clock measures them as much
 * as us, while CPU time is what the runs cost. (Wall-clock runs/s is printed too.)
 */
function runsPerSecond(b: Build, strategy: string): { rate: number; wallRate: number; failing: number } {
  const st = b.strategy(strategy);
  let failing = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let seed = 1; seed <= SEEDS; seed++) if (b.runOnce(b.scenario, { seed, strategy: st }).verdict !== 'ok') failing++;
  const c = process.cpuUsage(c0);
  return { rate: (SEEDS * 1e6) / (c.user + c.system), wallRate: (SEEDS * 1000) / (performance.now() - t0), failing };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const now = await load('this checkout', ROOT);
const old = await load(`old (${values.old})`, values.old!);
const strategies = values.strategies!.split(',');
console.log(`flash-sale-chaos, sampled timing, ${SEEDS} seeds per measurement, ${ROUNDS} rounds interleaved (old, new, old, new, ...), node ${process.version}, load ${loadavg()[0].toFixed(2)}\n`);
console.log('| strategy | old runs per CPU-s (median) | new runs per CPU-s (median) | new / old (median of per-round ratios) | wall-clock new / old | failing seeds old / new |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const strategy of strategies) {
  // Warm-up: JIT both builds on this strategy.
  runsPerSecond({ ...old }, strategy);
  runsPerSecond({ ...now }, strategy);
  const o: number[] = [];
  const n: number[] = [];
  const ratios: number[] = [];
  const wallRatios: number[] = [];
  let fo = 0;
  let fn = 0;
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate who goes first, so neither always runs on a warmer (or hotter) machine.
    const first = r % 2 === 0 ? old : now;
    const second = first === old ? now : old;
    const a = runsPerSecond(first, strategy);
    const b = runsPerSecond(second, strategy);
    const ro = first === old ? a : b;
    const rn = first === old ? b : a;
    o.push(ro.rate);
    n.push(rn.rate);
    ratios.push(rn.rate / ro.rate);
    wallRatios.push(rn.wallRate / ro.wallRate);
    fo = ro.failing;
    fn = rn.failing;
  }
  console.log(`| ${strategy} | ${Math.round(median(o))} | ${Math.round(median(n))} | **${median(ratios).toFixed(3)}** (rounds: ${ratios.map((x) => x.toFixed(2)).join(', ')}) | ${median(wallRatios).toFixed(3)} | ${fo} / ${fn} |`);
}
