/**
 * oversold against the seeds' own harness: a real NetworkLagDB that waits 50-200 ms of real
 * time (`setTimeout`) before executing each query, 15 concurrent naive orders on 10 vases,
 * against one simulated run of the same configuration (50-200 ms per message, 15 orders at
 * once, 10 vases, naive, no replica, no faults). The ratio is the median wall time of one real
 * run over the median wall time of one simulated run, one thread (issue 14: >= 3000x).
 *
 * The simulation does more than the harness: each call is a request and a reply, each with
 * its own 50-200 ms delay, a timeout armed per call, every event hashed into the trace, and
 * every invariant judged at the end. The harness draws its delays from Math.random (bench/
 * only: never in src/).
 *
 *   npm run build && node --import tsx bench/seedsHarness.ts [--real 9] [--simulated 2000]
 */
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { gcMode } from './gcMode.js';
import { pathToFileURL } from 'node:url';
import { runOnce, builtinStrategy } from '../dist/explore/run.js';
import { parseScenario } from '../dist/scenario/index.js';

/** The seeds' NetworkLagDB, as the kata describes it: a random 50-200 ms before any query. */
class NetworkLagDB {
  private readonly stock = new Map<string, number>([['vase', 10]]);

  private lag(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 50 + Math.floor(Math.random() * 151)));
  }

  async read(item: string): Promise<number> {
    await this.lag();
    return this.stock.get(item)!;
  }

  async write(item: string, value: number): Promise<void> {
    await this.lag();
    this.stock.set(item, value);
  }
}

/** The seeds' Part 1: read, check, write back. */
async function placeOrder(db: NetworkLagDB, item: string, qty: number): Promise<string> {
  const c = await db.read(item);
  if (c >= qty) {
    await db.write(item, c - qty);
    return 'ORDER_PLACED';
  }
  return 'OUT_OF_STOCK';
}

/** One real run: 15 concurrent orders; wall ms and how many were placed. */
async function realRun(): Promise<{ ms: number; placed: number }> {
  const db = new NetworkLagDB();
  const t0 = performance.now();
  const answers = await Promise.all(Array.from({ length: 15 }, () => placeOrder(db, 'vase', 1)));
  return { ms: performance.now() - t0, placed: answers.filter((a) => a === 'ORDER_PLACED').length };
}

export const SEEDS_CONFIG = JSON.stringify({
  name: 'seeds-harness',
  description: 'The seeds\' NetworkLagDB test: 15 concurrent naive orders, 10 vases, 50-200 ms per message, no replica, no faults.',
  items: [{ id: 'vase', stock: 10 }],
  topology: { appServers: 3, replicas: [] },
  network: { delayMsMin: 50, delayMsMax: 200 },
  workload: { generate: { count: 15, windowMs: 0, item: 'vase', qty: 1 } },
  strategy: { name: 'naive' },
});

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function seedsHarnessBench(realRuns: number, simulatedRuns: number): Promise<void> {
  const parsed = parseScenario(SEEDS_CONFIG, 'seeds-harness.json');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems[0]));
  const strategy = builtinStrategy('naive');
  for (let seed = 1; seed <= 500; seed++) runOnce(parsed.scenario, { seed, strategy });
  const sim: number[] = [];
  let simPlaced = 0;
  for (let seed = 1; seed <= simulatedRuns; seed++) {
    const t0 = performance.now();
    const r = runOnce(parsed.scenario, { seed, strategy });
    sim.push(performance.now() - t0);
    simPlaced += r.orders.placed;
  }
  const real: number[] = [];
  let realPlaced = 0;
  for (let i = 0; i < realRuns; i++) {
    const r = await realRun();
    real.push(r.ms);
    realPlaced += r.placed;
  }
  const mr = median(real);
  const ms = median(sim);
  console.log(`the seeds' harness (setTimeout NetworkLagDB, 50-200 ms, 15 orders, 10 vases) against one simulated run of it; node ${process.version}, load ${loadavg()[0].toFixed(2)}; ${gcMode()}`);
  console.log(`  real run       median ${mr.toFixed(1)} ms over ${realRuns} runs (placed ${(realPlaced / realRuns).toFixed(1)} of 15 on average)`);
  console.log(`  simulated run  median ${(ms * 1000).toFixed(0)} us over ${simulatedRuns} runs (placed ${(simPlaced / simulatedRuns).toFixed(1)} of 15 on average)`);
  console.log(`  real / simulated: ${Math.round(mr / ms)}x (goal >= 3000x)`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { real: { type: 'string', default: '9' }, simulated: { type: 'string', default: '2000' } } });
  await seedsHarnessBench(Number(values.real), Number(values.simulated));
}
