import type { FaultBounds } from './bounds.js';
import type { Decision } from './path.js';
import type { Semantics } from './semantics.js';

/**
 * Where a bounded search stopped: the path of the next execution to run, with every
 * decision's explored and queued alternatives, and the counts so far. `explore --resume FILE`
 * continues from it; a search resumed to the end reaches the same verdict and final states as
 * one that never stopped (the path is the whole state of a depth-first search).
 */
export interface Cursor {
  readonly format: 'oversold-explore-cursor';
  readonly version: 1;
  readonly scenario: string;
  readonly strategy: string;
  readonly bounds: FaultBounds;
  readonly reduction: boolean;
  /** Absent in cursors written before the timed semantics: untimed-causal. */
  readonly semantics?: Semantics;
  readonly executions: number;
  readonly blocked: number;
  readonly cut: number;
  readonly horizon: number;
  readonly unrealizable?: number;
  readonly estimateSum: number;
  readonly finalStates: readonly string[];
  /**
   * Tables whose heap order some statement scanned (sim/access.ts observe): writes to them are
   * ordered. Absent in cursors written before row-level independence: none yet.
   */
  readonly observed?: readonly string[];
  /**
   * A subtree of a split search (split.ts): the first `floor` decisions of the path are its
   * prefix and never change. Absent: 0, the whole tree.
   */
  readonly floor?: number;
  /**
   * A search split over worker threads (`--workers K`): the unfinished subtrees, each its own
   * cursor, in the order of a depth-first search; `path` is then empty and the counts above are
   * those of the finished subtrees only (each subtree's cursor carries its own).
   */
  readonly subtrees?: readonly Cursor[];
  readonly path: ReadonlyArray<
    | { readonly type: 'fault'; readonly about: string; readonly value: number; readonly max: number }
    | {
        readonly type: 'schedule';
        readonly chosen: string;
        readonly enabled: ReadonlyArray<readonly [string, readonly string[]]>;
        readonly sleep: ReadonlyArray<readonly [string, readonly string[]]>;
        readonly done: ReadonlyArray<readonly [string, readonly string[]]>;
        readonly backtrack: readonly string[];
        /** path.ts `guide`: per alternative, the rest of its race-reversing sequence. Absent in older cursors: none. */
        readonly guide?: ReadonlyArray<readonly [string, readonly string[]]>;
      }
  >;
}

export function cursorPath(c: Cursor): Decision[] {
  return c.path.map((d) =>
    d.type === 'fault'
      ? { type: 'fault', about: d.about, value: d.value, max: d.max }
      : {
          type: 'schedule',
          chosen: d.chosen,
          enabled: d.enabled.map(([key, res]) => ({ key, res })),
          sleep: new Map(d.sleep.map(([k, o]) => [k, o])),
          done: new Map(d.done.map(([k, o]) => [k, o])),
          backtrack: new Set(d.backtrack),
          ...(d.guide !== undefined && d.guide.length > 0 ? { guide: new Map(d.guide.map(([k, g]) => [k, g])) } : {}),
        },
  );
}

/** A cursor read back from JSON; one clear line when it is not one. */
export function parseCursor(text: string, file: string): Cursor {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new Error(`${file}: not JSON (an explore cursor is written by explore --max-executions or Ctrl-C)`);
  }
  const c = v as Partial<Cursor>;
  const ok = (x: Partial<Cursor> | null): boolean =>
    x !== null && typeof x === 'object' && x.format === 'oversold-explore-cursor' && x.version === 1 && Array.isArray(x.path) && (x.floor === undefined || (Number.isInteger(x.floor) && x.floor >= 0 && x.floor <= x.path.length));
  if (!ok(c) || (c.subtrees !== undefined && (!Array.isArray(c.subtrees) || !c.subtrees.every((t) => ok(t as Partial<Cursor>) && t.subtrees === undefined)))) {
    throw new Error(`${file}: not an explore cursor (format oversold-explore-cursor, version 1)`);
  }
  return c as Cursor;
}
