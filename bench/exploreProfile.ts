/**
 * Where an `explore` search tree comes from (docs/benchmarks.md, "Under the timed semantics",
 * "Where compare-and-set's tree comes from"). Runs the search loop of search.ts with the
 * explorer's own classes, and attributes every execution to the branch point that created it:
 * the decision the search backtracked to (its depth) and why that alternative was there (a race
 * between two event kinds at a node, a disabling, a doomed prefix, a fault decision). Also
 * counts sleep-set-blocked and unrealizable executions, distinct final states, and how many of
 * the prefixes the search extended reached a state it had reached before (by a different order).
 *
 *   npx tsx bench/exploreProfile.ts [--strategy compare-and-set] [--budget 5000] [--drops 1] [--pauses 1] [--scenario scenarios/explore-small.json]
 *
 * Each execution is the search loop's own step (runExecution in search.ts); only the attribution
 * wraps the explorer's private methods and reads its private fields (measurement only: never do
 * that in src/).
 */
import { loadScenario, formatProblem, STRATEGIES } from '../src/index.js';
import { InventoryWorld } from '../src/inventory/world.js';
import { scenarioBounds, type FaultBounds } from '../src/explore/exhaustive/bounds.js';
import { Execution } from '../src/explore/exhaustive/execution.js';
import { finalStateHash, finalStateLines } from '../src/explore/exhaustive/finalState.js';
import { advance, type Decision, type ScheduleDecision } from '../src/explore/exhaustive/path.js';
import { executionSetup, runExecution } from '../src/explore/exhaustive/search.js';
import { hashLines } from '../src/sim/hash.js';
import type { QueuedEvent } from '../src/sim/queue.js';
import type { Message } from '../src/sim/network.js';
import { performance } from 'node:perf_hooks';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const loaded = loadScenario(arg('scenario', 'scenarios/explore-small.json'));
if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join('\n'));
const scenario = loaded.scenario;
const strategy = STRATEGIES.get(arg('strategy', 'compare-and-set'))!;
const budget = Number(arg('budget', '5000'));
const bounds: FaultBounds = { ...scenarioBounds(scenario), drops: Number(arg('drops', '1')), pauses: Number(arg('pauses', '1')), lostReplies: Number(arg('lost-replies', '0')), duplicates: Number(arg('duplicates', '0')), declines: Number(arg('declines', '0')), crashes: Number(arg('crashes', '0')) };
// The search's own setup and step (search.ts): DPOR with sleep sets, the timed semantics.
const setup = executionSetup(scenario, bounds, strategy, { reduction: true, semantics: 'timed', lookahead: true });

// Why each alternative was added to a decision: decision -> key -> class.
const why = new WeakMap<ScheduleDecision, Map<string, string>>();
const kindOf = (key: string): string => key.split('|')[0];
const nodeOf = (key: string): string => key.split('|')[1];
const short = (key: string): string => {
  const m = /"call":"([^"]+)"/.exec(key);
  return `${kindOf(key)}@${nodeOf(key)}${m !== null && nodeOf(key) === 'db' ? `(${m[1]})` : ''}`;
};
function noteAdded(dec: ScheduleDecision, before: Set<string>, cls: string): void {
  let m = why.get(dec);
  if (m === undefined) why.set(dec, (m = new Map()));
  const added = [...dec.backtrack].filter((k) => !before.has(k));
  const c = added.length > 1 ? `${cls} (fallback: all ${added.length})` : cls;
  for (const k of added) if (!m.has(k)) m.set(k, c);
}
type Priv = { path: Decision[]; fired: Array<{ key: string; decision: number; meta: { res: readonly string[] } }>; lastDecision: number; used: Record<string, number> };
const P = Execution.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
const origReverse = P.reverse;
const shown = new Set<string>();
P.reverse = function (this: Priv, i: number, j: number) {
  const dec = this.path[this.fired[i].decision] as ScheduleDecision;
  const before = new Set(dec.backtrack);
  const r = origReverse.call(this, i, j);
  const cls = `race ${short(this.fired[i].key)} x ${short(this.fired[j].key)}`;
  if (process.env.EXAMPLE === cls && !shown.has(cls)) {
    shown.add(cls);
    console.log(`example of ${cls}: ${this.fired[i].key}  x  ${this.fired[j].key}; added ${[...dec.backtrack].filter((k) => !before.has(k)).join(' ; ')}`);
    console.log('  between: ' + this.fired.slice(i, j + 1).map((f) => f.key.slice(0, 90)).join('\n    '));
  }
  noteAdded(dec, before, cls);
  return r;
} as never;
const origDisabled = P.disabledBy;
P.disabledBy = function (this: Priv, d: number, ...rest: unknown[]) {
  const dec = this.path[d] as ScheduleDecision;
  const before = new Set(dec.backtrack);
  const r = origDisabled.call(this, d, ...rest);
  const added = [...dec.backtrack].filter((k) => !before.has(k));
  if (added.length > 0) noteAdded(dec, before, `disabled ${short(added[0])} by ${short(dec.chosen)}`);
  return r;
} as never;
const origDoom = P.checkDoom;
P.checkDoom = function (this: Priv) {
  const dec = this.lastDecision >= 0 ? (this.path[this.lastDecision] as ScheduleDecision) : null;
  const before = dec === null ? null : new Set(dec.backtrack);
  try {
    return origDoom.call(this);
  } finally {
    if (dec !== null && before !== null) noteAdded(dec, before, `doomed after ${short(dec.chosen)}`);
  }
} as never;

