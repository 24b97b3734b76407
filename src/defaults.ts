/**
 * The searches' budgets when a caller names none, in one place: the library functions default
 * to them, the CLI's help states them, and the words of a result compare against them (a
 * re-check command needs `--runs` only past the default). Imports nothing, like errors.ts, so
 * every layer may read it.
 */

/** Property runs of `checkStrategy` / `oversold check --runs` before giving up. */
export const CHECK_RUNS_DEFAULT = 200;

/**
 * The first property runs of a check that are exactly a plain sweep (`oversold sweep --start
 * <check seed> --seeds 50`): whatever that sweep finds, check finds at the same run. A quarter
 * of the default budget: every rare race whose sweep median is below it is found as soon as
 * a sweep finds it, and the PCT and list cases still have three quarters (docs/benchmarks.md,
 * "Searching for rare races").
 */
export const CHECK_SWEEP_RUNS_DEFAULT = 50;

/** Simulations `why` / `oversold why --max-runs` spends at most. */
export const WHY_RUNS_MAX_DEFAULT = 2000;

/** Simulations `exportScenario` / `oversold export --max-runs` spends shrinking at most. */
export const EXPORT_RUNS_MAX_DEFAULT = 1000;
