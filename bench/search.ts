/**
 * The search table (docs/benchmarks.md, "Searching for rare races"): for every broken strategy,
 * how many of 20 search seeds find a violation within a budget of N runs, and the median runs
 * to the first violation among those (a median only when at least 11 of 20 found it), for
 *
 * - `sweep`: a plain seed sweep of the file as written, in its own timing model (`oversold
 *   sweep`: sampled on the chaos sale, windowed with the random scheduler on the rare-race
 *   files, which say `"timing": "windowed"`): the column `check` must not be worse than;
 * - `sampled`: a sweep in the sampled timing model (`--timing sampled`), another model than
 *   the rare-race files' own (not in the default modes);
 * - `random`: the windowed model with the seeded random scheduler (`--search random`);
 * - `pct d=1..3`: PCT (`--search pct --pct-depth d`);
 * - `check`: fast-check over choice lists (`oversold check`, swarm on), the scenario's own
 *   timing model, fast-check seed (s-1)·N+1 for search seed s, so that its first 50 runs
 *   (the sweep cases, CHECK_SWEEP_RUNS_DEFAULT) are the sweep column's first 50 seeds;
 *   `check s=K` (only with --modes) the same with K sweep cases (`check s=0`: none, the
 *   mixture alone).
 *
 * Search seed s of a seed-driven search runs seeds (s-1)·N+1 .. s·N: 20 disjoint sweeps.
 * The old broken strategies run on the chaos flash sale; the rare races on their own
 * scenarios (scenarios/rare-races/), where each is catchable.
 *
 *   npx tsx bench/search.ts [--budget N] [--search-seeds 20] [--only name,name] [--modes random,check] [--chaos-rare]
 *
 * --chaos-rare adds rows for the rare races on the chaos flash sale too.
 */
import { runOnce, builtinStrategy, type RunnableScenario, type RunOptions } from '../src/explore/run.js';
import { checkStrategy } from '../src/explore/check.js';
import { loadScenarioFile, formatProblem, type Scenario } from '../src/scenario/index.js';
import type { Strategy } from '../src/inventory/strategy.js';

interface Row {
  readonly strategy: string;
  readonly file: string;
  readonly budget: number;
}

function parseArgs(argv: string[]) {
  let budget = 0;
  let searchSeeds = 20;
  let only: string[] | null = null;
  let chaosRare = false;
  let modes: string[] | null = null;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--budget') budget = Number(argv[++i]);
    else if (argv[i] === '--search-seeds') searchSeeds = Number(argv[++i]);
    else if (argv[i] === '--only') only = argv[++i].split(',');
    else if (argv[i] === '--chaos-rare') chaosRare = true;
    else if (argv[i] === '--modes') modes = argv[++i].split(',');
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return { budget, searchSeeds, only, chaosRare, modes };
}

const args = parseArgs(process.argv.slice(2));
const CHAOS = 'scenarios/flash-sale-chaos.json';
const RARE = 'scenarios/rare-races';
const rows: Row[] = [
  ...['naive', 'lock-lease', 'wall-clock-expiry', 'retry-without-idempotency'].map((strategy) => ({ strategy, file: CHAOS, budget: args.budget || 100 })),
  { strategy: 'locked-replica-read', file: `${RARE}/locked-replica-read-slow-replica.json`, budget: args.budget || 200 },
  { strategy: 'unfenced-confirm', file: `${RARE}/unfenced-confirm-slow-order.json`, budget: args.budget || 200 },
  { strategy: 'confirm-gives-up', file: `${RARE}/confirm-gives-up-lost-replies.json`, budget: args.budget || 200 },
  { strategy: 'recovery-skips-expired', file: `${RARE}/recovery-skips-expired-crash.json`, budget: args.budget || 200 },
  { strategy: 'reservation-per-line', file: `${RARE}/reservation-per-line-pause.json`, budget: args.budget || 200 },
  ...(args.chaosRare
    ? ['locked-replica-read', 'unfenced-confirm', 'confirm-gives-up', 'recovery-skips-expired', 'reservation-per-line'].map((strategy) => ({ strategy, file: CHAOS, budget: args.budget || 200 }))
    : []),
].filter((r) => args.only === null || args.only.includes(r.strategy));

