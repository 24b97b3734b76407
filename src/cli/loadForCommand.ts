import { loadStrategy } from '../explore/loadStrategy.js';
import { isStrategyPath } from '../inventory/strategy.js';
import type { Strategy } from '../inventory/strategy.js';

import { LOAD_SETTLE_MS } from './watchdog.js';

/**
 * loadStrategy for a command. A user's module may throw later from its top level: a timer
 * (`setTimeout(() => { throw ... })`) or a promise rejected with no handler. Letting them fire
 * now makes that a load failure in every command alike (exit 2, one line), instead of a run
 * that finished first and said nothing (run) while a longer command died of it (sweep, check).
 */
export async function loadForCommand(ref: string, cwd: string): Promise<Strategy> {
  const strategy = await loadStrategy(ref, cwd);
  if (isStrategyPath(ref)) await new Promise((resolve) => setTimeout(resolve, LOAD_SETTLE_MS)); // wall-clock: lets the module's own timers fire, decides nothing
  return strategy;
}
