/**
 * Kernel throughput against another build, side by side in one process: flash-sale-chaos runs/s
 * (sampled timing, the default scheduler) of this checkout's dist/ and of another build's
 * dist/, rounds interleaved so the machine's drift hits both alike. For the acceptance point
 * "within 10 % of commit 78e50c7" (docs/benchmarks.md):
 *
 *   git worktree add /tmp/old 78e50c7 && (cd /tmp/old && npm ci && npm run build)
 *   npm run build && npx tsx bench/versus.ts --old /tmp/old [--seeds 2000] [--rounds 5] [--slice 50]
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
    new: { type: 'string' },
    seeds: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '5' },
    slice: { type: 'string', default: '50' },
    strategies: { type: 'string', default: 'reservation,naive,lock-lease' },
    'old-first': { type: 'boolean', default: false },
  },
});
const SEEDS = Number(values.seeds);
const ROUNDS = Number(values.rounds);
const SLICE = Number(values.slice);
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
 * Seeds start..start+count-1 on one build: CPU milliseconds of this process (user + system,
 * every thread: the GC's helpers too) and wall milliseconds. CPU time, not wall time, is the
 * measure: on a machine shared with other jobs the wall clock measures them as much as us.
 */
function slice(b: Build, strategy: string, start: number, count: number): { cpuMs: number; wallMs: number; failing: number } {
  const st = b.strategy(strategy);
  let failing = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let seed = start; seed < start + count; seed++) if (b.runOnce(b.scenario, { seed, strategy: st }).verdict !== 'ok') failing++;
  const c = process.cpuUsage(c0);
  return { cpuMs: (c.user + c.system) / 1000, wallMs: performance.now() - t0, failing };
}

// Load order is a flag: module load order decides which build's code V8 meets first.
const oldFirst = values['old-first'] === true;
const old = oldFirst ? await load(`old (${values.old})`, values.old!) : null;
const now = await load('this checkout', values.new ?? ROOT);
const oldBuild = old ?? (await load(`old (${values.old})`, values.old!));
const strategies = values.strategies!.split(',');
console.log(`flash-sale-chaos, sampled timing, seeds 1..${SEEDS} in ${ROUNDS} rounds; in each round the two builds alternate in slices of ${SLICE} seeds (A B B A ...), so drift and other tenants' load hit both alike. node ${process.version}, load ${loadavg()[0].toFixed(2)}\n`);
console.log('| strategy | old runs per CPU-s | new runs per CPU-s | new / old (total CPU time) | per-round ratios | wall-clock new / old | failing seeds old / new |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const strategy of strategies) {
  // Warm-up: JIT both builds on this strategy.
  slice(oldBuild, strategy, 1, 200);
  slice(now, strategy, 1, 200);
  const total = { old: { cpu: 0, wall: 0, runs: 0, failing: 0 }, now: { cpu: 0, wall: 0, runs: 0, failing: 0 } };
  const ratios: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const round = { old: 0, now: 0 };
    let k = 0;
    for (let start = 1; start <= SEEDS; start += SLICE, k++) {
      const count = Math.min(SLICE, SEEDS - start + 1);
      // A B B A: each build goes first as often as the other.
      const order = k % 2 === 0 ? [oldBuild, now] : [now, oldBuild];
      for (const b of order) {
        const m = slice(b, strategy, start, count);
        const t = b === now ? total.now : total.old;
        t.cpu += m.cpuMs;
        t.wall += m.wallMs;
        t.runs += count;
        if (r === 0) t.failing += m.failing;
        if (b === now) round.now += m.cpuMs;
        else round.old += m.cpuMs;
      }
    }
    ratios.push(round.old / round.now);
  }
  const rate = (t: { cpu: number; runs: number }) => (t.runs * 1000) / t.cpu;
  console.log(`| ${strategy} | ${Math.round(rate(total.old))} | ${Math.round(rate(total.now))} | **${(total.old.cpu / total.now.cpu).toFixed(3)}** | ${ratios.map((x) => x.toFixed(2)).join(', ')} | ${(total.old.wall / total.now.wall).toFixed(3)} | ${total.old.failing} / ${total.now.failing} |`);
}
