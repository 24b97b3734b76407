#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import { relaunch, relaunchFlags } from './relaunch.js';
import { defaultWorkers } from './defaultWorkers.js';

// The CLI's entry point. Whether a sweep starts itself again with per-thread GC (relaunch.ts)
// is decided from argv alone, before the commands load: they are ~260 modules (~0.5 CPU-s),
// which a relaunching parent only waits beside (docs/benchmarks.md, "Worker boot"). The
// commands themselves, and what tests and the CLI's own threads import, are in cli.ts.

function isEntryPoint(): boolean {
  // A worker thread sees the parent's argv.
  if (!isMainThread) return false;
  const arg = process.argv[1];
  if (!arg) return false;
  try {
    return realpathSync(arg) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

const entryPoint = isEntryPoint();
const relaunchWith = entryPoint ? relaunchFlags(process.argv.slice(2), process.execArgv, process.env, availableParallelism(), defaultWorkers()) : null;
if (relaunchWith !== null) {
  // A sweep on every core: the same command again, in a node with per-thread GC (relaunch.ts).
  relaunch(relaunchWith, process.argv[1], process.argv.slice(2));
} else if (entryPoint) {
  (await import('./cli.js')).runAsEntryPoint();
}
