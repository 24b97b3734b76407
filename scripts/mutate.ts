/**
 * Mutation testing (StrykerJS) of the code whose verdicts everything else trusts: each target
 * names the files Stryker mutates and the only tests it runs against them (a mutant is killed
 * by the tests that are about that code, not by the whole suite by accident).
 *
 *   npm run mutate                         # the invariants (the default target)
 *   npm run mutate -- --target storage     # the storage engine
 *   npm run mutate -- --target kernel      # the kernel
 *   npm run mutate -- --target kernel --dry-run   # only check that the target's tests pass
 *   npm run mutate -- --target kernel --only src/sim/queue.ts --tests test/sim/queue.test.ts
 *                                          # one file, against some of the target's tests
 *
 * Concurrency 1: this machine has two cores and other work on them; a run of the invariants
 * takes a few minutes, of the whole kernel about an hour (hence --only and --tests). Not part of `npm test`. Scores and excluded mutators: docs/testing.md.
 * The HTML report lands in reports/mutation/<target>.html.
 */
import { Stryker } from '@stryker-mutator/core';

interface Target {
  /** Files Stryker mutates. */
  readonly mutate: readonly string[];
  /** The test files run against each mutant. */
  readonly tests: readonly string[];
}

export const TARGETS: Record<string, Target> = {
  invariants: {
    mutate: ['src/inventory/invariants.ts'],
    tests: ['test/inventory/invariants.test.ts'],
  },
  // The storage engine (as split by issue 12) and the kernel (as rewritten by issue 11), each
  // mutated against its own unit tests: keep these lists to the files that hold them and the
  // tests about those files.
  storage: {
    mutate: ['src/inventory/instantDb.ts', 'src/inventory/dbRequests.ts', 'src/inventory/unitLedger.ts', 'src/inventory/counterOps.ts', 'src/inventory/reservations.ts', 'src/inventory/idempotency.ts'],
    tests: [
      'test/inventory/unitLedger.test.ts', 'test/inventory/counterOps.test.ts', 'test/inventory/reservations.test.ts',
      'test/inventory/instantDb.test.ts', 'test/inventory/dbRequests.test.ts', 'test/strategies/engine.test.ts',
    ],
  },
  kernel: {
    mutate: ['src/sim/**/*.ts', '!src/sim/index.ts'],
    tests: [
      'test/sim/choice.test.ts', 'test/sim/node.test.ts', 'test/sim/queue.test.ts', 'test/sim/windowed.test.ts', 'test/sim/assertions.test.ts',
      'test/sim/marks.test.ts', 'test/sim/hash.test.ts', 'test/sim/subjects.test.ts', 'test/sim/trace.test.ts', 'test/sim/rpcTable.test.ts',
      'test/sim/ready.test.ts', 'test/sim/kernel.test.ts', 'test/sim/network.test.ts', 'test/sim/lifecycle.test.ts', 'test/sim/assert.test.ts',
    ],
  },
};

/**
 * Mutators left out, for every target, and why (docs/testing.md repeats this list).
 * - none: the invariants and the storage engine reach 80 % with every mutator on.
 */
export const EXCLUDED_MUTATORS: readonly string[] = [];

/** `--only FILE` (repeatable): mutate just these files of the target (a run per file fits a short session). */
function onlyFiles(argv: readonly string[]): string[] {
  const out: string[] = [];
  argv.forEach((a, i) => {
    if (a === '--only' && argv[i + 1] !== undefined) out.push(argv[i + 1]);
    else if (a.startsWith('--only=')) out.push(a.slice('--only='.length));
  });
  return out;
}

/**
 * `--tests a,b`: run only these of the target's tests (a per-file run of a small file against
 * its own unit tests, not the whole-world tests that also reach it: fast, and a lower bound on
 * the score the target's full test list gives).
 */
