/**
 * Where the time of a run goes, from V8's sampling CPU profiler (the inspector's, started after
 * a warm-up so module loading and JIT warm-up are not in it): the share of a run spent outside
 * event processing (building the world, resolving options, judging invariants, the result),
 * the garbage collector's share, and the functions with the most self time.
 *
 *   npm run build && node --import tsx bench/runProfile.ts [--dist DIR] [--runs 3000] [--reuse]
 *
 * `--reuse`: runOnce with reuseWorld (the world reset per run, as sweeps run).
 *
 * "Inside event processing" is every sample under the kernel's event loop
 * (Kernel.runUntilQuiet); "a run" is every sample under runOnce. The collector's samples are
 * the profiler's own "(garbage collector)" node: V8 does not say which function's garbage it
 * collects, so they are reported apart and left out of both.
 */
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadavg } from 'node:os';
import { gcMode } from './gcMode.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface RunShares {
  readonly runsPerSecond: number;
  /** Share of a run's (non-GC) samples outside the kernel's event loop. */
  readonly outside: number;
  /** The garbage collector's samples over all samples taken while runs ran. */
  readonly gc: number;
  readonly top: ReadonlyArray<{ readonly name: string; readonly share: number }>;
  /** Self time of the parts outside the event loop, as shares of a run. */
  readonly parts: ReadonlyArray<{ readonly name: string; readonly share: number }>;
}

const short = (f: ProfileNode['callFrame']): string => `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;

export async function profileRuns(dist: string, file: string, strategyName: string, runs: number, reuseWorld = false): Promise<RunShares> {
  const api = await import(pathToFileURL(resolve(dist, 'index.js')).href);
  const r = api.loadScenarioFile(file);
  if (!r.ok) throw new Error(JSON.stringify(r.problems[0]));
  const strategy = api.builtinStrategy(strategyName);
  for (let seed = 1; seed <= 1000; seed++) api.runOnce(r.scenario, { seed, strategy, reuseWorld });
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  const t0 = performance.now();
  for (let seed = 1; seed <= runs; seed++) api.runOnce(r.scenario, { seed: 1_000_000 + seed, strategy, reuseWorld });
  const ms = performance.now() - t0;
  const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
  session.disconnect();

  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const time = new Map<number, number>();
  profile.samples.forEach((id, i) => time.set(id, (time.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  let inRun = 0;
  let inLoop = 0;
  let gc = 0;
  let all = 0;
  const self = new Map<string, number>();
  const outsideSelf = new Map<string, number>();
  for (const [id, t] of time) {
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)' || node.callFrame.functionName === '(program)') continue;
    all += t;
    if (node.callFrame.functionName === '(garbage collector)') {
      gc += t;
      continue;
    }
    let run = false;
    let loop = false;
    // The frame right under runOnce: which part of a run this sample is in.
    let part: string | null = null;
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      if (f.functionName === 'runUntilQuiet' && f.url.endsWith('sim/kernel.js')) loop = true;
      if (f.functionName === 'runOnce') {
        run = true;
        break;
      }
      part = short(f);
    }
    if (!run) continue;
    inRun += t;
    if (loop) inLoop += t;
    else if (part !== null) outsideSelf.set(part, (outsideSelf.get(part) ?? 0) + t);
    else outsideSelf.set('runOnce itself', (outsideSelf.get('runOnce itself') ?? 0) + t);
    const k = short(node.callFrame);
    self.set(k, (self.get(k) ?? 0) + t);
  }
  const sorted = (m: Map<string, number>, n: number, over: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, t]) => ({ name, share: t / over }));
  return {
    runsPerSecond: (runs * 1000) / ms,
    outside: (inRun - inLoop) / inRun,
    gc: gc / all,
    top: sorted(self, 15, inRun),
    parts: sorted(outsideSelf, 8, inRun),
  };
}

export function printShares(label: string, s: RunShares): void {
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  console.log(`${label}: ${s.runsPerSecond.toFixed(0)} runs/s while profiled; outside event processing ${pct(s.outside)} of a run (goal <= 20 %); garbage collector ${pct(s.gc)} of all samples`);
  console.log(`  outside the event loop, by the call under runOnce: ${s.parts.map((p) => `${p.name} ${pct(p.share)}`).join('; ')}`);
  console.log(`  most self time (share of a run): ${s.top.map((p) => `${p.name} ${pct(p.share)}`).join('; ')}`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { dist: { type: 'string', default: resolve(import.meta.dirname, '../dist') }, runs: { type: 'string', default: '3000' }, reuse: { type: 'boolean', default: false } } });
  console.log(`node ${process.version}, load ${loadavg()[0].toFixed(2)}, ${values.dist}; ${gcMode()}; ${values.reuse ? 'world reset per run (reuseWorld)' : 'a new world per run'}`);
  const scenarios = resolve(import.meta.dirname, '../scenarios');
  printShares('flash-sale (naive)', await profileRuns(values.dist!, resolve(scenarios, 'flash-sale.json'), 'naive', Number(values.runs), values.reuse));
  printShares('flash-sale-chaos (reservation)', await profileRuns(values.dist!, resolve(scenarios, 'flash-sale-chaos.json'), 'reservation', Number(values.runs), values.reuse));
}
