import type { TraceEvent } from '../sim/trace.js';
import type { Violation } from '../inventory/invariants.js';
import { TraceIndex } from './traceIndex.js';
import { eventRef } from './eventRef.js';
import type { Step } from './phrases.js';
import {
  chargeWithoutSaleStory, collisionStory, doubleApplyStory, doubleChargeStory, fallbackStory, leakStory, oversellStory, unknownOutcomeStory, upWriteStory, zombieStory,
  type AnomalyClass, type Story,
} from './stories.js';

export type { AnomalyClass } from './stories.js';
export type { Step } from './phrases.js';

export const ANOMALY_TITLES: Readonly<Record<AnomalyClass, string>> = {
  'lost-update': 'lost update',
  'stale-read': 'stale read',
  'double-apply': 'double apply after retry',
  'zombie-write': 'zombie write after lease expiry',
  'leaked-reservation': 'leaked reservation',
  'double-charge': 'double charge',
  'unknown-outcome': 'timeout taken for failure',
  'duplicate-refusal': "a duplicate's refusal taken for the answer",
  'charge-without-sale': 'charge without a sale',
  other: 'other',
};

/** A violation explained: its anomaly class and the few events that produced it, in words. */
export interface Explanation {
  readonly invariant: Violation['invariant'];
  readonly anomaly: AnomalyClass;
  /** "lost update", or for `other` what kind ("no progress", "strategy error", ...). */
  readonly title: string;
  /** The causal chain in trace order, each step pointing at its trace event. */
  readonly steps: readonly Step[];
  /** What it adds up to, e.g. "vase#10 went to o1 and o14". */
  readonly conclusion: string;
  /** The whole chain as one paragraph: steps joined by "; ", then ": " and the conclusion. */
  readonly text: string;
  /** The orders to follow (a pair for a race, one for a retry or a leak). */
  readonly orders: readonly string[];
  readonly units: readonly string[];
  /** Trace index of the event at which the invariant first broke (timeline and HTML markers). */
  readonly firstBadIndex: number | null;
}

/**
 * Explains every violation of a run from its trace. Pure and deterministic: the same trace
 * gives the same words. Needs the trace events (`runOnce(..., { keepTrace: true })`).
 */
export function explainViolations(violations: readonly Violation[], trace: readonly TraceEvent[]): Explanation[] {
  const ix = new TraceIndex(trace);
  return violations.map((v) => explainOne(ix, v));
}

export function explainOne(ix: TraceIndex, v: Violation): Explanation {
  const story = storyFor(ix, v);
  const title = story.title ?? ANOMALY_TITLES[story.anomaly];
  const chain = story.steps.map((s) => s.text).join('; ');
  const steps = story.steps.map((s) => ({ ...s, event: eventRef(ix, s.index) }));
  return {
    invariant: v.invariant,
    anomaly: story.anomaly,
    title,
    steps,
    conclusion: story.conclusion,
    text: chain === '' ? `${story.conclusion}.` : `${chain}: ${story.conclusion}.`,
    orders: story.orders,
    units: story.units,
    firstBadIndex: story.firstBadIndex,
  };
}

/** Which detectors to try, in order, for each invariant: the first that recognises the trace wins. */
function storyFor(ix: TraceIndex, v: Violation): Story {
  const units = new Set(v.units);
  const fallback = () => fallbackStory(ix, v.invariant, v.orders, v.message);
  switch (v.invariant) {
    case 'unique-units':
      return collisionStory(ix, units) ?? doubleApplyStory(ix, v.orders) ?? fallback();
    case 'no-oversell':
      return collisionStory(ix, new Set()) ?? doubleApplyStory(ix, v.orders) ?? oversellStory(ix, v.orders, v.message) ?? fallback();
    case 'conservation':
      return upWriteStory(ix) ?? collisionStory(ix, new Set()) ?? zombieStory(ix) ?? doubleApplyStory(ix, []) ?? fallback();
    case 'acknowledged-is-sold':
      return doubleApplyStory(ix, v.orders) ?? unknownOutcomeStory(ix, v.orders) ?? collisionStory(ix, units) ?? fallback();
    case 'no-leak':
      return leakStory(ix, v.orders, v.units) ?? fallback();
    case 'charged-once':
      return doubleChargeStory(ix, v.orders) ?? chargeWithoutSaleStory(ix, v.orders) ?? fallback();
    default:
      return fallback();
  }
}

/** Orders every explanation is about, first-mentioned first (the timeline's focus). */
export function focusOrders(explanations: readonly Explanation[]): string[] {
  const out: string[] = [];
  for (const x of explanations) for (const o of x.orders) if (!out.includes(o)) out.push(o);
  return out;
}

/** The `--json` form of an explanation (docs/cli.md): stable field names. */
export function explanationToJson(x: Explanation): Record<string, unknown> {
  return {
    invariant: x.invariant,
    anomaly: x.anomaly,
    title: x.title,
    text: x.text,
    conclusion: x.conclusion,
    steps: x.steps.map((s) => ({ traceIndex: s.index, timeMs: s.t, text: s.text, event: s.event ?? null })),
    orders: x.orders,
    units: x.units,
    firstBadTraceIndex: x.firstBadIndex,
  };
}
