import { ListSource } from '../sim/sources.js';
import { zigzag, type Choice } from '../sim/choice.js';
import type { TraceEvent } from '../sim/trace.js';
import { runOnce, type RunResult } from '../explore/run.js';
import { CALL_KINDS, parseScenario, type Scenario, type FaultStep } from '../scenario/index.js';
import type { Strategy } from '../inventory/strategy.js';
import { Budget, ddmin } from './ddmin.js';
import { describeStep, faultsOf, NothingToExplainError, type Fault } from './faults.js';

/** What `oversold export` starts from: a failing run as its replay file holds it. */
export interface ExportInput {
  readonly scenario: Scenario;
  readonly strategy: Strategy;
  /** How the exported file names the strategy: a built-in name or a module path. */
  readonly strategyRef: string;
  readonly choices: readonly number[];
  readonly instantDb?: boolean;
  /** Where the run came from, for the description (e.g. the replay file name). */
  readonly origin: string;
}

/** A fault of the run that the scenario language can write down as a fault step. */
interface Candidate {
  readonly fault: Fault;
  readonly step: FaultStep;
}

export interface ExportResult {
  /** The scenario file to write (input form: every field explicit, editable). */
  readonly scenario: Record<string, unknown>;
  /** The faults written as steps (after shrinking), in words. */
  readonly steps: readonly string[];
  /** Faults of the run the scenario language cannot express, and what was done instead. */
  readonly unexpressed: ReadonlyArray<{ readonly fault: string; readonly why: string }>;
  /** Invariants the recorded run broke. */
  readonly target: readonly string[];
  /** Invariants the exported scenario breaks when run (it must share one with `target`). */
  readonly breaks: readonly string[];
  readonly reproduces: boolean;
  readonly runs: number;
}

/**
 * Turns a failing run into an editable scenario that breaks the same invariant with no seed
 * luck: the arrivals become explicit orders, every random fault rate is set to 0 and every
 * delay range is pinned to its minimum, and the faults that mattered become explicit fault
 * steps (a lost reply becomes `drop-reply` of the k-th call of that kind, a random pause a
 * `pause` step, a slow request `delay-call`, ...). Delta debugging over those steps keeps only
 * the ones the violation needs, each candidate verified by running the written scenario.
 */
export function exportScenario(input: ExportInput, opts: { maxRuns?: number } = {}): ExportResult {
  const budget = new Budget(opts.maxRuns ?? 1000);
  const base = runOnce(input.scenario, {
    strategy: input.strategy, source: new ListSource(input.choices, 'recorded'), instantDb: input.instantDb, keepTrace: true, recordChoices: true,
  });
  const target: string[] = [...new Set(base.violations.map((v) => v.invariant))];
  if (target.length === 0) throw new NothingToExplainError(`the run of ${input.origin}`);
  const { candidates, unexpressed } = candidatesOf(input.scenario, base);
  const build = (kept: readonly Candidate[]) => scenarioInput(input, base, mergeSteps(kept), target);
  const breaksOf = (kept: readonly Candidate[]): string[] => {
    const parsed = parseScenario(JSON.stringify(build(kept)), 'export.json');
    // A combination the language refuses (e.g. steps that collide) cannot be the answer.
    if (!parsed.ok) return [];
    const r = runOnce(parsed.scenario, { strategy: input.strategy, instantDb: input.instantDb });
    return [...new Set(r.violations.map((v) => v.invariant))];
  };
  const fails = (kept: readonly Candidate[]) => breaksOf(kept).some((i) => target.includes(i));
  // Pinning delays changes the run, so the full set may no longer break it: then try
  // without the delay steps, then only the scenario's own steps, then nothing at all.
  const tries = [
    candidates,
    candidates.filter((c) => c.fault.category === 'fault'),
    candidates.filter((c) => c.fault.source === 'step'),
    [],
  ];
  let start: Candidate[] | null = null;
  let tried = -1;
  for (const t of tries) {
    if (t.length === tried) continue; // nested filters: the same length is the same set
    tried = t.length;
    budget.used++;
    if (fails(t)) {
      start = t;
      break;
    }
  }
  const kept = start === null ? candidates : ddmin(start, fails, budget);
  budget.used++;
  const breaks = breaksOf(kept);
  const shared = target.filter((i) => breaks.includes(i));
  return {
    // The file expects what it was verified to break.
    scenario: { ...build(kept), expect: { violations: shared.length > 0 ? shared : target } },
    steps: mergeSteps(kept).map((x) => describeStep(x)),
    unexpressed,
    target,
    breaks,
    reproduces: breaks.some((i) => target.includes(i)),
    runs: budget.used,
  };
}

