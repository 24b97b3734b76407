/**
 * Exploration benchmark (not a test): sweep throughput on worker threads and memory over a
 * long sweep. Workers run compiled code, so build first:
 *
 *   npm run build && npx tsx bench/explore.ts [--runs 96000] [--memory-runs 200000]
 *     [--skip-shrink] [--skip-export] [--export-seeds 200] [--skip-jit] [--skip-throughput] [--skip-memory]
 *     [--strategy NAME]   (BENCH_ROUNDS=5)
 *
 * With `node --expose-gc --import tsx bench/explore.ts` the memory table samples the main
 * thread's heap right after a full GC (what it retains rather than where its GC happens to be).
 *
 * Prints markdown tables for docs/benchmarks.md ("Exploration"). Timing is wall-clock, so
 * run it on an otherwise idle machine; the load average is printed alongside.
 */
import { availableParallelism, loadavg } from 'node:os';
import { ceiling } from './ceiling.js';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadScenarioFile, type Scenario } from '../dist/scenario/index.js';
import { sweepParallel } from '../dist/explore/parallel.js';
import { checkStrategy } from '../dist/explore/check.js';
import { describeKnobs } from '../dist/report/knobs.js';
import { placedOrderCountOf } from '../dist/scenario/shape.js';
import { STRATEGIES } from '../dist/inventory/strategies/index.js';
import { tuneGcForSweeps } from '../dist/explore/gcTuning.js';
import { runOnce } from '../dist/explore/run.js';
import { loadSqlParser } from '../dist/inventory/sql/parse.js';
import { answersOf } from '../dist/explore/replayFile.js';
import { exportScenario } from '../dist/explore/minimise/export.js';

const ROOT = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '96000' },
    'memory-runs': { type: 'string', default: '200000' },
    'skip-memory': { type: 'boolean', default: false },
    'skip-throughput': { type: 'boolean', default: false },
    'skip-shrink': { type: 'boolean', default: false },
    'skip-jit': { type: 'boolean', default: false },
    'skip-export': { type: 'boolean', default: false },
    'export-seeds': { type: 'string', default: '200' },
    strategy: { type: 'string', default: 'reservation' },
  },
});
const RUNS = Number(values.runs);
const MEMORY_RUNS = Number(values['memory-runs']);
const STRATEGY = values.strategy!;
const EXPORT_SEEDS = Number(values['export-seeds']);
// As the CLI does (src/explore/gcTuning.ts); OVERSOLD_V8_DEFAULTS=1 measures V8's defaults.
const TUNED = tuneGcForSweeps();
console.log(`V8 allocation-site pretenuring: ${TUNED ? 'off (as the CLI runs)' : 'on (OVERSOLD_V8_DEFAULTS=1)'}`);

function load(name: string): Scenario {
  const r = loadScenarioFile(resolve(ROOT, 'scenarios', `${name}.json`));
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.scenario;
}

const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
const load1 = () => loadavg()[0].toFixed(2);

/** CPU seconds used per wall second over the last timedSweep (all threads of the process). */
let lastCores = 0;

async function timedSweep(scenario: Scenario, workers: number, count: number, start = 1): Promise<number> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await sweepParallel({ scenario, strategy: STRATEGY, cwd: ROOT, start, count, workers });
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  lastCores = (c.user + c.system) / 1000 / ms;
  if (r.tally.runs !== count) throw new Error(`ran ${r.tally.runs} of ${count}`);
  return (count * 1000) / ms;
}

/** The middle value; of an even count the mean of the two middle ones (the upper one alone flattered: 2 quiet rounds of 1.78x and 2.41x read 2.41x). */
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[h] : (s[h - 1] + s[h]) / 2;
}

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

/**
 * What `oversold sweep --json` reports as runs/s (the sweep itself, not node's start-up): the
 * command exactly as users run it, including its relaunch with per-thread GC on every core.
 */
