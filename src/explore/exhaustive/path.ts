/**
 * The search tree's current path (loom's `Path`): one decision per branching point of the
 * execution being explored, in the order met. Stateless model checking re-runs the scenario
 * from the start and follows the path's decisions; past its end, the execution extends it
 * with the calm choice (the earliest awake event, no fault).
 *
 * - A **schedule** decision: which pending event fires. It keeps what DPOR needs: the events
 *   enabled there (key and owner), the sleep set it was entered with, the events already
 *   explored from it (`done`) and those still to explore (`backtrack`).
 * - A **fault** decision: whether a bounded fault strikes here (0 no, 1 yes), or which replica
 *   serves a read (0..max). Every alternative is always explored (data nondeterminism).
 */
export interface EventRef {
  /** Identity across executions: kind, owner, subject (by origin) and occurrence. */
  readonly key: string;
  /**
   * What it touches, for the independence relation: the node it happens on ('' for the whole
   * world: dependent with everything) and, for an rpc's timeout, the node that answers it.
   */
  readonly res: readonly string[];
}

export interface ScheduleDecision {
  readonly type: 'schedule';
  /** The key of the event fired here. */
  chosen: string;
  readonly enabled: readonly EventRef[];
  /** Asleep on entry: explored from an equivalent state already (key -> what it touches). */
  readonly sleep: ReadonlyMap<string, readonly string[]>;
  /** Explored from here already (key -> what it touches). */
  readonly done: Map<string, readonly string[]>;
  /** To explore from here (DPOR adds to it; without reduction: every enabled event). */
  readonly backtrack: Set<string>;
  /**
   * What the chosen event touched as it fired (independence.ts): known only once it has fired
   * (a statement's rows), set again each time an execution passes here; what `done` keeps.
   */
  firedRes?: readonly string[];
  /**
   * For an alternative added to reverse a race: the rest of the reversing sequence (the events
   * of the racing execution that did not happen after this decision's event, then the racing
   * event; Abdulla et al.'s wakeup sequence), which the execution exploring that alternative
   * prefers at its next decisions (execution.ts `guide`). Only an order of preference: which
   * event a new decision takes first never changes what DPOR covers, only how many executions
   * end blocked by sleep sets.
   */
  guide?: Map<string, readonly string[]>;
}

export interface FaultDecision {
  readonly type: 'fault';
  /** `kind|subject`: the same question in every execution of this prefix. */
  readonly about: string;
  value: number;
  readonly max: number;
}

export type Decision = ScheduleDecision | FaultDecision;

/** The independence relation (independence.ts; docs/exploration.md, "Independence"). */
export { dependent } from './independence.js';

/**
 * Moves the path to the next unexplored branch, deepest first; false when the tree is
 * exhausted. A fault decision tries its next value; a schedule decision its next event in
 * `backtrack` that is neither done nor asleep. The first `floor` decisions are fixed: a
 * subtree of a split search (split.ts) never backtracks above its prefix, whose alternatives
 * are other subtrees.
 */
export function advance(path: Decision[], floor = 0): boolean {
  while (path.length > floor) {
    const d = path[path.length - 1];
    if (d.type === 'fault') {
      if (d.value < d.max) {
        d.value++;
        return true;
      }
    } else {
      d.done.set(d.chosen, d.firedRes ?? d.enabled.find((e) => e.key === d.chosen)!.res);
      for (const e of d.enabled) {
        if (d.backtrack.has(e.key) && !d.done.has(e.key) && !d.sleep.has(e.key)) {
          d.chosen = e.key;
          return true;
        }
      }
    }
    path.pop();
  }
  return false;
}

/** Knuth's estimator of the tree's size from one root-to-leaf path: the product of the branching seen on it. */
export function knuthEstimate(path: readonly Decision[]): number {
  let n = 1;
  for (const d of path) {
    const b = d.type === 'fault' ? d.max + 1 : Math.max(1, [...d.backtrack].filter((k) => !d.sleep.has(k)).length);
    n *= b;
    if (n > Number.MAX_SAFE_INTEGER) return Number.MAX_SAFE_INTEGER;
  }
  return n;
}
