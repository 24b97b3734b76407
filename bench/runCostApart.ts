/**
 * runCost's chaos and naive rows with each build in a process of its own (issue 14, "runs/s
 * per thread >= 1.5x the commit before"). bench/runCost.ts runs both builds in one heap, so
 * each pays part of the other's collector work: a young GC scans whatever the other build left
 * linked to old objects (the old build still has both links round 6 cut: a Map emptied with
 * clear(), closures assigned straight to properties). Here every measurement is a fresh node
 * process that loads one build, warms it up, and times the next seeds in CPU; the sides take
 * turns round by round (A B C, B C A, C A B, ...), in one run of this script, so drift and
 * other tenants hit all sides alike.
 *
 *   npm run build && node [--no-allocation-site-pretenuring] --import tsx bench/runCostApart.ts \
 *     --old <588d119 build> [--seeds 3000] [--warmup 1000] [--rounds 6] [--scenario flash-sale-chaos --strategy reservation]
 *
 * The children inherit this process's node flags (so the GC setting is the same for every side).
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { loadavg } from 'node:os';
import { gcMode } from './gcMode.js';

const { values } = parseArgs({
  options: {
    old: { type: 'string', default: '/tmp/perf-old' },
    seeds: { type: 'string', default: '3000' },
    warmup: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '6' },
    scenario: { type: 'string', default: 'flash-sale-chaos' },
    strategy: { type: 'string', default: 'reservation' },
    child: { type: 'string' },
    reuse: { type: 'boolean', default: false },
  },
});

const seeds = Number(values.seeds);
const warmup = Number(values.warmup);

/** In a child: one build, warmed up, then runs per CPU-second over `seeds` seeds (printed as JSON). */
async function child(root: string): Promise<void> {
  const api = await import(pathToFileURL(resolve(root, 'dist/index.js')).href);
  const r = api.loadScenarioFile(resolve(root, 'scenarios', `${values.scenario}.json`));
  if (!r.ok) throw new Error(JSON.stringify(r.problems[0]));
  const strategy = api.builtinStrategy(values.strategy);
  const opts = (seed: number) => (values.reuse ? { seed, strategy, reuseWorld: true } : { seed, strategy });
  for (let seed = 1_000_001; seed < 1_000_001 + warmup; seed++) api.runOnce(r.scenario, opts(seed));
  const c0 = process.cpuUsage();
  for (let seed = 1; seed <= seeds; seed++) api.runOnce(r.scenario, opts(seed));
  const c = process.cpuUsage(c0);
  console.log(JSON.stringify({ runsPerCpuS: (seeds * 1e6) / (c.user + c.system) }));
}

function measure(root: string, reuse: boolean): number {
  const args = [...process.execArgv, process.argv[1], '--child', root, '--seeds', String(seeds), '--warmup', String(warmup), '--scenario', values.scenario!, '--strategy', values.strategy!, ...(reuse ? ['--reuse'] : [])];
  const out = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`child for ${root} failed: ${out.stderr}`);
  return (JSON.parse(out.stdout.trim().split('\n').at(-1)!) as { runsPerCpuS: number }).runsPerCpuS;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (values.child !== undefined) {
  await child(values.child);
} else {
  const root = resolve(import.meta.dirname, '..');
  const sides = [
    { name: 'old (588d119)', root: values.old!, reuse: false },
    { name: 'new world', root, reuse: false },
    { name: 'world reset', root, reuse: true },
  ];
  console.log(`${values.scenario} (${values.strategy}): each side in a process of its own, ${warmup} warm-up runs then ${seeds} timed, ${values.rounds} rounds in turns; node ${process.version}, load ${loadavg()[0].toFixed(2)}; ${gcMode()} for every side\n`);
  console.log('| round | load | old runs per CPU-s | new world | world reset | new / old | reset / old |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  const ratios: number[][] = [[], []];
  for (let r = 0; r < Number(values.rounds); r++) {
    const got: number[] = [];
    for (let i = 0; i < 3; i++) {
      const k = (i + r) % 3;
      got[k] = measure(sides[k].root, sides[k].reuse);
    }
    ratios[0].push(got[1] / got[0]);
    ratios[1].push(got[2] / got[0]);
    console.log(`| ${r + 1} | ${loadavg()[0].toFixed(2)} | ${got[0].toFixed(0)} | ${got[1].toFixed(0)} | ${got[2].toFixed(0)} | ${(got[1] / got[0]).toFixed(2)}x | ${(got[2] / got[0]).toFixed(2)}x |`);
  }
  console.log(`\nMedians: new world / old **${median(ratios[0]).toFixed(2)}x**, world reset / old **${median(ratios[1]).toFixed(2)}x** (goal >= 1.5x)`);
}
