import type { Sim } from '../sim/world.js';
import type { GlobalSubject, HasSubject, StepSubject } from '../sim/subjects.js';
import type { FaultStepConfig } from './world.js';
import { stepMark } from './faultMarks.js';

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
 * (crash) starts", "... restarts". Steps addressed to messages or charges are not timed; the
 * world hands those to the network and the payment node.
 */
export function scheduleTimedSteps(sim: Sim, steps: readonly FaultStepConfig[], untilMs: number | null): void {
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
