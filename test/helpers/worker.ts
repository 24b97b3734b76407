import { Worker } from 'node:worker_threads';
import { resolve } from 'node:path';
import { ROOT } from './scenarios.js';

/** The trace hash of one seeded run in a fresh worker thread (dist/explore/worker.js, as sweeps run). */
export function hashInWorker(scenario: unknown, seed: number, strategy = 'naive'): Promise<string> {
  return new Promise((ok, fail) => {
    // Marked as oversold's own simulation thread (as SimWorker does): only those listen.
    const w = new Worker(resolve(ROOT, 'dist/explore/worker.js'), { workerData: { oversold: 'sim-worker', heartbeat: null } });
    w.once('message', (m: { kind: string; traceHash?: string; message?: string }) => {
      void w.terminate();
      if (m.kind === 'run') ok(m.traceHash!);
      else fail(new Error(m.message));
    });
    w.once('error', fail);
    w.postMessage({ kind: 'run', id: 1, scenario: JSON.parse(JSON.stringify(scenario)), strategy, cwd: ROOT, seed, keepTrace: false });
  });
}
