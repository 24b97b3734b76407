/**
 * oversold's errors and exit codes, in one place. This module imports nothing, so every layer
 * (sim, inventory, scenario, explore, report, cli) may throw these and the CLI's top level
 * maps them to an exit code without knowing where they came from.
 *
 * Expected faults of a simulated run are values, never these: an error is for a caller's
 * mistake (bad input, exit 2), for a finding that stops a command (exit 1), or for a bug in
 * oversold itself (anything else that reaches the top level, exit 3).
 */

/** Exit codes, documented in the README: the contract with scripts and CI. */
export const EXIT = {
  /** Every invariant held (or the command had nothing to judge and succeeded). */
  ok: 0,
  /** An invariant broke (or an expectation failed, or a determinism check diverged). */
  violated: 1,
  /** Bad input or usage: a one-line message, never a stack trace. */
  badInput: 2,
  /** A bug in oversold itself (the CLI prints "internal error" and how to report it). */
  internal: 3,
  /** Interrupted (Ctrl-C) after printing what ran. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * The root of the hierarchy: a one-line message for a person, a stable `code` for a program,
 * and the exit code the CLI ends with.
 */
export class OversoldError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'OversoldError';
  }
}

/**
 * Bad input the user can fix (a scenario, a strategy module or its options, a replay file, a
 * flag). The CLI prints the message on one line and exits 2; library users get a typed error
 * with a code.
 */
export class InputError extends OversoldError {
  constructor(message: string, code: string = 'BAD_INPUT') {
    super(message, code, EXIT.badInput);
    this.name = 'InputError';
  }
}

/** A command line that does not parse: wrong flag, missing argument. */
export class UsageError extends InputError {
  constructor(message: string) {
    super(message, 'USAGE');
    this.name = 'UsageError';
  }
}

/** `--strategy` or `strategy.name` names neither a built-in strategy nor a module path. */
export class UnknownStrategyError extends InputError {
  constructor(
    readonly strategy: string,
    message: string,
  ) {
    super(message, 'UNKNOWN_STRATEGY');
    this.name = 'UnknownStrategyError';
  }
}

/** `why` or `export` of a run that holds every invariant: there is no violation to work on. */
export class NothingToExplainError extends InputError {
  constructor(what: string) {
    super(`${what} holds every invariant: there is no violation to explain or export`, 'NOTHING_TO_EXPLAIN');
    this.name = 'NothingToExplainError';
  }
}

/** An error's one line, whatever was thrown (a Symbol, a value with a throwing toString). */
export function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message.split('\n')[0]}`;
  if (typeof e === 'symbol') return e.toString();
  try {
    return String(e);
  } catch {
    return 'a value that cannot be printed';
  }
}
