import { UnknownStrategyError } from '../errors.js';
import { BUILT_IN_NAMES, STRATEGY_LOADERS } from '../inventory/strategies/loaders.js';
import type { Strategy } from '../inventory/strategy.js';
import { didYouMean } from '../scenario/didYouMean.js';

/** `unknown strategy "nave" — did you mean "naive"? (built-in: …, or a path to your own module)` */
export function unknownStrategyMessage(name: string): string {
  const hint = didYouMean(name, BUILT_IN_NAMES);
  return `unknown strategy "${name}"${hint ? ` — ${hint}` : ''} (built-in: ${BUILT_IN_NAMES.join(', ')}; or a path to your own module, e.g. ./my-strategy.ts)`;
}

/**
 * A built-in strategy by name, importing only its own module (a worker thread runs one
 * strategy: docs/benchmarks.md, "Worker boot"); an UnknownStrategyError (exit 2) names the
 * closest one. The same object as STRATEGIES.get(name) (builtinStrategy in run.ts).
 */
export async function loadBuiltinStrategy(name: string): Promise<Strategy> {
  const load = STRATEGY_LOADERS.get(name);
  if (!load) throw new UnknownStrategyError(name, unknownStrategyMessage(name));
  return load();
}
