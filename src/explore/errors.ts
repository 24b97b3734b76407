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
