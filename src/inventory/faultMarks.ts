import { MARK_DROP_REPLY, MARK_DROP_REQUEST, MARK_DUPLICATE, MARK_RANDOM_CRASH, MARK_RANDOM_PAUSE } from '../sim/marks.js';
import type { FaultStepConfig } from './faultSteps.js';
import type { WorldConfig } from './worldConfig.js';

/**
 * The faults a scenario enables, as coverage marks (sim/marks.ts): one per kind of chance
 * fault it turns on, one per fault step. A run hits a mark where that fault took effect; a
 * sweep counts the runs in which each struck, so a scenario whose pause never outlasted
 * anything, or whose step aims at a call nobody makes, is seen for what it is.
 */

/** A charge declined by chance (`payment.failPerMille`). */
export const MARK_DECLINE = 'decline';
/** An app server's clock set off by chance (`faults.clockSkew`). */
export const MARK_CLOCK_SKEW = 'clock-skew';
/** A read served by a replica that had not applied every entry the primary had committed. */
export const MARK_REPLICA_LAG = 'replica-lag';

/** What a mark is about: a chance fault's kind, or a step's kind. */
export type FaultName =
  | 'drop-request' | 'drop-reply' | 'duplicate' | 'random-pause' | 'random-crash' | 'clock-skew' | 'decline' | 'replica-lag'
  | FaultStepConfig['kind'];

export interface FaultMark {
  /** The mark's id: the chance fault's name, or `faults.steps[i]` for a step (what `--json` keys by). */
  readonly id: string;
  readonly fault: FaultName;
  /** For a step: its index in `faults.steps`; null for a chance fault. */
  readonly step: number | null;
  /** The scenario field that enables it (a JSON path, for people and tools alike). */
  readonly enabledBy: string;
  /**
   * Whether the scenario claims it (a sweep warns when a claimed fault never struck). Every
   * enabled fault is claimed except a replica lag whose minimum is 0: like a network delay, a
   * lag that may be nothing is a timing, not a fault the scenario promises to exercise.
   */
  readonly claimed: boolean;
}

/** The id of the mark of step `index` of `faults.steps`. */
export function stepMark(index: number): string {
  return `faults.steps[${index}]`;
}

/** The faults `config` enables, chance faults first (in a fixed order), then its steps in order. */
export function faultMarksOf(config: WorldConfig): FaultMark[] {
  const out: FaultMark[] = [];
  const chance = (id: FaultName, on: boolean, enabledBy: string, claimed = true) => {
    if (on) out.push({ id, fault: id, step: null, enabledBy, claimed });
  };
  const { network, payment, faults, topology } = config;
  chance(MARK_DROP_REQUEST, network.dropRequestPerMille > 0, 'network.dropRequestPerMille');
  chance(MARK_DROP_REPLY, network.dropReplyPerMille > 0, 'network.dropReplyPerMille');
  chance(MARK_DUPLICATE, network.duplicatePerMille > 0, 'network.duplicatePerMille');
  chance(MARK_RANDOM_PAUSE, faults.randomPauses.perMille > 0 && faults.randomPauses.durationMsMax > 0, 'faults.randomPauses');
  chance(MARK_RANDOM_CRASH, (faults.randomCrashes?.perMille ?? 0) > 0, 'faults.randomCrashes');
  chance(MARK_CLOCK_SKEW, faults.clockSkew.offsetMsMax > 0 || faults.clockSkew.driftPpmMax > 0, 'faults.clockSkew');
  chance(MARK_DECLINE, payment.failPerMille > 0, 'payment.failPerMille');
  // Reads reach a replica when the scenario routes them there, or when a strategy asks for one.
  const lagging = topology.replicas.length > 0 && (topology.replicas.some((r) => r.lagMsMax > 0) || faults.steps.some((st) => st.kind === 'delay-replica'));
  chance(MARK_REPLICA_LAG, lagging, 'topology.replicas', topology.replicas.some((r) => r.lagMsMin > 0));
  faults.steps.forEach((st, i) => out.push({ id: stepMark(i), fault: st.kind, step: i, enabledBy: stepMark(i), claimed: true }));
  return out;
}
