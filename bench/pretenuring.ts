/**
 * What V8's allocation-site pretenuring does to oversold's runs under V8's defaults (a library
 * user's process: vitest, a script calling runOnce), issue 14 and docs/benchmarks.md, "Round 6:
 * pretenuring under V8's defaults". Three tables, each from child processes started with the V8
 * flags they need (flags that trace or expose V8 cannot be set from library code, nor here):
 *
 * 1. kinds: which ways of making an object carry an allocation site (V8 reports its statistics
 *    only for tracked sites) and so can be pretenured. Each "run" keeps 50 000 objects alive
 *    while it allocates garbage, as a run keeps its world. On node 20: literals and `new Array`
 *    do; `new SomeClass()`, `slice`, `concat` and `Array.of` do not.
 * 2. sites: allocation sites V8 decided to pretenure over a run loop (--trace-pretenuring
 *    --trace-pretenuring-statistics), naive flash-sale and flash-sale-chaos (reservation), a new
 *    world per run and the world reset.
 * 3. old objects: after that loop, the objects one run made that are already in the old
 *    generation right after it (two young GCs just before it, none during it): the pretenured
 *    ones, by their path from the run's result. Finds the literal to change without knowing
 *    V8's site addresses.
 *
 *   npm run build && node --import tsx bench/pretenuring.ts [--runs 6000]
 *
 * Not part of `npm run bench`: a diagnostic. Imports the compiled dist/.
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const CASES = [
  { scenario: 'scenarios/flash-sale.json', strategy: 'naive' },
  { scenario: 'scenarios/flash-sale-chaos.json', strategy: 'reservation' },
] as const;
const KINDS = ['literal', 'empty literal', 'new Array', 'class', 'slice', 'concat', 'Array.of'] as const;

const self = fileURLToPath(import.meta.url);

function child(v8Flags: readonly string[], args: readonly string[]): string {
  const r = spawnSync(process.execPath, [...v8Flags, '--import', 'tsx', self, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`child ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return r.stdout;
}

/** Distinct allocation sites in a --trace-pretenuring-statistics log, and those decided "tenure". */
function siteCounts(log: string): { seen: number; tenured: number } {
  const seen = new Set<string>();
  const tenured = new Set<string>();
  for (const m of log.matchAll(/AllocationSite\((0x[0-9a-f]+)\)[^\n]*?=> (\w+)/g)) {
    seen.add(m[1]);
    if (m[2] === 'tenure') tenured.add(m[1]);
  }
  return { seen: seen.size, tenured: tenured.size };
}

// ---- children ----

class Box {
  constructor(
    readonly a: number,
    readonly b: null,
  ) {}
}
const NO_ELEMENTS: number[] = [];

function make(kind: string, i: number): unknown {
  switch (kind) {
    case 'literal': return { a: i, b: null };
    case 'empty literal': return [];
    case 'new Array': return new Array(2);
    case 'class': return new Box(i, null);
    case 'slice': return NO_ELEMENTS.slice();
    case 'concat': return NO_ELEMENTS.concat(i);
    case 'Array.of': return Array.of(i);
  }
  throw new Error(kind);
}

function kindChild(kind: string): void {
  let garbage = 0;
  for (let run = 0; run < 300; run++) {
    const keep: unknown[] = [];
    for (let j = 0; j < 50_000; j++) keep.push(make(kind, j));
    for (let j = 0; j < 2_000; j++) garbage += String(j).length;
  }
  if (garbage < 0) console.log(garbage);
}

