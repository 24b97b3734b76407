import type { Strategy } from '../strategy.js';

/**
 * The built-in strategies by CLI name, each imported on first use, in the order of STRATEGIES
 * (index.ts). A sweep's worker thread runs one strategy: importing the registry made every
 * thread load all 25 strategies and their helpers (24 modules, a fifth of a thread's start-up
 * modules; docs/benchmarks.md, "Worker boot"). The names are the public list (help, did-you-mean);
 * test/inventory/strategyLoaders.test.ts pins that this list and STRATEGIES agree, name for
 * name and object for object.
 */
export const STRATEGY_LOADERS: ReadonlyMap<string, () => Promise<Strategy>> = new Map<string, () => Promise<Strategy>>([
  ['conditional-decrement', async () => (await import('./conditionalDecrement.js')).conditionalDecrement],
  ['compare-and-set', async () => (await import('./compareAndSet.js')).compareAndSet],
  ['reservation', async () => (await import('./reservation.js')).reservation],
  ['lock-fencing', async () => (await import('./lockFencing.js')).lockFencing],
  ['naive', async () => (await import('./naive.js')).naive],
  ['lock-lease', async () => (await import('./lockLease.js')).lockLease],
  ['wall-clock-expiry', async () => (await import('./wallClockExpiry.js')).wallClockExpiry],
  ['retry-without-idempotency', async () => (await import('./retryWithoutIdempotency.js')).retryWithoutIdempotency],
  ['confirm-gives-up', async () => (await import('./confirmGivesUp.js')).confirmGivesUp],
  ['recovery-skips-expired', async () => (await import('./recoverySkipsExpired.js')).recoverySkipsExpired],
  ['reservation-per-line', async () => (await import('./reservationPerLine.js')).reservationPerLine],
  ['locked-replica-read', async () => (await import('./lockedReplicaRead.js')).lockedReplicaRead],
  ['unfenced-confirm', async () => (await import('./unfencedConfirm.js')).unfencedConfirm],
  ['sql-guarded-decrement', async () => (await import('./sql/guardedDecrement.js')).sqlGuardedDecrement],
  ['sql-for-update', async () => (await import('./sql/forUpdate.js')).sqlForUpdate],
  ['sql-repeatable-read-retry', async () => (await import('./sql/isolation.js')).sqlRepeatableReadRetry],
  ['sql-serializable-retry', async () => (await import('./sql/isolation.js')).sqlSerializableRetry],
  ['sql-repeatable-read-no-retry', async () => (await import('./sql/isolation.js')).sqlRepeatableReadNoRetry],
  ['sql-serializable-no-retry', async () => (await import('./sql/isolation.js')).sqlSerializableNoRetry],
  ['sql-sum-then-insert-serializable', async () => (await import('./sql/sumThenInsert.js')).sqlSumThenInsertSerializable],
  ['sql-read-then-write', async () => (await import('./sql/readThenWrite.js')).sqlReadThenWrite],
  ['sql-unguarded-decrement', async () => (await import('./sql/unguardedDecrement.js')).sqlUnguardedDecrement],
  ['sql-for-update-autocommit', async () => (await import('./sql/forUpdate.js')).sqlForUpdateAutocommit],
  ['sql-sum-then-insert-repeatable-read', async () => (await import('./sql/sumThenInsert.js')).sqlSumThenInsertRepeatableRead],
  ['sql-reduced-flag', async () => (await import('./sql/reducedFlag.js')).sqlReducedFlag],
]);

/** The built-in strategies' names, in STRATEGIES' order. */
export const BUILT_IN_NAMES: readonly string[] = [...STRATEGY_LOADERS.keys()];
