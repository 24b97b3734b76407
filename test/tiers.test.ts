// The fast tier's own rule (docs/testing.md): a test in it starts no process and no worker
// thread (test/setup/fastTier.ts). These fail if the guard is gone from vitest.config.ts.
import { spawnSync, execFile } from 'node:child_process';
import * as childProcess from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { FastTierGuard } from './setup/fastTier.js';

const guard = () => (globalThis as { __oversoldFastTier?: FastTierGuard }).__oversoldFastTier;

/** Runs `start`, expects the refusal, and takes it back off the list (so this test passes). */
function refused(start: () => unknown): string {
  let err: unknown;
  try {
    start();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(Error);
  expect((err as Error).message).toMatch(/in the fast tier: a test that starts a process or a worker thread belongs in a file named \*\.slow\.test\.ts/);
  const seen = guard()!.attempts.splice(0);
  expect(seen).toHaveLength(1);
  return seen[0];
}

describe('the fast tier starts no process and no worker thread', () => {
  it('the guard is installed in this worker', () => {
    expect(guard()).toBeDefined();
  });

  it('a worker thread is refused, however it is imported', () => {
    expect(refused(() => new Worker('process.exit(0)', { eval: true }))).toMatch(/^new Worker/);
  });

  it('a process is refused, by every way of starting one', () => {
    expect(refused(() => spawnSync(process.execPath, ['-e', '0']))).toMatch(/^child_process\.spawnSync/);
    expect(refused(() => execFile(process.execPath, ['-e', '0']))).toMatch(/^child_process\.execFile/);
    for (const name of ['spawn', 'exec', 'execSync', 'execFileSync', 'fork'] as const) {
      expect(refused(() => (childProcess[name] as (f: string) => unknown)('true'))).toBe(`child_process.${name}("true")`);
    }
  });

  it('a refusal the code under test swallows is still on the list the tier checks after each test', () => {
    try {
      new Worker('0', { eval: true });
    } catch {
      // a pool that turns a failed start into a value would do this
    }
    expect(guard()!.attempts.splice(0)).toEqual(['new Worker("0")']);
  });
});
