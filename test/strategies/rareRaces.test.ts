// The rare races (docs/strategies.md, "Rare races"): broken strategies whose bug needs a rare
// interleaving or a rare combination of faults, each with a scenario where it is catchable
// (scenarios/rare-races/). What the searches are measured on (bench/search.ts).
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, loadScenarioFile, type Scenario } from '../../src/scenario/index.js';
import { builtinStrategy, runOnce } from '../../src/explore/run.js';
import { checkExpectation } from '../../src/explore/expect.js';
import { ListSource } from '../../src/sim/sources.js';
import { RARE_RACES, STRATEGIES } from '../../src/inventory/strategies/index.js';
import { ROOT } from '../helpers/scenarios.js';
import { cli } from '../helpers/cli.js';

const DIR = resolve(ROOT, 'scenarios/rare-races');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
/** The two whose bug needs only an interleaving: no fault of any kind in their scenarios. */
const NO_FAULT = ['locked-replica-read-slow-replica.json', 'unfenced-confirm-slow-order.json'];
/** The safe strategy each rare race breaks (the same file with it must hold). */
const FIX: Record<string, string> = {
  'confirm-gives-up': 'reservation',
  'recovery-skips-expired': 'reservation',
  'reservation-per-line': 'reservation',
  'unfenced-confirm': 'reservation',
  'locked-replica-read': 'lock-fencing',
};

function load(file: string): Scenario {
  const r = loadScenarioFile(resolve(DIR, file));
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r.scenario;
}

function hasNoFault(s: Scenario): boolean {
  const n = s.network;
  return n.dropRequestPerMille === 0 && n.dropReplyPerMille === 0 && n.duplicatePerMille === 0 && s.payment.failPerMille === 0 &&
    s.faults.steps.length === 0 && s.faults.randomPauses.perMille === 0 && s.faults.clockSkew.offsetMsMax === 0 && s.faults.clockSkew.driftPpmMax === 0;
}

describe('the rare races', () => {
  it('are built-in strategies, broken, listed after the others, each with a scenario of its own', () => {
    // The SQL strategies (their own family, test/strategies/sql.test.ts) come after them.
    const names = [...STRATEGIES.values()].filter((s) => s.sql !== true).map((s) => s.name);
    expect(names.slice(-RARE_RACES.length)).toEqual(RARE_RACES.map((s) => s.name));
    for (const s of RARE_RACES) expect(s.safe, s.name).toBe(false);
    expect(FILES.map((f) => load(f).strategy.name).sort()).toEqual(RARE_RACES.map((s) => s.name).sort());
  });

  describe.each(FILES)('%s', (file) => {
    it('windowed; its calm run (every answer 0) holds; at its own seed it breaks what it expects', () => {
      const s = load(file);
      expect(s.timing).toBe('windowed');
      expect(runOnce(s, { source: new ListSource([]) }).violations).toEqual([]);
      const r = runOnce(s);
      const met = checkExpectation(s.expect, r.violations);
      expect(met?.met, `${file} seed ${s.seed}: ${met?.description}`).toBe(true);
    });

    it('is rare: the seeded random scheduler misses it on most of 100 seeds, and the fix holds on all of them', () => {
      const s = load(file);
      const fix = builtinStrategy(FIX[s.strategy.name]);
      let found = 0;
      for (let seed = 1; seed <= 100; seed++) {
        if (runOnce(s, { seed }).violations.length > 0) found++;
        expect(runOnce(s, { seed, strategy: fix }).violations, `${FIX[s.strategy.name]} seed ${seed}`).toEqual([]);
      }
      expect(found).toBeLessThan(10);
    });
  });

  it('two need no fault at all: the earliest-first schedule never breaks them, PCT d=1 finds them at least 5× as often as random', () => {
    for (const file of NO_FAULT) {
      const s = load(file);
      expect(hasNoFault(s), file).toBe(true);
      let random = 0;
      let pct = 0;
      for (let seed = 1; seed <= 200; seed++) {
        expect(runOnce(s, { seed, scheduler: 'earliest' }).violations, `${file} earliest seed ${seed}`).toEqual([]);
        if (runOnce(s, { seed, search: { kind: 'random' } }).violations.length > 0) random++;
        if (runOnce(s, { seed, search: { kind: 'pct', depth: 1 } }).violations.length > 0) pct++;
      }
      expect(pct, `${file}: pct ${pct} vs random ${random}`).toBeGreaterThanOrEqual(5 * Math.max(1, random));
    }
  });

  it('the others need a fault: without faults no schedule of 100 random seeds breaks them', () => {
    for (const file of FILES.filter((f) => !NO_FAULT.includes(f))) {
      const s = load(file);
      expect(hasNoFault(s), file).toBe(false);
      const calm: Scenario = {
        ...s,
        network: { ...s.network, dropRequestPerMille: 0, dropReplyPerMille: 0, duplicatePerMille: 0 },
        faults: { ...s.faults, steps: [], randomPauses: { ...s.faults.randomPauses, perMille: 0 } },
      };
      for (let seed = 1; seed <= 100; seed++) expect(runOnce(calm, { seed }).violations, `${file} seed ${seed}`).toEqual([]);
    }
  });

  it('load by name from the CLI: its own file breaks (exit 1), and `--strategy <name>` runs another on the same file', async () => {
    const own = await cli(['run', 'scenarios/rare-races/unfenced-confirm-slow-order.json', '--json']);
    expect(own.code, own.stderr).toBe(1);
    expect(JSON.parse(own.stdout).violations.map((v: { invariant: string }) => v.invariant)).toContain('conservation');
    // Another rare race on the same file: a different strategy ran (no lost reply here: it holds).
    const other = await cli(['run', 'scenarios/rare-races/unfenced-confirm-slow-order.json', '--strategy', 'confirm-gives-up', '--json']);
    expect(other.code, other.stderr).toBe(0);
    expect(JSON.parse(other.stdout).violations).toEqual([]);
  });
});
