import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { tuneGcForSweeps } from '../../src/explore/gcTuning.js';

describe('GC tuning for sweeps: worker threads', () => {
  it('a worker started after it holds ~60 MB of promoted garbage without a full GC (V8 defaults: two)', async () => {
    expect(tuneGcForSweeps({})).toBe(true);
    // Objects that live long enough to be promoted (a ring of 16 384 chunks), then die: what a
    // worker's old generation gathers over a long sweep. The first full GC in a sweep is what
    // made every scavenge after it expensive (docs/benchmarks.md, "Round 6: sweep scaling").
    // Counts collections, not time.
    const code = `
      const { PerformanceObserver, constants } = require('node:perf_hooks');
      const { parentPort } = require('node:worker_threads');
      let majors = 0;
      const obs = new PerformanceObserver((list) => { for (const e of list.getEntries()) if (e.detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majors++; });
      obs.observe({ entryTypes: ['gc'] });
      const R = 16384;
      const ring = new Array(R).fill(null);
      for (let i = 0; i < 56 * 1024; i++) { const chunk = []; for (let j = 0; j < 32; j++) chunk.push({ i, j }); ring[i % R] = chunk; }
      setTimeout(() => { obs.disconnect(); parentPort.postMessage(majors); }, 20);
    `;
    // A sweep worker's heap limit (threadHeapMb of a small scenario: src/explore/memory.ts).
    const w = new Worker(code, { eval: true, resourceLimits: { maxOldGenerationSizeMb: 1153 } });
    try {
      const majors = await new Promise<number>((resolve, reject) => {
        w.once('message', resolve);
        w.once('error', reject);
      });
      expect(majors).toBe(0);
    } finally {
      await w.terminate();
    }
  });
});
