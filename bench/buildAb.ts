/**
 * This build against another, in one process, on one scenario: runs per CPU-second of each
 * build, a new world per run and the world reset, the four sides interleaved in turns of
 * `--slice` runs (A B C D, B C D A, ...), and this/other per round. For checking that a change
 * costs nothing under one GC setting: with `--no-allocation-site-pretenuring` the two builds
 * do not disturb each other's collections; under V8's defaults a build that gets its sites
 * pretenured slows the collections of both (run them in separate processes, as
 * bench/fcScheduler.ts does, to compare GC behaviour). docs/benchmarks.md, "Round 6".
 *
 *   npm run build && node [--no-allocation-site-pretenuring] --import tsx bench/buildAb.ts \
 *     --old /tmp/pt-base [--scenario scenarios/flash-sale.json] [--strategy naive] [--rounds 10] [--slice 1000]
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { loadavg } from 'node:os';
import { gcMode } from './gcMode.js';

type RunOnce = (s: unknown, o: { seed: number; strategy: unknown; reuseWorld?: boolean }) => unknown;

async function sides(dist: string, scenario: string, strategyName: string): Promise<Array<(runs: number, seed0: number) => number>> {
  const run = (await import(pathToFileURL(resolve(dist, 'explore/run.js')).href)) as { runOnce: RunOnce; builtinStrategy: (n: string) => unknown };
  const sc = (await import(pathToFileURL(resolve(dist, 'scenario/index.js')).href)) as { loadScenarioFile: (p: string) => { ok: boolean; scenario?: unknown; problems?: unknown[] } };
  const r = sc.loadScenarioFile(scenario);
  if (!r.ok) throw new Error(JSON.stringify(r.problems?.[0]));
  const strategy = run.builtinStrategy(strategyName);
  return [false, true].map((reuseWorld) => (runs: number, seed0: number) => {
    const c0 = process.cpuUsage();
    for (let seed = seed0; seed < seed0 + runs; seed++) run.runOnce(r.scenario, reuseWorld ? { seed, strategy, reuseWorld } : { seed, strategy });
    const c = process.cpuUsage(c0);
    return (runs * 1e6) / (c.user + c.system);
  });
}

function median(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[xs.length >> 1];
}

export async function buildAb(old: string, scenario: string, strategy: string, rounds: number, slice: number): Promise<void> {
  const [oldNew, oldReset] = await sides(resolve(old, 'dist'), scenario, strategy);
  const [thisNew, thisReset] = await sides(resolve(import.meta.dirname, '../dist'), scenario, strategy);
  const all = [oldNew, thisNew, oldReset, thisReset];
  for (const s of all) s(300, 1);
  const got: number[][] = all.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < all.length; i++) {
      const k = (i + r) % all.length;
      got[k].push(all[k](slice, r * slice + 1));
    }
  }
  const row = (name: string, o: number[], t: number[]) =>
    `  ${name.padEnd(12)} other ${median(o).toFixed(0).padStart(6)}, this ${median(t).toFixed(0).padStart(6)} runs per CPU-s: **${(median(t) / median(o)).toFixed(2)}x** (rounds ${t.map((x, i) => (x / o[i]).toFixed(2)).join(', ')})`;
  console.log(`${scenario} (${strategy}), this build against ${old}: ${slice} runs x ${rounds} rounds per side, interleaved; node ${process.version}, load ${loadavg()[0].toFixed(2)}; ${gcMode()}`);
  console.log(row('new world', got[0], got[1]));
  console.log(row('world reset', got[2], got[3]));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      old: { type: 'string' },
      scenario: { type: 'string', default: 'scenarios/flash-sale.json' },
      strategy: { type: 'string', default: 'naive' },
      rounds: { type: 'string', default: '10' },
      slice: { type: 'string', default: '1000' },
    },
  });
  if (values.old === undefined) throw new Error('bench/buildAb.ts: --old <folder with a built dist/> is required');
  await buildAb(values.old, values.scenario, values.strategy, Number(values.rounds), Number(values.slice));
}
