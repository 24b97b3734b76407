import { describe, expect, it } from 'vitest';
import { simulatorHeapMb, threadHeapMb, STRATEGY_HEAP_MB } from '../../src/explore/memory.js';
import { heapMbPerThread } from '../../src/cli/memoryBudget.js';
import { inlineScenario, libraryScenario } from '../helpers/scenarios.js';

// The schema's largest stock: 100 items of 100 000 units (10 million units, ~3.4 GB once sold).
const huge = inlineScenario({ items: Array.from({ length: 100 }, (_, i) => ({ id: `i${i}`, stock: 100_000 })), workload: { generate: { count: 10_000, item: 'i0' } } }, 'huge');

describe('a thread\'s heap limit covers the simulator\'s own memory, not only the strategy\'s', () => {
  it('grows with the stock: the largest scenario gets its ~4 GB ledger on top of the strategy\'s 1024 MB', () => {
    expect(simulatorHeapMb(libraryScenario('flash-sale'))).toBeLessThan(200);
    expect(simulatorHeapMb(huge)).toBeGreaterThan(3400);
    expect(threadHeapMb(huge)).toBe(simulatorHeapMb(huge) + STRATEGY_HEAP_MB);
  });

  it('a scenario whose threads do not fit in the machine is refused with one line naming the fix', () => {
    expect(heapMbPerThread(huge, 2, 24 * 1024)).toBe(threadHeapMb(huge));
    // Many threads: each strategy keeps less, the simulator's share stays whole.
    expect(heapMbPerThread(libraryScenario('flash-sale'), 32, 24 * 1024)).toBe(576);
    expect(() => heapMbPerThread(huge, 8, 24 * 1024)).toThrow(/^scenario huge needs about \d+ MB of heap per simulation thread \(\d+ MB for 10000000 units of stock and its orders, plus what the strategy may keep\), more than the 2304 MB each of 8 threads may use on this machine \(three quarters of its 24576 MB\): use fewer --workers$/);
    expect(() => heapMbPerThread(huge, 1, 4096)).toThrow(/use a smaller scenario$/);
  });
});
