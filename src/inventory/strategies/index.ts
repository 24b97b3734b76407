import type { Strategy } from '../strategy.js';
import { conditionalDecrement } from './conditionalDecrement.js';
import { compareAndSet } from './compareAndSet.js';
import { reservation } from './reservation.js';
import { lockFencing } from './lockFencing.js';
import { naive } from './naive.js';
import { lockLease } from './lockLease.js';
import { wallClockExpiry } from './wallClockExpiry.js';
import { retryWithoutIdempotency } from './retryWithoutIdempotency.js';
import { confirmGivesUp } from './confirmGivesUp.js';
import { recoverySkipsExpired } from './recoverySkipsExpired.js';
import { reservationPerLine } from './reservationPerLine.js';
import { lockedReplicaRead } from './lockedReplicaRead.js';
import { unfencedConfirm } from './unfencedConfirm.js';

export {
  conditionalDecrement, compareAndSet, reservation, lockFencing, naive, lockLease, wallClockExpiry, retryWithoutIdempotency,
  confirmGivesUp, recoverySkipsExpired, reservationPerLine, lockedReplicaRead, unfencedConfirm,
};

/**
 * The rare races: broken on purpose, each needing an interleaving or a combination of faults
 * that random seeds seldom produce (docs/strategies.md, "Rare races"). What the search
 * strategies (random, PCT, check, the explorer) are measured on (docs/benchmarks.md).
 */
export const RARE_RACES: readonly Strategy[] = [confirmGivesUp, recoverySkipsExpired, reservationPerLine, lockedReplicaRead, unfencedConfirm];

/** Built-in strategies by CLI name: the safe ones, the broken ones, then the rare races. */
export const STRATEGIES: ReadonlyMap<string, Strategy> = new Map(
  [conditionalDecrement, compareAndSet, reservation, lockFencing, naive, lockLease, wallClockExpiry, retryWithoutIdempotency, ...RARE_RACES].map((s) => [s.name, s]),
);
