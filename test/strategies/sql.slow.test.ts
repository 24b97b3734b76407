// Issue 15's acceptance over 200 seeds: safe SQL strategies never violate on their scenarios;
// unsafe ones violate on a share of them (printed: the number docs/strategies.md reports).
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlParser } from '../../src/inventory/sql/parse.js';
import { builtinScenarioNames, loadScenario } from '../../src/scenario/index.js';
import { runOnce } from '../../src/explore/run.js';

beforeAll(() => loadSqlParser());

describe('SQL scenarios, seeds 1..200', () => {
  it.each(builtinScenarioNames().filter((n) => n.startsWith('sql-')))('%s', (name) => {
    const r = loadScenario(name);
    if (!r.ok) throw new Error(name);
    const sc = r.scenario;
    let violated = 0;
    for (let seed = 1; seed <= 200; seed++) if (runOnce(sc, { seed }).violations.length > 0) violated++;
    console.log(`${name}: ${violated}/200 seeds violate`);
    if (sc.expect?.violations === 'none') expect(violated).toBe(0);
    else expect(violated).toBeGreaterThan(0);
  });
});