function cliSweep(workers: number, count: number): number {
  const r = spawnSync(process.execPath, [resolve(ROOT, 'dist/cli/main.js'), 'sweep', resolve(ROOT, 'scenarios/flash-sale-chaos.json'), '--strategy', STRATEGY, '--seeds', String(count), '--workers', String(workers), '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const report = JSON.parse(r.stdout) as { runs: number; runsPerSecond: number };
  if (report.runs !== count) throw new Error(`the CLI ran ${report.runs} of ${count}`);
  return report.runsPerSecond;
}

/**
 * Deoptimisations in one thread over a sweep, per built-in strategy. Every deopt throws away
 * optimised code that a compiler thread must build again, and in a sweep on every core that
 * compiler thread takes CPU from a simulation thread: a field that changes representation
 * mid-sweep (a -0 in an integer field did) costs every thread. A handful is normal warm-up.
 */
function jitStability(): void {
  const seeds = 3000;
  console.log(`\n## JIT stability: deoptimisations in one thread over ${seeds} seeds of flash-sale-chaos (node --trace-deopt)\n`);
  console.log('| strategy | deopts | most frequent (function @ bytecode offset: reason) |');
  console.log('| --- | --- | --- |');
  for (const name of STRATEGIES.keys()) {
    const code = [
      `import { sweepInline, builtinStrategy, tuneGcForSweeps, loadScenarioFile, loadSqlParser } from ${JSON.stringify(resolve(ROOT, 'dist/index.js'))};`,
      'tuneGcForSweeps();',
      // SQL strategies parse their statements with libpg-query, which loads asynchronously.
      'await loadSqlParser();',
      `const r = loadScenarioFile(${JSON.stringify(resolve(ROOT, 'scenarios/flash-sale-chaos.json'))});`,
      `for (let s = 1; s <= ${seeds}; s += 256) sweepInline(r.scenario, { start: s, count: Math.min(256, ${seeds + 1} - s), strategy: builtinStrategy(${JSON.stringify(name)}) });`,
    ].join('\n');
    const r = spawnSync(process.execPath, ['--trace-deopt', '--input-type=module', '-e', code], { encoding: 'utf8', maxBuffer: 256 << 20 });
    if (r.status !== 0) throw new Error(`deopt probe for ${name} failed: ${r.stderr}`);
    const where = new Map<string, number>();
    let n = 0;
    for (const m of r.stdout.matchAll(/\[bailout \(kind: [^,]*, reason: ([^)]*)\): begin\. deoptimizing \S+ <JSFunction (\S*) .*?bytecode offset (\d+)/g)) {
      n++;
      const k = `${m[2] || '(anonymous)'} @${m[3]}: ${m[1]}`;
      where.set(k, (where.get(k) ?? 0) + 1);
    }
    const top = [...where].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([k, c]) => `${k}${c > 1 ? ` (${c}x)` : ''}`);
    console.log(`| ${name} | ${n} | ${top.join('; ') || '-'} |`);
  }
}

async function throughput(): Promise<void> {
  const scenario = load('flash-sale-chaos');
  console.log(`\n## Throughput: flash-sale-chaos, strategy ${STRATEGY}, ${RUNS} seeds per measurement, ${availableParallelism()} vCPUs, ${ROUNDS} rounds\n`);
  console.log('API: sweepParallel in this process (node defaults but no pretenuring). CLI: `oversold sweep --json`, a fresh process each time.\n');
  // Warm-up (JIT, worker start, module load).
  await timedSweep(scenario, 2, 500, 1_000_000);
  console.log('| round | machine ceiling (2 threads vs 1) | API 1 worker runs/s (cores busy) | API 2 workers runs/s (cores busy) | API 2 vs 1 | CLI 1 worker runs/s | CLI 2 workers runs/s | CLI 2 vs 1 |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  const rows: Array<{ c: number; one: number; two: number; c1: number; c2: number; cli1: number; cli2: number }> = [];
  for (let rep = 0; rep < ROUNDS; rep++) {
    const c = await ceiling();
    const one = await timedSweep(scenario, 1, RUNS);
    const c1 = lastCores;
    const two = await timedSweep(scenario, 2, RUNS);
    const c2 = lastCores;
    const cli1 = cliSweep(1, RUNS);
    const cli2 = cliSweep(2, RUNS);
    rows.push({ c, one, two, c1, c2, cli1, cli2 });
    console.log(`| ${rep + 1} | ${c.toFixed(2)}x | ${Math.round(one)} (${c1.toFixed(2)}) | ${Math.round(two)} (${c2.toFixed(2)}) | ${(two / one).toFixed(2)}x | ${Math.round(cli1)} | ${Math.round(cli2)} | **${(cli2 / cli1).toFixed(2)}x** |`);
  }
  const quiet = rows.filter((r) => r.c >= 1.9);
  const pick = quiet.length > 0 ? quiet : rows;
  const m = (f: (r: (typeof rows)[number]) => number) => median(pick.map(f));
  console.log(`\nRounds with the machine at full strength (ceiling >= 1.9x): ${quiet.length} of ${rows.length}. Medians over ${quiet.length > 0 ? 'those' : 'all rounds'}:`);
  console.log(`- CLI: 1 worker ${Math.round(m((r) => r.cli1))} runs/s, 2 workers ${Math.round(m((r) => r.cli2))} runs/s, 2 vs 1 **${m((r) => r.cli2 / r.cli1).toFixed(2)}x** (target >= 1.8x)`);
  console.log(`- API: 1 worker ${Math.round(m((r) => r.one))} runs/s, 2 workers vs 1 ${m((r) => r.two / r.one).toFixed(2)}x; runs per CPU-second: 1 worker ${Math.round(m((r) => r.one / r.c1))}, 2 workers ${Math.round(m((r) => r.two / r.c2))}`);
}

async function memory(): Promise<void> {
  const scenario = load('flash-sale-chaos');
  const gcAtStart = (globalThis as { gc?: () => void }).gc;
  console.log(`\n## Memory over a ${MEMORY_RUNS}-run sweep (2 workers, strategy ${STRATEGY})\n`);
  console.log(`RSS is the whole process (main thread and both workers); heapUsed is the main thread, which holds the tally${gcAtStart ? ' (measured right after a full GC: --expose-gc)' : ''}.\n`);
  console.log('| runs | RSS MB | main heapUsed MB | runs/s so far |');
  console.log('| --- | --- | --- | --- |');
  const every = Math.max(1, Math.floor(MEMORY_RUNS / 10));
  let done = 0;
  let nextMark = every;
  const t0 = performance.now();
  const samples: number[] = [];
  // With --expose-gc the main thread is collected before each sample: its heapUsed is then
  // what it really retains (the tally), not where its lazy GC happens to be.
  const gc = (globalThis as { gc?: () => void }).gc;
  const mark = () => {
    gc?.();
    const m = process.memoryUsage();
    samples.push(m.rss);
    console.log(`| ${done} | ${mb(m.rss)} | ${mb(m.heapUsed)} | ${Math.round(done / ((performance.now() - t0) / 1000))} |`);
  };
  mark();
  const r = await sweepParallel({
    scenario,
    strategy: STRATEGY,
    cwd: ROOT,
    start: 1,
    count: MEMORY_RUNS,
    workers: 2,
    onProgress: (n) => {
      done += n;
      if (done >= nextMark) {
        nextMark += every;
        mark();
      }
    },
  });
  const s = (performance.now() - t0) / 1000;
  console.log(`\n${r.tally.runs} runs in ${s.toFixed(0)} s (${Math.round(r.tally.runs / s)} runs/s), ${r.tally.failingSeeds.length} failing seeds; RSS from the 20% mark to the end: ${mb(samples[2])} -> ${mb(samples.at(-1)!)} MB; load ${load1()}`);
}

/**
 * How often `oversold export` turns a failing run into a scenario that breaks the same invariant
 * with no seed luck: every failing run of flash-sale-chaos seeds 1..EXPORT_SEEDS per broken
 * strategy (deterministic). A miss means a timing or fault the scenario language cannot write
 * down. Runs where a random pause struck as a reply arrived are counted apart: export writes
 * them as a pause on that delivery, which strikes at the same point of the event order.
 */
function exports(): void {
  const chaos = load('flash-sale-chaos');
  console.log(`\n## Export: failing runs of flash-sale-chaos seeds 1..${EXPORT_SEEDS} written as scenarios\n`);
  console.log('| strategy | failing runs | exports that reproduce | of them with a random pause on a delivery (reproduced) | steps kept (median) | timings or faults left out | simulations spent (median) |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const s of [...STRATEGIES.values()].filter((x) => !x.safe)) {
    let reproduced = 0;
    let leftOut = 0;
    let paused = 0;
    let pausedReproduced = 0;
    const steps: number[] = [];
    const spent: number[] = [];
    const misses: number[] = [];
    let failing = 0;
    for (let seed = 1; seed <= EXPORT_SEEDS; seed++) {
      const run = runOnce(chaos, { seed, strategy: s, recordChoices: true });
      if (run.verdict !== 'violated') continue;
      failing++;
      const e = exportScenario({ scenario: chaos, strategy: s, strategyRef: s.name, answers: answersOf(run), origin: `seed ${seed}` });
      const struck = run.choices!.some((c) => c.kind === 'pause' && c.value > 0);
      if (struck) paused++;
      if (e.reproduces) {
        reproduced++;
        if (struck) pausedReproduced++;
      } else misses.push(seed);
      leftOut += e.unexpressed.length;
      steps.push(e.steps.length);
      spent.push(e.runs);
    }
    const missed = misses.length > 0 ? ` (not: seeds ${misses.join(', ')})` : '';
    console.log(`| ${s.name} | ${failing} | **${reproduced}/${failing}**${missed} | ${paused} (${pausedReproduced}) | ${median(steps)} | ${leftOut} | ${median(spent)} |`);
  }
}

/** Shrunk counterexample sizes of every broken strategy (deterministic; time is wall-clock). */
function shrinks(): void {
  const chaos = load('flash-sale-chaos');
  const noDuplicates = structuredClone(chaos);
  noDuplicates.network.duplicatePerMille = 0;
  const FAULTS = ['drop-request', 'drop-reply', 'duplicate', 'pause', 'decline', 'clock-offset', 'clock-drift'];
  console.log('\n## Shrunk counterexamples: `check` on flash-sale-chaos, fast-check seeds 1..5, budget 300 runs\n');
  console.log('| strategy | seed | found after (runs) | shrinks | orders | stock | faults (kind) | other non-zero choices | invariants | time |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  const cases = [...STRATEGIES.values()].filter((s) => !s.safe).map((s) => ({ s, scenario: chaos, label: s.name }));
  const retry = STRATEGIES.get('retry-without-idempotency');
  if (retry) cases.push({ s: retry, scenario: noDuplicates, label: `${retry.name} (duplicatePerMille 0)` });
  for (const { s, scenario, label } of cases) {
    for (let seed = 1; seed <= 5; seed++) {
      const t0 = performance.now();
      const r = checkStrategy(scenario, s, { numRuns: 300, seed });
      const ms = Math.round(performance.now() - t0);
      const ce = r.counterexample;
      if (!ce) {
        console.log(`| ${label} | ${seed} | not found | | | | | | | ${ms} ms |`);
        continue;
      }
      const faults = [
        ...ce.shrunkChoices.filter((c) => FAULTS.includes(c.kind)).map((c) => c.kind),
        ...ce.scenario.faults.steps.map((st) => `${st.kind} step`),
      ];
      const others = ce.shrunkChoices.filter((c) => !FAULTS.includes(c.kind)).length;
      const inv = [...new Set(ce.violations.map((v) => v.invariant))].join(', ');
      console.log(`| ${label} | ${seed} | ${r.runs} | ${r.shrinks} | ${placedOrderCountOf(ce.scenario)} | ${ce.scenario.items.map((i) => i.stock).join('+')} | ${faults.length}${faults.length ? ` (${faults.join(', ')})` : ''} | ${others} | ${inv} | ${ms} ms |`);
      if (seed === 1) console.error(`  ${label}: ${describeKnobs(scenario, ce.knobs)}; ${ce.shrunkChoices.map((c) => c.text).join('; ')}`);
    }
  }
}

// The broken SQL strategies run SQL: the parser loads once, before the first of them.
if (!values['skip-shrink']) {
  await loadSqlParser();
  shrinks();
}
if (!values['skip-export']) exports();
if (!values['skip-jit']) jitStability();
if (!values['skip-throughput']) await throughput();
if (!values['skip-memory']) await memory();
