import type { Strategy } from '../strategy.js';
import { conditionalDecrement } from './conditionalDecrement.js';
import { compareAndSet } from './compareAndSet.js';
import { reservation } from './reservation.js';
import { lockFencing } from './lockFencing.js';
import { naive } from './naive.js';
import { lockLease } from './lockLease.js';
import { wallClockExpiry } from './wallClockExpiry.js';
import { retryWithoutIdempotency } from './retryWithoutIdempotency.js';

export { conditionalDecrement, compareAndSet, reservation, lockFencing, naive, lockLease, wallClockExpiry, retryWithoutIdempotency };

/** Built-in strategies by CLI name, safe ones first. */
export const STRATEGIES: ReadonlyMap<string, Strategy> = new Map(
  [conditionalDecrement, compareAndSet, reservation, lockFencing, naive, lockLease, wallClockExpiry, retryWithoutIdempotency].map((s) => [s.name, s]),
);
