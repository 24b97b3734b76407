import { describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { resolve } from 'node:path';
import { runOnce } from '../../src/explore/run.js';
import { libraryScenario, ROOT } from '../helpers/scenarios.js';

function hashInWorker(scenario: unknown, seed: number): Promise<string> {
  return new Promise((ok, fail) => {
    // Marked as oversold's own simulation thread (as SimWorker does): only those listen.
    const w = new Worker(resolve(ROOT, 'dist/explore/worker.js'), { workerData: { oversold: 'sim-worker', heartbeat: null } });
    w.once('message', (m: { kind: string; traceHash?: string; message?: string }) => {
      void w.terminate();
      if (m.kind === 'run') ok(m.traceHash!);
      else fail(new Error(m.message));
    });
    w.once('error', fail);
    w.postMessage({ kind: 'run', id: 1, scenario, strategy: 'naive', cwd: ROOT, seed, keepTrace: false });
  });
}

describe('same scenario + seed => same trace', () => {
  const scenario = libraryScenario('flash-sale');

  it('is byte-identical run after run, and differs for another seed', () => {
    const a = runOnce(scenario, { seed: 7, keepTrace: true });
    const b = runOnce(scenario, { seed: 7, keepTrace: true });
    expect(JSON.stringify(b.trace)).toBe(JSON.stringify(a.trace));
    expect(b.traceHash).toBe(a.traceHash);
    expect(runOnce(scenario, { seed: 8 }).traceHash).not.toBe(a.traceHash);
  });

  it('keeping the trace or the choices does not change the run', () => {
    const lean = runOnce(scenario, { seed: 11 });
    const full = runOnce(scenario, { seed: 11, keepTrace: true, recordChoices: true });
    expect(full.traceHash).toBe(lean.traceHash);
  });

  it('gives the same hash inside a worker_threads worker', async () => {
    const local = runOnce(scenario, { seed: 7 }).traceHash;
    expect(await hashInWorker(scenario, 7)).toBe(local);
  });
});
