import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { loadStrategy } from '../../src/explore/loadStrategy.js';
import { runOnce } from '../../src/explore/run.js';
import { libraryScenario, ROOT } from '../helpers/scenarios.js';

const fixture = (name: string) => resolve(ROOT, 'test/fixtures/hostile', name);

describe('hostile strategy modules get a finding that says what they did', () => {
  it('a recover that throws is a strategy-error finding, not "every invariant held"', async () => {
    const strategy = await loadStrategy(fixture('throwing-recover.mjs'), ROOT);
    const r = runOnce(libraryScenario('app-crash-mid-order'), { strategy, seed: 1 });
    expect(r.verdict).toBe('violated');
    const v = r.violations.find((x) => x.invariant === 'strategy-error');
    expect(v?.message).toBe("app2's recover threw Error: recovery table missing.");
  });

  it('yield without * names the missing star', async () => {
    const strategy = await loadStrategy(fixture('missing-star.mjs'), ROOT);
    const r = runOnce(libraryScenario('flash-sale'), { strategy, seed: 1 });
    const v = r.violations.find((x) => x.invariant === 'strategy-error');
    expect(v?.message).toContain('yielded a generator, not an effect: write yield* (with the star)');
  });

  it('a thrown Symbol is named', async () => {
    const strategy = await loadStrategy(fixture('throws-symbol.mjs'), ROOT);
    const r = runOnce(libraryScenario('flash-sale'), { strategy, seed: 1 });
    const v = r.violations.find((x) => x.invariant === 'strategy-error');
    expect(v?.message).toContain('placeOrder threw Symbol(out of vases)');
  });

  it('a .ts syntax error shows the error and its line', async () => {
    await expect(loadStrategy(fixture('syntax-error.ts'), ROOT)).rejects.toThrow(/failed to load: syntax error at line 5:\d+: Unexpected ";"$/);
  });
});
