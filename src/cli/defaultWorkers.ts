import { availableParallelism } from 'node:os';

/** A sweep's worker threads when --workers is not given: one per core, at most 16. */
export function defaultWorkers(): number {
  return Math.max(1, Math.min(availableParallelism(), 16));
}
