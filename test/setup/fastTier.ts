// Setup file of the fast tier (vitest.config.ts, docs/testing.md): a fast-tier test starts no
// process and no worker thread. Both cost a node start-up (tens to hundreds of ms of CPU each,
// and a sweep starts one per core) and both load dist/, which the fast tier does not build.
// A test whose point is a process or a thread lives in a file named *.slow.test.ts.
//
// Node's built-in modules are patched in this test worker: the CommonJS exports are replaced
// and syncBuiltinESMExports() carries the change to every `import { Worker } from
// 'node:worker_threads'` binding, so src/ is caught too (a sweep's pool, the watchdog's thread).
// The refusal throws where the thread or process would start; code that turns the error into
// a value (a sweep reports a worker that failed to start) is caught anyway: the test fails
// after it ran.
import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import workerThreads from 'node:worker_threads';
import { afterEach, expect } from 'vitest';

const STARTERS = ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const;

/** What fast-tier tests tried to start since the last check (shared by every file in a worker). */
export interface FastTierGuard {
  readonly attempts: string[];
}
const g = globalThis as { __oversoldFastTier?: FastTierGuard };

export function fastTierRefusal(what: string): Error {
  return new Error(`${what} in the fast tier: a test that starts a process or a worker thread belongs in a file named *.slow.test.ts (docs/testing.md)`);
}

function refuse(what: string): never {
  g.__oversoldFastTier!.attempts.push(what);
  throw fastTierRefusal(what);
}

// With isolate: false this file runs once per test file in the same worker: patch once.
if (!g.__oversoldFastTier) {
  g.__oversoldFastTier = { attempts: [] };
  for (const name of STARTERS) {
    Object.defineProperty(childProcess, name, {
      value: (file: unknown) => refuse(`child_process.${name}(${JSON.stringify(file)})`),
      writable: true,
      configurable: true,
    });
  }
  class RefusedWorker {
    constructor(file: unknown) {
      refuse(`new Worker(${JSON.stringify(String(file))})`);
    }
  }
  Object.defineProperty(workerThreads, 'Worker', { value: RefusedWorker, writable: true, configurable: true });
  syncBuiltinESMExports();
}

afterEach(() => {
  const attempts = g.__oversoldFastTier!.attempts;
  if (attempts.length === 0) return;
  const seen = attempts.splice(0);
  expect.fail(`${expect.getState().testPath ?? 'this test'} tried to start: ${seen.join(', ')}. ${fastTierRefusal('that').message}`);
});