// States at each new decision (a prefix the search extends past the replayed path).
let world: InventoryWorld | null = null;
const statesSeen = new Set<string>();
const tracesSeen = new Set<string>();
let newDecisions = 0;
let newStateRepeat = 0;
let newTraceRepeat = 0;
const strict = new Set<string>();
let strictRepeat = 0;
const bodies = new Map<string, string>();
const origPick = P.pick;
P.pick = function (this: Priv, ready: readonly QueuedEvent[], choices: unknown) {
  const isNew = (this as unknown as { depth: number }).depth >= this.path.length;
  const r = origPick.call(this, ready, choices) as number;
  if (r >= 0 && r < ready.length) {
    const e = ready[r];
    const k = (this as unknown as { meta: Map<QueuedEvent, { key: string }> }).meta.get(e)?.key;
    if (k !== undefined) bodies.set(k, e.kind === 'deliver' ? JSON.stringify((e.arg as Message).body) : '');
  }
  if (isNew && world !== null) {
    newDecisions++;
    // The Mazurkiewicz trace of the prefix (node-level): each node's sequence of events.
    const per = new Map<string, string[]>();
    for (const f of this.fired.slice(0, -1)) for (const n of f.meta.res) (per.get(n) ?? per.set(n, []).get(n)!).push(f.key);
    const trace = hashLines([...per].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([n, ks]) => `${n} ${ks.join(' ')}`));
    if (tracesSeen.has(trace)) newTraceRepeat++;
    else tracesSeen.add(trace);
    // A global state: the domain's state, what is pending (with message bodies), the faults used,
    // each app server's history of events (its processes' inputs, by identity).
    const pend = ready.map((e) => `${e.kind}|${e.owner}|${e.kind === 'deliver' ? JSON.stringify((e.arg as Message).body) : ''}`).sort();
    const apps = [...per].filter(([n]) => n.startsWith('app')).sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([n, ks]) => `${n} ${ks.join(' ')}`);
    const st = hashLines([...finalStateLines(world), `seq ${(world.db as unknown as { seq: number }).seq}`, ...pend, JSON.stringify(this.used), ...apps]);
    // Stricter: the zone over named live variables, and each app server's inputs with their bodies.
    const lt = (this as unknown as { time: { zone: { ub(a: number, b: number): number }; slots: Map<QueuedEvent, number>; last: Map<string, number>; current: number } }).time;
    const names: Array<[string, number]> = [['0', 0], ['cur', lt.current]];
    for (const [n, s] of [...lt.last].sort((a, b) => (a[0] < b[0] ? -1 : 1))) names.push([`last:${n}`, s]);
    const pk = (this as unknown as { meta: Map<QueuedEvent, { key: string }> }).meta;
    for (const e of ready) names.push([pk.get(e)!.key, lt.slots.get(e)!]);
    names.sort((a, b) => (a[0] < b[0] ? -1 : 1));
    const zl = names.map(([a, x]) => `${a}:${names.map(([, y]) => lt.zone.ub(x, y)).join(',')}`);
    const inputs = [...per].filter(([n]) => n.startsWith('app')).sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([n, ks]) => `${n} ${ks.map((k) => `${k}=${bodies.get(k) ?? ''}`).join(' ')}`);
    const st2 = hashLines([...finalStateLines(world), `seq ${(world.db as unknown as { seq: number }).seq}`, ...pend, JSON.stringify(this.used), ...inputs, ...zl]);
    if (strict.has(st2)) strictRepeat++;
    else strict.add(st2);
    if (statesSeen.has(st)) newStateRepeat++;
    else statesSeen.add(st);
  }
  return r;
} as never;

