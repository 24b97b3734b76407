import { defineConfig } from 'vitest/config';

// Stryker's vitest runner (scripts/mutate.ts) runs only the tests of the target it mutates.
const tests = (process.env.OVERSOLD_MUTATE_TESTS ?? '').split(',').filter((t) => t !== '');
if (tests.length === 0) throw new Error('vitest.mutate.config.ts: run it through `npm run mutate`, which names the tests');

export default defineConfig({
  test: {
    include: tests,
    testTimeout: 60_000,
  },
});