/** Each fault of the run as a fault step, or the reason it cannot be one. */
function candidatesOf(scenario: Scenario, run: RunResult): { candidates: Candidate[]; unexpressed: Array<{ fault: string; why: string }> } {
  const faults = faultsOf(run.choices ?? [], scenario.faults.steps);
  const trace = run.trace ?? [];
  const candidates: Candidate[] = [];
  const unexpressed: Array<{ fault: string; why: string }> = [];
  for (const f of faults) {
    if (f.source === 'step') {
      candidates.push({ fault: f, step: scenario.faults.steps[f.index] as FaultStep });
      continue;
    }
    if (f.kind === 'arrival') continue; // written as the explicit orders' atMs
    const choice = run.choices![f.index];
    const step = stepOf(choice, scenario, trace, run.choices!);
    if (step === NO_EFFECT) continue;
    if (typeof step === 'string') {
      unexpressed.push({ fault: f.text, why: step });
      continue;
    }
    const same = candidates.findIndex((c) => stepKey(c.step) === stepKey(step));
    if (same < 0) candidates.push({ fault: f, step });
    else {
      const prev = candidates[same].step;
      // A charge delayed on the wire and at the provider: one delay-call step, the two added.
      if (f.kind === 'payment-delay' && step.kind === 'delay-call' && prev.kind === 'delay-call') {
        candidates[same] = { ...candidates[same], step: { ...prev, extraMs: prev.extraMs + step.extraMs } };
      }
      // The copy of a duplicated request, late: the duplicate-request step says by how much.
      if (step.kind === 'duplicate-request' && prev.kind === 'duplicate-request') {
        // (A scenario's own step may have had one already: the drawn part comes on top.)
        const add = (a: number | undefined, b: number | undefined) => (a ?? 0) + (b ?? 0);
        candidates[same] = { ...candidates[same], step: { ...prev, copyExtraMs: add(prev.copyExtraMs, step.copyExtraMs), copyReplyExtraMs: add(prev.copyReplyExtraMs, step.copyReplyExtraMs) } };
      }
    }
  }
  return { candidates, unexpressed };
}

/** Steps the scenario language counts as the same fault (it refuses a file that repeats one). */
function stepKey(s: FaultStep): string {
  return 'call' in s ? `${s.kind}|${s.call}|${s.nth}` : JSON.stringify(s);
}

const MESSAGE_LABEL = /^(\S+)->(\S+) (\S+)( reply)? rpc(\d+)/;
/** Whether a delay choice is the second one drawn under its message's label: the duplicate copy's. */
function isCopyDelay(choices: readonly Choice[], c: Choice): boolean {
  for (const o of choices) {
    if (o.index >= c.index) return false;
    if (o.kind === 'delay' && o.label === c.label) return true;
  }
  return false;
}

/** The world's label of a replica-lag choice: "replica1 applies log entry 7 (seq 6)". */
const REPLICA_LAG_LABEL = /^(replica\d+) applies log entry (\d+)/;

/**
 * The rpc of the charge request whose arrival asked payment-delay choice `c`. The payment node
 * draws the delay as it receives a request, so the k-th such choice at a moment belongs to the
 * k-th charge delivered to it at that moment. (Not by order id: a recovery process charges on
 * behalf of an order under its own name.)
 */
function chargeRpc(trace: readonly TraceEvent[], choices: readonly Choice[], c: Choice): number | null {
  let k = 0;
  for (const o of choices) {
    if (o.index >= c.index) break;
    if (o.kind === 'payment-delay' && o.timeMs === c.timeMs) k++;
  }
  for (const e of trace) {
    if (e.t > c.timeMs) break;
    if (e.t === c.timeMs && e.type === 'deliver' && !e.reply && e.call === 'charge' && e.to === 'payment' && k-- === 0) return e.rpc;
  }
  return null;
}

/** The k (1-based) such that the request of `rpc` was the k-th request of its call kind sent. */
function nthCall(trace: readonly TraceEvent[], call: string, rpc: number): number | null {
  let n = 0;
  for (const e of trace) {
    if (e.type !== 'send' || e.reply || e.call !== call) continue;
    n++;
    if (e.rpc === rpc) return n;
  }
  return null;
}

