/**
 * Splitting the search tree into subtrees for worker threads (`explore --workers K`;
 * docs/exploration.md, "--workers: splitting the tree").
 *
 * A subtree is a cursor whose first `floor` decisions (its prefix) are fixed: its search
 * (search.ts, DPOR and sleep sets as usual) never backtracks above them. Splitting a subtree at
 * its floor makes one subtree per alternative of the decision there that is not explored yet:
 * every value of a fault decision, and **every** enabled event of a schedule decision that is
 * not asleep, not only those DPOR has queued. That is the soundness argument: DPOR adds a
 * backtrack point only at a decision on the current path, and a race found in one subtree may
 * ask for an alternative at a prefix decision, which a subtree cannot add; exploring every
 * awake alternative there is a superset of any backtrack (source) set, so nothing DPOR could
 * ask for is missing. Sleep sets stay as in one depth-first search: the k-th alternative's
 * subtree is entered with the alternatives before it marked done, so an event already
 * explored from that state (in a sibling subtree, whichever thread runs it) and independent
 * of the chosen one sleeps. The union of the subtrees therefore covers every Mazurkiewicz
 * trace the single search covers: same verdict, same set of final states. What may differ
 * is the count of executions: a split level explores alternatives DPOR would have skipped.
 */
import type { Cursor } from './cursor.js';

type Step = Cursor['path'][number];
type ScheduleStep = Extract<Step, { type: 'schedule' }>;

/** The whole tree as one subtree, before any execution: floor 0, nothing counted. */
export function rootSubtree(base: Pick<Cursor, 'scenario' | 'strategy' | 'bounds' | 'reduction' | 'semantics'>): Cursor {
  return { format: 'oversold-explore-cursor', version: 1, ...base, executions: 0, blocked: 0, cut: 0, horizon: 0, estimateSum: 0, finalStates: [], path: [] };
}

/** Whether the decision at the subtree's floor is known (an execution has passed it), so it can split. */
export function canSplit(c: Cursor): boolean {
  return c.path.length > (c.floor ?? 0);
}

/**
 * The subtrees of `c` one level down, in depth-first order: first `c` itself with its floor
 * one deeper (the alternative being explored, with its counts and its path beyond), then one
 * new subtree per alternative left at the floor, with nothing counted. Needs canSplit(c).
 */
export function splitSubtree(c: Cursor): Cursor[] {
  const floor = c.floor ?? 0;
  if (!canSplit(c)) throw new Error(`splitSubtree: the decision at ${floor} is not known yet (run one execution of the subtree first)`);
  const d = c.path[floor];
  const first: Cursor = { ...c, floor: floor + 1 };
  const prefix = c.path.slice(0, floor);
  const fresh = (step: Step): Cursor => ({ ...c, executions: 0, blocked: 0, cut: 0, horizon: 0, estimateSum: 0, finalStates: [], floor: floor + 1, path: [...prefix, step] });
  if (d.type === 'fault') {
    const out = [first];
    for (let v = d.value + 1; v <= d.max; v++) out.push(fresh({ ...d, value: v }));
    return out;
  }
  const asleep = new Set(d.sleep.map(([k]) => k));
  const done = new Map<string, readonly string[]>(d.done);
  const resOf = new Map(d.enabled);
  done.set(d.chosen, resOf.get(d.chosen)!);
  const alternatives = d.enabled.map(([k]) => k).filter((k) => !asleep.has(k) && !done.has(k));
  const out = [first];
  for (const k of alternatives) {
    const step: ScheduleStep = { ...d, chosen: k, done: [...done], backtrack: [...new Set([...d.backtrack, ...alternatives])] };
    out.push(fresh(step));
    done.set(k, resOf.get(k)!);
  }
  return out;
}
