import type { Scenario } from '../../scenario/schema.js';
import type { ChoiceKind } from '../../sim/choice.js';
import { DEFAULT_SEMANTICS } from './semantics.js';

/**
 * How many faults of each kind one execution may contain. Every placement of up to that many
 * is explored: a fault is a yes/no choice asked wherever it could strike (each request sent,
 * each reply sent, each reply delivered to a node that can pause, each charge, each message
 * delivered to an app server that may crash).
 */
export interface FaultBounds {
  readonly drops: number;
  readonly lostReplies: number;
  readonly duplicates: number;
  readonly pauses: number;
  readonly declines: number;
  /** App-server crashes, each on a message's arrival, its restart an event placed like any other. */
  readonly crashes: number;
}

export const NO_FAULTS: FaultBounds = { drops: 0, lostReplies: 0, duplicates: 0, pauses: 0, declines: 0, crashes: 0 };

/** The choice kind each bound counts. */
export const BOUND_KINDS: Readonly<Record<keyof FaultBounds, ChoiceKind>> = {
  drops: 'drop-request',
  lostReplies: 'drop-reply',
  duplicates: 'duplicate',
  pauses: 'pause',
  declines: 'decline',
  crashes: 'crash',
};

/** The CLI flag of each bound (`--max-drops`). */
export const BOUND_FLAGS: Readonly<Record<keyof FaultBounds, string>> = {
  drops: 'max-drops',
  lostReplies: 'max-lost-replies',
  duplicates: 'max-duplicates',
  pauses: 'max-pauses',
  declines: 'max-declines',
  crashes: 'max-crashes',
};

/** Words for each bound in the proof statement: "at most 1 lost request". */
export const BOUND_WORDS: Readonly<Record<keyof FaultBounds, [string, string]>> = {
  drops: ['lost request', 'lost requests'],
  lostReplies: ['lost reply', 'lost replies'],
  duplicates: ['duplicated request', 'duplicated requests'],
  pauses: ['process pause (on a reply\'s arrival at an app server)', 'process pauses (each on a reply\'s arrival at an app server)'],
  declines: ['declined payment', 'declined payments'],
  crashes: ['app-server crash (on a message\'s arrival, its restart at any later point)', 'app-server crashes (each on a message\'s arrival, its restart at any later point)'],
};

/** The name of the default semantics the explorer proves things for (semantics.ts; docs/exploration.md, "explore"). */
export const SEMANTICS = DEFAULT_SEMANTICS;

/**
 * The scenario the explorer runs: windowed timing, and each chance fault asked exactly where
 * its bound allows it (rate 1 per mille: only "may it happen here?" matters, the explorer
 * answers) and never asked where the bound is 0. The scenario's own random faults are
 * replaced by the bounds; its explicit fault steps stay. Replay files embed this scenario, so
 * a found schedule replays as recorded.
 */
export function boundedScenario(s: Scenario, b: FaultBounds): Scenario {
  const on = (n: number): number => (n > 0 ? 1 : 0);
  const pauses = s.faults.randomPauses;
  const crashes = s.faults.randomCrashes;
  // A crashed app server restarts any time after restartMsMin (default 1 ms); the windowed
  // replay may place the restart up to the time limit (its window), as the explorer does.
  const randomCrashes = b.crashes > 0 || crashes !== undefined
    ? { randomCrashes: { perMille: on(b.crashes), restartMsMin: crashes?.restartMsMin ?? 1, restartMsMax: crashes?.restartMsMax ?? s.limits.maxTimeMs } }
    : {};
  return {
    ...s,
    timing: 'windowed',
    network: { ...s.network, dropRequestPerMille: on(b.drops), dropReplyPerMille: on(b.lostReplies), duplicatePerMille: on(b.duplicates) },
    payment: { ...s.payment, failPerMille: on(b.declines) },
    faults: {
      ...s.faults,
      randomPauses: { ...pauses, perMille: on(b.pauses), durationMsMin: Math.max(1, pauses.durationMsMin), durationMsMax: Math.max(1, pauses.durationMsMin, pauses.durationMsMax) },
      clockSkew: { offsetMsMax: 0, driftPpmMax: 0 },
      ...randomCrashes,
    },
  };
}

export function boundsText(b: FaultBounds): string {
  const parts = (Object.keys(BOUND_KINDS) as (keyof FaultBounds)[]).filter((k) => b[k] > 0).map((k) => `at most ${b[k]} ${BOUND_WORDS[k][b[k] === 1 ? 0 : 1]}`);
  return parts.length === 0 ? 'no faults beyond the scenario\'s explicit steps' : parts.join(', ');
}

/** The scenario's own `explore` section as bounds (absent: none). Flags and API bounds override it. */
export function scenarioBounds(s: Scenario): FaultBounds {
  const e = s.explore;
  if (e === undefined) return NO_FAULTS;
  return { drops: e.maxDrops, lostReplies: e.maxLostReplies, duplicates: e.maxDuplicates, pauses: e.maxPauses, declines: e.maxDeclines, crashes: e.maxCrashes ?? 0 };
}