/** The charge of `order` the provider handled at `atMs` or after: its place among all charges and what became of it. */
function chargeOf(trace: readonly TraceEvent[], order: string, atMs: number): { nth: number; what: string } | null {
  let n = 0;
  for (const e of trace) {
    if (e.type !== 'domain' || !/^payment:charge(-declined|-dedup)?$/.test(e.what)) continue;
    n++;
    if (e.order === order && e.t >= atMs) return { nth: n, what: e.what };
  }
  return null;
}

/** stepOf's answer for a fault that had no effect on the run (nothing to write, nothing left out). */
const NO_EFFECT = null;

/** A recorded choice as the fault step that has the same effect, or why there is none. */
function stepOf(c: Choice, scenario: Scenario, trace: readonly TraceEvent[], choices: readonly Choice[]): FaultStep | string | typeof NO_EFFECT {
  const m = MESSAGE_LABEL.exec(c.label);
  switch (c.kind) {
    case 'drop-request':
    case 'drop-reply':
    case 'duplicate':
    case 'delay': {
      if (!m) return `no message in its label "${c.label}"`;
      const [, , , call, reply, rpc] = m;
      if (!(CALL_KINDS as readonly string[]).includes(call)) return `fault steps cannot target "${call}" calls (the scenario language knows ${CALL_KINDS.join(', ')})`;
      const nth = nthCall(trace, call, Number(rpc));
      if (nth === null) return `its request (rpc ${rpc}) is not in the trace`;
      // The second delay drawn under one request's label is its network copy's (a duplicate),
      // and under its reply's label the second reply's: fields of the duplicate-request step.
      if (c.kind === 'delay' && isCopyDelay(choices, c)) return { kind: 'duplicate-request', call, nth, ...(reply ? { copyReplyExtraMs: c.value } : { copyExtraMs: c.value }) } as FaultStep;
      if (c.kind === 'delay') return { kind: reply ? 'delay-reply' : 'delay-call', call, nth, extraMs: c.value } as FaultStep;
      const kind = c.kind === 'duplicate' ? 'duplicate-request' : c.kind;
      return { kind, call, nth } as FaultStep;
    }
    case 'pause': {
      const node = c.label.split(' ')[0];
      return { kind: 'pause', node, atMs: c.timeMs, durationMs: Math.max(c.value, scenario.faults.randomPauses.durationMsMin, 1) };
    }
    case 'clock-offset':
    case 'clock-drift': {
      const node = c.label.split(' ')[0];
      const v = zigzag(c.value);
      return c.kind === 'clock-offset' ? { kind: 'clock', node, offsetMs: v, driftPpm: 0 } : { kind: 'clock', node, offsetMs: 0, driftPpm: v };
    }
    case 'decline': {
      const order = /charge (\S+)/.exec(c.label)?.[1] ?? '';
      const charge = chargeOf(trace, order, c.timeMs);
      // A retried charge the provider answers from its idempotency record: the draw changed nothing.
      if (charge?.what === 'payment:charge-dedup') return NO_EFFECT;
      return charge?.what === 'payment:charge-declined' ? { kind: 'payment-fail', nth: charge.nth } : `no declined charge of ${order} in the trace`;
    }
    case 'replica-lag': {
      const lag = REPLICA_LAG_LABEL.exec(c.label);
      if (!lag) return `no replica and log entry in its label "${c.label}"`;
      return { kind: 'delay-replica', replica: lag[1], entry: Number(lag[2]), extraMs: c.value };
    }
    case 'payment-delay': {
      // The provider's time over one charge is drawn when the request arrives and passes
      // before the charge is made, so the same request arriving that much later (delay-call,
      // with payment delays pinned to their minimum) charges and answers at the same moment.
      const rpc = chargeRpc(trace, choices, c);
      const nth = rpc === null ? null : nthCall(trace, 'charge', rpc);
      return nth === null ? `no charge request reaching the payment node at ${c.timeMs} ms in the trace` : { kind: 'delay-call', call: 'charge', nth, extraMs: c.value };
    }
    case 'replica':
      return 'which replica serves a read has no step; the exported scenario lets the seed choose';
    default:
      return `no fault step for choices of kind "${c.kind}"`;
  }
}

