/** Exit codes, documented in the README: the contract with scripts and CI. */
export const EXIT = {
  /** Every invariant held (or the command had nothing to judge and succeeded). */
  ok: 0,
  /** An invariant broke (or an expectation failed, or a determinism check diverged). */
  violated: 1,
  /** Bad input or usage: a one-line message, never a stack trace. */
  badInput: 2,
  /** A bug in oversold itself (a broken kernel invariant, an unexpected exception): please report it. */
  internal: 3,
  /** Interrupted (Ctrl-C) after printing what ran. */
  interrupted: 130,
} as const;

/**
 * An error the user can fix: wrong flag, missing file, invalid scenario, bad strategy module.
 * The top level prints its message on one line and exits 2.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code: string = 'BAD_INPUT',
    readonly exitCode: number = EXIT.badInput,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 'USAGE');
    this.name = 'UsageError';
  }
}
