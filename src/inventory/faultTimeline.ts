import type { Sim } from '../sim/world.js';
import type { SimNode } from '../sim/node.js';
import type { CallFault, Message } from '../sim/network.js';
import { zigzag } from '../sim/choice.js';
import type { GlobalSubject, HasSubject, StepSubject } from '../sim/subjects.js';
import { messageKey, originOf, type CallAddressConfig, type FaultStepConfig, type LegacyHit, type MessageAddressConfig } from './faultSteps.js';
import type { FaultsConfig } from './worldConfig.js';
import type { ServiceNodes } from './wiring.js';
import { MARK_CLOCK_SKEW, stepMark } from './faultMarks.js';

/**
 * The fault timeline: everything a scenario's faults section puts into a run, before it
 * starts. Each app server's random clock skew (a choice, zigzag-encoded so that 0 is an exact
 * clock); then each step, in file order, handed to where it acts: a clock step to its node,
 * a call fault to the network (by origin), a pause on a delivery to the delivery hook, a
 * declined charge to the payment node, a late log entry to its replica; and the timed steps
 * (pauses, crashes and restarts, partitions and heals, the end of the fault phase) as events.
 */
export function scheduleFaults(sim: Sim, faults: FaultsConfig, nodes: ServiceNodes, onLegacyHit: LegacyHit | undefined): void {
  for (const node of nodes.apps) {
    const off = zigzag(sim.choices.between('faults', 'clock-offset', 0, 2 * faults.clockSkew.offsetMsMax, node));
    const drift = zigzag(sim.choices.between('faults', 'clock-drift', 0, 2 * faults.clockSkew.driftPpmMax, node));
    // Both compared on every pass (not `off !== 0 || drift !== 0`): a compare that no run has
    // reached yet when TurboFan compiles this has no type feedback, and the first run that
    // reaches it (an exact clock offset, a rare draw) deoptimised it in every sweep thread.
    const offSkewed = off !== 0;
    const driftSkewed = drift !== 0;
    if (offSkewed || driftSkewed) {
      setClock(sim, node, off, drift);
      sim.marks.hit(MARK_CLOCK_SKEW);
    }
  }
  const deliveryPauses = new DeliveryPauses(sim);
  const callFault = (index: number, step: CallAddressConfig & { readonly call: string }, fault: CallFault): void => {
    const marked: CallFault = { ...fault, mark: stepMark(index) };
    if (step.nth !== undefined) sim.network.addLegacyCallFault(step.call, step.nth, marked, (m) => onLegacyHit?.(index, m));
    else sim.network.addCallFault(originOf(step), step.call, step.attempt ?? 1, marked);
  };
  faults.steps.forEach((step, index) => {
    switch (step.kind) {
      case 'pause':
        // A pause addressed to a message's delivery strikes where a random pause would;
        // a timed one is scheduled below, in step order, with the other timed steps.
        if (step.onDelivery !== undefined) deliveryPauses.add(step.onDelivery, step.node, step.durationMs, index);
        break;
      case 'crash':
      case 'partition':
        break;
      case 'clock':
        setClock(sim, sim.node(step.node), step.offsetMs, step.driftPpm);
        if (step.offsetMs !== 0 || step.driftPpm !== 0) sim.marks.hit(stepMark(index));
        break;
      case 'drop-request':
        callFault(index, step, { kind: step.kind });
        break;
      case 'drop-reply':
        callFault(index, step, { kind: step.kind, copy: step.copy ?? 0 });
        break;
      case 'duplicate-request':
        callFault(index, step, { kind: step.kind, copyExtraMs: step.copyExtraMs, copyReplyExtraMs: step.copyReplyExtraMs });
        break;
      case 'delay-call':
        callFault(index, step, { kind: step.kind, extraMs: step.extraMs });
        break;
      case 'delay-reply':
        callFault(index, step, { kind: step.kind, extraMs: step.extraMs, copy: step.copy ?? 0 });
        break;
      case 'payment-fail':
        nodes.payment.declineOnStep(index, step);
        break;
      case 'delay-replica':
        // Read when the entry commits (Replica.committed).
        nodes.replicas.find((r) => r.name === step.replica)?.delayEntry(step.entry, step.extraMs, stepMark(index));
        break;
    }
  });
  if (deliveryPauses.size > 0) {
    // A local first (src/sim/untracked.ts): V8 puts a function literal assigned straight to a property in the old generation.
    const onDelivery: Sim['onDelivery'] = (node, m) => deliveryPauses.strike(m);
    sim.onDelivery = onDelivery;
  }
  scheduleTimedSteps(sim, faults.steps, faults.untilMs);
}