/** The kept steps, with one clock step per node (its offset and its drift were two choices). */
function mergeSteps(kept: readonly Candidate[]): FaultStep[] {
  const steps: FaultStep[] = [];
  for (const { step } of kept) {
    const prev = step.kind === 'clock' ? steps.find((x) => x.kind === 'clock' && x.node === step.node) : undefined;
    if (prev && prev.kind === 'clock' && step.kind === 'clock') {
      steps[steps.indexOf(prev)] = { ...prev, offsetMs: prev.offsetMs + step.offsetMs, driftPpm: prev.driftPpm + step.driftPpm };
    } else {
      steps.push(step);
    }
  }
  return withoutOverlaps(steps);
}

/**
 * A node is paused or crashed once at a time in a scenario file, but random pauses may have
 * overlapped in the run (a pause extended by another, a crash during a pause). Overlapping
 * pauses merge; a pause that runs into a crash ends at the crash; one that starts while the
 * node is down is dropped (the kernel ignored it too).
 */
function withoutOverlaps(steps: readonly FaultStep[]): FaultStep[] {
  const out: Array<FaultStep | null> = [...steps];
  const nodes = new Set(steps.flatMap((x) => (x.kind === 'pause' || x.kind === 'crash' ? [x.node] : [])));
  for (const node of nodes) {
    const idx = out.flatMap((x, i) => (x && (x.kind === 'pause' || x.kind === 'crash') && x.node === node ? [i] : []));
    idx.sort((a, b) => (out[a] as { atMs: number }).atMs - (out[b] as { atMs: number }).atMs);
    let prev: number | null = null;
    const endOf = (x: FaultStep): number => (x.kind === 'pause' ? x.atMs + x.durationMs : x.kind === 'crash' ? (x.restartAtMs ?? Infinity) : 0);
    for (const i of idx) {
      const cur = out[i]!;
      const p = prev === null ? null : out[prev];
      if (p && cur.kind !== 'clock' && 'atMs' in cur && cur.atMs < endOf(p)) {
        if (cur.kind === 'pause' && p.kind === 'pause') {
          out[prev!] = { ...p, durationMs: Math.max(endOf(p), endOf(cur)) - p.atMs };
          out[i] = null;
          continue;
        }
        if (cur.kind === 'pause') {
          out[i] = null; // starts while the node is down
          continue;
        }
        if (p.kind === 'pause' && cur.kind === 'crash') {
          const d = cur.atMs - p.atMs;
          out[prev!] = d >= 1 ? { ...p, durationMs: d } : null;
        }
      }
      prev = i;
    }
  }
  return out.filter((x): x is FaultStep => x !== null);
}

/** The exported scenario in input form: calm network, explicit orders, the kept steps. */
function scenarioInput(input: ExportInput, run: RunResult, steps: readonly FaultStep[], target: readonly string[]): Record<string, unknown> {
  const s = input.scenario;
  const pin = <T extends { delayMsMin: number; delayMsMax: number }>(x: T): T => ({ ...x, delayMsMax: x.delayMsMin });
  return {
    name: `${s.name}-found`,
    description: `Exported by oversold export from ${input.origin}: ${input.strategyRef} breaks ${target.join(', ')}. ` +
      'Random fault rates are 0 and delays are pinned to their minimum, so only the steps below and the order arrival times ' +
      `decide the run. Faults kept: ${steps.length === 0 ? 'none (timing alone)' : steps.map((x) => describeStep(x)).join('; ')}.`,
    seed: s.seed,
    items: s.items,
    topology: { ...s.topology, replicas: s.topology.replicas.map((r) => ({ lagMsMin: r.lagMsMin, lagMsMax: r.lagMsMin })) },
    network: { ...pin(s.network), dropRequestPerMille: 0, dropReplyPerMille: 0, duplicatePerMille: 0, links: s.network.links.map(pin) },
    payment: { ...pin(s.payment), failPerMille: 0 },
    workload: { orders: run.orderRecords.map((r) => ({ atMs: r.order.atMs, app: r.order.app, lines: r.order.lines.map((l) => ({ item: l.item, qty: l.qty })) })) },
    faults: {
      untilMs: s.faults.untilMs,
      randomPauses: { ...s.faults.randomPauses, perMille: 0 },
      clockSkew: { offsetMsMax: 0, driftPpmMax: 0 },
      steps,
    },
    strategy: { name: input.strategyRef, options: s.strategy.options },
    limits: s.limits,
    expect: { violations: target },
  };
}