async function runsChild(scenario: string, strategy: string, reuse: boolean, runs: number, old: boolean): Promise<void> {
  const { runOnce, builtinStrategy } = await import('../dist/explore/run.js');
  const { loadScenarioFile } = await import('../dist/scenario/index.js');
  const r = loadScenarioFile(scenario);
  if (!r.ok) throw new Error(JSON.stringify(r.problems[0]));
  const s = builtinStrategy(strategy);
  const run = (seed: number) => runOnce(r.scenario, reuse ? { seed, strategy: s, reuseWorld: true } : { seed, strategy: s });
  for (let seed = 1; seed <= runs; seed++) run(seed);
  if (!old) return;
  const young = new Function('o', 'return %InYoungGeneration(o)') as (o: unknown) => boolean;
  const gc = (globalThis as unknown as { gc: (o: { type: string }) => void }).gc;
  const counts = new Map<string, number>();
  const reps = 20;
  for (let rep = 0; rep < reps; rep++) {
    const before = new WeakSet<object>();
    walk(run(runs + 1 + 2 * rep), (o) => before.add(o));
    gc({ type: 'minor' });
    gc({ type: 'minor' });
    walk(run(runs + 2 + 2 * rep), (o, path) => {
      if (before.has(o) || young(o)) return;
      const shape = Array.isArray(o) ? 'Array' : `${o.constructor?.name ?? 'Object'}{${Object.keys(o).slice(0, 6).join(',')}}`;
      const key = `${path}  ${shape}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    });
  }
  for (const [k, n] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`${(n / reps).toFixed(2).padStart(8)}  ${k}`);
}

/** Every object reachable from `root` through own properties, array elements, Map and Set entries, once, with the first path found. */
function walk(root: unknown, visit: (o: object, path: string) => void): void {
  const seen = new Set<object>();
  const stack: Array<[unknown, string]> = [[root, 'result']];
  while (stack.length > 0) {
    const [o, path] = stack.pop()!;
    if (o === null || typeof o !== 'object' || seen.has(o)) continue;
    seen.add(o);
    visit(o, path);
    if (o instanceof Map) for (const [k, v] of o) stack.push([k, `${path}<key>`], [v, `${path}{}`]);
    else if (o instanceof Set) for (const v of o) stack.push([v, `${path}<in>`]);
    if (Array.isArray(o)) {
      for (const v of o) stack.push([v, `${path}[]`]);
    } else if (!ArrayBuffer.isView(o)) {
      for (const k of Object.keys(o)) {
        const d = Object.getOwnPropertyDescriptor(o, k);
        if (d !== undefined && 'value' in d) stack.push([d.value, `${path}.${k}`]);
      }
    }
  }
}

// ---- parent ----

function main(runs: number): void {
  console.log(`pretenuring under V8's defaults; node ${process.version}, load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log('1. which allocations carry an allocation site (300 runs x 50 000 objects kept per run):');
  for (const kind of KINDS) {
    const { seen, tenured } = siteCounts(child(['--trace-pretenuring', '--trace-pretenuring-statistics'], ['--child', 'kind', '--kind', kind]));
    console.log(`   ${kind.padEnd(14)} ${seen > 0 ? 'tracked' : 'no site'} (${seen} sites in the statistics, ${tenured} tenured)`);
  }
  console.log(`2. allocation sites V8 pretenured over ${runs} runs (one process each):`);
  for (const c of CASES) {
    for (const reuse of [false, true]) {
      const { tenured } = siteCounts(child(['--trace-pretenuring', '--trace-pretenuring-statistics'], ['--child', 'runs', '--scenario', c.scenario, '--strategy', c.strategy, '--runs', String(runs), ...(reuse ? ['--reuse'] : [])]));
      console.log(`   ${c.scenario} (${c.strategy}), ${reuse ? 'world reset' : 'new world  '}: ${tenured} sites tenured (all sites of the process, tsx's and loading's included)`);
    }
  }
  console.log(`3. objects one run made that are old right after it (per run, mean of 20, after ${runs} runs):`);
  for (const c of CASES) {
    for (const reuse of [false, true]) {
      const out = child(['--expose-gc', '--allow-natives-syntax'], ['--child', 'old', '--scenario', c.scenario, '--strategy', c.strategy, '--runs', String(runs), ...(reuse ? ['--reuse'] : [])]);
      console.log(`   ${c.scenario} (${c.strategy}), ${reuse ? 'world reset' : 'new world'}:${out.trim() === '' ? ' none' : `\n${out.trimEnd()}`}`);
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '6000' },
      child: { type: 'string' },
      kind: { type: 'string' },
      scenario: { type: 'string' },
      strategy: { type: 'string' },
      reuse: { type: 'boolean', default: false },
    },
  });
  if (values.child === 'kind') kindChild(values.kind!);
  else if (values.child === 'runs' || values.child === 'old') await runsChild(values.scenario!, values.strategy!, values.reuse, Number(values.runs), values.child === 'old');
  else main(Number(values.runs));
}
