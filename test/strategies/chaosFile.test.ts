/** scenarios/flash-sale-chaos.json is the file twin of CHAOS: same resolved scenario, same runs. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/index.js';
import { runOnce, type RunnableScenario } from '../../src/explore/run.js';
import { STRATEGIES } from '../../src/inventory/strategies/index.js';
import { CHAOS } from './fixture.js';

const FILE = 'scenarios/flash-sale-chaos.json';

function load(): RunnableScenario & { expect: unknown } {
  const r = parseScenario(readFileSync(new URL(`../../${FILE}`, import.meta.url), 'utf8'), FILE);
  if (!r.ok) throw new Error(`${FILE} does not load: ${JSON.stringify(r)}`);
  return r.scenario as unknown as RunnableScenario & { expect: unknown };
}

describe(FILE, () => {
  it('resolves to exactly the chaos fixture, expecting no violations', () => {
    const { description: _d, expect: exp, ...rest } = load() as unknown as Record<string, unknown>;
    expect(rest).toEqual(CHAOS);
    expect(exp).toEqual({ violations: 'none' });
  });

  it('runs identically to the fixture (same trace hash) for every strategy', () => {
    const file = load();
    for (const s of STRATEGIES.values()) {
      for (const seed of [1, 2]) {
        expect(runOnce(file, { seed, strategy: s }).traceHash).toBe(runOnce(CHAOS, { seed, strategy: s }).traceHash);
      }
    }
  });
});
