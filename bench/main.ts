/**
 * `npm run bench`: kernel events/s (generator processes next to the bare heap loop, in the
 * same process, interleaved), flash-sale runs/s, and oversold against fast-check's scheduler on
 * the naive race (bench/fcScheduler.ts), and one simulated run against one run of the seeds' own
 * setTimeout harness (bench/seedsHarness.ts). Results and how to read them:
 * docs/benchmarks.md. No test asserts on any of these numbers.
 */
import { bareHeapLoop, generatorSleepers, generatorRpc } from './kernel.js';
import { runOnce } from '../dist/explore/run.js';
import { loadScenarioFile } from '../dist/scenario/index.js';
import { fcSchedulerBench } from './fcScheduler.js';
import { seedsHarnessBench } from './seedsHarness.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 2_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function fmt(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(0);
}

function scenarioRunsPerSecond(file: string, strategy: string | undefined, seconds: number): number {
  const r = loadScenarioFile(file);
  if (!r.ok) throw new Error(`${file}: ${JSON.stringify(r.problems)}`);
  const opts = strategy ? { options: {} } : {};
  let runs = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    runOnce(r.scenario, { seed: runs + 1, ...opts });
    runs++;
  }
  return (runs * 1000) / (performance.now() - t0);
}

const bare: number[] = [];
const sleepers: number[] = [];
const rpcs: number[] = [];
// Warm up the JIT on every variant, then interleave rounds so drift hits all alike.
bareHeapLoop(200_000);
generatorSleepers(200_000);
generatorRpc(200_000);
for (let i = 0; i < ROUNDS; i++) {
  bare.push(bareHeapLoop(EVENTS));
  sleepers.push(generatorSleepers(EVENTS));
  rpcs.push(generatorRpc(EVENTS));
}
const b = median(bare);
const s = median(sleepers);
const r = median(rpcs);
console.log(`kernel, 32 processes, ${fmt(EVENTS)} events x ${ROUNDS} rounds (median), node ${process.version}`);
console.log(`  bare heap loop (ceiling)               ${fmt(b)} events/s   1.00`);
console.log(`  generator processes, sleep loop        ${fmt(s)} events/s   ${(s / b).toFixed(2)} of bare (goal >= 0.50)`);
console.log(`  generator processes, rpc via network   ${fmt(r)} events/s   ${(r / b).toFixed(2)} of bare (choices + hashed trace)`);
const fs = scenarioRunsPerSecond('scenarios/flash-sale.json', undefined, 3);
console.log(`flash-sale (naive, 15 orders): ${fmt(fs)} runs/s in one thread`);
await fcSchedulerBench(Number(process.env.BENCH_FC_RUNS ?? 2000), ROUNDS);
await seedsHarnessBench(Number(process.env.BENCH_REAL_RUNS ?? 9), 2000);