function setClock(sim: Sim, node: SimNode, offsetMs: number, driftPpm: number): void {
  node.clockOffsetMs = offsetMs;
  node.clockDriftPpm = driftPpm;
  sim.trace.emit({ t: sim.nowMs, type: 'clock', node: node.name, offsetMs, driftPpm });
}

/** Pauses addressed to a message's delivery: message key (by origin) -> the pauses. */
class DeliveryPauses {
  /** Made by the first such pause: most worlds have none, and an empty Map per run is garbage. */
  private byMessage: Map<string, Array<{ readonly node: string; readonly durationMs: number; readonly step: number }>> | null = null;

  constructor(private readonly sim: Sim) {}

  get size(): number {
    return this.byMessage === null ? 0 : this.byMessage.size;
  }

  add(at: MessageAddressConfig, node: string, durationMs: number, step: number): void {
    const key = messageKey(originOf(at), at.call, at.attempt ?? 1, at.reply, at.copy);
    const byMessage = (this.byMessage ??= new Map());
    const list = byMessage.get(key) ?? [];
    list.push({ node, durationMs, step });
    byMessage.set(key, list);
  }

  /** A message is being delivered: the pauses addressed to its delivery strike now (if they take effect). */
  strike(m: Message): void {
    if (this.byMessage === null) return;
    const list = this.byMessage.get(messageKey(m.proc, m.call, m.attempt, m.reply, m.copy));
    if (list === undefined) return;
    for (const p of list) if (this.sim.node(p.node).pause(p.durationMs, 'scheduled pause')) this.sim.marks.hit(stepMark(p.step));
  }
}

type TimedStep = Extract<FaultStepConfig, { kind: 'pause' | 'crash' | 'partition' }>;

/** A scenario fault step as the argument of its events: it starts, and (crash, partition) it ends. */
class StepEvent implements HasSubject {
  /** The partition this step made, for its heal. */
  cut: ReturnType<Sim['network']['cut']> | null = null;

  constructor(
    readonly sim: Sim,
    readonly index: number,
    readonly step: TimedStep,
  ) {}

  subject(): StepSubject {
    return { type: 'step', step: this.index, kind: this.step.kind };
  }
}

/** A step starts. A pause or crash strikes if it took effect; a partition, for each message it loses. */
function startStep(s: StepEvent): void {
  const st = s.step;
  const mark = stepMark(s.index);
  if (st.kind === 'pause') {
    if (s.sim.node(st.node).pause(st.durationMs, 'scheduled pause')) s.sim.marks.hit(mark);
  } else if (st.kind === 'crash') {
    if (s.sim.node(st.node).crash()) s.sim.marks.hit(mark);
  } else s.cut = s.sim.network.cut(st.a, st.b, st.direction, mark);
}

function restartStep(s: StepEvent): void {
  if (s.step.kind === 'crash') s.sim.node(s.step.node).restart();
}

function healStep(s: StepEvent): void {
  if (s.cut !== null) s.sim.network.heal(s.cut);
}

/** The end of the fault phase, as an event's argument. */
class FaultsEnd implements HasSubject {
  constructor(readonly sim: Sim) {}
  subject(): GlobalSubject {
    return { type: 'global', what: 'faults-end' };
  }
}

function endFaults(f: FaultsEnd): void {
  f.sim.endFaults();
}

/**
 * Schedules the scenario's timed fault steps (pauses, crashes and their restarts, partitions
 * and their heals) and the end of the fault phase, as events with identities: "fault step 2
 * (crash) starts", "... restarts". Steps addressed to messages or charges are not timed;
 * scheduleFaults hands those to the network and the payment node.
 */
function scheduleTimedSteps(sim: Sim, steps: readonly FaultStepConfig[], untilMs: number | null): void {
  const k = sim.kernel;
  steps.forEach((step, index) => {
    if (step.kind !== 'pause' && step.kind !== 'crash' && step.kind !== 'partition') return;
    if (step.kind === 'pause' && step.atMs === undefined) return;
    const s = new StepEvent(sim, index, step);
    const owner = step.kind === 'partition' ? '' : step.node;
    k.at('fault-step', owner, step.atMs!, startStep, s);
    if (step.kind === 'crash' && step.restartAtMs !== null) k.at('restart', owner, step.restartAtMs, restartStep, s);
    if (step.kind === 'partition') k.at('heal', owner, step.healAtMs, healStep, s);
  });
  if (untilMs !== null) k.at('faults-end', '', untilMs, endFaults, new FaultsEnd(sim));
}
