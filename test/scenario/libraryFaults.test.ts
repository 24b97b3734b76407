// Every fault a library scenario claims is seen to strike (coverage marks, as TigerBeetle's
// marks.zig): a scenario that says "a partition" must, on some of its seeds 1-200 and with its
// own strategy, lose a message to that partition; a step aimed at o1's confirm must meet o1's
// confirm. In-process, and each scenario stops at the first seed by which everything struck.
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, loadScenarioFile, type Scenario } from '../../src/scenario/index.js';
import { runOnce } from '../../src/explore/run.js';
import { faultMarksOf } from '../../src/inventory/faultMarks.js';
import { ROOT } from '../helpers/scenarios.js';

const DIR = resolve(ROOT, 'scenarios');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
const SEEDS_MAX = 200;

function load(file: string): Scenario {
  const r = loadScenarioFile(resolve(DIR, file));
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r.scenario;
}

/** The claimed faults of `s` that struck in none of its seeds 1..SEEDS_MAX, and how many seeds it took. */
function neverStruck(s: Scenario): { missing: string[]; seeds: number } {
  const missing = new Set(faultMarksOf(s).filter((m) => m.claimed).map((m) => m.id));
  let seed = 1;
  for (; seed <= SEEDS_MAX && missing.size > 0; seed++) {
    for (const id of runOnce(s, { seed }).faultsStruck) missing.delete(id);
  }
  return { missing: [...missing], seeds: seed - 1 };
}

describe('the scenario library: every claimed fault strikes', () => {
  it.each(FILES)('%s: each fault it claims strikes on some seed in 1..200, with its own strategy', (file) => {
    const { missing } = neverStruck(load(file));
    expect(missing, `${file}: never struck in seeds 1..${SEEDS_MAX}`).toEqual([]);
  });

  it('the check can fail: a step aimed at a call nobody makes never strikes', () => {
    // lost-release's steps aim at o1's charge and release; naive never charges nor releases.
    const s = load('lost-release.json');
    s.strategy = { name: 'naive', options: {} };
    expect(neverStruck(s).missing.sort()).toEqual(['faults.steps[0]', 'faults.steps[1]']);
  });
});
