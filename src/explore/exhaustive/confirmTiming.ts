/**
 * Real times for an explored execution (confirm.ts, attempt 2): the explored order of events
 * at each node, with every event inside its window, as a system of difference constraints
 * solved by Bellman-Ford. A solution gives each message, charge, log entry and pause a
 * concrete length, and the sampled model replays those lengths as its delay answers: a run
 * in real time whose events at each node come in the explored order. No solution means no
 * real timing has that order at every node (the untimed semantics allowed more).
 *
 * Constraints, for fired events i (creator c, offsets [min, max] from c's time; absolute for
 * events of the world's setup, c = -1):
 * - t_c + min <= t_i <= t_c + max (no upper bound for a message queued behind another on a
 *   FIFO link; a random pause's end: any length up to the scenario's longest pause);
 * - events that touch a common node fire in the explored order, `gapMs` apart (1: strictly,
 *   so that no tie is left to insertion order; 0 when that is infeasible);
 * - 0 <= t_i <= the scenario's time limit;
 * - a clock read late while i fired (execution.ts clockMs): t_i >= the reading, so the concrete
 *   run reads the late value too (with the window's end, that is the reading exactly); a
 *   reading no solution allows leaves confirmation to the other attempts, and, if none breaks
 *   the invariant, "needs a timing the windows forbid".
 * Shortest paths from a source give the latest solution: every event as late as the order
 * allows, which is what a race that needs a slow process wants.
 */
import type { ChoiceSource, Question } from '../../sim/choice.js';
import { subjectKey, subjectOf, type Subject } from '../../sim/subjects.js';
import type { FoundExecution } from './search.js';

/** The kind and subject of an event key (`kind|owner|subject[#n]`, execution.ts). */
function parseKey(key: string): { kind: string; owner: string; subject: Subject } {
  const a = key.indexOf('|');
  const b = key.indexOf('|', a + 1);
  return { kind: key.slice(0, a), owner: key.slice(a + 1, b), subject: JSON.parse(key.slice(b + 1).replace(/#\d+$/, '')) as Subject };
}

/** Times (ms) of the explored events in a real execution with that order at each node, or null. */
export function solveTimes(found: FoundExecution, pauseMaxMs: number, horizonMs: number, gapMs: number): number[] | null {
  const w = found.windows;
  if (w === undefined) return null;
  const n = w.length;
  const s = n;
  const edges: Array<[number, number, number]> = [];
  // x_to <= x_from + weight
  const le = (to: number, from: number, weight: number): void => {
    edges.push([from, to, weight]);
  };
  const kinds = found.events.map((k) => k.slice(0, k.indexOf('|')));
  const last = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const e = w[i];
    le(i, s, horizonMs);
    le(s, i, e.lateReadMs === undefined ? 0 : -e.lateReadMs);
    const randomPauseEnd = kinds[i] === 'pause-end' && e.creator >= 0 && kinds[e.creator] === 'deliver';
    const maxOff = randomPauseEnd ? Math.max(e.maxOffsetMs, pauseMaxMs) : e.maxOffsetMs;
    const from = e.creator < 0 ? s : e.creator;
    if (!e.queued) le(i, from, maxOff);
    le(from, i, -e.minOffsetMs);
    // Order at each node touched (the whole world: every node).
    const global = e.res.includes('');
    const prevs = global ? [...last.values()] : e.res.map((r) => last.get(r)).concat(last.get(''));
    for (const p of new Set(prevs)) if (p !== undefined) le(p, i, -gapMs);
    if (global) for (const r of last.keys()) last.set(r, i);
    for (const r of e.res) last.set(r, i);
  }
  const dist = new Array<number>(n + 1).fill(horizonMs);
  dist[s] = 0;
  for (let round = 0; round <= n + 1; round++) {
    let changed = false;
    for (const [from, to, weight] of edges) {
      if (dist[from] + weight < dist[to]) {
        dist[to] = dist[from] + weight;
        changed = true;
      }
    }
    if (!changed) return dist.slice(0, n).map((t) => t - dist[s]);
  }
  return null;
}

/**
 * Answers a sampled run's delay questions with the solved times: a message's delay is its
 * delivery's time minus its sending's, past the window's start; a charge's processing time,
 * a replica's lag, a generated order's arrival and a random pause's length likewise. Faults as explored, by subject.
 */
export class SolvedTimingSource implements ChoiceSource {
  readonly description = 'solved real times of the explored order';
  /** Event index by `kind|subject key` (first occurrence), and charges' wake-ups by the request served. */
  private readonly index = new Map<string, number>();
  private readonly struck = new Map<string, number[]>();

  constructor(private readonly found: FoundExecution, private readonly times: readonly number[]) {
    found.events.forEach((key, i) => {
      const { kind, subject } = parseKey(key);
      const k = `${kind}|${subjectKey(subject)}`;
      if (!this.index.has(k)) this.index.set(k, i);
      if (kind === 'wake' && subject.type === 'process' && subject.serving !== null) {
        const kw = `serving|${subjectKey(subject.serving)}`;
        if (!this.index.has(kw)) this.index.set(kw, i);
      }
    });
    for (const [k, v] of found.struck) this.struck.set(k, [...v]);
  }

  /** How far past its window's start event i fired. */
  private lateness(i: number | undefined, max: number): number {
    if (i === undefined) return 0;
    const wi = this.found.windows![i];
    const start = wi.creator < 0 ? wi.minOffsetMs : this.times[wi.creator] + wi.minOffsetMs;
    return Math.min(max, Math.max(0, this.times[i] - start));
  }

  answer(q: Question): number {
    const subject = subjectOf(q.about);
    const key = subjectKey(subject);
    if (q.kind === 'reorder') return 1;
    if (q.kind === 'delay') return this.lateness(this.index.get(`deliver|${key}`), q.max);
    if (q.kind === 'payment-delay') return this.lateness(this.index.get(`serving|${key}`), q.max);
    if (q.kind === 'replica-lag') return this.lateness(this.index.get(`replica-apply|${key}`), q.max);
    if (q.kind === 'arrival') return this.lateness(this.index.get(`arrival|${key}`), q.max);
    const list = this.struck.get(`${q.kind}|${key}`);
    if (list === undefined || list.length === 0) return 0;
    const v = list.shift()!;
    if (q.kind !== 'pause') return v;
    // The pause lasts from the delivery it struck to its end event.
    const d = this.index.get(`deliver|${key}`);
    const end = d === undefined ? -1 : this.found.windows!.findIndex((x, i) => x.creator === d && this.found.events[i].startsWith('pause-end|'));
    return end < 0 ? v : Math.min(q.max, Math.max(1, this.times[end] - this.times[d!]));
  }
}
