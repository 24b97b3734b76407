/**
 * process.exit as it was when the CLI started. The entry point replaces process.exit while a
 * command runs a user's module in this thread (a strategy that calls it is bad input, said in
 * one line, not a silent exit 0); oversold's own deliberate exits (a second Ctrl-C, a closed
 * stdout, a parent gone) go through this one.
 */
export const exitNow: (code?: number) => never = process.exit.bind(process) as (code?: number) => never;
