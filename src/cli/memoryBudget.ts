import { totalmem } from 'node:os';
import { simulatorHeapMb, threadHeapMb } from '../explore/memory.js';
import type { RunnableScenario } from '../explore/run.js';
import { InputError } from '../errors.js';

/** The share of this machine's memory that oversold's simulation threads may take together. */
const MACHINE_SHARE = 0.75;

/**
 * The heap limit of each of `threads` simulation threads for `scenario` (src/explore/memory.ts:
 * the simulator's share plus what a strategy may keep, at most three quarters of the memory
 * split between the threads), or a one-line InputError (exit 2) when the simulator's share and
 * a minimal strategy share do not fit: refused before anything runs, rather than a thread dying
 * half-way or the machine swapping.
 */
export function heapMbPerThread(scenario: RunnableScenario, threads: number, machineMb = Math.floor(totalmem() / (1024 * 1024))): number {
  const need = threadHeapMb(scenario);
  const cap = Math.floor((machineMb * MACHINE_SHARE) / Math.max(1, threads));
  // Many threads share the memory: each strategy may keep less, but never less than this.
  if (simulatorHeapMb(scenario) + STRATEGY_HEAP_MB_MIN > cap) {
    const units = scenario.items.reduce((n, i) => n + i.stock, 0);
    throw new InputError(
      `scenario ${scenario.name} needs about ${need} MB of heap per simulation thread (${simulatorHeapMb(scenario)} MB for ${units} units of stock and its orders, plus what the strategy may keep), more than the ${cap} MB each of ${threads} thread${threads === 1 ? '' : 's'} may use on this machine (three quarters of its ${machineMb} MB)${threads > 1 ? ': use fewer --workers' : ': use a smaller scenario'}`,
      'SCENARIO_TOO_BIG',
    );
  }
  return Math.min(need, cap);
}

/** The least a strategy may keep per thread when many threads share the machine. */
const STRATEGY_HEAP_MB_MIN = 256;