const path: Decision[] = [];
let executions = 0;
let blocked = 0;
let unrealizable = 0;
const finals = new Set<string>();
const byClass = new Map<string, { runs: number; blocked: number; unreal: number }>();
const byDepth = new Map<number, number>();
const byKind = new Map<string, number>();
let cause = 'first';
let blockedEvents = 0;
let runEvents = 0;
let depth = 0;
const t0 = performance.now(); // wall-clock: measurement only
let more = true;
while (more && executions + blocked < budget) {
  world = null;
  const run = runExecution(path, setup, null, (w) => (world = w));
  const exec = run.exec;
  const c = byClass.get(cause) ?? byClass.set(cause, { runs: 0, blocked: 0, unreal: 0 }).get(cause)!;
  if (run.kind === 'blocked') {
    blockedEvents += exec.fired.length;
    blocked++;
    c.blocked++;
  } else {
    executions++;
    runEvents += exec.fired.length;
    c.runs++;
    if (run.kind === 'unrealizable') {
      unrealizable++;
      c.unreal++;
    } else finals.add(finalStateHash(run.world));
  }
  byDepth.set(depth, (byDepth.get(depth) ?? 0) + 1);
  more = advance(path);
  if (more) {
    depth = path.length - 1;
    const d = path[depth];
    cause = d.type === 'fault' ? `fault ${d.about.split('|')[0]}=${d.value}` : (why.get(d)?.get(d.chosen) ?? 'unknown');
    byKind.set(d.type === 'fault' ? 'fault' : 'schedule', (byKind.get(d.type === 'fault' ? 'fault' : 'schedule') ?? 0) + 1);
  }
}
const ms = performance.now() - t0; // wall-clock: measurement only
console.log(`${strategy.name} on ${scenario.name}, bounds ${JSON.stringify(bounds)}: ${more ? 'bounded' : 'exhausted'}`);
console.log(`executions ${executions} (unrealizable ${unrealizable}), blocked ${blocked}, final states ${finals.size}, ${(ms / 1000).toFixed(1)} s`);
console.log(`new decisions ${newDecisions}: prefix trace seen before ${newTraceRepeat}; global state seen before ${newStateRepeat} (distinct states ${statesSeen.size}, traces ${tracesSeen.size})`);
console.log(`events per execution: run to the end ${(runEvents / Math.max(1, executions)).toFixed(1)}, blocked ${(blockedEvents / Math.max(1, blocked)).toFixed(1)}`);
console.log(`strict states (zone, inputs with bodies): seen before ${strictRepeat}, distinct ${strict.size}`);
console.log(`branch points backtracked to: ${JSON.stringify(Object.fromEntries(byKind))}`);
console.log('\nexecutions by the reason their branch point existed (runs, of which unrealizable; blocked):');
for (const [k, v] of [...byClass].sort((a, b) => b[1].runs + b[1].blocked - a[1].runs - a[1].blocked).slice(0, 40)) console.log(`  ${String(v.runs).padStart(6)} (${String(v.unreal).padStart(5)}) ${String(v.blocked).padStart(6)}  ${k}`);
console.log('\nexecutions by depth of the branch point:');
const ds = [...byDepth].sort((a, b) => a[0] - b[0]);
const buckets = new Map<number, number>();
for (const [d, n] of ds) buckets.set(Math.floor(d / 10) * 10, (buckets.get(Math.floor(d / 10) * 10) ?? 0) + n);
for (const [d, n] of buckets) console.log(`  ${String(d).padStart(3)}-${d + 9}: ${n}`);
