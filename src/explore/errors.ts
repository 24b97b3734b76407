/**
 * Bad input detected below the CLI (a scenario, a strategy module, a replay file). The CLI
 * prints the message on one line and exits 2; library users get a typed error with a code.
 */
export class InputError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'InputError';
  }
}
