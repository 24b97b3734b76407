import { parentPort } from 'node:worker_threads';
import { runOnce, type RunnableScenario } from './run.js';
import { loadStrategy } from './loadStrategy.js';
import { sweepInline, type SweepTally } from './sweep.js';

/**
 * Worker-thread entry: runs seeds of a scenario sent by the parent. Strategies travel by name
 * or path (functions cannot cross threads), so each worker loads its own copy.
 */
export type WorkerRequest =
  | { readonly kind: 'run'; readonly id: number; readonly scenario: RunnableScenario; readonly strategy: string; readonly cwd: string; readonly seed: number; readonly keepTrace: boolean }
  | { readonly kind: 'sweep'; readonly id: number; readonly scenario: RunnableScenario; readonly strategy: string; readonly cwd: string; readonly start: number; readonly count: number; readonly failFast: boolean };

export type WorkerReply =
  | { readonly kind: 'run'; readonly id: number; readonly traceHash: string; readonly traceLines: string[] | null; readonly verdict: string }
  | { readonly kind: 'sweep'; readonly id: number; readonly tally: SweepTally }
  | { readonly kind: 'progress'; readonly id: number; readonly seed: number; readonly failed: boolean }
  | { readonly kind: 'error'; readonly id: number; readonly message: string };

if (parentPort) {
  const port = parentPort;
  port.on('message', async (req: WorkerRequest) => {
    try {
      const strategy = await loadStrategy(req.strategy, req.cwd);
      if (req.kind === 'run') {
        const r = runOnce(req.scenario, { seed: req.seed, strategy, keepTrace: req.keepTrace });
        const reply: WorkerReply = { kind: 'run', id: req.id, traceHash: r.traceHash, traceLines: r.trace ? r.trace.map((e) => JSON.stringify(e)) : null, verdict: r.verdict };
        port.postMessage(reply);
      } else {
        const tally = sweepInline(req.scenario, {
          start: req.start,
          count: req.count,
          strategy,
          failFast: req.failFast,
          onRun: (seed, failed) => port.postMessage({ kind: 'progress', id: req.id, seed, failed } satisfies WorkerReply),
        });
        port.postMessage({ kind: 'sweep', id: req.id, tally } satisfies WorkerReply);
      }
    } catch (e) {
      port.postMessage({ kind: 'error', id: req.id, message: e instanceof Error ? e.message : String(e) } satisfies WorkerReply);
    }
  });
}
