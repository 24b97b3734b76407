import { UnknownStrategyError } from '../errors.js';
import { STRATEGIES } from '../inventory/strategies/index.js';
import type { Strategy } from '../inventory/strategy.js';
import { unknownStrategyMessage } from './builtinStrategies.js';
import { runWithStrategy, type RunnableScenario, type RunOptions, type RunResult } from './runCore.js';

// One run, the library's way: the strategy given, or the scenario's own looked up among the
// built-ins (which imports every one of them). The run itself is runCore.ts, which a sweep's
// worker thread imports without this registry (docs/benchmarks.md, "Worker boot").
export {
  calmPctStats, countOrders, percentile, resolveOptions, round3, runToJson, runWithStrategy, timingOf, violationToJson,
  type OrderCounts, type RunnableScenario, type RunOptions, type RunResult,
} from './runCore.js';
export { unknownStrategyMessage } from './builtinStrategies.js';

/** A built-in strategy by name; an UnknownStrategyError (exit 2) names the closest one. */
export function builtinStrategy(name: string): Strategy {
  const s = STRATEGIES.get(name);
  if (!s) throw new UnknownStrategyError(name, unknownStrategyMessage(name));
  return s;
}

/**
 * One run: a pure function of (scenario, strategy, choice source). Same inputs, same trace
 * hash, in any process or worker. Without `opts.strategy`, the scenario's built-in strategy.
 */
export function runOnce(scenario: RunnableScenario, opts: RunOptions = {}): RunResult {
  const strategy = opts.strategy ?? builtinStrategy(scenario.strategy.name);
  return runWithStrategy(scenario, opts.strategy === strategy ? (opts as RunOptions & { readonly strategy: Strategy }) : { ...opts, strategy });
}
