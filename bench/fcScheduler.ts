/**
 * oversold against fast-check's own scheduler on the race a user could write in ten lines
 * (issue 14): 15 orders, 10 vases, read-then-write. Both sides run interleaved in one
 * process, round by round, and the table gives runs per CPU-second (user + system time of the
 * process: on a shared machine the wall clock measures the other tenants as much as us), the
 * ratio, and what each side does per
 * run (oversold: kernel events and questions asked of fate; fast-check: scheduled tasks
 * released). No extra work on either side: oversold is `runOnce` on the naive flash-sale
 * (no faults, sampled timing, the default scheduler, trace hashed as always, every invariant
 * judged); fast-check is `fc.assert(fc.asyncProperty(fc.scheduler(), ...))` exactly as below.
 * oversold is measured twice: runOnce as a library user calls it (a new world per run) and with
 * `reuseWorld` (the world reset per run: what `oversold sweep` runs per seed). The three sides
 * take turns round by round (A B C, B C A, C A B, ...).
 *
 *   npm run build && node --import tsx bench/fcScheduler.ts [--runs 2000] [--rounds 5]
 *
 * Part of `npm run bench`. Imports the compiled dist/ (what users run).
 */
import fc from 'fast-check';
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { gcMode } from './gcMode.js';
import { runOnce } from '../dist/explore/run.js';
import { builtinStrategy } from '../dist/explore/run.js';
import { loadScenarioFile } from '../dist/scenario/index.js';

interface Side {
  readonly runsPerSecond: number;
  /** What one run does, averaged: events and choices (oversold) or scheduled tasks (fast-check). */
  readonly perRun: Record<string, number>;
  /** Runs that sold more than 10 vases: the race was there to find. */
  readonly oversoldRuns: number;
}

/** The fast-check baseline, exactly the shape of the issue. */
export async function fastCheckSide(numRuns: number, seed: number): Promise<Side> {
  let tasks = 0;
  let oversoldRuns = 0;
  const c0 = process.cpuUsage();
  await fc.assert(
    fc.asyncProperty(fc.scheduler(), async (s) => {
      const db = new Map<string, number>([['vase', 10]]);
      const read = s.scheduleFunction(async (k: string) => db.get(k)!);
      const write = s.scheduleFunction(async (k: string, v: number) => {
        db.set(k, v);
      });
      const orders: Array<Promise<string>> = [];
      for (let i = 0; i < 15; i++) {
        orders.push(
          (async () => {
            const c = await read('vase');
            if (c >= 1) {
              await write('vase', c - 1);
              return 'PLACED';
            }
            return 'OUT';
          })(),
        );
      }
      const answers = await s.waitFor(Promise.all(orders));
      let placed = 0;
      for (const a of answers) if (a === 'PLACED') placed++;
      if (placed > 10) oversoldRuns++;
      tasks += s.report().length;
    }),
    { numRuns, seed },
  );
  const ms = cpuMs(c0);
  return { runsPerSecond: (numRuns * 1000) / ms, perRun: { 'scheduled tasks': tasks / numRuns }, oversoldRuns };
}

/** oversold's side: the naive flash-sale, seeds from `seed0`. */
export function oversoldSide(runs: number, seed0: number, reuseWorld = false): Side {
  const r = loadScenarioFile('scenarios/flash-sale.json');
  if (!r.ok) throw new Error(JSON.stringify(r.problems[0]));
  const strategy = builtinStrategy('naive');
  let events = 0;
  let choices = 0;
  let oversoldRuns = 0;
  const c0 = process.cpuUsage();
  for (let seed = seed0; seed < seed0 + runs; seed++) {
    const x = runOnce(r.scenario, reuseWorld ? { seed, strategy, reuseWorld } : { seed, strategy });
    events += x.events;
    choices += x.choicesAsked;
    if (x.orders.placed > 10) oversoldRuns++;
  }
  const ms = cpuMs(c0);
  return { runsPerSecond: (runs * 1000) / ms, perRun: { events: events / runs, choices: choices / runs }, oversoldRuns };
}

/** CPU milliseconds of this process since `c0` (every thread: the collector's helpers too). */
function cpuMs(c0: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function fcSchedulerBench(runs: number, rounds: number): Promise<void> {
  // Warm every side up, then rotate which side goes first (A B C, B C A, ...) so drift hits all alike.
  await fastCheckSide(200, 1);
  oversoldSide(200, 1);
  oversoldSide(200, 1, true);
  const fcs: Side[] = [];
  const ovs: Side[] = [];
  const res: Side[] = [];
  for (let r = 0; r < rounds; r++) {
    const turns = [
      async () => void fcs.push(await fastCheckSide(runs, r + 1)),
      async () => void ovs.push(oversoldSide(runs, r * runs + 1)),
      async () => void res.push(oversoldSide(runs, r * runs + 1, true)),
    ];
    for (let i = 0; i < 3; i++) await turns[(i + r) % 3]();
  }
  const f = median(fcs.map((s) => s.runsPerSecond));
  const o = median(ovs.map((s) => s.runsPerSecond));
  const z = median(res.map((s) => s.runsPerSecond));
  const fTasks = fcs[0].perRun['scheduled tasks'];
  const oChoices = ovs[0].perRun.choices;
  const perRound = ovs.map((s, i) => (s.runsPerSecond / fcs[i].runsPerSecond).toFixed(2)).join(', ');
  console.log(`the naive race, 15 orders on 10 vases: ${runs} runs x ${rounds} rounds (median), interleaved; node ${process.version}, load ${loadavg()[0].toFixed(2)}; ${gcMode()} for both sides (fast-check runs in this process too)`);
  console.log(`  fast-check scheduler      ${f.toFixed(0).padStart(6)} runs per CPU-s   per run: ${fTasks.toFixed(1)} scheduled tasks; oversold in ${fcs[0].oversoldRuns}/${runs} runs`);
  console.log(`  oversold (flash-sale)     ${o.toFixed(0).padStart(6)} runs per CPU-s   per run: ${ovs[0].perRun.events.toFixed(1)} events, ${oChoices.toFixed(1)} choices; oversold in ${ovs[0].oversoldRuns}/${runs} runs`);
  console.log(`  oversold / fast-check     ${(o / f).toFixed(2)}x per run (rounds: ${perRound}; goal >= 1.5x), ${((o * oChoices) / (f * fTasks)).toFixed(2)}x per decision (goal >= 4.5x)`);
  const perRoundReset = res.map((s, i) => (s.runsPerSecond / fcs[i].runsPerSecond).toFixed(2)).join(', ');
  console.log(`  oversold, world reset     ${z.toFixed(0).padStart(6)} runs per CPU-s   (runOnce with reuseWorld: a sweep's runs); oversold in ${res[0].oversoldRuns}/${runs} runs`);
  console.log(`  reset / fast-check        ${(z / f).toFixed(2)}x per run (rounds: ${perRoundReset}; goal >= 1.5x), ${((z * oChoices) / (f * fTasks)).toFixed(2)}x per decision (goal >= 4.5x)`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '5' } } });
  await fcSchedulerBench(Number(values.runs), Number(values.rounds));
}
