// The lazy registry a worker thread loads its strategy through (src/inventory/strategies/loaders.ts)
// against the eager one every listing uses (STRATEGIES): the same names in the same order, the
// same objects, and the same error for a name that is neither.
import { describe, expect, it } from 'vitest';
import { STRATEGIES } from '../../src/inventory/strategies/index.js';
import { BUILT_IN_NAMES, STRATEGY_LOADERS } from '../../src/inventory/strategies/loaders.js';
import { loadBuiltinStrategy } from '../../src/explore/builtinStrategies.js';
import { loadStrategy } from '../../src/explore/loadStrategy.js';
import { builtinStrategy } from '../../src/explore/run.js';
import { UnknownStrategyError } from '../../src/errors.js';
import { BUILT_IN_STRATEGY_NAMES } from '../../src/scenario/strategyOptions.js';

describe('the built-in strategies loaded one by one', () => {
  it('name the strategies of STRATEGIES, in its order (help, did-you-mean and validation list them)', () => {
    expect(BUILT_IN_NAMES).toEqual([...STRATEGIES.keys()]);
    expect(BUILT_IN_STRATEGY_NAMES).toEqual([...STRATEGIES.keys()]);
  });

  it('load the very object STRATEGIES holds under each name (a run cannot tell how it was loaded)', async () => {
    for (const [name, load] of STRATEGY_LOADERS) {
      expect(await load(), name).toBe(STRATEGIES.get(name));
      expect(await loadBuiltinStrategy(name), name).toBe(STRATEGIES.get(name));
      expect(await loadStrategy(name, process.cwd()), name).toBe(STRATEGIES.get(name));
    }
  });

  it('refuse an unknown name with the error and message the eager lookup gives', async () => {
    let eager: unknown;
    try {
      builtinStrategy('nave');
    } catch (e) {
      eager = e;
    }
    expect(eager).toBeInstanceOf(UnknownStrategyError);
    const lazy = await loadBuiltinStrategy('nave').catch((e: unknown) => e);
    expect(lazy).toBeInstanceOf(UnknownStrategyError);
    expect((lazy as Error).message).toBe((eager as Error).message);
    expect((lazy as Error).message).toContain('did you mean "naive"');
  });
});
