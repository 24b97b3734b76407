import { choiceContextOf } from '../describeChoices.js';
import { randomPauseMs } from '../../sim/world.js';
import { zigzag, type Choice } from '../../sim/choice.js';
import type { MessageSubject } from '../../sim/subjects.js';
import type { TraceEvent } from '../../sim/trace.js';
import type { RunResult } from '../run.js';
import { CALL_KINDS, type Scenario, type FaultStep } from '../../scenario/index.js';
import { faultsOf, type Fault } from './faults.js';

/** A fault of the run that the scenario language can write down as a fault step. */
export interface Candidate {
  readonly fault: Fault;
  readonly step: FaultStep;
}

/** Each fault of the run as a fault step, or the reason it cannot be one. */
export function candidatesOf(scenario: Scenario, run: RunResult): { candidates: Candidate[]; unexpressed: Array<{ fault: string; why: string }> } {
  const faults = faultsOf(run.choices ?? [], scenario.faults.steps, choiceContextOf(scenario));
  const trace = run.trace ?? [];
  const orders = new Set(run.orderRecords.map((r) => r.order.id));
  const candidates: Candidate[] = [];
  const unexpressed: Array<{ fault: string; why: string }> = [];
  for (const f of faults) {
    if (f.source === 'step') {
      candidates.push({ fault: f, step: scenario.faults.steps[f.index] as FaultStep });
      continue;
    }
    if (f.kind === 'arrival') continue; // written as the explicit orders' atMs
    const choice = run.choices![f.index];
    const step = stepOf(choice, scenario, trace, orders);
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
      if (step.kind === 'delay-call' && prev.kind === 'delay-call') {
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
  if ('call' in s) return `${s.kind}|${s.call}|${s.order ?? ''}|${s.process ?? ''}|${s.attempt}|${'copy' in s ? s.copy : 0}`;
  if (s.kind === 'payment-fail') return `${s.kind}|${s.order ?? ''}|${s.process ?? ''}|${s.attempt}|${s.copy}`;
  return JSON.stringify(s);
}

/** A step's address of the call a message belongs to: the order that made it, or the named process. */
function addressOf(m: MessageSubject, orders: ReadonlySet<string>): { order: string; attempt: number } | { process: string; attempt: number } | string {
  if (orders.has(m.process)) return { order: m.process, attempt: m.attempt };
  if (/^recover-/.test(m.process)) return { process: m.process, attempt: m.attempt };
  return `its call was made by ${m.process}, which no fault step can name`;
}

/**
 * What the provider did with the charge a decline was drawn for: the choice is asked in the
 * event that charges, just before the ledger notes it, so it is the first charge event of the
 * trace after the choice.
 */
function chargeOutcome(trace: readonly TraceEvent[], c: Choice): string | null {
  for (let i = c.traceIndex; i < trace.length; i++) {
    const e = trace[i];
    if (e.type !== 'domain') continue;
    if (e.what === 'payment:charge' || e.what === 'payment:charge-declined' || e.what === 'payment:charge-dedup') return e.what;
  }
  return null;
}

/** stepOf's answer for a fault that had no effect on the run (nothing to write, nothing left out). */
const NO_EFFECT = null;

/**
 * A recorded choice as the fault step that has the same effect, or why there is none. Read
 * from the choice's subject (the message by origin, the node, the log entry), never from its
 * label.
 */
function stepOf(c: Choice, scenario: Scenario, trace: readonly TraceEvent[], orders: ReadonlySet<string>): FaultStep | string | typeof NO_EFFECT {
  const sub = c.subject;
  switch (c.kind) {
    case 'drop-request':
    case 'drop-reply':
    case 'duplicate':
    case 'delay':
    case 'payment-delay':
    case 'decline': {
      if (sub.type !== 'message') return `it is not about a message`;
      const call = sub.call;
      if (!(CALL_KINDS as readonly string[]).includes(call)) return `fault steps cannot target "${call}" calls (the scenario language knows ${CALL_KINDS.join(', ')})`;
      const addr = addressOf(sub, orders);
      if (typeof addr === 'string') return addr;
      const by = { call: call as FaultStep & { call: string } extends { call: infer C } ? C : never, ...addr };
      if (c.kind === 'drop-request') return { kind: 'drop-request', ...by } as FaultStep;
      if (c.kind === 'duplicate') return { kind: 'duplicate-request', ...by, copyExtraMs: 0, copyReplyExtraMs: 0 } as FaultStep;
      if (c.kind === 'drop-reply') return { kind: 'drop-reply', ...by, copy: sub.copy } as FaultStep;
      if (c.kind === 'decline') {
        // A retried charge the provider answers from its idempotency record: the draw changed nothing.
        const what = chargeOutcome(trace, c);
        if (what === 'payment:charge-dedup') return NO_EFFECT;
        if (what !== 'payment:charge-declined') return `no declined charge of ${sub.process} in the trace`;
        return { kind: 'payment-fail', ...addr, copy: sub.copy } as FaultStep;
      }
      // Timings. The provider's time over a charge passes before it charges, so the same
      // request arriving that much later (with payment delays pinned to their minimum)
      // charges and answers at the same moment: a delay of its request (or of its copy).
      const request = c.kind === 'payment-delay' || !sub.reply;
      if (sub.copy === 1) return request ? { kind: 'duplicate-request', ...by, copyExtraMs: c.value, copyReplyExtraMs: 0 } as FaultStep : { kind: 'duplicate-request', ...by, copyExtraMs: 0, copyReplyExtraMs: c.value } as FaultStep;
      return { kind: request ? 'delay-call' : 'delay-reply', ...by, extraMs: c.value } as FaultStep;
    }
    case 'pause': {
      // A random pause strikes as a reply reaches its process: written as a pause on that
      // delivery, it strikes at the same point of the event order (not at the start of the ms).
      if (sub.type !== 'message') return 'it is not about a message';
      const addr = addressOf(sub, orders);
      const durationMs = randomPauseMs(c.value, scenario.faults.randomPauses.durationMsMin);
      if (typeof addr === 'string' || !(CALL_KINDS as readonly string[]).includes(sub.call)) return { kind: 'pause', node: sub.to, atMs: c.timeMs, durationMs };
      return { kind: 'pause', node: sub.to, onDelivery: { call: sub.call, ...addr, reply: sub.reply, copy: sub.copy }, durationMs } as FaultStep;
    }
    case 'crash': {
      // A random crash strikes as a message reaches an app server: written as a crash step at
      // that time, restarting when the run's restart came (null: it did not before the end).
      if (sub.type !== 'message') return 'it is not about a message';
      const restart = trace.slice(c.traceIndex).find((e) => e.type === 'restart' && e.node === sub.to);
      return { kind: 'crash', node: sub.to, atMs: c.timeMs, restartAtMs: restart === undefined ? null : Math.max(restart.t, c.timeMs + 1) };
    }
    case 'clock-offset':
    case 'clock-drift': {
      if (sub.type !== 'node') return 'it is not about a node';
      const v = zigzag(c.value);
      return c.kind === 'clock-offset' ? { kind: 'clock', node: sub.node, offsetMs: v, driftPpm: 0 } : { kind: 'clock', node: sub.node, offsetMs: 0, driftPpm: v };
    }
    case 'replica-lag':
      if (sub.type !== 'log-entry') return 'it is not about a log entry';
      return { kind: 'delay-replica', replica: sub.replica, entry: sub.entry, extraMs: c.value };
    case 'replica':
      return 'which replica serves a read has no step; the exported scenario lets the seed choose';
    case 'reorder':
      return 'a message overtaking others on a FIFO link has no step';
    case 'schedule':
      return 'the order of events has no step: export writes the sampled model with delays at their minimum';
    default:
      return `no fault step for choices of kind "${c.kind}"`;
  }
}

/** The kept steps, with one clock step per node (its offset and its drift were two choices). */
export function mergeSteps(kept: readonly Candidate[]): FaultStep[] {
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
  // Pauses on a delivery have no time of their own here; the kernel handles their overlaps.
  const timed = (x: FaultStep | null): x is Extract<FaultStep, { kind: 'pause' | 'crash' }> & { atMs: number } =>
    x !== null && (x.kind === 'crash' || (x.kind === 'pause' && x.atMs !== undefined));
  const nodes = new Set(steps.flatMap((x) => (timed(x) ? [x.node] : [])));
  for (const node of nodes) {
    const idx = out.flatMap((x, i) => (timed(x) && x.node === node ? [i] : []));
    idx.sort((a, b) => (out[a] as { atMs: number }).atMs - (out[b] as { atMs: number }).atMs);
    let prev: number | null = null;
    const endOf = (x: FaultStep): number => (x.kind === 'pause' ? (x.atMs ?? 0) + x.durationMs : x.kind === 'crash' ? (x.restartAtMs ?? Infinity) : 0);
    for (const i of idx) {
      const cur = out[i]!;
      const p = prev === null ? null : out[prev];
      if (p && timed(cur) && cur.atMs < endOf(p)) {
        if (cur.kind === 'pause' && p.kind === 'pause') {
          out[prev!] = { ...p, durationMs: Math.max(endOf(p), endOf(cur)) - (p.atMs ?? 0) };
          out[i] = null;
          continue;
        }
        if (cur.kind === 'pause') {
          out[i] = null; // starts while the node is down
          continue;
        }
        if (p.kind === 'pause' && cur.kind === 'crash') {
          const d = cur.atMs - (p.atMs ?? 0);
          out[prev!] = d >= 1 ? { ...p, durationMs: d } : null;
        }
      }
      prev = i;
    }
  }
  return out.filter((x): x is FaultStep => x !== null);
}
