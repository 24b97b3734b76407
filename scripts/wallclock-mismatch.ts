// Reproduces issue 13's one unexplained mismatch (docs/notes/wallclock-mismatch.md): with
// --label, a clock read answers the kernel's label as before the fix. wall-clock-expiry, 2 orders,
// stock 1, gap 40 ms, delays <= 20 ms, one crash: the full search and DPOR execution by execution
// (the loop of search.ts, timed semantics), each final state's first execution kept, and the states
// one reaches and the other does not printed: the schedule, every clock label and clock read.
import { readFileSync } from 'node:fs';
import { parseScenario, STRATEGIES, formatProblem, type Scenario } from '../src/index.js';
import { InventoryWorld } from '../src/inventory/world.js';
import { SimNode } from '../src/sim/node.js';
import { boundedScenario, scenarioBounds, type FaultBounds } from '../src/explore/exhaustive/bounds.js';
import { Doomed, Execution, SleepBlocked } from '../src/explore/exhaustive/execution.js';
import { finalStateHash, finalStateLines } from '../src/explore/exhaustive/finalState.js';
import { advance, type Decision } from '../src/explore/exhaustive/path.js';
import { resolveOptions } from '../src/explore/run.js';
import { pauseWindow } from '../src/explore/exhaustive/search.js';
import type { Choices } from '../src/sim/choice.js';
import type { HasSubject } from '../src/sim/subjects.js';

function scenarioOf(gapMs: number): Scenario {
  const r = parseScenario(JSON.stringify({
    name: 'crash-soundness', seed: 1,
    items: [{ id: 'vase', stock: 1 }],
    topology: { appServers: 2, dbTickMs: 1000 },
    network: { delayMsMin: 10, delayMsMax: 20 },
    workload: { orders: [{ atMs: 0, app: 'app1', item: 'vase' }, { atMs: gapMs, app: 'app2', item: 'vase' }] },
    strategy: { name: 'wall-clock-expiry', options: { timeoutMs: 1000, retries: 1, leaseTicks: 2, lockAttempts: 2, conflictRetries: 1, persistAttempts: 2, backoffMs: 50 } },
    limits: { maxTimeMs: 1500, maxEvents: 400 },
    timing: 'windowed',
  }), 'crash-soundness.json');
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r.scenario;
}

interface Seen { labels: string[]; events: string[]; reads: string[]; lines: string[]; struck: string }

// Every clock read: which node, what it returned, after which fired event.
let reads: string[] = [];
// The clock label (kernel.nowMs) as each event fires, and its window as pushed.
let labels: string[] = [];
let exec: Execution | null = null;
const original = SimNode.prototype.localTime;
SimNode.prototype.localTime = function (this: SimNode): number {
  const v = original.call(this);
  reads.push(`    READ ${this.name}.localTime() = ${v}`);
  return v;
};