function testsOf(argv: readonly string[], target: Target): readonly string[] {
  const i = argv.findIndex((a) => a === '--tests' || a.startsWith('--tests='));
  if (i < 0) return target.tests;
  const list = (argv[i].includes('=') ? argv[i].slice('--tests='.length) : argv[i + 1] ?? '').split(',').filter((t) => t !== '');
  const unknown = list.filter((t) => !target.tests.includes(t));
  if (list.length === 0 || unknown.length > 0) {
    process.stderr.write(`mutate: --tests must name tests of the target, found ${JSON.stringify(unknown.join(',') || list.join(','))}\n`);
    process.exit(2);
  }
  return list;
}

function targetName(argv: readonly string[]): string {
  const i = argv.findIndex((a) => a === '--target' || a.startsWith('--target='));
  const name = i < 0 ? 'invariants' : argv[i].includes('=') ? argv[i].slice('--target='.length) : argv[i + 1];
  if (name === undefined || !(name in TARGETS)) {
    process.stderr.write(`mutate: --target must be one of ${Object.keys(TARGETS).join(', ')}, found ${JSON.stringify(name ?? '')}\n`);
    process.exit(2);
  }
  return name;
}

async function main(): Promise<void> {
  const name = targetName(process.argv.slice(2));
  const target = TARGETS[name];
  // vitest.mutate.config.ts reads the test files from here (Stryker's vitest runner has no
  // option of its own for them).
  const tests = testsOf(process.argv.slice(2), target);
  process.env.OVERSOLD_MUTATE_TESTS = tests.join(',');
  const only = onlyFiles(process.argv.slice(2));
  // A run of some files only reports under its own name (runs per file do not overwrite each other).
  const reportName = only.length === 0 ? name : `${name}-${only.map((f) => f.replace(/^.*\//, '').replace(/\.ts$/, '')).join('+')}${tests === target.tests ? '' : '-unit'}`;
  const stryker = new Stryker({
    testRunner: 'vitest',
    vitest: { configFile: 'vitest.mutate.config.ts', related: false },
    // TypeScript 7's compiler is native: its npm package has no compiler API, so Stryker's
    // typescript-checker cannot load it. Mutants that do not type-check simply run (vitest
    // strips types) and are killed or survive on their behaviour.
    checkers: [],
    // Stryker rewrites the sandbox's tsconfig through the same missing API; our tsconfig has no
    // paths outside the project to rewrite, so point it at no file and skip that step.
    tsconfigFile: 'no-tsconfig-rewrite.json',
    mutate: only.length > 0 ? only : [...target.mutate],
    mutator: { excludedMutations: [...EXCLUDED_MUTATORS] },
    coverageAnalysis: 'perTest',
    concurrency: 1,
    reporters: ['clear-text', 'progress', 'html', 'json'],
    htmlReporter: { fileName: `reports/mutation/${reportName}.html` },
    jsonReporter: { fileName: `reports/mutation/${reportName}.json` },
    thresholds: { high: 90, low: 80, break: 80 },
    // dist/ stays: a test that starts a worker thread loads it (unmutated, so it kills nothing).
    ignorePatterns: ['artifacts', 'reports', 'coverage', '.oversold', 'bench'],
    dryRunOnly: process.argv.includes('--dry-run'),
    tempDirName: '.stryker-tmp',
    cleanTempDir: 'always',
  });
  const results = await stryker.runMutationTest();
  if (process.argv.includes('--dry-run')) {
    process.stdout.write(`mutate ${name}: dry run only: the target's tests pass on the instrumented code\n`);
    return;
  }
  const killed = results.filter((m) => m.status === 'Killed' || m.status === 'Timeout').length;
  const valid = results.filter((m) => m.status !== 'CompileError' && m.status !== 'RuntimeError' && m.status !== 'Ignored').length;
  process.stdout.write(`mutate ${reportName}: ${killed}/${valid} mutants killed (${valid === 0 ? 0 : ((100 * killed) / valid).toFixed(1)} %)\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`mutate: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