function load(file: string): Scenario {
  const r = loadScenarioFile(file);
  if (!r.ok) {
    for (const p of r.problems) console.error(formatProblem(p));
    process.exit(2);
  }
  return r.scenario;
}

type Mode = { readonly name: string; readonly opts?: (seed: number) => RunOptions; readonly sweepRuns?: number };
const checkWith = (args.modes ?? []).flatMap((m) => {
  const k = /^check s=(\d+)$/.exec(m);
  return k ? [{ name: m, sweepRuns: Number(k[1]) }] : [];
});
const MODES: Mode[] = [
  { name: 'sweep', opts: (seed: number): RunOptions => ({ seed }) },
  { name: 'sampled', opts: (seed: number): RunOptions => ({ seed, timing: 'sampled' }) },
  { name: 'random', opts: (seed: number): RunOptions => ({ seed, search: { kind: 'random' } }) },
  ...[1, 2, 3].map((depth) => ({ name: `pct d=${depth}`, opts: (seed: number) => ({ seed, search: { kind: 'pct' as const, depth } }) })),
  { name: 'check' },
  { name: 'check no-swarm' },
  ...checkWith,
].filter((m) => (args.modes === null ? m.name !== 'check no-swarm' && m.name !== 'sampled' : args.modes.includes(m.name)));

/** Runs to the first violation of one search seed, or null within the budget. */
function firstViolation(s: Scenario, strategy: Strategy, mode: Mode, searchSeed: number, budget: number): number | null {
  if (mode.name.startsWith('check')) {
    // Seed (s-1)·N+1: the sweep cases are the sweep column's seeds for this search seed.
    const seed = (searchSeed - 1) * budget + 1;
    const c = checkStrategy(s, strategy, { numRuns: budget, seed, swarm: mode.name !== 'check no-swarm', ...(mode.sweepRuns === undefined ? {} : { sweepRuns: mode.sweepRuns }) });
    return c.found ? c.runs : null;
  }
  const opts = mode.opts!;
  for (let i = 1; i <= budget; i++) {
    const seed = (searchSeed - 1) * budget + i;
    if (runOnce(s as RunnableScenario, { ...opts(seed), strategy }).violations.length > 0) return i;
  }
  return null;
}

function median(xs: number[]): number {
  const a = [...xs].sort((x, y) => x - y);
  const m = a.length >> 1;
  return a.length % 2 === 1 ? a[m] : (a[m - 1] + a[m]) / 2;
}

const header = ['strategy', 'scenario', 'N', ...MODES.map((m) => m.name)];
console.log(`| ${header.join(' | ')} |`);
console.log(`| ${header.map(() => '---').join(' | ')} |`);
const t0 = performance.now(); // wall-clock: measurement only
for (const row of rows) {
  const s = load(row.file);
  const strategy = builtinStrategy(row.strategy);
  const cells: string[] = [];
  for (const mode of MODES) {
    const found: number[] = [];
    for (let ss = 1; ss <= args.searchSeeds; ss++) {
      const r = firstViolation(s, strategy, mode, ss, row.budget);
      if (r !== null) found.push(r);
    }
    const half = Math.floor(args.searchSeeds / 2) + 1;
    cells.push(`${found.length}/${args.searchSeeds}${found.length >= half ? ` (${median(found)})` : ''}`);
  }
  console.log(`| ${row.strategy} | ${s.name} | ${row.budget} | ${cells.join(' | ')} |`);
}
console.error(`${((performance.now() - t0) / 1000).toFixed(0)} s`); // wall-clock: measurement only