function search(s: Scenario, reduction: boolean, bounds: Partial<FaultBounds>): Map<string, Seen> {
  const strategy = STRATEGIES.get('wall-clock-expiry')!;
  const b: FaultBounds = { ...scenarioBounds(s), ...bounds };
  const explored = boundedScenario(s, b);
  const options = resolveOptions(explored, undefined);
  const limits = { eventsMax: explored.limits.maxEvents, timeMsMax: explored.limits.maxTimeMs };
  const path: Decision[] = [];
  const states = new Map<string, Seen>();
  let n = 0;
  let blocked = 0;
  for (let more = true; more; more = advance(path)) {
    exec = new Execution(path, b, reduction, limits.timeMsMax, null, 'timed', pauseWindow(s), true);
    reads = [];
    labels = [];
    const e = exec;
    const pick = e.pick.bind(e);
    e.pick = (ready, choices) => {
      const before = e.fired.length;
      const i = pick(ready, choices);
      if (i >= 0 && i < ready.length) {
        const x = ready[i];
        const label = Math.max(world!.sim.kernel.nowMs, x.timeMs);
        const what = e.fired.length > before ? `#${before} ${e.fired[before].key}` : `(no choice: the timer of an answered rpc) ${x.kind}|${x.owner}`;
        labels.push(`label ${label} (window [${x.timeMs}, ${x.latestMs}]) ${what}`);
        reads.push(`  fires: ${labels[labels.length - 1]}`);
      }
      return i;
    };
    let world: InventoryWorld | null = null;
    let stop = null;
    try {
      world = new InventoryWorld(explored, { source: exec, strategy, options, timing: 'windowed', scheduler: exec, readyRule: 'any', onPush: exec.onPush, access: null });
      exec.rpcs = world.sim.rpcs;
      stop = world.runUntilQuiet(limits);
      exec.finish();
    } catch (e) {
      if (!(e instanceof Doomed) && !(e instanceof SleepBlocked)) throw e;
    }
    if (stop === null) {
      if (exec.blocked) blocked++;
      continue;
    }
    n++;
    if (!exec.realizable() || world === null) continue;
    const h = finalStateHash(world);
    if (!states.has(h)) states.set(h, { labels: [...labels], events: exec.fired.map((f) => f.key), reads: [...reads], lines: finalStateLines(world), struck: JSON.stringify([...exec.struck]) });
  }
  console.log(`${reduction ? 'DPOR' : 'full'}: ${n} executions, ${blocked} blocked, ${states.size} final states`);
  return states;
}

// The kernel falls back to its label when the explorer has no clockMs (as before the fix).
// --earliest: every clock-read choice answered 0 without a decision (causal earliest readings only,
// as from the fix to the two-class readings).
type ClockMs = (this: Execution, node: HasSubject, choices: Choices) => number;
const causal: ClockMs = Execution.prototype.clockMs;
const earliestOnly: ClockMs = function (node) {
  return causal.call(this, node, { ask: () => 0 } as unknown as Choices);
};
function reads_(label: boolean): void {
  (Execution.prototype as { clockMs?: ClockMs }).clockMs = label ? undefined : process.argv.includes('--earliest') ? earliestOnly : causal;
}

function print(title: string, h: string, seen: Seen): void {
  console.log(`\n${title}: ${h}\n  ${seen.lines.join('\n  ')}\nstruck ${seen.struck}\nschedule (each event with the clock label it sets, and the clock reads it makes):`);
  for (const r of seen.reads) console.log(`  ${r}`);
}

const args = process.argv.slice(2);
const versus = args.indexOf('--versus');
if (versus >= 0) {
  // npx tsx scripts/wallclock-mismatch.ts --versus scenarios/X.json pauses=1: DPOR with label
  // readings against DPOR with causal ones; prints the states only the label reaches.
  // (--earliest: causal earliest readings only, without the late class.)
  const file = args[versus + 1];
  const r = parseScenario(readFileSync(file, 'utf8'), file);
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  const bounds = Object.fromEntries(args.slice(versus + 2).filter((a) => !a.startsWith('--')).map((a) => a.split('=')).map(([k, v]) => [k, Number(v)]));
  reads_(true);
  const label = search(r.scenario, true, bounds);
  reads_(false);
  const cause = search(r.scenario, true, bounds);
  for (const [h, seen] of label) if (!cause.has(h)) print('only with label readings', h, seen);
  for (const [h, seen] of cause) if (!label.has(h)) print('only with causal readings', h, seen);
} else {
  // npx tsx scripts/wallclock-mismatch.ts [gapMs] [crashes] [--label]: the full search against DPOR.
  reads_(args.includes('--label'));
  const nums = args.filter((a) => !a.startsWith('--')).map(Number);
  const s = scenarioOf(nums[0] ?? 40);
  const bounds = { crashes: nums[1] ?? 1 };
  const full = search(s, false, bounds);
  const dpor = search(s, true, bounds);
  for (const [h, seen] of full) if (!dpor.has(h)) print('missing in DPOR', h, seen);
  for (const [h, seen] of dpor) if (!full.has(h)) print('only in DPOR', h, seen);
}
