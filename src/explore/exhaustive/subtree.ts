/**
 * One subtree of a split search, as a worker thread runs it (worker.ts, request `explore`):
 * search.ts from the subtree's cursor, stopping when the parent asks (Ctrl-C), when the shared
 * execution budget is spent, or when a subtree earlier in depth-first order has found a
 * violation (its violation is the one reported, so this one's no longer matters).
 *
 * The control block is shared memory between the parent and every worker:
 * Int32 [0] stop (1: stop after the current execution), [1] executions claimed so far against
 * the budget, [2] the index of the earliest subtree that found a violation (or NO_VIOLATION).
 */
import type { Strategy } from '../../inventory/strategy.js';
import type { Scenario } from '../../scenario/schema.js';
import type { FaultRow } from '../marks.js';
import type { Cursor } from './cursor.js';
import { searchSchedules, type FoundExecution } from './search.js';

const NO_VIOLATION = 0x7fffffff;

export function newExploreControl(claimed: number): SharedArrayBuffer {
  const buf = new SharedArrayBuffer(12);
  const v = new Int32Array(buf);
  v[1] = Math.min(claimed, NO_VIOLATION);
  v[2] = NO_VIOLATION;
  return buf;
}

export function stopExplore(buf: SharedArrayBuffer): void {
  Atomics.store(new Int32Array(buf), 0, 1);
}

export function exploreStopped(buf: SharedArrayBuffer): boolean {
  return Atomics.load(new Int32Array(buf), 0) !== 0;
}

/** Executions claimed against the budget (may pass it by one per worker: a refused claim counts). */
export function claimedExecutions(buf: SharedArrayBuffer): number {
  return Atomics.load(new Int32Array(buf), 1);
}

/** Lowers the earliest violating subtree to `index` unless an earlier one is there already. */
export function noteViolation(buf: SharedArrayBuffer, index: number): void {
  const v = new Int32Array(buf);
  let cur = Atomics.load(v, 2);
  while (index < cur) {
    const prev = Atomics.compareExchange(v, 2, cur, index);
    if (prev === cur) break;
    cur = prev;
  }
}

/** The earliest subtree (by index) that found a violation, or null. */
export function earliestViolation(buf: SharedArrayBuffer): number | null {
  const i = Atomics.load(new Int32Array(buf), 2);
  return i === NO_VIOLATION ? null : i;
}

export interface SubtreeRequest {
  /** Its position in depth-first order (what decides which violation is reported). */
  readonly index: number;
  readonly cursor: Cursor;
  /** At most this many more executions in this request (the split runs one); absent: no limit. */
  readonly executions?: number;
  readonly budget: number;
  readonly keepGoing: boolean;
  readonly options?: Readonly<Record<string, number | string | boolean>>;
  readonly control: SharedArrayBuffer;
}

/** What a worker sends back: plain data (structured clone), the counts of this subtree so far. */
export interface SubtreeResult {
  readonly index: number;
  readonly executions: number;
  readonly blocked: number;
  readonly unrealizable: number;
  readonly cut: number;
  readonly horizon: number;
  readonly estimateSum: number;
  readonly finalStates: readonly string[];
  /** Faults seen to strike in this request's executions only. */
  readonly faults: readonly FaultRow[];
  readonly found: FoundExecution | null;
  /** Where it stopped; null when the subtree is finished (or stopped at its violation). */
  readonly cursor: Cursor | null;
  readonly eventsMax: number;
}

export function runSubtree(scenario: Scenario, strategy: Strategy, r: SubtreeRequest, onExecutions?: (n: number) => void): SubtreeResult {
  const v = new Int32Array(r.control);
  const start = r.cursor.executions + r.cursor.blocked;
  const s = searchSchedules(scenario, strategy, {
    resume: r.cursor,
    bounds: r.cursor.bounds,
    reduction: r.cursor.reduction,
    semantics: r.cursor.semantics ?? 'untimed-causal',
    // Subtrees cannot start over when a scan sees a table's heap order (search.ts): order every table.
    orderEveryTable: true,
    options: r.options,
    keepGoing: r.keepGoing,
    maxExecutions: r.executions === undefined ? undefined : start + r.executions,
    shouldStop: () => Atomics.load(v, 0) !== 0 || Atomics.load(v, 2) < r.index || Atomics.add(v, 1, 1) >= r.budget,
    progressEvery: 1,
    onProgress: onExecutions ? (p) => onExecutions(p.executions + p.blocked - start) : undefined,
  });
  if (s.found !== null && !r.keepGoing) noteViolation(r.control, r.index);
  return {
    index: r.index,
    executions: s.executions,
    blocked: s.blocked,
    unrealizable: s.unrealizable,
    cut: s.cut,
    horizon: s.horizon,
    estimateSum: s.estimateSum,
    finalStates: s.finalStates,
    faults: s.faults,
    found: s.found,
    cursor: s.cursor,
    eventsMax: s.eventsMax,
  };
}
