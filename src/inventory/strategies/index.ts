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
import { sqlReadThenWrite } from './sql/readThenWrite.js';
import { sqlUnguardedDecrement } from './sql/unguardedDecrement.js';
import { sqlGuardedDecrement } from './sql/guardedDecrement.js';
import { sqlForUpdate, sqlForUpdateAutocommit } from './sql/forUpdate.js';
import { sqlRepeatableReadNoRetry, sqlRepeatableReadRetry, sqlSerializableNoRetry, sqlSerializableRetry } from './sql/isolation.js';
import { sqlSumThenInsertRepeatableRead, sqlSumThenInsertSerializable } from './sql/sumThenInsert.js';
import { sqlReducedFlag } from './sql/reducedFlag.js';

export {
  conditionalDecrement, compareAndSet, reservation, lockFencing, naive, lockLease, wallClockExpiry, retryWithoutIdempotency,
  confirmGivesUp, recoverySkipsExpired, reservationPerLine, lockedReplicaRead, unfencedConfirm,
};
export {
  sqlReadThenWrite, sqlUnguardedDecrement, sqlGuardedDecrement, sqlForUpdate, sqlForUpdateAutocommit,
  sqlRepeatableReadRetry, sqlSerializableRetry, sqlRepeatableReadNoRetry, sqlSerializableNoRetry,
  sqlSumThenInsertRepeatableRead, sqlSumThenInsertSerializable, sqlReducedFlag,
};

/**
 * The rare races: broken on purpose, each needing an interleaving or a combination of faults
 * that random seeds seldom produce (docs/strategies.md, "Rare races"). What the search
 * strategies (random, PCT, check, the explorer) are measured on (docs/benchmarks.md).
 */
export const RARE_RACES: readonly Strategy[] = [confirmGivesUp, recoverySkipsExpired, reservationPerLine, lockedReplicaRead, unfencedConfirm];

/** The SQL strategies (strategies/sql/), safe ones first: they need the SQL parser loaded (loadSqlParser). */
export const SQL_STRATEGY_LIST: readonly Strategy[] = [
  sqlGuardedDecrement, sqlForUpdate, sqlRepeatableReadRetry, sqlSerializableRetry, sqlRepeatableReadNoRetry, sqlSerializableNoRetry, sqlSumThenInsertSerializable,
  sqlReadThenWrite, sqlUnguardedDecrement, sqlForUpdateAutocommit, sqlSumThenInsertRepeatableRead, sqlReducedFlag,
];

/** Built-in strategies by CLI name: the safe ones, the broken ones, the rare races, then the SQL strategies. */
export const STRATEGIES: ReadonlyMap<string, Strategy> = new Map(
  [conditionalDecrement, compareAndSet, reservation, lockFencing, naive, lockLease, wallClockExpiry, retryWithoutIdempotency, ...RARE_RACES, ...SQL_STRATEGY_LIST].map((s) => [s.name, s]),
);
