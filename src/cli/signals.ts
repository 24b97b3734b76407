import { constants } from 'node:os';

/**
 * The signals that mean "stop and tell me what you have": Ctrl-C, and what CI runners,
 * Kubernetes and a closed terminal send. Commands that run long (sweep, check) handle each
 * like Ctrl-C and exit with the shell's code for it.
 */
export const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** 128 + the signal's number: 130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 2);
}
