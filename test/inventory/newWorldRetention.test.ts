// What links one run to the next with a new world per run (runOnce without reuseWorld: how a
// library user calls it). V8's parser marks a function literal assigned straight to a property
// (`node.handler = (call, body) => ...`) as long-lived and allocates each closure of it in the
// old generation. A world wired that way left old closures behind that, dead with their run,
// still pointed at its young objects (through their context: the node, the sim, the queue), so
// every young GC kept and promoted the whole run until the next full GC (docs/benchmarks.md,
// "Round 6c: the new-world path": 12-20 KB promoted per run against 0.1-1.2 KB).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/scenario/index.js';
import { InventoryWorld } from '../../src/inventory/world.js';
import { SeededSource } from '../../src/sim/sources.js';
import { STRATEGIES } from '../../src/inventory/strategies/index.js';
import { resolveStrategyOptions } from '../../src/inventory/strategy.js';
import { runOnce } from '../../src/explore/run.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** `x.y = (…) => …`, `x.y = function …`, `x[k] = a => …`: a function literal assigned straight to a property. */
const ASSIGNED_LITERAL = /[\w\])]\s*(\.\s*[\w$]+|\[[^\]]+\])\s*=\s*(async\s+)?(function\b|\([^()]*\)\s*(:\s*[^=;]+)?=>|[\w$]+\s*=>)/;

/** Whether a source line assigns a function literal straight to a property (comments and declarations, where a type such as `X['y']` comes before the `=`, do not). */
function assignsFunctionLiteral(line: string): boolean {
  if (/^\s*(\/\/|\*|\/\*)/.test(line) || /^\s*(export\s+)?(const|let|var)\s/.test(line)) return false;
  return ASSIGNED_LITERAL.test(line);
}

/** Where no run is: the CLI's process-level wiring, once per process (not per run). */
const OUTSIDE_RUNS = ['src/cli/'];
/** Once per strategy process in a sweep worker's watchdog (not this change's files: reported, docs/benchmarks.md). */
const KNOWN = new Set(['src/explore/worker.ts']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The minor (young-generation) collector, without starting node with --expose-gc. */
function minorGc(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (o?: { type: 'minor' | 'major' }) => void;
  return () => gc({ type: 'minor' });
}

/** Median bytes still in the heap after two young GCs per call of `make`: what a dead run kept. */
function keptPerCall(make: (i: number) => unknown): number {
  const minor = minorGc();
  for (let i = 0; i < 50; i++) make(i);
  minor();
  minor();
  const used: number[] = [];
  for (let i = 100; i < 131; i++) {
    make(i);
    minor();
    minor();
    used.push(getHeapStatistics().used_heap_size);
  }
  const d = used.slice(1).map((u, i) => u - used[i]).sort((a, b) => a - b);
  return d[d.length >> 1];
}

describe('a new world per run and the young-generation collector', () => {
  it('no function literal is assigned straight to a property in src/ (V8 allocates such closures old, and a dead old closure keeps its run young objects alive)', () => {
    const found: string[] = [];
    for (const file of sourceFiles(resolve(ROOT, 'src'))) {
      const rel = relative(ROOT, file);
      if (OUTSIDE_RUNS.some((d) => rel.startsWith(d)) || KNOWN.has(rel)) continue;
      readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
        if (assignsFunctionLiteral(line)) found.push(`${rel}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(found).toEqual([]);
  });

  it('the pattern sees the assignments it forbids (it can fail)', () => {
    for (const line of ['this.node.handler = (call, body) => {', 'db.onEvent = (e) => notes.note(e)', 'x.f = function (a) {', 'sim.onDelivery = m => 1', 'o[k] = async () => 1'])
      expect(assignsFunctionLiteral(line), line).toBe(true);
    for (const line of ['const handler: RequestHandler = (call, body) => {', 'this.node.handler = handler;', 'if (a.b === (c) => 1)', 'x.f = g(() => 1);', "const onEvent: InstantDB['onEvent'] = (e) => 1;"])
      expect(assignsFunctionLiteral(line), line).toBe(false);
  });

  it('a world built and dropped leaves nothing a young GC keeps (flash-sale, naive: 14 KB a world when its handlers were old)', () => {
    const r = loadScenarioFile(resolve(ROOT, 'scenarios', 'flash-sale.json'));
    if (!r.ok) throw new Error(JSON.stringify(r.problems[0]));
    const s = r.scenario;
    const strategy = STRATEGIES.get('naive')!;
    const options = resolveStrategyOptions(s.strategy.options);
    const kept = keptPerCall((i) => new InventoryWorld(s, { source: new SeededSource(i), strategy, options }));
    expect(kept).toBeLessThan(2_000);
  });

  it('a naive run with a new world leaves little a young GC keeps (flash-sale, naive: 1.7 KB a run when its violations were literals with getters)', () => {
    // A getter in an object literal is a closure V8 allocates old, like the assignments above
    // (src/inventory/lazyViolation.ts); every naive run is violated.
    const r = loadScenarioFile(resolve(ROOT, 'scenarios', 'flash-sale.json'));
    if (!r.ok) throw new Error(JSON.stringify(r.problems[0]));
    const strategy = STRATEGIES.get('naive')!;
    const kept = keptPerCall((seed) => runOnce(r.scenario, { seed, strategy }));
    expect(kept).toBeLessThan(800);
  });

  it('a chaos run with a new world leaves little a young GC keeps (flash-sale-chaos, reservation: ~20 KB a run when the link was there)', () => {
    const r = loadScenarioFile(resolve(ROOT, 'scenarios', 'flash-sale-chaos.json'));
    if (!r.ok) throw new Error(JSON.stringify(r.problems[0]));
    const strategy = STRATEGIES.get('reservation')!;
    const kept = keptPerCall((seed) => runOnce(r.scenario, { seed, strategy }));
    expect(kept).toBeLessThan(6_000);
  });
});
