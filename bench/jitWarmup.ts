/**
 * What each sweep worker pays to warm up its JIT, counted rather than timed (not a test; Linux
 * only). Every worker isolate compiles its own optimised code on V8's helper threads: that
 * compile time H is a fixed cost per worker, paid twice by a 2-worker sweep, and the bound on
 * 2-vs-1 scaling is 2S / (S + 2H + M) (docs/benchmarks.md, "Sweep scaling"). Wall-clock and
 * even CPU time are distorted by a loaded machine; the number of optimised compiles, of
 * recompiles (a function compiled again after a deoptimisation) and of deoptimisations are
 * not. Each measurement is a fresh process (`node --single-threaded-gc --trace-opt
 * --trace-deopt`, as the CLI's sweep runs) sweeping with one worker thread; it also reads the
 * CPU time of every thread (/proc/self/task/<tid>/schedstat, nanoseconds) for H.
 *
 * `--workers 2`: the same for a 2-worker sweep (counts and S summed over both workers; each
 * isolate's compiles are its own, so a recompile is one function compiled again in one isolate).
 *
 * The counts include the main thread's few compiles (loading the scenario, the pool), the same
 * for every build. Build first (workers run compiled code):
 *
 *   npm run build && npx tsx bench/jitWarmup.ts [--runs 24000] [--rounds 2] [--workers 1] [--dist /tmp/old/dist --dist dist]
 *     [--v8= --v8=--no-lazy-feedback-allocation]   (V8 flags to compare, each against every build)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { dist: { type: 'string', multiple: true }, runs: { type: 'string', default: '24000' }, rounds: { type: 'string', default: '2' }, workers: { type: 'string', default: '1' }, strategy: { type: 'string', default: 'reservation' }, scenario: { type: 'string', default: 'flash-sale-chaos' }, v8: { type: 'string', multiple: true } } });
const flagSets = (values.v8 ?? ['']).map((f) => f.split(' ').filter((x) => x !== ''));
const dists = (values.dist ?? ['dist']).map((d) => resolve(ROOT, d));

/** The child: one 1-worker sweep, then the CPU of each thread (the ended worker's is the process's rest). */
const child = (dist: string) => `
import { readdirSync, readFileSync } from 'node:fs';
const ns = () => { const m = new Map(); for (const t of readdirSync('/proc/self/task')) { try { m.set(Number(t), Number(readFileSync('/proc/self/task/' + t + '/schedstat', 'utf8').split(' ')[0])); } catch {} } return m; };
const { loadScenarioFile } = await import(${JSON.stringify(resolve(dist, 'scenario/index.js'))});
const { sweepParallel } = await import(${JSON.stringify(resolve(dist, 'explore/parallel.js'))});
const { tuneGcForSweeps } = await import(${JSON.stringify(resolve(dist, 'explore/gcTuning.js'))});
tuneGcForSweeps();
const loaded = loadScenarioFile(${JSON.stringify(resolve(ROOT, 'scenarios', `${values.scenario}.json`))});
const before = ns(); const c0 = process.cpuUsage();
const r = await sweepParallel({ scenario: loaded.scenario, strategy: ${JSON.stringify(values.strategy)}, cwd: ${JSON.stringify(ROOT)}, start: 1, count: ${Number(values.runs)}, workers: ${Number(values.workers)} });
const c = process.cpuUsage(c0); const after = ns();
let main = 0, helpers = 0;
for (const [tid, v] of after) { const d = (v - (before.get(tid) ?? 0)) / 1e6; if (tid === process.pid) main = d; else helpers += d; }
const total = (c.user + c.system) / 1000;
console.log('CPU ' + JSON.stringify({ runs: r.tally.runs, main: Math.round(main), sim: Math.round(total - main - helpers), helpers: Math.round(helpers) }));
`;

interface Counts {
  compiles: number;
  recompiles: number;
  deopts: number;
  main: number;
  sim: number;
  helpers: number;
  /** TurboFan's own account of its compiles: the sum of each one's three phases ("took a, b, c ms"), wall time of the thread that ran each. */
  compileMs: number;
}

function measure(dist: string, flags: readonly string[]): Counts {
  // A file, not -e: tsx's loader (inherited through NODE_OPTIONS) refuses --input-type.
  const dir = mkdtempSync(join(tmpdir(), 'jit-warmup-'));
  const file = join(dir, 'child.mjs');
  writeFileSync(file, child(dist));
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const r = spawnSync(process.execPath, ['--single-threaded-gc', '--trace-opt', '--trace-deopt', ...flags, file], { encoding: 'utf8', maxBuffer: 256 << 20, env });
  rmSync(dir, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
  const seen = new Set<string>();
  let compiles = 0;
  let recompiles = 0;
  let deopts = 0;
  let compileMs = 0;
  type Cpu = { main: number; sim: number; helpers: number };
  let cpu: Cpu | null = null;
  for (const line of r.stdout.split('\n')) {
    const m = /^\[completed compiling \S+ <JSFunction \S* \(sfi = (\S+)\)>.* took ([\d.]+), ([\d.]+), ([\d.]+) ms/.exec(line);
    if (m) {
      compiles++;
      compileMs += Number(m[2]) + Number(m[3]) + Number(m[4]);
      if (seen.has(m[1])) recompiles++;
      seen.add(m[1]);
    } else if (line.startsWith('[bailout (kind: deopt')) deopts++;
    else if (line.startsWith('CPU ')) cpu = JSON.parse(line.slice(4)) as Cpu;
  }
  const done = cpu as Cpu | null;
  if (done === null) throw new Error('child printed no CPU line');
  return { compiles, recompiles, deopts, main: done.main, sim: done.sim, helpers: done.helpers, compileMs: Math.round(compileMs) };
}

console.log(`${values.workers}-worker sweep of ${values.scenario} --strategy ${values.strategy}, ${values.runs} seeds per measurement; load ${loadavg().map((x) => x.toFixed(2)).join(' ')}\n`);
console.log('| build | V8 flags | round | optimised compiles | of them recompiles | deoptimisations | main thread CPU ms (M) | simulation thread CPU ms (S) | V8 helper threads CPU ms (H) | TurboFan compile ms (its own account) | 2S / (S + 2H + M) (1 worker) |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (let round = 1; round <= Number(values.rounds); round++) {
  for (const d of dists) for (const flags of flagSets) {
    const m = measure(d, flags);
    const bound = (2 * m.sim) / (m.sim + 2 * m.helpers + m.main);
    console.log(`| ${d.replace(ROOT + '/', '')} | ${flags.join(' ') || '(none)'} | ${round} | ${m.compiles} | ${m.recompiles} | ${m.deopts} | ${m.main} | ${m.sim} | ${m.helpers} | ${m.compileMs} | ${values.workers === '1' ? `${bound.toFixed(2)}x` : ''} |`);
  }
}
console.log(`\nload after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
