/** SQL errors as values, with PostgreSQL's SQLSTATEs and messages. */
import type { SqlErrorKind, SqlFailure } from './types.js';
import { EvalError } from './values.js';

export function failure(error: SqlErrorKind, sqlstate: string, message: string): SqlFailure {
  return { ok: false, error, sqlstate, message };
}

export const unsupported = (construct: string): SqlFailure =>
  failure('unsupported', '0A000', `${construct} is not in oversold's SQL subset`);

export const syntaxError = (message: string): SqlFailure => failure('syntax', '42601', message);

export const inFailedTransaction = (): SqlFailure =>
  failure('in_failed_transaction', '25P02', 'current transaction is aborted, commands ignored until end of transaction block');

export const deadlockDetected = (): SqlFailure => failure('deadlock', '40P01', 'deadlock detected');

export const concurrentUpdate = (deleted: boolean): SqlFailure =>
  failure('serialization_failure', '40001', `could not serialize access due to concurrent ${deleted ? 'delete' : 'update'}`);

export const rwDependencies = (): SqlFailure =>
  failure('serialization_failure', '40001', 'could not serialize access due to read/write dependencies among transactions');

export const uniqueViolation = (constraint: string): SqlFailure =>
  failure('unique_violation', '23505', `duplicate key value violates unique constraint "${constraint}"`);

export type CancelReason = 'lock_timeout' | 'statement_timeout' | 'user';

export function canceled(reason: CancelReason): SqlFailure {
  if (reason === 'lock_timeout') return failure('lock_timeout', '55P03', 'canceling statement due to lock timeout');
  if (reason === 'statement_timeout') return failure('timeout', '57014', 'canceling statement due to statement timeout');
  return failure('canceled', '57014', 'canceling statement due to user request');
}

/** An error thrown while evaluating an expression, as a value. */
export function fromEvalError(e: EvalError): SqlFailure {
  const kind: SqlErrorKind = e.sqlstate === '0A000' ? 'unsupported' : e.sqlstate === '23502' ? 'not_null_violation' : 'data_exception';
  return failure(kind, e.sqlstate, e.message);
}
